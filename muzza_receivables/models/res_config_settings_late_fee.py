# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    muzza_late_fee_policy_id = fields.Many2one(related="company_id.muzza_late_fee_policy_id", readonly=False)
    muzza_fee_invoice_cycle = fields.Selection(related="company_id.muzza_fee_invoice_cycle", readonly=False)
    muzza_fee_invoice_day = fields.Integer(related="company_id.muzza_fee_invoice_day", readonly=False)
    muzza_fee_invoice_minimum = fields.Monetary(
        related="company_id.muzza_fee_invoice_minimum", readonly=False
    )
