# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import hashlib
import logging
from collections import defaultdict

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, email_normalize
from odoo.tools.pdf import merge_pdf

from ..logic.phones import normalize, tel_link, whatsapp_link
from ..logic.reminders import HOLDS

_logger = logging.getLogger(__name__)

HOLD_LABELS = {
    "excluded": "The customer is excluded from reminders",
    "on_account": "The customer has money on account to match first",
    "bounced": "The invoice contact's e-mail address bounced",
    "no_email": "The invoice contact has no e-mail address",
    "dispute": "The invoice is disputed",
    "promise": "The customer promised to pay",
    "payment_pending": "An online payment is pending",
    "autopay": "The invoice is paid by automatic payment",
}
assert set(HOLD_LABELS) == set(HOLDS)


class MuzzaReminder(models.Model):
    """A payment reminder: one message to a customer, at one level, about
    the invoices that reached it; or why it was held."""

    _name = "muzza.reminder"
    _inherit = ["portal.mixin", "muzza.cron.marked"]  # noqa: RUF012
    _description = "Receivables: payment reminder"
    _order = "create_date desc, id desc"

    customer_id = fields.Many2one(
        "muzza.reminder.customer",
        string="Reminder File",
        required=True,
        index=True,
        readonly=True,
        ondelete="cascade",
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", related="customer_id.partner_id", store=True, index=True
    )
    company_id = fields.Many2one(related="customer_id.company_id", store=True, index=True)
    level_id = fields.Many2one("muzza.reminder.level", required=True, readonly=True, ondelete="restrict")
    date = fields.Date(required=True, readonly=True, help="The customer's day the reminder was decided for.")
    state = fields.Selection(
        [
            ("draft", "Preview"),
            ("queued", "To Send"),
            ("sent", "Sent"),
            ("bounced", "Bounced"),
            ("held", "Held"),
            ("cancelled", "Cancelled"),
        ],
        default="queued",
        required=True,
        readonly=True,
        index=True,
    )
    hold_reason = fields.Selection(
        [(key, label) for key, label in HOLD_LABELS.items()], readonly=True, string="Held Because"
    )
    hold_key = fields.Char(readonly=True, index=True)
    note = fields.Text(readonly=True)
    channel = fields.Selection(
        [("email", "E-mail"), ("call", "Phone call"), ("sms", "SMS or WhatsApp"), ("letter", "Letter")],
        compute="_compute_channel",
        store=True,
    )
    manual = fields.Boolean(string="Sent by Hand", readonly=True)
    line_ids = fields.One2many("muzza.reminder.line", "reminder_id", string="Invoices", readonly=True)
    move_ids = fields.Many2many("account.move", compute="_compute_move_ids", string="Reminded Invoices")
    recipient_id = fields.Many2one("res.partner", string="Sent To", readonly=True)
    email_to = fields.Char(string="E-mail To", readonly=True)
    lang = fields.Char(string="Language", readonly=True)
    user_id = fields.Many2one("res.users", string="From", readonly=True)
    subject = fields.Char(readonly=True)
    body_html = fields.Html(string="Message", readonly=True, sanitize=False)
    sent_on = fields.Datetime(readonly=True)
    sent_by_id = fields.Many2one("res.users", readonly=True)
    message_id = fields.Many2one("mail.message", string="E-mail", readonly=True)
    email_status = fields.Selection(
        [
            ("ready", "In the mail queue"),
            ("sent", "Delivered to the mail server"),
            ("bounce", "Bounced"),
            ("exception", "Failed"),
            ("canceled", "Cancelled"),
        ],
        compute="_compute_email_status",
        string="E-mail Status",
        help="Where the e-mail is: waiting in Odoo's mail queue, handed to the mail server, "
        "bounced or failed.",
    )
    activity_note = fields.Html(readonly=True, sanitize=False)
    letter_attachment_id = fields.Many2one("ir.attachment", string="Letter", readonly=True)
    broken_promise_id = fields.Many2one(
        "muzza.reminder.promise",
        readonly=True,
        help="A promise to pay the customer did not keep, which this reminder mentions.",
    )
    delivery_tried_on = fields.Date(readonly=True, copy=False)

    def _muzza_cron_marks(self):
        return super()._muzza_cron_marks() | {"delivery_tried_on"}

    @api.depends("level_id")
    def _compute_display_name(self):
        for reminder in self:
            reminder.display_name = "%s – %s" % (
                reminder.partner_id.display_name or "",
                reminder.level_id.name or "",
            )

    @api.depends("level_id.send_email", "level_id.activity", "level_id.letter")
    def _compute_channel(self):
        for reminder in self:
            level = reminder.level_id
            reminder.channel = (
                "email" if level.send_email else level.activity or ("letter" if level.letter else False)
            )

    @api.depends("message_id.notification_ids.notification_status")
    def _compute_email_status(self):
        for reminder in self:
            notifications = reminder.message_id.sudo().notification_ids.filtered(
                lambda n, recipient=reminder.recipient_id: n.res_partner_id == recipient
            )
            reminder.email_status = notifications[:1].notification_status or False

    @api.depends("line_ids.move_id")
    def _compute_move_ids(self):
        for reminder in self:
            reminder.move_ids = reminder.line_ids.move_id

    def _compute_access_url(self):
        res = super()._compute_access_url()
        for reminder in self:
            reminder.access_url = "/muzza/reminder/%s" % reminder.id
        return res

    def copy_data(self, default=None):
        raise UserError(self.env._("A reminder is a record of what was sent; it cannot be copied."))

    @api.ondelete(at_uninstall=False)
    def _unlink_only_previews(self):
        if any(reminder.state != "draft" for reminder in self) and not self.env.su:
            raise UserError(
                self.env._("Reminders are a record of what was sent or held; they are not deleted.")
            )

    # ------------------------------------------------------------------
    # queueing (the decision run)
    # ------------------------------------------------------------------

    @api.model
    def _muzza_queue(self, files, company, messages, today):
        """Queue one reminder per ``(file id, level id): [invoice ids]`` and
        mark each invoice as reminded at that level; a fixed number of
        queries, whatever the number of messages."""
        if not messages:
            return self.browse()
        move_ids = [move_id for ids in messages.values() for move_id in ids]
        facts = self._invoice_facts_sql(move_ids)
        broken = self.env["muzza.reminder.promise"]._muzza_to_mention(files)
        reminders = self._muzza_insert(
            files,
            company,
            today,
            [
                {"file_id": file_id, "level_id": level_id, "state": "queued", "broken": broken.get(file_id)}
                for (file_id, level_id) in messages
            ],
            {group: [(move_id, facts[move_id], True) for move_id in ids] for group, ids in messages.items()},
        )
        by_level = defaultdict(list)
        for (_file_id, level_id), ids in messages.items():
            by_level[level_id].extend(ids)
        self.env["account.move"]._muzza_mark_reminded(by_level)
        return reminders

    @api.model
    def _muzza_insert(self, files, company, today, rows, lines):
        """Create reminders and their lines in two queries, however many: the
        decision run writes tens of thousands of them on a first night, which
        the ORM's create takes half a minute for.

        :param rows: ``[{file_id, level_id, state, reason?, key?, broken?}]``,
            at most one per file and level
        :param lines: ``{(file id, level id): [(invoice id, (amount due,
            currency id, due date), counted)]}``
        """
        if not rows:
            return self.browse()
        cr = self.env.cr
        partner_of = {file.id: file.partner_id.id for file in files}
        levels = self.env["muzza.reminder.level"].browse({row["level_id"] for row in rows})
        channel_of = {
            level.id: "email" if level.send_email else level.activity or ("letter" if level.letter else None)
            for level in levels
        }
        self.flush_model()
        cr.execute(
            SQL(
                """
                INSERT INTO muzza_reminder
                       (customer_id, partner_id, company_id, level_id, date, state, hold_reason,
                        hold_key, broken_promise_id, channel, manual,
                        create_uid, create_date, write_uid, write_date)
                SELECT r.customer_id, r.partner_id, %(company)s, r.level_id, %(today)s, r.state,
                       r.hold_reason, r.hold_key, r.broken_promise_id, r.channel, FALSE,
                       %(uid)s, NOW() AT TIME ZONE 'UTC', %(uid)s, NOW() AT TIME ZONE 'UTC'
                  FROM unnest(%(files)s::int4[], %(partners)s::int4[], %(levels)s::int4[],
                              %(states)s::varchar[], %(reasons)s::varchar[], %(keys)s::varchar[],
                              %(broken)s::int4[], %(channels)s::varchar[])
                       AS r(customer_id, partner_id, level_id, state, hold_reason, hold_key,
                            broken_promise_id, channel)
                RETURNING id, customer_id, level_id
                """,
                company=company.id,
                today=today,
                uid=self.env.uid,
                files=[row["file_id"] for row in rows],
                partners=[partner_of[row["file_id"]] for row in rows],
                levels=[row["level_id"] for row in rows],
                states=[row["state"] for row in rows],
                reasons=[row.get("reason") for row in rows],
                keys=[row.get("key") for row in rows],
                broken=[row.get("broken") for row in rows],
                channels=[channel_of[row["level_id"]] for row in rows],
            )
        )
        ids = {(file_id, level_id): reminder_id for reminder_id, file_id, level_id in cr.fetchall()}
        line_rows = [
            (ids[group], move_id, group[1], partner_of[group[0]], due, amount, currency_id, counted)
            for group, group_lines in lines.items()
            for move_id, (amount, currency_id, due), counted in group_lines
        ]
        cr.execute(
            SQL(
                """
                INSERT INTO muzza_reminder_line
                       (reminder_id, move_id, level_id, company_id, partner_id, due_date,
                        amount_due, currency_id, counted, dropped,
                        create_uid, create_date, write_uid, write_date)
                SELECT l.reminder_id, l.move_id, l.level_id, %(company)s, l.partner_id, l.due_date,
                       l.amount_due, l.currency_id, l.counted, FALSE,
                       %(uid)s, NOW() AT TIME ZONE 'UTC', %(uid)s, NOW() AT TIME ZONE 'UTC'
                  FROM unnest(%(reminders)s::int4[], %(moves)s::int4[], %(levels)s::int4[],
                              %(partners)s::int4[], %(dues)s::date[], %(amounts)s::numeric[],
                              %(currencies)s::int4[], %(counted)s::bool[])
                       AS l(reminder_id, move_id, level_id, partner_id, due_date, amount_due,
                            currency_id, counted)
                """,
                company=company.id,
                uid=self.env.uid,
                reminders=[row[0] for row in line_rows],
                moves=[row[1] for row in line_rows],
                levels=[row[2] for row in line_rows],
                partners=[row[3] for row in line_rows],
                dues=[row[4] for row in line_rows],
                amounts=[row[5] for row in line_rows],
                currencies=[row[6] for row in line_rows],
                counted=[row[7] for row in line_rows],
            )
        )
        self.invalidate_model()
        self.env["muzza.reminder.line"].invalidate_model()
        self.env["account.move"].invalidate_model(["muzza_reminder_line_ids"])
        return self.browse(sorted(ids.values()))

    @api.model
    def _invoice_facts_sql(self, move_ids):
        """``{invoice id: (amount due, currency id, due date)}``, the due date
        being the earliest open instalment's (two queries)."""
        cr = self.env.cr
        cr.execute(
            SQL(
                "SELECT id, amount_residual, currency_id, invoice_date_due "
                "FROM account_move WHERE id = ANY(%s)",
                list(move_ids),
            )
        )
        amounts = {row[0]: row[1:] for row in cr.fetchall()}
        cr.execute(
            SQL(
                """
                SELECT l.move_id, MIN(l.date_maturity)
                  FROM account_move_line l
                 WHERE l.move_id = ANY(%s) AND l.display_type = 'payment_term' AND NOT l.reconciled
                 GROUP BY l.move_id
                """,
                list(move_ids),
            )
        )
        dues = dict(cr.fetchall())
        return {
            move_id: (amount, currency_id, dues.get(move_id) or due)
            for move_id, (amount, currency_id, due) in amounts.items()
        }

    @api.model
    def _muzza_log_held(self, files, to_hold, today):
        """Log each held reminder once: ``{(file id, level id, reason):
        [invoice ids]}``; the same hold of the same invoices is not logged
        again day after day. The customer-wide holds also give someone
        something to do (match the payment, fix the address). A fixed
        number of queries, whatever the number of customers."""
        if not to_hold:
            return self.browse()
        # the invoices held, as a digest: a customer may have thousands (the
        # list itself would not fit in an index entry)
        keys = {
            group: "%s:%s:%s"
            % (group[1], group[2], hashlib.sha1(",".join(str(i) for i in sorted(ids)).encode()).hexdigest())
            for group, ids in to_hold.items()
        }
        self.flush_model(["hold_key", "customer_id", "state"])
        self.env.cr.execute(
            SQL(
                "SELECT customer_id, hold_key FROM muzza_reminder "
                "WHERE state = 'held' AND customer_id = ANY(%s)",
                files.ids,
            )
        )
        logged = set(self.env.cr.fetchall())
        new = {group: ids for group, ids in to_hold.items() if (group[0], keys[group]) not in logged}
        if not new:
            return self.browse()
        facts = self._invoice_facts_sql({move_id for ids in new.values() for move_id in ids})
        held = self._muzza_insert(
            files,
            files.company_id[:1],
            today,
            [
                {
                    "file_id": file_id,
                    "level_id": level_id,
                    "state": "held",
                    "reason": reason,
                    "key": keys[file_id, level_id, reason],
                }
                for (file_id, level_id, reason) in new
            ],
            {
                (file_id, level_id): [(move_id, facts[move_id], False) for move_id in ids]
                for (file_id, level_id, _reason), ids in new.items()
            },
        )
        held._muzza_hold_activities()
        return held

    def _muzza_hold_activities(self):
        """Someone must act for the customer to be reminded again: the
        accountant matches the money on account, the salesperson fixes the
        e-mail address. One open activity per customer and kind (a fixed
        number of queries for the whole set)."""
        wanted = {
            "on_account": "muzza_receivables.mail_activity_reminder_match",
            "bounced": "muzza_receivables.mail_activity_reminder_address",
            "no_email": "muzza_receivables.mail_activity_reminder_address",
        }
        reminders = self.filtered(lambda r: r.hold_reason in wanted)
        if not reminders:
            return
        types = {reason: self.env.ref(xmlid) for reason, xmlid in wanted.items()}
        Activity = self.env["mail.activity"].sudo()
        existing = {
            (activity.res_id, activity.activity_type_id.id)
            for activity in Activity.search(
                [
                    ("res_model", "=", "res.partner"),
                    ("res_id", "in", reminders.partner_id.ids),
                    ("activity_type_id", "in", [t.id for t in types.values()]),
                ]
            )
        }
        model_id = self.env["ir.model"]._get_id("res.partner")
        today = fields.Date.context_today(self)
        vals_list = []
        for reminder in reminders:
            activity_type = types[reminder.hold_reason]
            key = (reminder.partner_id.id, activity_type.id)
            if key in existing:
                continue
            existing.add(key)
            if reminder.hold_reason == "on_account":
                user = reminder.company_id.muzza_reminder_accountant_id or reminder._muzza_salesperson()
                note = self.env._(
                    "This customer has a payment or credit note not matched to their invoices yet: match "
                    "it before they are reminded. Their reminders wait until then."
                )
            else:
                user = reminder._muzza_salesperson()
                note = self.env._(
                    "Reminders cannot reach this customer by e-mail: the invoice contact's address "
                    "bounced or is missing. Fix it (or add a contact of type Invoice) and they resume."
                )
            vals_list.append(
                {
                    "res_model_id": model_id,
                    "res_id": reminder.partner_id.id,
                    "activity_type_id": activity_type.id,
                    "summary": activity_type.summary,
                    "user_id": user.id,
                    "note": note,
                    "date_deadline": today,
                }
            )
        Activity.with_context(mail_activity_quick_update=True).create(vals_list)

    # ------------------------------------------------------------------
    # sending (the delivery run, and Send Now)
    # ------------------------------------------------------------------

    def _muzza_salesperson(self):
        """Who the reminder comes from: the customer's salesperson, else the
        salesperson of its most recent invoice, else the company's
        administrator (OdooBot)."""
        self.ensure_one()
        user = self.partner_id.user_id
        if not user:
            user = self.line_ids.move_id.sorted("invoice_date", reverse=True).invoice_user_id[:1]
        return user or self.env.ref("base.user_root")

    def _muzza_lang(self):
        self.ensure_one()
        return self.lang or self.env["muzza.wording"]._lang_of(self.recipient_id or self.partner_id)

    def _muzza_refresh(self, today, charge=True):
        """Bring the lines up to date before sending: drop what was paid
        meanwhile, restate the amounts due and the late fees so far; charge
        the fees when the level says so."""
        self.ensure_one()
        lines = self.line_ids
        paid = lines.filtered(
            lambda line: (
                line.move_id.payment_state in ("paid", "in_payment", "reversed")
                or line.move_id.state != "posted"
            )
        )
        if paid:
            paid.sudo().write({"counted": False, "dropped": True})
        lines -= paid
        if charge and self.level_id.charge_fees:
            for move in lines.move_id:
                move.sudo()._muzza_charge_late_fee(today, on_cycle=True)
        for line in lines:
            move = line.move_id
            line.sudo().write(
                {
                    "amount_due": move.amount_residual,
                    # the late fees the invoice has cost so far: those
                    # invoiced already and those accrued since
                    "fee_accrued": move.muzza_fee_charged_amount + move.muzza_fee_accrued,
                    "fees_charged": move.muzza_fee_charged_amount,
                }
            )
        return lines

    def _muzza_prepare(self, today, charge=True):
        """Everything the message says, ready to render: the lines, the
        contact, the language, the salesperson."""
        self.ensure_one()
        recipient = self.partner_id._muzza_invoice_address()
        lang = self.env["muzza.wording"]._lang_of(recipient)
        self.sudo().write(
            {
                "recipient_id": recipient.id,
                "email_to": recipient.email or False,
                "lang": lang,
                "user_id": self._muzza_salesperson().id,
            }
        )
        return self._muzza_refresh(today, charge=charge)

    def _muzza_render(self, printed=False):
        """Subject and body of the e-mail (or of the printed letter, whose
        links are written out), in the contact's language."""
        self.ensure_one()
        template = self.level_id.mail_template_id.with_context(muzza_printed=printed)
        if not template:
            return "", ""
        subject = template._render_field("subject", self.ids, compute_lang=True)[self.id]
        body = template._render_field("body_html", self.ids, compute_lang=True)[self.id]
        return subject, body

    def _muzza_deliver(self, today=None, by=None, pdfs=None):
        """Send this queued reminder: e-mail it (with the statement of open
        items, and the invoices' PDFs when the company wants them), give the
        salesperson the call or message to make, prepare the letter.

        :param dict pdfs: what :meth:`_muzza_prepare_batch` prepared and
            rendered for the batch this reminder is in (else it is done here)
        """
        self.ensure_one()
        if self.state not in ("queued", "draft"):
            return False
        pdfs = pdfs or {}
        today = today or self.date or fields.Date.context_today(self)
        if ("prepared", self.id) in pdfs:
            lines = self._muzza_lines()
        else:
            lines = self._muzza_prepare(today)
        if not lines:
            self.sudo().write(
                {
                    "state": "cancelled",
                    "note": self.env._("Not sent: every invoice it named was paid before it went out."),
                }
            )
            return False
        level = self.level_id
        subject, body = self._muzza_render()
        values = {"subject": subject, "body_html": body, "sent_on": fields.Datetime.now(), "state": "sent"}
        if by:
            values["sent_by_id"] = by.id
        if level.send_email:
            email = email_normalize(self.email_to or "")
            if not email:
                return self._muzza_hold_at_delivery("no_email")
            if self.customer_id.bounced_email and email == self.customer_id.bounced_email:
                return self._muzza_hold_at_delivery("bounced")
            values["message_id"] = self._muzza_post_email(subject, body, pdfs).id
        if level.activity:
            values["activity_note"] = self._muzza_schedule_activity(body)
        if level.letter:
            values["letter_attachment_id"] = self._muzza_print_letter(pdfs).id
        self.sudo().write(values)
        if self.broken_promise_id:
            self.broken_promise_id.sudo().write({"mentioned": True})
        return True

    def _muzza_hold_at_delivery(self, reason):
        """The contact's address went missing or bounced since the decision:
        hold it, give back the level, and ask for a fixed address."""
        self.line_ids.move_id._muzza_unmark_reminded(self.level_id)
        self.line_ids.sudo().write({"counted": False})
        self.sudo().write({"state": "held", "hold_reason": reason})
        self._muzza_hold_activities()
        return False

    @api.model
    def _muzza_render_many(self, report, report_ref, res_ids):
        """``{record id: PDF}`` of a report for many records, rendered at
        once (one wkhtmltopdf run); {} when Odoo cannot split the result per
        record, for each to be rendered on its own."""
        if not res_ids:
            return {}
        try:
            streams, kind = report._pre_render_qweb_pdf(report_ref, list(res_ids))
        except Exception:
            _logger.exception("Rendering %s for %s records at once failed", report_ref, len(res_ids))
            return {}
        if (
            kind != "pdf"
            or False in streams
            or any(not streams.get(res_id, {}).get("stream") for res_id in res_ids)
        ):
            return {}
        return {res_id: streams[res_id]["stream"].getvalue() for res_id in res_ids}

    def _muzza_prepare_batch(self, today):
        """Before a batch of reminders is sent: bring each one up to date
        (each in its own savepoint: what was paid meanwhile, the fees to
        charge), then render the batch's PDFs — the statements, the letters,
        the invoices — in one run per company and kind, since launching the
        PDF renderer is most of the cost. Returns what each reminder's
        sending reads (see :meth:`_muzza_deliver`)."""
        pdfs = {}
        ready = self.browse()
        for reminder in self.filtered(lambda r: r.state == "queued"):
            try:
                with self.env.cr.savepoint():
                    reminder.with_company(reminder.company_id)._muzza_prepare(today)
            except Exception:
                _logger.exception("Preparing reminder %s failed", reminder.id)
                continue
            pdfs["prepared", reminder.id] = True
            ready |= reminder
        Report = self.env["ir.actions.report"].sudo()
        for company, reminders in ready.grouped("company_id").items():
            Report = Report.with_company(company)
            statements = self._muzza_render_many(
                Report, "muzza_receivables.action_report_muzza_statement", reminders.partner_id.ids
            )
            for reminder in reminders:
                if reminder.partner_id.id in statements:
                    pdfs["statement", reminder.id] = statements[reminder.partner_id.id]
            letters = reminders.filtered(lambda r: r.level_id.letter)
            for reminder_id, pdf in self._muzza_render_many(
                Report, "muzza_receivables.action_report_muzza_reminder_letter", letters.ids
            ).items():
                pdfs["letter", reminder_id] = pdf
            if company.muzza_reminder_attach_invoices:
                moves = reminders.line_ids.filtered(lambda line: not line.dropped).move_id
                moves = moves.filtered(lambda move: not move.invoice_pdf_report_id)
                for move_id, pdf in self._muzza_render_many(
                    Report, "account.account_invoices", moves.ids
                ).items():
                    pdfs["invoice", move_id] = pdf
        return pdfs

    def _muzza_statement_pdf(self, pdfs=None):
        self.ensure_one()
        pdf = (pdfs or {}).get(("statement", self.id))
        if pdf is None:
            Report = self.env["ir.actions.report"].sudo().with_company(self.company_id)
            pdf, _type = Report._render_qweb_pdf(
                "muzza_receivables.action_report_muzza_statement", self.partner_id.ids
            )
        return pdf

    def _muzza_attachments(self, pdfs=None):
        """The statement of open items, and each invoice's PDF when the
        company wants them (the PDF Odoo keeps when the invoice was sent,
        else rendered with the batch)."""
        self.ensure_one()
        pdfs = pdfs or {}
        partner = self.partner_id
        company = self.company_id
        lang = self._muzza_lang()
        name = self.with_context(lang=lang).env._(
            "Statement %(customer)s %(date)s.pdf", customer=partner.name, date=self.date
        )
        values = [{"name": name, "raw": self._muzza_statement_pdf(pdfs), "mimetype": "application/pdf"}]
        if company.muzza_reminder_attach_invoices:
            Report = self.env["ir.actions.report"].sudo().with_company(company).with_context(lang=lang)
            moves = self._muzza_lines().move_id
            for move in moves:
                if move.invoice_pdf_report_id:
                    raw, name = move.invoice_pdf_report_id.raw, move.invoice_pdf_report_id.name
                else:
                    raw = pdfs.get(("invoice", move.id))
                    if raw is None:
                        raw, _type = Report._render_qweb_pdf("account.account_invoices", move.ids)
                    name = "%s.pdf" % move._get_report_base_filename()
                values.append({"name": name, "raw": raw, "mimetype": "application/pdf"})
        return (
            self.env["ir.attachment"]
            .sudo()
            .create([dict(value, res_model="res.partner", res_id=partner.id) for value in values])
        )

    def _muzza_post_email(self, subject, body, pdfs=None):
        """Post the message on the customer's chatter, to the invoice
        contact, from the salesperson: it goes out through the mail queue,
        and the customer's replies land in the same chatter (the
        salesperson follows it)."""
        self.ensure_one()
        partner = self.partner_id
        user = self.user_id
        attachments = self._muzza_attachments(pdfs)
        if not user._is_superuser() and user.partner_id not in partner.message_partner_ids:
            partner.sudo().message_subscribe(
                partner_ids=user.partner_id.ids, subtype_ids=self.env.ref("mail.mt_comment").ids
            )
        email_from = user.email_formatted if user.email else self.company_id.email_formatted
        message = (
            partner.sudo()
            .with_context(mail_post_autofollow=False, mail_notify_force_send=False, lang=self._muzza_lang())
            .message_post(
                body=Markup(body),
                subject=subject,
                partner_ids=self.recipient_id.ids,
                author_id=user.partner_id.id,
                email_from=email_from,
                message_type="comment",
                subtype_xmlid="mail.mt_note",
                attachment_ids=attachments.ids,
                email_layout_xmlid="mail.mail_notification_light",
                mail_auto_delete=False,
            )
        )
        return message

    def _muzza_schedule_activity(self, body):
        """Give the salesperson the call or message to make: the number in
        E.164 with a ``tel:`` link, and for a mobile a WhatsApp link with the
        reminder's text."""
        self.ensure_one()
        level = self.level_id
        contact = self.recipient_id or self.partner_id
        country = (contact.country_id or self.partner_id.country_id).code
        mobile = normalize(contact.mobile or self.partner_id.mobile, country)
        phone = normalize(contact.phone or self.partner_id.phone, country)
        number = mobile if (level.activity == "sms" and mobile.e164) else (phone if phone.e164 else mobile)
        lang = self._muzza_lang()
        env = self.with_context(lang=lang).env
        text = self._muzza_short_text()
        parts = [
            Markup("<p>%s</p>")
            % env._(
                "%(level)s reminder for %(customer)s: %(amount)s due.",
                level=level.name,
                customer=self.partner_id.display_name,
                amount=self._muzza_total_text(lang),
            )
        ]
        if number.e164:
            parts.append(
                Markup('<p>%s <a href="%s">%s</a></p>')
                % (self.env._("Call:"), tel_link(number.e164), number.e164)
            )
            if number.mobile:
                parts.append(
                    Markup('<p><a href="%s" target="_blank">%s</a></p>')
                    % (
                        whatsapp_link(number.e164, text),
                        self.env._("Write on WhatsApp with the reminder's text"),
                    )
                )
        else:
            parts.append(Markup("<p>%s</p>") % self.env._("No valid phone number: fix it on the customer."))
        parts.append(Markup("<p>%s</p>") % text)
        note = Markup("").join(parts)
        activity_type = self.env.ref(
            "muzza_receivables.mail_activity_reminder_call"
            if level.activity == "call"
            else "muzza_receivables.mail_activity_reminder_message"
        )
        self.partner_id.sudo().activity_schedule(
            activity_type_id=activity_type.id, user_id=self.user_id.id, note=note
        )
        return note

    def _muzza_letter_body(self):
        """The letter's text: the level's message, its links written out."""
        self.ensure_one()
        return Markup(self._muzza_render(printed=True)[1] or "")

    def _muzza_print_letter(self, pdfs=None):
        """The letter to print and post: the reminder, then the statement of
        open items it encloses, in one PDF on the reminder."""
        self.ensure_one()
        pdfs = pdfs or {}
        lang = self._muzza_lang()
        letter = pdfs.get(("letter", self.id))
        if letter is None:
            Report = self.env["ir.actions.report"].sudo().with_company(self.company_id)
            letter, _type = Report._render_qweb_pdf(
                "muzza_receivables.action_report_muzza_reminder_letter", self.ids
            )
        statement = self._muzza_statement_pdf(pdfs)
        # (tests render HTML, not PDF: the letter alone then)
        pdf = merge_pdf([letter, statement]) if letter[:4] == statement[:4] == b"%PDF" else letter
        return (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": self.with_context(lang=lang).env._(
                        "Reminder letter %(customer)s %(date)s.pdf",
                        customer=self.partner_id.name,
                        date=self.date,
                    ),
                    "raw": pdf,
                    "mimetype": "application/pdf",
                    "res_model": self._name,
                    "res_id": self.id,
                }
            )
        )

    # ------------------------------------------------------------------
    # what the message says (used by the templates and the letter)
    # ------------------------------------------------------------------

    def _muzza_lines(self):
        """The invoices the message names (not those paid meanwhile)."""
        self.ensure_one()
        return self.line_ids.filtered(lambda line: not line.dropped).sorted(
            lambda l: (l.due_date, l.move_id.name)
        )

    def _muzza_totals(self):
        """``[(currency, amount due, fees so far)]``, one per currency."""
        totals = defaultdict(lambda: [0.0, 0.0])
        for line in self._muzza_lines():
            totals[line.currency_id][0] += line.amount_due
            totals[line.currency_id][1] += line.fee_accrued
        return [
            (currency, currency.round(due), currency.round(fee)) for currency, (due, fee) in totals.items()
        ]

    def _muzza_total_text(self, lang):
        Wording = self.env["muzza.wording"]
        return " + ".join(
            Wording._format_amount(due, currency, lang) for currency, due, _fee in self._muzza_totals()
        )

    def _muzza_short_text(self):
        """The reminder in a few words (for an SMS or a WhatsApp message)."""
        self.ensure_one()
        lang = self._muzza_lang()
        Wording = self.env["muzza.wording"]
        env = self.with_context(lang=lang).env
        invoices = ", ".join(
            env._(
                "%(invoice)s (due %(date)s)",
                invoice=line.move_id.name,
                date=Wording._format_date(line.due_date, lang),
            )
            for line in self._muzza_lines()
        )
        return env._(
            "%(company)s: a reminder about %(invoices)s, %(amount)s in all. Pay or tell us when: %(link)s",
            company=self.company_id.name,
            invoices=invoices,
            amount=self._muzza_total_text(lang),
            link=self._muzza_link(),
        )

    def _muzza_link(self, suffix=""):
        """The link of the reminder's page (pay them all, promise a date,
        dispute an invoice), with its access token: no login needed."""
        self.ensure_one()
        base = self.get_base_url()
        return "%s/muzza/reminder/%s%s?access_token=%s" % (
            base,
            self.id,
            suffix,
            self.sudo()._portal_ensure_token(),
        )

    def _muzza_details(self):
        """The part every level's message shares: the invoices with their
        exact due dates, amounts and late fees so far, the totals, the broken
        promise if any, and the links."""
        self.ensure_one()
        lang = self._muzza_lang()
        Wording = self.env["muzza.wording"]
        values = {
            "reminder": self,
            "lines": [
                {
                    "number": line.move_id.name,
                    "date": Wording._format_date(line.move_id.invoice_date, lang)
                    if line.move_id.invoice_date
                    else "",
                    "due": Wording._format_date(line.due_date, lang),
                    "amount": Wording._format_amount(line.amount_due, line.currency_id, lang),
                    "fee": Wording._format_amount(line.fee_accrued, line.currency_id, lang)
                    if line.fee_accrued
                    else "",
                    "url": line.move_id.get_portal_url() if line.move_id else "",
                }
                for line in self._muzza_lines()
            ],
            "totals": [
                {
                    "amount": Wording._format_amount(due, currency, lang),
                    "fee": Wording._format_amount(fee, currency, lang) if fee else "",
                }
                for currency, due, fee in self._muzza_totals()
            ],
            "any_fee": any(line.fee_accrued for line in self._muzza_lines()),
            "promise": self._muzza_promise_sentence(lang),
            "pay_url": self._muzza_link(),
            "promise_url": self._muzza_link("/promise"),
            "dispute_url": self._muzza_link("/dispute"),
            "printed": self.env.context.get("muzza_printed"),
        }
        return (
            self.env["ir.qweb"]
            .with_context(lang=lang)
            ._render("muzza_receivables.reminder_mail_details", values)
        )

    def _muzza_promise_sentence(self, lang):
        promise = self.broken_promise_id
        if not promise:
            return ""
        Wording = self.env["muzza.wording"]
        return self.with_context(lang=lang).env._(
            "On %(made)s you told us you would pay by %(date)s; we have not received the payment yet. "
            "If it is on its way, thank you, and please let us know.",
            made=Wording._format_date(promise.made_on, lang),
            date=Wording._format_date(promise.promised_date, lang),
        )

    def _muzza_greeting_name(self):
        self.ensure_one()
        contact = self.recipient_id or self.partner_id
        return contact.name or self.partner_id.name

    # ------------------------------------------------------------------
    # the scheduled action
    # ------------------------------------------------------------------

    @api.model
    def _muzza_companies(self):
        return self.env["muzza.reminder.level"].sudo().search([("company_id", "!=", False)]).company_id

    @api.model
    def _cron_decide_reminders(self, batch_size=None, now=None):
        """Decide the reminders of every customer whose day it is to be
        written to (queue them, or log why they are held). Return how many
        customers were decided."""
        now = now or fields.Datetime.now()
        companies = self._muzza_companies()
        if not companies:
            return 0
        Files = self.env["muzza.reminder.customer"]
        Files._muzza_open_files(companies)
        self.env["muzza.reminder.promise"]._muzza_settle(companies)
        done = 0
        for day, domain in sorted(Files._muzza_local_days(companies, now).items()):
            done += self.env["muzza.cron.batch"]._run_sets(
                "muzza.reminder.customer",
                domain,
                lambda files, today: files._muzza_decide(today),
                "decided_on",
                self.env._("Deciding the payment reminders"),
                batch_size=batch_size or self.env["muzza.cron.batch"]._batch_size_for("reminders", 500),
                today=day,
                notify=False,
            )
        return done

    @api.model
    def _muzza_deliverable(self, now):
        """The domain of the queued reminders whose customers may be written
        to now (within their sending window, on a working day), or None."""
        companies = self._muzza_companies()
        Files = self.env["muzza.reminder.customer"]
        self.flush_model(["state", "customer_id"])
        Files.flush_model(["company_id", "tz"])
        self.env.cr.execute(
            SQL(
                """
                SELECT DISTINCT f.company_id, f.tz
                  FROM muzza_reminder r
                  JOIN muzza_reminder_customer f ON f.id = r.customer_id
                 WHERE r.state = 'queued' AND f.company_id = ANY(%s)
                """,
                companies.ids,
            )
        )
        writable = Files._muzza_writable(companies, now, self.env.cr.fetchall())
        pairs = [pair for day_pairs in writable.values() for pair in day_pairs]
        if not pairs:
            return None
        return [("state", "=", "queued"), ("customer_id", "any", Files._muzza_pairs_domain(pairs))]

    @api.model
    def _cron_deliver_reminders(self, batch_size=None, now=None):
        """Send one batch of the queued reminders whose customers may be
        written to now (a reminder left queued, its sending failed say, waits
        for the customer's sending window on a working day); return how many
        went out."""
        domain = self._muzza_deliverable(now or fields.Datetime.now())
        if domain is None:
            return 0
        pdfs = {}
        return self.env["muzza.cron.batch"]._run(
            "muzza.reminder",
            domain,
            lambda reminder, today: reminder._muzza_deliver(pdfs=pdfs),
            "delivery_tried_on",
            self.env._("Sending the payment reminder"),
            batch_size=batch_size,
            notify=False,
            prepare=lambda reminders, today: pdfs.update(reminders._muzza_prepare_batch(today)),
        )

    @api.model
    def _cron_send_reminders(self):
        """The scheduled action: decide, then send a batch; Odoo runs it
        again while reminders wait to be sent."""
        decided = self._cron_decide_reminders()
        sent = self._cron_deliver_reminders()
        today = fields.Date.context_today(self)
        # what a run now could send (not what waits for its customer's
        # window, nor what failed today)
        deliverable = self._muzza_deliverable(fields.Datetime.now())
        remaining = (
            self.search_count(
                deliverable + ["|", ("delivery_tried_on", "=", False), ("delivery_tried_on", "<", today)]
            )
            if deliverable is not None
            else 0
        )
        self.env["ir.cron"]._notify_progress(done=decided + sent, remaining=remaining)
        # previews nobody sent
        self.sudo().search(
            [
                ("state", "=", "draft"),
                ("create_date", "<", fields.Datetime.subtract(fields.Datetime.now(), days=1)),
            ]
        ).unlink()
        return decided + sent

    # ------------------------------------------------------------------
    # buttons
    # ------------------------------------------------------------------

    def action_open_invoices(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Reminded Invoices"),
            "res_model": "account.move",
            "view_mode": "list,form",
            "domain": [("id", "in", self.line_ids.move_id.ids)],
        }

    def action_print_letter(self):
        """The letter as it was prepared (with the statement), else as it
        reads now."""
        self.ensure_one()
        if self.letter_attachment_id:
            return {
                "type": "ir.actions.act_url",
                "url": "/web/content/%s?download=true" % self.letter_attachment_id.id,
                "target": "self",
            }
        return self.env.ref("muzza_receivables.action_report_muzza_reminder_letter").report_action(self)


