# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    muzza_invoice_mail_template_id = fields.Many2one(
        related="company_id.muzza_invoice_mail_template_id", readonly=False
    )
