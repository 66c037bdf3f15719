# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import fields, models

from ..models.muzza_risk_profile import level_selection


class MuzzaRiskOverride(models.TransientModel):
    """A receivables manager sets a customer's risk level by hand, says
    why, and until when; or lifts the override."""

    _name = "muzza.risk.override"
    _description = "Override a customer's risk level"

    profile_id = fields.Many2one("muzza.risk.profile", required=True, readonly=True)
    computed_level = fields.Selection(related="profile_id.computed_level", string="Level by the Score")
    score = fields.Integer(related="profile_id.score")
    level = fields.Selection(level_selection, string="New Level", required=True)
    reason = fields.Text(required=True)
    until = fields.Date(help="The override ends after this day; empty: until a manager lifts it.")

    def action_apply(self):
        self.ensure_one()
        self.profile_id._muzza_set_override(self.level, self.reason, self.until)
        return {"type": "ir.actions.act_window_close"}

    def action_lift(self):
        self.ensure_one()
        self.profile_id._muzza_set_override(False, False, False)
        return {"type": "ir.actions.act_window_close"}
