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
    muzza_cadence_post = fields.Boolean(related="company_id.muzza_cadence_post", readonly=False)
    muzza_pileup_days = fields.Integer(related="company_id.muzza_pileup_days", readonly=False)
    muzza_clarity_mode = fields.Selection(related="company_id.muzza_clarity_mode", readonly=False)
    muzza_invoice_mail_template_id = fields.Many2one(
        related="company_id.muzza_invoice_mail_template_id", readonly=False
    )
    muzza_deposit_who = fields.Selection(related="company_id.muzza_deposit_who", readonly=False)
    muzza_deposit_kind = fields.Selection(related="company_id.muzza_deposit_kind", readonly=False)
    muzza_deposit_value = fields.Float(related="company_id.muzza_deposit_value", readonly=False)
    muzza_deposit_minimum = fields.Monetary(related="company_id.muzza_deposit_minimum", readonly=False)
    muzza_deposit_blocks_work = fields.Boolean(related="company_id.muzza_deposit_blocks_work", readonly=False)
    muzza_retainer_lead_days = fields.Integer(related="company_id.muzza_retainer_lead_days", readonly=False)
    muzza_retainer_warn_percent = fields.Float(
        related="company_id.muzza_retainer_warn_percent", readonly=False
    )
