# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    muzza_retainer_lead_days = fields.Integer(related="company_id.muzza_retainer_lead_days", readonly=False)
    muzza_retainer_warn_percent = fields.Float(
        related="company_id.muzza_retainer_warn_percent", readonly=False
    )
