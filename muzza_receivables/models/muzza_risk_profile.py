# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import datetime
import logging

import psycopg2

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

from odoo.addons.base_vat.models.res_partner import _region_specific_vat_codes
from odoo.addons.phone_validation.tools.phone_validation import phone_parse

from ..logic.risk import (
    LEVELS,
    effective_level,
    level_for,
    revetting_date,
    risk_score,
    score_factors,
    suggested_credit_limit,
)

_logger = logging.getLogger(__name__)

MANAGER = "muzza_receivables.group_receivables_manager"
VETTERS = (MANAGER, "sales_team.group_sale_manager")
HISTORY_DAYS = 365


# what the nightly action derives, with its SQL type and its value when
# nothing is found
SIGNAL_COLUMNS = {
    "paid_count": "int4",
    "late_count": "int4",
    "avg_days_late": "numeric",
    "overdue_amount": "numeric",
    "oldest_overdue_days": "int4",
    "open_amount": "numeric",
    "to_invoice_amount": "numeric",
    "fee_invoices": "int4",
    "broken_promises": "int4",
    "final_notices": "int4",
    "credit_limit": "numeric",
    "sales_12m": "numeric",
    "phone_invalid": "bool",
    "no_vat": "bool",
    "no_address": "bool",
    "vat_invalid": "bool",
    "vat_checked": "varchar",
    "signals_on": "date",
}
SIGNAL_DEFAULTS = {
    "paid_count": 0,
    "late_count": 0,
    "avg_days_late": 0.0,
    "overdue_amount": 0.0,
    "oldest_overdue_days": 0,
    "open_amount": 0.0,
    "to_invoice_amount": 0.0,
    "fee_invoices": 0,
    "broken_promises": 0,
    "final_notices": 0,
    "credit_limit": 0.0,
    "sales_12m": 0.0,
    "phone_invalid": False,
    "no_vat": False,
    "no_address": False,
    "vat_invalid": False,
    "vat_checked": None,
    "signals_on": None,
}


def level_selection(model):
    return [
        ("low", model.env._("Low")),
        ("medium", model.env._("Medium")),
        ("high", model.env._("High")),
        ("blocked", model.env._("Blocked")),
    ]


