# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    muzza_deposit_who = fields.Selection(related="company_id.muzza_deposit_who", readonly=False)
    muzza_deposit_kind = fields.Selection(related="company_id.muzza_deposit_kind", readonly=False)
    muzza_deposit_value = fields.Float(related="company_id.muzza_deposit_value", readonly=False)
    muzza_deposit_minimum = fields.Monetary(related="company_id.muzza_deposit_minimum", readonly=False)
    muzza_deposit_blocks_work = fields.Boolean(related="company_id.muzza_deposit_blocks_work", readonly=False)
    muzza_deposit_risk_level = fields.Selection(related="company_id.muzza_deposit_risk_level", readonly=False)
