# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    """Cadence invoicing, and the alert on delivered work left uninvoiced."""

    _inherit = "res.company"

    muzza_cadence_post = fields.Boolean(
        string="Post and Send Cadence Invoices",
        default=True,
        help="Invoices created on a contract's cadence are posted and e-mailed at once; "
        "otherwise they wait as drafts for review.",
    )
    muzza_pileup_days = fields.Integer(
        string="Uninvoiced Work Alert (days)",
        default=30,
        help="Salespeople get an activity when an order's delivered work waits longer than this "
        "without any invoice.",
    )

    @api.constrains("muzza_pileup_days")
    def _check_muzza_pileup_days(self):
        if any(company.muzza_pileup_days < 1 for company in self):
            raise ValidationError(self.env._("The uninvoiced-work alert needs at least 1 day."))
