# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    muzza_risk_medium_score = fields.Integer(related="company_id.muzza_risk_medium_score", readonly=False)
    muzza_risk_high_score = fields.Integer(related="company_id.muzza_risk_high_score", readonly=False)
    muzza_risk_blocked_score = fields.Integer(related="company_id.muzza_risk_blocked_score", readonly=False)
    muzza_risk_revet_months = fields.Integer(related="company_id.muzza_risk_revet_months", readonly=False)
