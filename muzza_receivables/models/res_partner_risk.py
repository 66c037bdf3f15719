# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..logic.risk import LEVELS, effective_level
from .muzza_risk_profile import level_selection

# sales staff and accounting read it; other internal users and portal users do not
INTERNAL = "sales_team.group_sale_salesman,account.group_account_invoice,account.group_account_readonly"


class ResPartner(models.Model):
    """Customer risk, as the partner shows it for the current company:
    the warning signs ticked, the score and why, the level; never to
    portal users nor on the customer's documents."""

    _inherit = "res.partner"

    muzza_risk_profile_ids = fields.One2many(
        "muzza.risk.profile", "partner_id", string="Risk Files", groups=INTERNAL
    )
    muzza_risk_flag_ids = fields.One2many(
        "muzza.risk.flag",
        "partner_id",
        string="Warning Signs",
        domain=lambda self: [("company_id", "=", self.env.company.id)],
        groups=INTERNAL,
    )
    muzza_risk_profile_id = fields.Many2one(
        "muzza.risk.profile",
        string="Risk File",
        compute="_compute_muzza_risk",
        search="_search_muzza_risk_profile_id",
        groups=INTERNAL,
    )
    muzza_risk_score = fields.Integer(
        string="Risk Score", compute="_compute_muzza_risk", search="_search_muzza_risk_score", groups=INTERNAL
    )
    muzza_risk_level = fields.Selection(
        level_selection,
        string="Risk Level",
        compute="_compute_muzza_risk",
        search="_search_muzza_risk_level",
        groups=INTERNAL,
    )
    muzza_risk_warning = fields.Char(string="Risk Warning", compute="_compute_muzza_risk", groups=INTERNAL)

    muzza_risk_factors = fields.Text(related="muzza_risk_profile_id.factors", groups=INTERNAL)
    muzza_risk_paid_count = fields.Integer(related="muzza_risk_profile_id.paid_count", groups=INTERNAL)
    muzza_risk_late_count = fields.Integer(related="muzza_risk_profile_id.late_count", groups=INTERNAL)
    muzza_risk_avg_days_late = fields.Float(related="muzza_risk_profile_id.avg_days_late", groups=INTERNAL)
    muzza_risk_overdue_amount = fields.Monetary(
        related="muzza_risk_profile_id.overdue_amount",
        groups=INTERNAL,
        currency_field="muzza_risk_currency_id",
    )
    muzza_risk_oldest_overdue_days = fields.Integer(
        related="muzza_risk_profile_id.oldest_overdue_days", groups=INTERNAL
    )
    muzza_risk_exposure = fields.Monetary(
        related="muzza_risk_profile_id.exposure", groups=INTERNAL, currency_field="muzza_risk_currency_id"
    )
    muzza_risk_credit_limit = fields.Monetary(
        related="muzza_risk_profile_id.credit_limit",
        string="Credit Limit Found",
        groups=INTERNAL,
        currency_field="muzza_risk_currency_id",
    )
    muzza_risk_fee_invoices = fields.Integer(related="muzza_risk_profile_id.fee_invoices", groups=INTERNAL)
    muzza_risk_broken_promises = fields.Integer(
        related="muzza_risk_profile_id.broken_promises", groups=INTERNAL
    )
    muzza_risk_final_notices = fields.Integer(related="muzza_risk_profile_id.final_notices", groups=INTERNAL)
    muzza_risk_phone_invalid = fields.Boolean(related="muzza_risk_profile_id.phone_invalid", groups=INTERNAL)
    muzza_risk_no_vat = fields.Boolean(related="muzza_risk_profile_id.no_vat", groups=INTERNAL)
    muzza_risk_no_address = fields.Boolean(related="muzza_risk_profile_id.no_address", groups=INTERNAL)
    muzza_risk_vat_invalid = fields.Boolean(related="muzza_risk_profile_id.vat_invalid", groups=INTERNAL)
    muzza_risk_suggested_credit_limit = fields.Monetary(
        related="muzza_risk_profile_id.suggested_credit_limit",
        groups=INTERNAL,
        currency_field="muzza_risk_currency_id",
    )
    muzza_risk_signals_on = fields.Date(related="muzza_risk_profile_id.signals_on", groups=INTERNAL)
    muzza_risk_vetted_on = fields.Date(related="muzza_risk_profile_id.vetted_on", groups=INTERNAL)
    muzza_risk_vetted_by = fields.Many2one(related="muzza_risk_profile_id.vetted_by", groups=INTERNAL)
    muzza_risk_revet_on = fields.Date(related="muzza_risk_profile_id.revet_on", groups=INTERNAL)
    muzza_risk_override_level = fields.Selection(
        related="muzza_risk_profile_id.override_level", groups=INTERNAL
    )
    muzza_risk_override_reason = fields.Text(related="muzza_risk_profile_id.override_reason", groups=INTERNAL)
    muzza_risk_override_until = fields.Date(related="muzza_risk_profile_id.override_until", groups=INTERNAL)
    muzza_risk_override_by = fields.Many2one(related="muzza_risk_profile_id.override_by", groups=INTERNAL)
    muzza_risk_history_ids = fields.One2many(related="muzza_risk_profile_id.history_ids", groups=INTERNAL)
    muzza_risk_currency_id = fields.Many2one(
        related="muzza_risk_profile_id.currency_id", string="Currency of the Risk File", groups=INTERNAL
    )

    @api.depends_context("company")
    @api.depends("commercial_partner_id", "muzza_risk_profile_ids.level", "muzza_risk_profile_ids.score")
    def _compute_muzza_risk(self):
        company = self.env.company
        today = fields.Date.context_today(self)
        profiles = (
            self.env["muzza.risk.profile"]
            .sudo()
            .search([("partner_id", "in", self.commercial_partner_id.ids), ("company_id", "=", company.id)])
        )
        by_partner = {profile.partner_id.id: profile for profile in profiles}
        for partner in self:
            profile = by_partner.get(partner.commercial_partner_id.id)
            partner.muzza_risk_profile_id = profile.id if profile else False
            partner.muzza_risk_score = profile.score if profile else 0
            # the level of the day: an override past its expiry no longer
            # holds, even before the nightly action stores it
            partner.muzza_risk_level = (
                effective_level(
                    profile.computed_level or "low", profile.override_level, profile.override_until, today
                )
                if profile
                else "low"
            )
            partner.muzza_risk_warning = profile.with_env(self.env).warning if profile else False

    def _search_muzza_risk_profile_id(self, operator, value):
        return [("commercial_partner_id.muzza_risk_profile_ids", operator, value)]

    def _muzza_having_file(self, domain):
        """Customers whose file in the current company matches ``domain``."""
        return [
            (
                "commercial_partner_id.muzza_risk_profile_ids",
                "any",
                [*domain, ("company_id", "=", self.env.company.id)],
            )
        ]

    def _search_muzza_risk_level(self, operator, value):
        if operator not in ("=", "!=", "in", "not in"):
            raise UserError(self.env._("Search the risk level with =, !=, in or not in."))
        values = list(value) if isinstance(value, (list, tuple)) else [value]
        today = fields.Date.context_today(self)
        # the level of the day: a manager's override until its expiry, else
        # the score's (as the orders read it)
        override = [
            "&",
            ("override_level", "!=", False),
            "|",
            ("override_until", "=", False),
            ("override_until", ">=", today),
        ]

        def level_in(levels):
            return [
                "|",
                "&",
                *override,
                ("override_level", "in", levels),
                "&",
                "!",
                *override,
                ("computed_level", "in", levels),
            ]

        if "low" in values:
            # a customer without a file is at low risk
            others = [level for level in LEVELS if level not in values]
            domain = ["!", *self._muzza_having_file(level_in(others))] if others else []
        else:
            domain = self._muzza_having_file(level_in(values))
        if operator in ("=", "in"):
            return domain
        return ["!", *domain] if domain else [("id", "=", False)]

    def _search_muzza_risk_score(self, operator, value):
        if operator not in ("=", "!=", "<", "<=", ">", ">="):
            raise UserError(self.env._("Search the risk score with a comparison."))
        return self._muzza_having_file([("score", operator, value)])

    def _muzza_risk_file(self):
        """This customer's risk file in the current company, opened if needed."""
        self.ensure_one()
        return self.env["muzza.risk.profile"]._muzza_for(self, self.env.company)

    def action_muzza_risk_open(self):
        profile = self._muzza_risk_file()
        return {
            "type": "ir.actions.act_window",
            "res_model": "muzza.risk.profile",
            "res_id": profile.id,
            "view_mode": "form",
            "name": self.env._("Risk of %(customer)s", customer=self.commercial_partner_id.display_name),
        }

    def action_muzza_risk_recompute(self):
        for partner in self:
            partner._muzza_risk_file().action_muzza_recompute()
        return True

    def action_muzza_risk_vet(self):
        self.ensure_one()
        return self._muzza_risk_file().action_muzza_vet()

    def action_muzza_risk_apply_limit(self):
        self.ensure_one()
        return self._muzza_risk_file().action_muzza_apply_credit_limit()

    def action_muzza_risk_override(self):
        self.ensure_one()
        return self._muzza_risk_file().action_muzza_override()
