# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import api, fields, models
from odoo.exceptions import AccessError

from .muzza_risk_profile import level_selection


class MuzzaRiskHistory(models.Model):
    """Each change of a customer's score or level, and why: written by the
    module, read by everyone who sees the risk, rewritten by nobody."""

    _name = "muzza.risk.history"
    _description = "Customer risk history"
    _order = "date desc, id desc"

    profile_id = fields.Many2one("muzza.risk.profile", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="profile_id.company_id", store=True)
    date = fields.Datetime(required=True)
    score = fields.Integer()
    level = fields.Selection(level_selection)
    reason = fields.Char()
    user_id = fields.Many2one("res.users", string="By")

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise AccessError(self.env._("The risk history is written by the module."))
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            raise AccessError(self.env._("The risk history is written by the module."))
        return super().write(vals)
