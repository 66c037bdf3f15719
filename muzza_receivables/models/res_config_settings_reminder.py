# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    muzza_reminder_hour_from = fields.Float(related="company_id.muzza_reminder_hour_from", readonly=False)
    muzza_reminder_hour_to = fields.Float(related="company_id.muzza_reminder_hour_to", readonly=False)
    muzza_reminder_promise_days = fields.Integer(
        related="company_id.muzza_reminder_promise_days", readonly=False
    )
    muzza_reminder_promise_grace = fields.Integer(
        related="company_id.muzza_reminder_promise_grace", readonly=False
    )
    muzza_reminder_attach_invoices = fields.Boolean(
        related="company_id.muzza_reminder_attach_invoices", readonly=False
    )
    muzza_reminder_accountant_id = fields.Many2one(
        related="company_id.muzza_reminder_accountant_id", readonly=False
    )

    def action_muzza_reminder_levels(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Reminder Levels"),
            "res_model": "muzza.reminder.level",
            "view_mode": "list,form",
            "domain": [("company_id", "=", self.company_id.id)],
            "context": {"default_company_id": self.company_id.id},
        }
