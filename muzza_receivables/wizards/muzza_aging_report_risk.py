# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import fields, models

from ..logic.risk import LEVELS
from ..models.muzza_risk_profile import level_selection


class MuzzaAgingReport(models.TransientModel):
    """The aged receivables of the customers at or above a risk level."""

    _inherit = "muzza.aging.report"

    muzza_risk_level = fields.Selection(
        level_selection,
        string="Risk Level At Least",
        help="Only the customers whose risk level, in one of the companies shown, is this one or worse.",
    )

    def _customer_ids(self):
        ids = super()._customer_ids()
        if not self.muzza_risk_level or self.muzza_risk_level == "low":
            return ids
        levels = LEVELS[LEVELS.index(self.muzza_risk_level) :]
        profiles = (
            self.env["muzza.risk.profile"]
            .sudo()
            ._read_group(
                [("level", "in", levels), ("company_id", "in", self.company_ids.ids)], ["partner_id"]
            )
        )
        risky = {partner.id for (partner,) in profiles}
        return sorted(risky if ids is None else risky & set(ids))

    def _options_text(self):
        text = super()._options_text()
        if self.muzza_risk_level and self.muzza_risk_level != "low":
            level = dict(level_selection(self))[self.muzza_risk_level]
            text += " " + self.env._("Customers at %(level)s risk or above.", level=level.lower())
        return text
