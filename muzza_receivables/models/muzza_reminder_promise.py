# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from ..logic.reminders import promise_paused_until, promise_problem, promise_state

# who recorded a promise to pay or a dispute (the dispute shares them)
SOURCES = [
    ("customer", "The customer, from a reminder"),
    ("portal", "The customer, on the portal"),
    ("salesperson", "Recorded by the company"),
]


class MuzzaReminderPromise(models.Model):
    """A customer's promise to pay invoices by a date: their reminders wait
    until that date and a few days' grace; a promise not kept is noted, said
    politely in the next reminder, and counts on the customer's risk."""

    _name = "muzza.reminder.promise"
    _inherit = ["mail.thread"]  # noqa: RUF012
    _description = "Receivables: promise to pay"
    _order = "made_on desc, id desc"

    partner_id = fields.Many2one("res.partner", string="Customer", required=True, index=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    move_ids = fields.Many2many(
        "account.move",
        "account_move_muzza_reminder_promise_rel",
        "muzza_reminder_promise_id",
        "move_id",
        string="Invoices",
        required=True,
        domain="[('commercial_partner_id', '=', partner_id), ('company_id', '=', company_id), "
        "('move_type', '=', 'out_invoice'), ('state', '=', 'posted'), "
        "('payment_state', 'in', ('not_paid', 'partial'))]",
    )
    promised_date = fields.Date(string="Will Pay By", required=True, tracking=True)
    paused_until = fields.Date(
        string="Reminders Paused Until",
        readonly=True,
        help="The promised date plus the company's grace days.",
    )
    made_on = fields.Date(default=fields.Date.context_today, readonly=True)
    source = fields.Selection(
        SOURCES,
        default="salesperson",
        required=True,
        readonly=True,
    )
    made_by_id = fields.Many2one(
        "res.users", string="Recorded By", readonly=True, default=lambda self: self.env.user
    )
    note = fields.Text()
    state = fields.Selection(
        [("open", "Open"), ("kept", "Kept"), ("broken", "Broken"), ("cancelled", "Cancelled")],
        default="open",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
    )
    broken_on = fields.Date(readonly=True)
    mentioned = fields.Boolean(readonly=True, help="A reminder told the customer it was not kept.")
    amount = fields.Monetary(compute="_compute_amount", string="Amount Due")
    currency_id = fields.Many2one(related="company_id.currency_id")

    @api.depends("move_ids.amount_residual_signed")
    def _compute_amount(self):
        for promise in self:
            promise.amount = sum(promise.move_ids.mapped("amount_residual_signed"))

    @api.depends("partner_id", "promised_date")
    def _compute_display_name(self):
        for promise in self:
            promise.display_name = self.env._(
                "%(customer)s: pay by %(date)s",
                customer=promise.partner_id.display_name or "",
                date=promise.promised_date or "",
            )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not self.env.su:
                # what the scheduled action decides is not written by hand,
                # nor the day the promise limit counts from
                for key in (
                    "state",
                    "paused_until",
                    "broken_on",
                    "mentioned",
                    "made_by_id",
                    "source",
                    "made_on",
                ):
                    vals.pop(key, None)
        promises = super().create(vals_list)
        promises._muzza_check_and_pause()
        return promises

    def write(self, vals):
        if not self.env.su and set(vals) & {
            "state",
            "paused_until",
            "broken_on",
            "mentioned",
            "made_by_id",
            "source",
            "partner_id",
            "company_id",
            "move_ids",
            "made_on",
        }:
            raise ValidationError(
                self.env._("A promise to pay is not changed once made: cancel it and record a new one.")
            )
        res = super().write(vals)
        if "promised_date" in vals:
            self._muzza_check_and_pause()
        return res

    def copy_data(self, default=None):
        raise ValidationError(self.env._("Record a new promise to pay instead of copying one."))

    def _muzza_check_and_pause(self):
        today = fields.Date.context_today(self)
        for promise in self:
            company = promise.company_id
            customer = promise.partner_id.commercial_partner_id
            if promise.partner_id != customer:
                promise.sudo().partner_id = customer
            moves = promise.move_ids
            if not moves:
                raise ValidationError(self.env._("Say which invoices the customer promises to pay."))
            if any(
                move.commercial_partner_id != customer
                or move.company_id != company
                or move.move_type != "out_invoice"
                or move.state != "posted"
                or move.payment_state not in ("not_paid", "partial")
                for move in moves
            ):
                raise ValidationError(
                    self.env._("A promise to pay covers open invoices of that customer in that company.")
                )
            problem = promise_problem(
                promise.promised_date, promise.made_on or today, company.muzza_reminder_promise_days
            )
            if problem == "past":
                raise ValidationError(self.env._("The promised date cannot be in the past."))
            if problem == "too_far":
                raise ValidationError(
                    self.env._(
                        "A promise to pay is at most %(days)s days ahead: by %(date)s at the latest.",
                        days=company.muzza_reminder_promise_days,
                        # the customer reads it on the portal: a date in their words
                        date=self.env["muzza.wording"]._format_date(
                            fields.Date.add(
                                promise.made_on or today, days=company.muzza_reminder_promise_days
                            ),
                            self.env.lang or "en_US",
                        ),
                    )
                )
            promise.sudo().paused_until = promise_paused_until(
                promise.promised_date, company.muzza_reminder_promise_grace
            )
            # the note is the record's echo: whoever may record a promise
            # writes it, even without the right to edit the customer
            promise.partner_id.sudo().message_post(
                author_id=self.env.user.partner_id.id,
                body=self.env._(
                    "Promise to pay %(invoices)s by %(date)s (%(origin)s). "
                    "Their reminders wait until %(until)s.",
                    invoices=", ".join(moves.mapped("name")),
                    date=promise.promised_date,
                    origin=dict(promise._fields["source"]._description_selection(self.env))[promise.source],
                    until=promise.paused_until,
                ),
                subtype_xmlid="mail.mt_note",
            )

    def action_cancel(self):
        for promise in self.filtered(lambda p: p.state == "open"):
            promise.sudo().state = "cancelled"
            promise.partner_id.sudo().message_post(
                author_id=self.env.user.partner_id.id,
                body=self.env._(
                    "Promise to pay by %(date)s cancelled by %(user)s.",
                    date=promise.promised_date,
                    user=self.env.user.name,
                ),
                subtype_xmlid="mail.mt_note",
            )

    @api.model
    def _muzza_settle(self, companies):
        """Close the open promises whose invoices are all paid (kept), or
        whose pause is over with something still due (broken)."""
        promises = self.sudo().search([("state", "=", "open"), ("company_id", "in", companies.ids)])
        for promise in promises:
            today = fields.Date.context_today(promise.with_context(tz=promise._muzza_tz()))
            all_paid = all(
                move.payment_state in ("paid", "in_payment", "reversed") for move in promise.move_ids
            )
            state = promise_state(
                promise.promised_date, promise.company_id.muzza_reminder_promise_grace, today, all_paid
            )
            if state == "kept":
                promise.state = "kept"
            elif state == "broken":
                promise.write({"state": "broken", "broken_on": today})
                promise.partner_id.sudo().message_post(
                    author_id=self.env.user.partner_id.id,
                    body=self.env._(
                        "Promise to pay by %(date)s not kept: %(invoices)s still due. The next reminder "
                        "says so.",
                        date=promise.promised_date,
                        invoices=", ".join(
                            promise.move_ids.filtered(
                                lambda m: m.payment_state not in ("paid", "in_payment", "reversed")
                            ).mapped("name")
                        ),
                    ),
                    subtype_xmlid="mail.mt_note",
                )

    def _muzza_tz(self):
        return self.partner_id.tz or self.company_id.partner_id.tz or "UTC"

    @api.model
    def _muzza_to_mention(self, files):
        """``{file id: broken promise}`` the next reminder of each customer
        mentions (the latest one not mentioned yet)."""
        self.flush_model(["state", "mentioned", "partner_id", "company_id"])
        self.env.cr.execute(
            SQL(
                """
                SELECT DISTINCT ON (f.id) f.id, p.id
                  FROM muzza_reminder_customer f
                  JOIN muzza_reminder_promise p ON p.partner_id = f.partner_id AND p.company_id = f.company_id
                 WHERE f.id = ANY(%s) AND p.state = 'broken' AND NOT COALESCE(p.mentioned, FALSE)
                 ORDER BY f.id, p.broken_on DESC, p.id DESC
                """,
                files.ids,
            )
        )
        return dict(self.env.cr.fetchall())

    @api.model
    def _muzza_broken_count(self, company, partner_ids, since, today):
        """``{customer id: promises broken between since and today}``."""
        self.flush_model(["state", "broken_on", "partner_id", "company_id"])
        self.env.cr.execute(
            SQL(
                """
                SELECT partner_id, COUNT(*) FROM muzza_reminder_promise
                 WHERE company_id = %s AND partner_id = ANY(%s) AND state = 'broken'
                   AND broken_on >= %s AND broken_on <= %s
                 GROUP BY partner_id
                """,
                company.id,
                list(partner_ids),
                since,
                today,
            )
        )
        return dict(self.env.cr.fetchall())