class MuzzaReminderLine(models.Model):
    """An invoice a reminder names, with what the reminder said about it."""

    _name = "muzza.reminder.line"
    _description = "Receivables: invoice in a payment reminder"
    _order = "due_date, id"

    reminder_id = fields.Many2one("muzza.reminder", required=True, ondelete="cascade", index=True)
    move_id = fields.Many2one("account.move", string="Invoice", required=True, index=True, ondelete="cascade")
    level_id = fields.Many2one("muzza.reminder.level", required=True, ondelete="restrict")
    company_id = fields.Many2one(related="reminder_id.company_id", store=True, index=True)
    partner_id = fields.Many2one(related="reminder_id.partner_id", store=True)
    state = fields.Selection(related="reminder_id.state", string="Reminder Status")
    date = fields.Date(related="reminder_id.date")
    due_date = fields.Date(readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    amount_due = fields.Monetary(readonly=True)
    fee_accrued = fields.Monetary(
        string="Late Fees So Far",
        readonly=True,
        help="The late fees the invoice has cost so far: invoiced already, or accrued and not invoiced yet.",
    )
    fees_charged = fields.Monetary(string="Late Fees Invoiced", readonly=True)
    counted = fields.Boolean(
        readonly=True, help="The invoice counts as reminded at this level (never twice)."
    )
    dropped = fields.Boolean(readonly=True, help="Paid before the reminder went out: not named.")

    def init(self):
        # the database itself refuses a level sent twice for an invoice
        self.env.cr.execute(
            """
            CREATE UNIQUE INDEX IF NOT EXISTS muzza_reminder_line_once
                ON muzza_reminder_line (move_id, level_id) WHERE counted
            """
        )
