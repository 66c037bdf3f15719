# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    """Retainers: when periods are invoiced, when the budget warns."""

    _inherit = "res.company"

    muzza_retainer_lead_days = fields.Integer(
        string="Retainer Invoices Ahead (days)",
        default=7,
        help="Each retainer period is invoiced this many days before it starts.",
    )
    muzza_retainer_warn_percent = fields.Float(
        string="Retainer Budget Warning (%)",
        default=80.0,
        help="The salesperson and the customer are warned once this share of a retainer's budget "
        "is committed.",
    )

    @api.constrains("muzza_retainer_lead_days", "muzza_retainer_warn_percent")
    def _check_muzza_retainer_settings(self):
        for company in self:
            if company.muzza_retainer_lead_days < 0 or not 0 < company.muzza_retainer_warn_percent <= 100:
                raise ValidationError(
                    self.env._(
                        "Retainer invoices cannot be issued after their period starts, and the budget "
                        "warning is a share between 0 and 100 %."
                    )
                )
