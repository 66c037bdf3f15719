# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..logic.risk import DEFAULT_THRESHOLDS, threshold_problems


class ResCompany(models.Model):
    """Customer risk: the scores each level starts at, how often customers
    are vetted again, and the company's own warning signs."""

    _inherit = "res.company"

    muzza_risk_medium_score = fields.Integer(string="Medium Risk From", default=DEFAULT_THRESHOLDS["medium"])
    muzza_risk_high_score = fields.Integer(string="High Risk From", default=DEFAULT_THRESHOLDS["high"])
    muzza_risk_blocked_score = fields.Integer(string="Blocked From", default=DEFAULT_THRESHOLDS["blocked"])
    muzza_risk_revet_months = fields.Integer(
        string="Vet Customers Again After (Months)",
        default=12,
        help="A vetted customer is due for vetting again this many months later; 0 for never.",
    )

    def _muzza_risk_thresholds(self):
        self.ensure_one()
        return {
            "medium": self.muzza_risk_medium_score,
            "high": self.muzza_risk_high_score,
            "blocked": self.muzza_risk_blocked_score,
        }

    @api.constrains(
        "muzza_risk_medium_score",
        "muzza_risk_high_score",
        "muzza_risk_blocked_score",
        "muzza_risk_revet_months",
    )
    def _check_muzza_risk_settings(self):
        for company in self:
            if threshold_problems(company._muzza_risk_thresholds()):
                raise ValidationError(
                    self.env._(
                        "The risk levels start at scores between 1 and 100, each above the one before: "
                        "medium below high, high below blocked."
                    )
                )
            if company.muzza_risk_revet_months < 0:
                raise ValidationError(
                    self.env._("Customers cannot be vetted again a negative number of months later.")
                )

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        self.env["muzza.risk.sign"]._muzza_copy_to(companies)
        return companies

    def write(self, vals):
        res = super().write(vals)
        if {"muzza_risk_medium_score", "muzza_risk_high_score", "muzza_risk_blocked_score"} & set(vals):
            # the levels follow the new thresholds at once
            profiles = self.env["muzza.risk.profile"].sudo().search([("company_id", "in", self.ids)])
            profiles._muzza_refresh_levels(self.env._("Risk thresholds changed"))
        return res