class MuzzaRiskProfile(models.Model):
    """A customer's payment risk in one company: the warning signs sales
    staff ticked, the signals its history and record give (recomputed in
    batches by a scheduled action, never on each accounting write), the
    score and each factor's share of it, the level, and the decisions a
    manager took (an override, the vetting)."""

    _name = "muzza.risk.profile"
    _description = "Customer payment risk"
    _inherit = ["mail.thread", "mail.activity.mixin"]  # noqa: RUF012
    _rec_name = "partner_id"
    _order = "score desc, id"

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, readonly=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    user_id = fields.Many2one(related="partner_id.user_id", string="Salesperson")
    flag_ids = fields.One2many("muzza.risk.flag", "profile_id", string="Warning Signs")
    history_ids = fields.One2many("muzza.risk.history", "profile_id")

    # the signals, as the scheduled action (or Recompute) last found them
    paid_count = fields.Integer(string="Invoices Paid (12 Months)", readonly=True)
    late_count = fields.Integer(string="Paid Late (12 Months)", readonly=True)
    avg_days_late = fields.Float(string="Average Days Late", digits=(16, 1), readonly=True)
    overdue_amount = fields.Monetary(string="Overdue Now", readonly=True)
    oldest_overdue_days = fields.Integer(string="Oldest Overdue (Days)", readonly=True)
    open_amount = fields.Monetary(string="Open Receivables", readonly=True)
    to_invoice_amount = fields.Monetary(string="Confirmed Orders Not Invoiced", readonly=True)
    exposure = fields.Monetary(compute="_compute_exposure", store=True)
    credit_limit = fields.Monetary(readonly=True)
    fee_invoices = fields.Integer(string="Late-Fee Invoices (12 Months)", readonly=True)
    broken_promises = fields.Integer(string="Payment Promises Broken", readonly=True)
    final_notices = fields.Integer(
        string="Serious Reminders",
        readonly=True,
        help="Reminders at a level that raises the risk (the final notice, say) in the last 12 months.",
    )
    sales_12m = fields.Monetary(string="Sales (12 Months)", readonly=True)
    phone_invalid = fields.Boolean(string="Phone Number Not Valid", readonly=True)
    no_vat = fields.Boolean(string="Company Without VAT Number", readonly=True)
    no_address = fields.Boolean(string="Without Address", readonly=True)
    vat_invalid = fields.Boolean(string="VAT Number Not Valid", readonly=True)
    vat_checked = fields.Char(readonly=True)  # the VAT number (and country) the last check was made on
    signals_on = fields.Date(string="Signals Computed On", readonly=True, index=True)

    score = fields.Integer(compute="_compute_score", store=True, index=True)
    computed_level = fields.Selection(
        level_selection, string="Level by the Score", compute="_compute_score", store=True
    )
    level = fields.Selection(
        level_selection, string="Risk Level", compute="_compute_level", store=True, index=True
    )
    factors = fields.Text(string="Why", compute="_compute_factors")
    suggested_credit_limit = fields.Monetary(compute="_compute_score", store=True)
    warning = fields.Char(compute="_compute_factors")

    override_level = fields.Selection(
        level_selection, string="Level Set By a Manager", readonly=True, tracking=True
    )
    override_reason = fields.Text(readonly=True, tracking=True)
    override_until = fields.Date(readonly=True, tracking=True)
    override_by = fields.Many2one("res.users", readonly=True)
    override_on = fields.Datetime(readonly=True)

    vetted_on = fields.Date(readonly=True, tracking=True)
    vetted_by = fields.Many2one("res.users", readonly=True, tracking=True)
    revet_on = fields.Date(string="Vet Again On", compute="_compute_revet_on", store=True, index=True)
    revet_activity_on = fields.Date(readonly=True)  # the due date an activity was made for
    vetting_due = fields.Boolean(compute="_compute_vetting_due", search="_search_vetting_due")

    # what the history last recorded
    history_score = fields.Integer(readonly=True)
    history_level = fields.Char(readonly=True)

    _sql_constraints = [  # noqa: RUF012
        (
            "partner_company_unique",
            "UNIQUE (partner_id, company_id)",
            "A customer has one risk file per company.",
        ),
    ]

    # ------------------------------------------------------------------------
    # figures
    # ------------------------------------------------------------------------

    @api.depends("open_amount", "to_invoice_amount")
    def _compute_exposure(self):
        for profile in self:
            profile.exposure = profile.open_amount + profile.to_invoice_amount

    def _muzza_signals(self):
        """The facts the score rests on, for the pure rules."""
        self.ensure_one()
        return {
            "paid_count": self.paid_count,
            "late_count": self.late_count,
            "avg_days_late": self.avg_days_late,
            "overdue_amount": self.overdue_amount,
            "oldest_overdue_days": self.oldest_overdue_days,
            "fee_invoices": self.fee_invoices,
            "broken_promises": self.broken_promises,
            "final_notices": self.final_notices,
            "exposure": self.exposure,
            "credit_limit": self.credit_limit,
            "phone_invalid": self.phone_invalid,
            "no_vat": self.no_vat,
            "no_address": self.no_address,
            "vat_invalid": self.vat_invalid,
            "sales_12m": self.sales_12m,
        }

    def _muzza_factors(self):
        self.ensure_one()
        # an archived sign no longer counts (its ticks stay on record)
        signs = [(flag.sign_id.name, flag.sign_id.weight) for flag in self.flag_ids if flag.sign_id.active]
        return score_factors(signs, self._muzza_signals())

    @api.depends(
        "flag_ids.sign_id.weight",
        "flag_ids.sign_id.active",
        "exposure",
        "credit_limit",
        "sales_12m",
        "paid_count",
        "late_count",
        "avg_days_late",
        "overdue_amount",
        "oldest_overdue_days",
        "fee_invoices",
        "broken_promises",
        "final_notices",
        "phone_invalid",
        "no_vat",
        "no_address",
        "vat_invalid",
        "company_id.muzza_risk_medium_score",
        "company_id.muzza_risk_high_score",
        "company_id.muzza_risk_blocked_score",
    )
    def _compute_score(self):
        for profile in self:
            weights = [flag.sign_id.weight for flag in profile.flag_ids if flag.sign_id.active]
            row = self._muzza_score_row(
                profile._muzza_signals(),
                weights,
                profile.company_id._muzza_risk_thresholds(),
                profile.currency_id,
            )
            profile.update(row)

    @api.model
    def _muzza_score_row(self, signals, weights, thresholds, currency):
        """The score, the level it reaches and the suggested credit limit of
        a file with ``signals`` and warning signs of ``weights``."""
        score = risk_score(score_factors([("", weight) for weight in weights], signals))
        rounding = 100 if currency.rounding < 1 else currency.rounding * 100
        limit = suggested_credit_limit([(signals.get("sales_12m") or 0.0) / 12.0] * 12, score, rounding)
        return {
            "score": score,
            "computed_level": level_for(score, thresholds),
            "suggested_credit_limit": float(limit) if limit is not None else 0.0,
        }

    @api.depends("computed_level", "override_level", "override_until")
    def _compute_level(self):
        today = fields.Date.context_today(self)
        for profile in self:
            profile.level = effective_level(
                profile.computed_level or "low", profile.override_level, profile.override_until, today
            )

    @api.depends("vetted_on", "company_id.muzza_risk_revet_months")
    def _compute_revet_on(self):
        for profile in self:
            profile.revet_on = revetting_date(profile.vetted_on, profile.company_id.muzza_risk_revet_months)

    @api.depends("revet_on", "vetted_on")
    def _compute_vetting_due(self):
        today = fields.Date.context_today(self)
        for profile in self:
            profile.vetting_due = bool(profile.revet_on and profile.revet_on <= today)

    def _search_vetting_due(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Search vetting due with = or != and a yes or no."))
        due = [("revet_on", "<=", fields.Date.context_today(self))]
        return (
            due
            if (operator == "=") == value
            else ["|", ("revet_on", "=", False), ("revet_on", ">", fields.Date.context_today(self))]
        )

    @api.depends_context("lang")
    @api.depends("score", "level", "override_level", "override_until", "override_reason")
    def _compute_factors(self):
        for profile in self:
            lines = [profile._muzza_factor_text(factor) for factor in profile._muzza_factors()]
            profile.factors = "\n".join(lines) or self.env._(
                "No warning sign and nothing in the history: 0 points."
            )
            profile.warning = profile._muzza_warning_text()

    def _muzza_factor_text(self, factor):
        """One factor in plain words: "+16: 3 of 5 invoices paid late in
        the last 12 months (average 18 days)"."""
        code, points, facts = factor
        wording = self.env["muzza.wording"]
        lang = self.env.lang or "en_US"
        if code == "sign":
            text = self.env._("warning sign: %(sign)s", sign=facts["name"])
        elif code == "late":
            text = self.env._(
                "%(late)s of %(paid)s invoices paid late in the last 12 months (average %(days)s days)",
                late=facts["late"],
                paid=facts["paid"],
                days=facts["days"],
            )
        elif code == "overdue":
            text = self.env._(
                "%(amount)s overdue now, the oldest for %(days)s days",
                amount=wording._format_amount(facts["amount"], self.currency_id, lang),
                days=facts["days"],
            )
        elif code == "fees":
            text = self.env._(
                "late-fee invoices charged in the last 12 months: %(count)s", count=facts["count"]
            )
        elif code == "promises":
            text = self.env._("payment promises broken: %(count)s", count=facts["count"])
        elif code == "notices":
            text = self.env._(
                "serious payment reminders in the last 12 months: %(count)s", count=facts["count"]
            )
        elif code == "over_limit":
            text = self.env._(
                "owes and has ordered %(exposure)s, above its credit limit of %(limit)s",
                exposure=wording._format_amount(facts["exposure"], self.currency_id, lang),
                limit=wording._format_amount(facts["limit"], self.currency_id, lang),
            )
        elif code == "phone_invalid":
            text = self.env._("a phone number that cannot be valid for its country")
        elif code == "no_vat":
            text = self.env._("a company without VAT number")
        elif code == "no_address":
            text = self.env._("no full address (street, city and country)")
        else:
            text = self.env._("a VAT number that fails its check")
        return "+%s: %s" % (points, text)

    def _muzza_level_label(self, level):
        return dict(level_selection(self)).get(level, "")

    def _muzza_warning_text(self):
        """What the salesperson's screens say of a customer at medium risk
        or above (never the customer's documents)."""
        self.ensure_one()
        if self.level in (False, "low"):
            return ""
        message = self.env._(
            "%(customer)s: %(level)s payment risk (score %(score)s).",
            customer=self.partner_id.display_name,
            level=self._muzza_level_label(self.level),
            score=self.score,
        )
        if self.override_level and self.level == self.override_level:
            message += " " + self.env._(
                "Set by %(manager)s: %(reason)s",
                manager=self.override_by.name or "",
                reason=self.override_reason or "",
            )
        return message

    # ------------------------------------------------------------------------
    # nobody writes the signals or the decisions by hand
    # ------------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise AccessError(self.env._("Risk files are opened by the module itself, for each customer."))
        return super().create(vals_list)

    def write(self, vals):
        # only the chatter and activities are anyone's; the rest is the
        # module's (signals, score) or a manager's, through its action
        own = {name for name in vals if not name.startswith(("message_", "activity_"))}
        if not self.env.su and own:
            raise AccessError(
                self.env._(
                    "A customer's risk signals are computed by the module, and its level is set by a "
                    "receivables manager through Override Level."
                )
            )
        return super().write(vals)

    # ------------------------------------------------------------------------
    # opening files, history
    # ------------------------------------------------------------------------

    @api.model
    def _muzza_for(self, partners, company):
        """The risk files of ``partners`` (their commercial partners) in
        ``company``, opened for those that have none (in sudo)."""
        commercial = partners.commercial_partner_id
        Profile = self.sudo().with_context(mail_create_nolog=True)
        existing = Profile.search([("partner_id", "in", commercial.ids), ("company_id", "=", company.id)])
        missing = commercial - existing.partner_id
        if missing:
            try:
                with self.env.cr.savepoint():
                    existing |= Profile.create(
                        [{"partner_id": partner.id, "company_id": company.id} for partner in missing]
                    )
            except psycopg2.IntegrityError:
                # opened meanwhile by another user or the nightly action
                existing = Profile.search(
                    [("partner_id", "in", commercial.ids), ("company_id", "=", company.id)]
                )
        return existing.with_env(self.env)

    def _muzza_refresh_levels(self, reason, levels_written=False):
        """Write the history of the files whose score or level changed (one
        query each for the whole set), and let their open quotations follow
        a new level.

        :param levels_written: the levels of the day are written already
            (:meth:`_muzza_write_signals`); otherwise they are recomputed
            (an override may have expired)
        """
        profiles = self.sudo()
        if not profiles:
            return
        if not levels_written:
            self.env.add_to_compute(profiles._fields["level"], profiles)
        profiles.flush_recordset()
        cr = self.env.cr
        cr.execute(
            SQL(
                """SELECT id, score, level, history_score, history_level FROM muzza_risk_profile
                    WHERE id = ANY(%s)
                      AND (history_score IS DISTINCT FROM score OR history_level IS DISTINCT FROM level)""",
                profiles.ids,
            )
        )
        changed = cr.fetchall()
        if not changed:
            return
        now = fields.Datetime.now()
        uid = self.env.uid
        # a file just opened with nothing against the customer says nothing
        noted = [row for row in changed if row[4] or row[2] != "low" or row[1]]
        if noted:
            cr.execute(
                SQL(
                    """INSERT INTO muzza_risk_history (profile_id, company_id, date, score, level, reason,
                                                      user_id, create_uid, create_date, write_uid, write_date)
                       SELECT new.id, profile.company_id, %(now)s, new.score, new.level, %(reason)s, %(uid)s,
                              %(uid)s, %(now)s, %(uid)s, %(now)s
                         FROM (VALUES %(rows)s) AS new(id, score, level)
                         JOIN muzza_risk_profile profile ON profile.id = new.id""",
                    now=now,
                    reason=reason,
                    uid=uid,
                    rows=SQL(", ").join(SQL("(%s, %s, %s)", row[0], row[1], row[2]) for row in noted),
                )
            )
        cr.execute(
            SQL(
                """UPDATE muzza_risk_profile AS profile
                      SET history_score = new.score, history_level = new.level
                     FROM (VALUES %s) AS new(id, score, level) WHERE profile.id = new.id""",
                SQL(", ").join(SQL("(%s, %s, %s)", row[0], row[1], row[2]) for row in changed),
            )
        )
        touched = profiles.browse([row[0] for row in changed])
        touched.invalidate_recordset(["history_score", "history_level", "history_ids"])
        self.env["muzza.risk.history"].invalidate_model()
        moved = touched.browse([row[0] for row in changed if (row[4] or "low") != row[2]])
        if moved:
            # what the level does to a sale: the open quotations follow it
            self.env["sale.order"]._muzza_on_risk_levels_changed(moved)

    # ------------------------------------------------------------------------
    # the signals, set by set
    # ------------------------------------------------------------------------

    def _muzza_recompute_signals(self, today=None):
        """Derive the signals of these files from the company's books and
        the customers' records: a fixed number of queries per company,
        whatever the number of customers."""
        today = today or fields.Date.context_today(self)
        profiles = self.sudo()
        # what the steps below read of each file, in one query for the set
        profiles.fetch(["partner_id", "company_id", "vat_checked"])
        for company in profiles.company_id:
            mine = profiles.filtered(lambda p, c=company: p.company_id == c)
            values = mine._muzza_gather_signals(company, today)
            mine._muzza_write_signals(
                {
                    profile.id: dict(values.get(profile.partner_id.id, {}), signals_on=today)
                    for profile in mine
                }
            )
        profiles._muzza_refresh_levels(self.env._("Signals recomputed"), levels_written=True)
        # the score and levels were written in SQL: whatever was computed
        # from them (the partner's risk, an order's hold) is read afresh
        self.env.invalidate_all()

    def _muzza_write_signals(self, values):
        """Write each file's signals (``{file id: {signal: value}}``) and
        what follows from them (exposure, score, levels, suggested limit)
        in one query for the whole set, reading the warning signs and the
        overrides in two: the count of queries does not grow with the
        customers (Odoo's write, one file at a time, and its flushes of a
        hundred rows would)."""
        ids = list(values)
        if not ids:
            return
        self.flush_model()
        self.env["muzza.risk.flag"].flush_model()
        self.env["muzza.risk.sign"].flush_model()
        cr = self.env.cr
        cr.execute(
            SQL(
                """SELECT flag.profile_id, sign.weight FROM muzza_risk_flag flag
                     JOIN muzza_risk_sign sign ON sign.id = flag.sign_id AND sign.active
                    WHERE flag.profile_id = ANY(%s)""",
                ids,
            )
        )
        weights = {}
        for profile_id, weight in cr.fetchall():
            weights.setdefault(profile_id, []).append(weight)
        cr.execute(
            SQL(
                """SELECT id, company_id, override_level, override_until
                     FROM muzza_risk_profile WHERE id = ANY(%s)""",
                ids,
            )
        )
        files = {row[0]: row[1:] for row in cr.fetchall()}
        companies = self.env["res.company"].browse({company_id for company_id, _l, _u in files.values()})
        thresholds = {company.id: company._muzza_risk_thresholds() for company in companies}
        currencies = {company.id: company.currency_id for company in companies}
        today = fields.Date.context_today(self)
        columns = {
            **SIGNAL_COLUMNS,
            "exposure": "numeric",
            "score": "int4",
            "computed_level": "varchar",
            "level": "varchar",
            "suggested_credit_limit": "numeric",
        }
        rows = []
        for profile_id in ids:
            company_id, override_level, override_until = files[profile_id]
            signals = dict(SIGNAL_DEFAULTS, **values[profile_id])
            signals["exposure"] = currencies[company_id].round(
                signals["open_amount"] + signals["to_invoice_amount"]
            )
            signals.update(
                self._muzza_score_row(
                    signals, weights.get(profile_id, []), thresholds[company_id], currencies[company_id]
                )
            )
            signals["level"] = effective_level(
                signals["computed_level"], override_level, override_until, today
            )
            rows.append(
                SQL(
                    "(%s)",
                    SQL(", ").join(
                        [SQL("%s", profile_id)]
                        + [SQL("%s::%s", signals[name], SQL(kind)) for name, kind in columns.items()]
                    ),
                )
            )
        cr.execute(
            SQL(
                "UPDATE muzza_risk_profile AS profile SET %s, write_uid = %s, write_date = %s "
                "FROM (VALUES %s) AS new(id, %s) WHERE profile.id = new.id",
                SQL(", ").join(SQL("%s = new.%s", SQL.identifier(n), SQL.identifier(n)) for n in columns),
                self.env.uid,
                fields.Datetime.now(),
                SQL(", ").join(rows),
                SQL(", ").join(SQL.identifier(name) for name in columns),
            )
        )
        self.browse(ids).invalidate_recordset(list(columns))

    def _muzza_gather_signals(self, company, today):
        """``{partner id: {signal: value}}`` for these files of ``company``."""
        partner_ids = self.partner_id.ids
        values = {pid: {"paid_count": 0, "late_count": 0, "avg_days_late": 0.0} for pid in partner_ids}
        cr = self.env.cr
        since = today - datetime.timedelta(days=HISTORY_DAYS - 1)
        Aging = self.env["muzza.aging"].sudo()
        for model in ("account.move", "account.move.line", "account.partial.reconcile", "sale.order.line"):
            self.env[model].flush_model()

        # invoices paid in the last 12 months, and those paid late (an
        # instalment settled after its own due date)
        cr.execute(
            SQL(
                """
                WITH paid AS (
                    SELECT move.id, move.commercial_partner_id,
                           bool_or(settled.paid_on > settled.due) AS late,
                           MAX(settled.paid_on) AS paid_on
                      FROM account_move move
                      JOIN LATERAL (
                            SELECT COALESCE(line.date_maturity, move.invoice_date) AS due,
                                   MAX(p.max_date) AS paid_on
                              FROM account_move_line line
                              JOIN account_account acc ON acc.id = line.account_id
                                                      AND acc.account_type = 'asset_receivable'
                              JOIN account_partial_reconcile p ON p.debit_move_id = line.id
                             WHERE line.move_id = move.id AND line.balance > 0
                          GROUP BY line.id
                      ) settled ON true
                     WHERE move.state = 'posted'
                       AND move.move_type = 'out_invoice'
                       -- settled in full ("reversed": in part by a credit
                       -- note), and at least in part by a payment
                       AND move.payment_state IN ('paid', 'in_payment', 'reversed')
                       AND EXISTS (
                            SELECT 1 FROM account_move_line line
                             WHERE line.move_id = move.id AND line.balance > 0 AND %(by_payment)s
                       )
                       AND move.company_id = %(company)s
                       AND move.commercial_partner_id = ANY(%(partners)s)
                  GROUP BY move.id, move.commercial_partner_id
                    HAVING MAX(settled.paid_on) BETWEEN %(since)s AND %(today)s
                )
                SELECT commercial_partner_id, COUNT(*), COUNT(*) FILTER (WHERE late)
                  FROM paid
              GROUP BY commercial_partner_id
                """,
                company=company.id,
                partners=partner_ids,
                since=since,
                today=today,
                by_payment=Aging._paid_by_a_payment_sql("line"),
            )
        )
        for partner_id, paid, late in cr.fetchall():
            values[partner_id].update(paid_count=paid, late_count=late)

        # average days late weighted by amount: the aged receivables' figure
        for (partner_id, _company), (amount, weighted) in Aging._days_late_paid(
            today, company, partner_ids=partner_ids, days=HISTORY_DAYS
        ).items():
            if partner_id in values and amount:
                values[partner_id]["avg_days_late"] = round(weighted / amount, 1)

        # open and overdue now
        cr.execute(
            SQL(
                """%s
                SELECT item.partner_id, SUM(item.open_balance),
                       SUM(item.open_balance) FILTER (WHERE item.maturity < %s AND item.open_balance > 0),
                       MAX(%s::date - item.maturity)
                           FILTER (WHERE item.maturity < %s AND item.open_balance > 0)
                  FROM item
                 WHERE item.open_balance != 0
              GROUP BY item.partner_id
                """,
                Aging._open_items_sql(today, [company.id], partner_ids),
                today,
                today,
                today,
            )
        )
        rows = cr.fetchall()  # before anything else reads the cursor
        currency = company.currency_id
        for partner_id, open_amount, overdue, oldest in rows:
            if partner_id in values:
                values[partner_id].update(
                    open_amount=currency.round(open_amount or 0.0),
                    overdue_amount=currency.round(overdue or 0.0),
                    oldest_overdue_days=oldest or 0,
                )

        # sales of the last 12 months (less credit notes): the aged
        # receivables' countback figures
        for (partner_id, _company), months in Aging._credit_sales(
            today, company, partner_ids=partner_ids
        ).items():
            if partner_id in values:
                values[partner_id]["sales_12m"] = currency.round(sum(months))

        # late-fee invoices charged in the last 12 months
        fees = (
            self.env["account.move"]
            .sudo()
            ._read_group(
                [
                    ("muzza_fee_origin_id", "!=", False),
                    ("state", "=", "posted"),
                    ("move_type", "=", "out_invoice"),
                    ("company_id", "=", company.id),
                    ("commercial_partner_id", "in", partner_ids),
                    ("invoice_date", ">=", since),
                    ("invoice_date", "<=", today),
                ],
                ["commercial_partner_id"],
                ["__count"],
            )
        )
        for partner, count in fees:
            values[partner.id]["fee_invoices"] = count

        # confirmed orders not invoiced yet (taxes included), as Odoo's
        # credit_to_invoice counts them
        cr.execute(
            SQL(
                """
                SELECT customer.commercial_partner_id, so.currency_id,
                       SUM(line.untaxed_amount_to_invoice
                           * CASE WHEN line.price_subtotal != 0 THEN line.price_total / line.price_subtotal
                                  ELSE 1 END)
                  FROM sale_order_line line
                  JOIN sale_order so ON so.id = line.order_id
                  JOIN res_partner customer ON customer.id = so.partner_invoice_id
                 WHERE so.state = 'sale'
                   AND so.company_id = %s
                   AND line.untaxed_amount_to_invoice > 0
                   AND customer.commercial_partner_id = ANY(%s)
              GROUP BY customer.commercial_partner_id, so.currency_id
                """,
                company.id,
                partner_ids,
            )
        )
        rates = {}
        for partner_id, currency_id, amount in cr.fetchall():
            if currency_id not in rates:
                rates[currency_id] = self.env["res.currency"]._get_conversion_rate(
                    self.env["res.currency"].browse(currency_id), currency, company, today
                )
            amount = (amount or 0.0) * rates[currency_id]
            values[partner_id]["to_invoice_amount"] = currency.round(
                values[partner_id].get("to_invoice_amount", 0.0) + amount
            )

        # payment promises broken (the reminders add them)
        for partner_id, count in self._muzza_broken_promises(company, partner_ids, since, today).items():
            if partner_id in values:
                values[partner_id]["broken_promises"] = count
        # reminders at a level that raises the risk (the reminders add them)
        for partner_id, count in self._muzza_final_notices(company, partner_ids, since, today).items():
            if partner_id in values:
                values[partner_id]["final_notices"] = count

        self._muzza_record_signals(company, values)
        return values

    def _muzza_final_notices(self, company, partner_ids, since, today):
        """``{partner id: reminders sent at a level that raises the risk
        between since and today}``; the reminders fill it."""
        return {}

    def _muzza_broken_promises(self, company, partner_ids, since, today):
        """``{partner id: payment promises broken between since and today}``;
        the reminders fill it."""
        return {}

    def _muzza_record_signals(self, company, values):
        """The signals the customer's record gives: its credit limit, a
        phone number that cannot be valid for its country, a company
        without VAT number or address, a VAT number failing Odoo's check."""
        cr = self.env.cr
        self.env["res.partner"].flush_model(
            ["phone", "mobile", "vat", "is_company", "street", "city", "country_id"]
        )
        cr.execute(
            SQL(
                """SELECT partner.id, partner.phone, partner.mobile, partner.vat, partner.is_company,
                          partner.street, partner.city, partner.country_id, country.code
                     FROM res_partner partner
                LEFT JOIN res_country country ON country.id = partner.country_id
                    WHERE partner.id = ANY(%s)""",
                self.partner_id.ids,
            )
        )
        records = {row[0]: row[1:] for row in cr.fetchall()}
        limits = {}
        if company.account_use_credit_limit:
            # Odoo's own credit limit of each customer in the company (a
            # company-dependent field, with the company's default)
            partners = self.partner_id.with_company(company).sudo()
            limits = {partner.id: partner.credit_limit for partner in partners}
        vies = set()
        if company.vat_check_vies:
            # VIES, where the company asks for it (base_vat's own fields)
            with_vat = self.partner_id.filtered("vat").with_company(company).sudo()
            vies = {p.id for p in with_vat if p.perform_vies_validation and not p.vies_valid}
        countries = self.env["res.country"].sudo()
        vat_rules = {
            "codes": {code.lower() for code in countries.search([], limit=None).mapped("code")},
            "europe": self.env.ref("base.europe").sudo().country_ids,
        }
        company_code = company.country_id.code
        for profile in self:
            phone, mobile, vat, is_company, street, city, country_id, code = records[profile.partner_id.id]
            signals = values[profile.partner_id.id]
            signals["credit_limit"] = limits.get(profile.partner_id.id, 0.0)
            signals["phone_invalid"] = any(
                not self._muzza_phone_valid(number, code or company_code)
                for number in (phone, mobile)
                if number
            )
            signals["no_vat"] = bool(is_company and not vat)
            signals["no_address"] = not (street and city and country_id)
            # base_vat's own check of the number, made again only when the
            # number or the country changed (its result is kept after "#")
            vat_key = "%s|%s" % (vat or "", code or "")
            checked_key, _sep, checked_result = (profile.vat_checked or "").rpartition("#")
            if not vat or len(vat) == 1:
                fails = False
            elif vat_key == checked_key:
                fails = checked_result == "1"
            else:
                fails = self._muzza_vat_fails(vat, countries.browse(country_id), vat_rules)
            signals["vat_checked"] = "%s#%s" % (vat_key, "1" if fails else "0")
            signals["vat_invalid"] = fails or profile.partner_id.id in vies

    @api.model
    def _muzza_vat_fails(self, vat, country, rules):
        """Whether ``vat`` fails base_vat's check (``res.partner._run_vat_test``)
        for ``country``: the same rules, with the country codes read once
        for all customers rather than once per number."""
        Partner = self.env["res.partner"].sudo()
        code, number = Partner._split_vat(vat)
        if code == "eu" and country not in rules["europe"]:
            return False
        legit = code in rules["codes"] or code in _region_specific_vat_codes
        if legit and Partner.simple_vat_check(code, number):
            return False
        if country and Partner.simple_vat_check(country.code.lower(), vat):
            return False
        # no check ran (no country code, no country): anything goes
        return bool(legit or country)

    @api.model
    def _muzza_phone_valid(self, number, country_code):
        try:
            phone_parse(number, country_code or None)
        except UserError:
            return False
        return True

    # ------------------------------------------------------------------------
    # the scheduled action
    # ------------------------------------------------------------------------

    @api.model
    def _cron_recompute_signals(self):
        """Open the files of every customer with receivables or orders, then
        recompute the signals of those not done today, in sets."""
        for company in self.env["res.company"].sudo().search([], limit=None):  # a handful
            self._muzza_open_files(company)
        self.env["muzza.cron.batch"]._run_sets(
            "muzza.risk.profile",
            [],
            lambda profiles, today: profiles._muzza_recompute_signals(today),
            "signals_on",
            self.env._("Recomputing the customers' risk signals"),
            batch_size=self.env["muzza.cron.batch"]._batch_size_for("risk", 20000),
        )
        self._muzza_remind_vetting()

    @api.model
    def _muzza_open_files(self, company):
        """One set-based insert: a risk file for each customer of
        ``company`` (receivable lines or sale orders) that has none."""
        self.flush_model()
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO muzza_risk_profile (partner_id, company_id, score, level, computed_level,
                                                create_uid, create_date, write_uid, write_date)
                SELECT DISTINCT customer.commercial_partner_id, %(company)s, 0, 'low', 'low',
                       %(uid)s, NOW() AT TIME ZONE 'UTC', %(uid)s, NOW() AT TIME ZONE 'UTC'
                  FROM (
                        SELECT partner_id FROM account_move
                         WHERE company_id = %(company)s AND move_type IN ('out_invoice', 'out_refund')
                           AND state = 'posted'
                         UNION
                        SELECT partner_id FROM sale_order WHERE company_id = %(company)s
                  ) customers
                  JOIN res_partner customer ON customer.id = customers.partner_id
                ON CONFLICT (partner_id, company_id) DO NOTHING
                """,
                company=company.id,
                uid=self.env.uid,
            )
        )
        self.invalidate_model()

    @api.model
    def _muzza_remind_vetting(self):
        """An activity for the salesperson of each customer due for vetting
        again, once per due date."""
        today = fields.Date.context_today(self)
        due = self.sudo().search([("revet_on", "<=", today)])
        due = due.filtered(lambda p: p.revet_activity_on != p.revet_on)
        activity_type = self.env.ref("mail.mail_activity_data_todo")
        for profile in due:
            user = profile.partner_id.user_id or profile.vetted_by
            if user and profile.company_id in user.company_ids:
                profile.partner_id.sudo().activity_schedule(
                    activity_type_id=activity_type.id,
                    date_deadline=max(profile.revet_on, today),
                    summary=self.env._("Vet this customer again"),
                    note=self.env._(
                        "%(customer)s was vetted on %(date)s and is due for vetting again in %(company)s.",
                        customer=profile.partner_id.display_name,
                        date=profile.vetted_on,
                        company=profile.company_id.name,
                    ),
                    user_id=user.id,
                )
            profile.write({"revet_activity_on": profile.revet_on})

    # ------------------------------------------------------------------------
    # buttons
    # ------------------------------------------------------------------------

    def action_muzza_recompute(self):
        self.sudo()._muzza_recompute_signals()
        return True

    def _muzza_check_vetter(self):
        if not any(self.env.user.has_group(group) for group in VETTERS):
            raise AccessError(self.env._("Only sales managers and receivables managers vet customers."))

    def action_muzza_vet(self):
        """Mark these customers vetted today, by the current user."""
        self._muzza_check_vetter()
        self.check_access("write")
        today = fields.Date.context_today(self)
        for profile in self:
            profile.sudo().write({"vetted_on": today, "vetted_by": self.env.uid})
            profile.message_post(
                body=self.env._("Vetted by %(user)s.", user=self.env.user.name), subtype_xmlid="mail.mt_note"
            )
        return True

    def _muzza_set_override(self, level, reason, until):
        """A receivables manager sets the level by hand, with a reason and
        an expiry date (none: until lifted)."""
        if not self.env.user.has_group(MANAGER):
            raise AccessError(self.env._("Only a receivables manager overrides a customer's risk level."))
        self.check_access("write")  # a file of one of the manager's companies
        if level and level not in LEVELS:
            raise ValidationError(self.env._("Unknown risk level."))
        if level and not (reason or "").strip():
            raise ValidationError(self.env._("Say why the risk level is set by hand."))
        if until and until < fields.Date.context_today(self):
            raise ValidationError(self.env._("An override cannot expire in the past."))
        for profile in self:
            profile.sudo().write(
                {
                    "override_level": level or False,
                    "override_reason": reason if level else False,
                    "override_until": until if level else False,
                    "override_by": self.env.uid if level else False,
                    "override_on": fields.Datetime.now() if level else False,
                }
            )
        self._muzza_refresh_levels(
            self.env._("Level set by hand: %(reason)s", reason=reason)
            if level
            else self.env._("Override lifted")
        )

    def action_muzza_apply_credit_limit(self):
        """Odoo's own credit limit becomes the suggested one."""
        if not self.env.user.has_group(MANAGER):
            raise AccessError(self.env._("Only a receivables manager applies a credit limit."))
        self.check_access("write")
        for profile in self:
            if not profile.suggested_credit_limit:
                raise UserError(
                    self.env._(
                        "%(customer)s has no sales history to suggest a limit from.",
                        customer=profile.partner_id.display_name,
                    )
                )
            profile.partner_id.sudo().with_company(profile.company_id).write(
                {"credit_limit": profile.suggested_credit_limit, "use_partner_credit_limit": True}
            )
            profile.message_post(
                body=self.env._(
                    "Credit limit set to %(limit)s (suggested) by %(user)s.",
                    limit=self.env["muzza.wording"]._format_amount(
                        profile.suggested_credit_limit, profile.currency_id, self.env.lang or "en_US"
                    ),
                    user=self.env.user.name,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def action_muzza_override(self):
        self.ensure_one()
        if not self.env.user.has_group(MANAGER):
            raise AccessError(self.env._("Only a receivables manager overrides a customer's risk level."))
        return {
            "type": "ir.actions.act_window",
            "res_model": "muzza.risk.override",
            "view_mode": "form",
            "target": "new",
            "name": self.env._("Override the Risk Level"),
            "context": {"default_profile_id": self.id, "default_level": self.override_level or self.level},
        }
