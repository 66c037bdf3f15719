# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import fields, models


class ResPartner(models.Model):
    """Late fees: the customer's own late-payment terms."""

    _inherit = "res.partner"

    muzza_late_fee_policy_id = fields.Many2one(
        "muzza.late.fee.policy",
        string="Late-Fee Policy",
        company_dependent=True,
        domain="[('company_id', '=', current_company_id)]",
        help="Late-payment terms printed on and charged for this customer's invoices; "
        "empty means the company's default.",
    )
