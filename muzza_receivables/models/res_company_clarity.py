# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import fields, models


class ResCompany(models.Model):
    """The clarity check: warn or block."""

    _inherit = "res.company"

    muzza_clarity_mode = fields.Selection(
        [("warn", "Warn"), ("block", "Block")],
        string="Invoice Clarity Check",
        default="warn",
        required=True,
        help="What happens when a customer invoice is posted or sent without everything a "
        "customer needs to pay it on time: warn (post, and say what is missing) or block.",
    )
