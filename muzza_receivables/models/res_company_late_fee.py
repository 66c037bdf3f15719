# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    """Late fees: the default policy and the cycle fees are invoiced on."""

    _inherit = "res.company"

    muzza_late_fee_policy_id = fields.Many2one(
        "muzza.late.fee.policy",
        string="Default Late-Fee Policy",
        domain="[('company_id', '=', id)]",
        help="Applies to customer invoices whose customer has no policy of its own.",
    )
    muzza_fee_invoice_cycle = fields.Selection(
        [("monthly", "Once a month, and when the invoice is paid"), ("paid", "When the invoice is paid")],
        string="Invoice Accrued Interest",
        default="monthly",
        required=True,
        help="Interest on a late invoice accrues day by day; it is invoiced on this cycle, and always "
        "once more when the late invoice is paid. Fixed and percentage fees are invoiced once, as soon "
        "as the invoice is late.",
    )
    muzza_fee_invoice_day = fields.Integer(
        string="Interest Invoiced On Day",
        default=1,
        help="Day of the month accrued interest is invoiced (the month's last day in shorter months).",
    )
    muzza_fee_invoice_minimum = fields.Monetary(
        string="Smallest Interest Invoice",
        currency_field="currency_id",
        help="Accrued interest below this waits for the next cycle, unless the late invoice is paid.",
    )

    @api.constrains("muzza_fee_invoice_day", "muzza_fee_invoice_minimum")
    def _check_muzza_fee_cycle(self):
        for company in self:
            if not 1 <= company.muzza_fee_invoice_day <= 31 or company.muzza_fee_invoice_minimum < 0:
                raise ValidationError(
                    self.env._(
                        "Accrued interest is invoiced on a day of the month between 1 and 31, and the "
                        "smallest interest invoice cannot be negative."
                    )
                )

    def write(self, vals):
        res = super().write(vals)
        if {"muzza_fee_invoice_cycle", "muzza_fee_invoice_day"} & set(vals):
            # the late invoices waiting for their next fee follow the new cycle
            self.env["account.move"].sudo()._muzza_reschedule_fees(self)
        return res
