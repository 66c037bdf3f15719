# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import fields, models


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
    muzza_clarity_mode = fields.Selection(
        [("warn", "Warn"), ("block", "Block")],
        string="Invoice Clarity Check",
        default="warn",
        required=True,
        help="What happens when a customer invoice is posted or sent without everything a "
        "customer needs to pay it on time: warn (post, and say what is missing) or block.",
    )
