# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    muzza_cadence_post = fields.Boolean(related="company_id.muzza_cadence_post", readonly=False)
    muzza_pileup_days = fields.Integer(related="company_id.muzza_pileup_days", readonly=False)
