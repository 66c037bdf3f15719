# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    muzza_late_fee_policy_id = fields.Many2one(
        "muzza.late.fee.policy",
        string="Default Late-Fee Policy",
        domain="[('company_id', '=', id)]",
        help="Applies to customer invoices whose customer has no policy of its own.",
    )
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
    muzza_clarity_mode = fields.Selection(
        [("warn", "Warn"), ("block", "Block")],
        string="Invoice Clarity Check",
        default="warn",
        required=True,
        help="What happens when a customer invoice is posted or sent without everything a "
        "customer needs to pay it on time: warn (post, and say what is missing) or block.",
    )

    @api.constrains("muzza_pileup_days")
    def _check_muzza_pileup_days(self):
        if any(company.muzza_pileup_days < 1 for company in self):
            raise ValidationError(self.env._("The uninvoiced-work alert needs at least 1 day."))
