# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import datetime
import logging
from collections import defaultdict

import pytz

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.osv import expression
from odoo.tools import SQL, email_normalize

from ..logic.reminders import CUSTOMER_HOLDS, group_messages, invoice_hold, level_to_send, within_window

_logger = logging.getLogger(__name__)

# customers decided at a time (one set: a fixed number of queries)
DECIDE_SET_SIZE = 500


class MuzzaReminderCustomer(models.Model):
    """A customer's reminders in a company: whether they are excluded, the
    address that bounced, the time zone they are written to in, and the day
    the scheduled action last decided for them."""

    _name = "muzza.reminder.customer"
    _inherit = ["muzza.cron.marked"]  # noqa: RUF012
    _description = "Receivables: a customer's reminders in a company"
    _rec_name = "partner_id"
    _order = "partner_id, company_id"

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, ondelete="cascade", index=True, readonly=True
    )
    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    tz = fields.Char(
        string="Time Zone",
        readonly=True,
        help="The customer's time zone (the company's when the customer has none): reminders go out "
        "within the sending window there.",
    )
    has_open = fields.Boolean(string="Has Open Invoices", readonly=True, index=True)
    excluded = fields.Boolean(string="Excluded from Reminders", readonly=True)
    excluded_reason = fields.Text(readonly=True)
    excluded_by_id = fields.Many2one("res.users", readonly=True)
    excluded_on = fields.Datetime(readonly=True)
    bounced_email = fields.Char(
        readonly=True,
        help="The address a reminder bounced from: reminders by e-mail wait until the invoice contact "
        "has another address.",
    )
    decided_on = fields.Date(
        string="Reminders Decided On",
        readonly=True,
        copy=False,
        help="The customer's local day the scheduled action last decided their reminders for.",
    )
    reminder_ids = fields.One2many("muzza.reminder", "customer_id", string="Reminders", readonly=True)

    _sql_constraints = [  # noqa: RUF012
        (
            "partner_company_uniq",
            "unique(partner_id, company_id)",
            "A customer has one reminder file per company.",
        ),
    ]

    def _muzza_cron_marks(self):
        return super()._muzza_cron_marks() | {"decided_on"}

    # ------------------------------------------------------------------
    # exclusion (receivables managers)
    # ------------------------------------------------------------------

    def _muzza_set_excluded(self, excluded, reason=None):
        """Exclude these customers from reminders (with a reason), or include
        them again; receivables managers only."""
        if not self.env.user.has_group("muzza_receivables.group_receivables_manager"):
            raise AccessError(self.env._("Only a receivables manager excludes a customer from reminders."))
        if excluded and not (reason or "").strip():
            raise UserError(self.env._("Say why the customer is excluded from reminders."))
        for file in self:
            file.sudo().write(
                {
                    "excluded": excluded,
                    "excluded_reason": reason if excluded else False,
                    "excluded_by_id": self.env.user.id if excluded else False,
                    "excluded_on": fields.Datetime.now() if excluded else False,
                }
            )
            body = (
                self.env._(
                    "Excluded from payment reminders in %(company)s: %(reason)s",
                    reason=reason,
                    company=file.company_id.name,
                )
                if excluded
                else self.env._("Payment reminders resume in %(company)s.", company=file.company_id.name)
            )
            file.partner_id.sudo().message_post(
                body=body, subtype_xmlid="mail.mt_note", author_id=self.env.user.partner_id.id
            )

    @api.model
    def _muzza_file(self, partner, company):
        """The file of ``partner``'s customer in ``company``, opened if needed."""
        customer = partner.commercial_partner_id
        file = self.sudo().search([("partner_id", "=", customer.id), ("company_id", "=", company.id)])
        if not file:
            file = self.sudo().create(
                {
                    "partner_id": customer.id,
                    "company_id": company.id,
                    "tz": self._muzza_tz_of(customer, company),
                }
            )
        return file

    @api.model
    def _muzza_tz_of(self, partner, company):
        return partner.tz or company.partner_id.tz or "UTC"

    # ------------------------------------------------------------------
    # the scheduled action: which customers, then what for each
    # ------------------------------------------------------------------

    @api.model
    def _muzza_open_files(self, companies):
        """Open a file for every customer with an open invoice in
        ``companies``, and refresh every file's time zone and whether it has
        open invoices: three queries, whatever the number of customers."""
        self.env["account.move"].flush_model(["move_type", "state", "payment_state", "commercial_partner_id"])
        self.env["res.partner"].flush_model(["tz"])
        self.flush_model()
        cr = self.env.cr
        cr.execute(
            SQL(
                """
                INSERT INTO muzza_reminder_customer
                       (partner_id, company_id, has_open, create_uid, create_date, write_uid, write_date)
                SELECT DISTINCT m.commercial_partner_id, m.company_id, TRUE,
                       %(uid)s, NOW() AT TIME ZONE 'UTC', %(uid)s, NOW() AT TIME ZONE 'UTC'
                  FROM account_move m
                 WHERE m.move_type = 'out_invoice' AND m.state = 'posted'
                   AND m.payment_state IN ('not_paid', 'partial')
                   AND m.company_id = ANY(%(companies)s) AND m.commercial_partner_id IS NOT NULL
                ON CONFLICT (partner_id, company_id) DO NOTHING
                """,
                uid=self.env.uid,
                companies=companies.ids,
            )
        )
        cr.execute(
            SQL(
                """
                UPDATE muzza_reminder_customer f
                   SET has_open = x.has_open, tz = x.tz
                  FROM (
                        SELECT f.id, o.partner_id IS NOT NULL AS has_open,
                               COALESCE(NULLIF(p.tz, ''), NULLIF(cp.tz, ''), 'UTC') AS tz
                          FROM muzza_reminder_customer f
                          JOIN res_partner p ON p.id = f.partner_id
                          JOIN res_company c ON c.id = f.company_id
                          JOIN res_partner cp ON cp.id = c.partner_id
                          LEFT JOIN (
                                SELECT DISTINCT m.commercial_partner_id AS partner_id, m.company_id
                                  FROM account_move m
                                 WHERE m.move_type = 'out_invoice' AND m.state = 'posted'
                                   AND m.payment_state IN ('not_paid', 'partial')
                                   AND m.company_id = ANY(%(companies)s)
                               ) o ON o.partner_id = f.partner_id AND o.company_id = f.company_id
                         WHERE f.company_id = ANY(%(companies)s)
                       ) x
                 WHERE x.id = f.id AND (f.has_open IS DISTINCT FROM x.has_open OR f.tz IS DISTINCT FROM x.tz)
                """,
                companies=companies.ids,
            )
        )
        self.invalidate_model(["has_open", "tz"])

    @api.model
    def _muzza_local_days(self, companies, now):
        """``{local day: domain}``: the files whose customers may be written
        to now (within the sending window in their time zone, on a working
        day of the company), by the customer's day."""
        self.flush_model(["tz", "has_open"])
        self.env.cr.execute(
            SQL(
                "SELECT DISTINCT company_id, tz FROM muzza_reminder_customer "
                "WHERE has_open AND company_id = ANY(%s)",
                companies.ids,
            )
        )
        return {
            day: expression.AND([[("has_open", "=", True)], self._muzza_pairs_domain(pairs)])
            for day, pairs in self._muzza_writable(companies, now, self.env.cr.fetchall()).items()
        }

    @api.model
    def _muzza_writable(self, companies, now, pairs):
        """``{local day: [(company id, time zone)]}``: of the ``(company id,
        time zone)`` pairs, those whose customers may be written to now
        (within the sending window there, on a working day of the company),
        by their local day."""
        by_day = defaultdict(list)
        works = {}
        utc_now = pytz.utc.localize(now)
        for company_id, tz in pairs:
            company = companies.browse(company_id)
            try:
                local = utc_now.astimezone(pytz.timezone(tz or "UTC"))
            except pytz.UnknownTimeZoneError:
                local = utc_now
            if not within_window(
                local.hour, local.minute, company.muzza_reminder_hour_from, company.muzza_reminder_hour_to
            ):
                continue
            day = local.date()
            if (company_id, day) not in works:
                works[company_id, day] = company._muzza_works_on(day)
            if works[company_id, day]:
                by_day[day].append((company_id, tz))
        return by_day

    @api.model
    def _muzza_pairs_domain(self, pairs):
        """The files of these ``(company id, time zone)`` pairs."""
        return expression.OR(
            [
                [
                    ("company_id", "=", company_id),
                    ("tz", "in", [tz or False for c, tz in pairs if c == company_id]),
                ]
                for company_id in {c for c, _tz in pairs}
            ]
        )

    def _muzza_decide(self, today):
        """Decide these customers' reminders for their day ``today``: queue
        one reminder per customer and level with the invoices that reached
        it, or log why it is held. A fixed number of queries per company,
        whatever the number of customers."""
        for company, files in self.grouped("company_id").items():
            levels = self.env["muzza.reminder.level"].search([("company_id", "=", company.id)])
            if levels:
                files.with_company(company)._muzza_decide_in(company, levels, today)

    def _muzza_decide_in(self, company, levels, today):
        cr = self.env.cr
        by_partner = {file.partner_id.id: file for file in self}
        partner_ids = list(by_partner)
        self.env["account.move"].flush_model()
        self.env["account.move.line"].flush_model()
        self.env["muzza.reminder.promise"].flush_model()
        self.env["muzza.reminder.dispute"].flush_model()
        cr.execute(
            SQL(
                """
                SELECT m.id, m.commercial_partner_id, m.invoice_date, due.due, lvl.days
                  FROM account_move m
                  JOIN LATERAL (
                        SELECT MIN(l.date_maturity) AS due
                          FROM account_move_line l
                         WHERE l.move_id = m.id AND l.display_type = 'payment_term'
                           AND NOT l.reconciled AND l.amount_residual > 0
                       ) due ON due.due IS NOT NULL
                  LEFT JOIN muzza_reminder_level lvl ON lvl.id = m.muzza_reminder_level_id
                 WHERE m.company_id = %(company)s AND m.commercial_partner_id = ANY(%(partners)s)
                   AND m.move_type = 'out_invoice' AND m.state = 'posted'
                   AND m.payment_state IN ('not_paid', 'partial')
                   AND due.due <= %(horizon)s
                """,
                company=company.id,
                partners=partner_ids,
                # no level comes before its day: invoices due later wait
                horizon=today - datetime.timedelta(days=min(levels.mapped("days"))),
            )
        )
        invoices = cr.fetchall()
        level_list = levels._as_levels()
        level_of = {level.id: level for level in levels}
        due_now = []
        for move_id, partner_id, invoice_date, due, last_days in invoices:
            level = level_to_send(level_list, due, invoice_date, today, last_days)
            if level:
                due_now.append((move_id, partner_id, due, level))
        if not due_now:
            return
        move_ids = [row[0] for row in due_now]
        invoice_facts = self._muzza_invoice_facts(company, move_ids, today)
        customer_facts = self._muzza_customer_facts(company, {row[1] for row in due_now})

        to_send, to_hold = [], defaultdict(list)
        for move_id, partner_id, _due, level in due_now:
            file = by_partner[partner_id]
            reason = file._muzza_customer_hold(customer_facts, level_of[level.id])
            if not reason:
                reason = invoice_hold(invoice_facts.get(move_id, set()))
            if reason:
                to_hold[(file.id, level.id, reason)].append(move_id)
            else:
                to_send.append((file.id, level, move_id))
        messages = group_messages(to_send)
        self.env["muzza.reminder"]._muzza_queue(self, company, messages, today)
        self.env["muzza.reminder"]._muzza_log_held(self, to_hold, today)

    def _muzza_customer_hold(self, facts, level):
        """Why this customer is not reminded at ``level`` now, or None."""
        self.ensure_one()
        reasons = set()
        if self.excluded:
            reasons.add("excluded")
        if self.partner_id.id in facts["on_account"]:
            reasons.add("on_account")
        if level.send_email:
            email = facts["emails"].get(self.partner_id.id)
            if not email:
                reasons.add("no_email")
            elif self.bounced_email and email == self.bounced_email:
                reasons.add("bounced")
        for reason in CUSTOMER_HOLDS:
            if reason in reasons:
                return reason
        return None

    def _muzza_customer_facts(self, company, partner_ids):
        """Money on account and the address reminders go to, for the
        customers of ``partner_ids`` (a fixed number of queries)."""
        cr = self.env.cr
        cr.execute(
            SQL(
                """
                SELECT p.commercial_partner_id
                  FROM account_move_line l
                  JOIN account_account a ON a.id = l.account_id AND a.account_type = 'asset_receivable'
                  JOIN res_partner p ON p.id = l.partner_id
                 WHERE l.company_id = %(company)s AND p.commercial_partner_id = ANY(%(partners)s)
                   AND l.parent_state = 'posted' AND NOT l.reconciled AND l.amount_residual < 0
                 GROUP BY p.commercial_partner_id
                """,
                company=company.id,
                partners=list(partner_ids),
            )
        )
        on_account = {row[0] for row in cr.fetchall()}
        customers = self.env["res.partner"].browse(list(partner_ids))
        emails = {}
        for customer in customers:
            emails[customer.id] = email_normalize(customer._muzza_invoice_address().email or "")
        return {"on_account": on_account, "emails": emails}

    def _muzza_invoice_facts(self, company, move_ids, today):
        """``{invoice id: reasons to hold it}`` (a dispute, a promise to pay,
        an online payment pending, an automatic payment to come)."""
        cr = self.env.cr
        facts = defaultdict(set)
        cr.execute(
            SQL(
                "SELECT move_id FROM muzza_reminder_dispute WHERE state = 'open' AND move_id = ANY(%s)",
                move_ids,
            )
        )
        for (move_id,) in cr.fetchall():
            facts[move_id].add("dispute")
        cr.execute(
            SQL(
                """
                SELECT rel.move_id
                  FROM muzza_reminder_promise p
                  JOIN account_move_muzza_reminder_promise_rel rel ON rel.muzza_reminder_promise_id = p.id
                 WHERE p.state = 'open' AND p.paused_until >= %s AND rel.move_id = ANY(%s)
                """,
                today,
                move_ids,
            )
        )
        for (move_id,) in cr.fetchall():
            facts[move_id].add("promise")
        cr.execute(
            SQL(
                """
                SELECT rel.invoice_id
                  FROM account_invoice_transaction_rel rel
                  JOIN payment_transaction t ON t.id = rel.transaction_id
                 WHERE t.state IN ('pending', 'authorized') AND rel.invoice_id = ANY(%s)
                """,
                move_ids,
            )
        )
        for (move_id,) in cr.fetchall():
            facts[move_id].add("payment_pending")
        # an automatic payment charges the invoice on its due date: no
        # reminder before then; after it, the charge failed or was refused
        cr.execute(
            SQL(
                """
                SELECT m.id
                  FROM account_move m
                  JOIN muzza_autopay_consent c ON c.partner_id = m.commercial_partner_id
                       AND c.company_id = m.company_id AND c.active
                  JOIN payment_token t ON t.id = c.token_id AND t.active
                 WHERE m.id = ANY(%s)
                   -- the instalment due next, as the reminders read it: once
                   -- its day has passed unpaid, the charge failed or was refused
                   AND (SELECT MIN(l.date_maturity) FROM account_move_line l
                         WHERE l.move_id = m.id AND l.display_type = 'payment_term'
                           AND NOT l.reconciled AND l.amount_residual > 0) >= %s
                """,
                move_ids,
                today,
            )
        )
        for (move_id,) in cr.fetchall():
            facts[move_id].add("autopay")
        return facts
