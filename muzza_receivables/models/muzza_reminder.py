# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import logging
from collections import defaultdict

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, email_normalize

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
        cr = self.env.cr
        move_ids = [move_id for ids in messages.values() for move_id in ids]
        cr.execute(
            SQL(
                "SELECT id, amount_residual, currency_id, invoice_date_due "
                "FROM account_move WHERE id = ANY(%s)",
                move_ids,
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
                move_ids,
            )
        )
        dues = dict(cr.fetchall())
        broken = self.env["muzza.reminder.promise"]._muzza_to_mention(files)
        vals_list = []
        for (file_id, level_id), ids in messages.items():
            vals_list.append(
                {
                    "customer_id": file_id,
                    "level_id": level_id,
                    "date": today,
                    "state": "queued",
                    "broken_promise_id": broken.get(file_id, False),
                    "line_ids": [
                        fields.Command.create(
                            {
                                "move_id": move_id,
                                "level_id": level_id,
                                "due_date": dues.get(move_id) or amounts[move_id][2],
                                "amount_due": amounts[move_id][0],
                                "currency_id": amounts[move_id][1],
                                "counted": True,
                            }
                        )
                        for move_id in ids
                    ],
                }
            )
        reminders = self.sudo().create(vals_list)
        by_level = defaultdict(list)
        for (_file_id, level_id), ids in messages.items():
            by_level[level_id].extend(ids)
        self.env["account.move"]._muzza_mark_reminded(by_level)
        return reminders

    @api.model
    def _muzza_log_held(self, files, to_hold, today):
        """Log each held reminder once: ``{(file id, level id, reason):
        [invoice ids]}``; the same hold of the same invoices is not logged
        again day after day. The customer-wide holds also give someone
        something to do (match the payment, fix the address)."""
        if not to_hold:
            return self.browse()
        keys = {
            group: "%s:%s:%s" % (group[1], group[2], ",".join(str(i) for i in sorted(ids)))
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
        vals_list = []
        for group, ids in to_hold.items():
            file_id, level_id, reason = group
            if (file_id, keys[group]) in logged:
                continue
            vals_list.append(
                {
                    "customer_id": file_id,
                    "level_id": level_id,
                    "date": today,
                    "state": "held",
                    "hold_reason": reason,
                    "hold_key": keys[group],
                    "line_ids": [
                        fields.Command.create({"move_id": move_id, "level_id": level_id, "counted": False})
                        for move_id in ids
                    ],
                }
            )
        held = self.sudo().create(vals_list)
        if held:
            held._muzza_fill_held_lines()
            held._muzza_hold_activities()
        return held

    def _muzza_fill_held_lines(self):
        for line in self.line_ids:
            move = line.move_id
            line.write(
                {
                    "due_date": move.invoice_date_due,
                    "amount_due": move.amount_residual,
                    "currency_id": move.currency_id.id,
                }
            )

    def _muzza_hold_activities(self):
        """Someone must act for the customer to be reminded again: the
        accountant matches the money on account, the salesperson fixes the
        e-mail address. One open activity per customer and kind."""
        wanted = {
            "on_account": "muzza_receivables.mail_activity_reminder_match",
            "bounced": "muzza_receivables.mail_activity_reminder_address",
            "no_email": "muzza_receivables.mail_activity_reminder_address",
        }
        for reminder in self.filtered(lambda r: r.hold_reason in wanted):
            activity_type = self.env.ref(wanted[reminder.hold_reason])
            partner = reminder.partner_id
            if (
                self.env["mail.activity"]
                .sudo()
                .search_count(
                    [
                        ("res_model", "=", "res.partner"),
                        ("res_id", "=", partner.id),
                        ("activity_type_id", "=", activity_type.id),
                    ],
                    limit=1,
                )
            ):
                continue
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
            partner.sudo().activity_schedule(
                activity_type_id=activity_type.id,
                user_id=user.id,
                note=note,
            )

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

    def _muzza_deliver(self, today=None, by=None):
        """Send this queued reminder: e-mail it (with the statement of open
        items, and the invoices' PDFs when the company wants them), give the
        salesperson the call or message to make, prepare the letter."""
        self.ensure_one()
        if self.state not in ("queued", "draft"):
            return False
        today = today or self.date or fields.Date.context_today(self)
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
            values["message_id"] = self._muzza_post_email(subject, body).id
        if level.activity:
            values["activity_note"] = self._muzza_schedule_activity(body)
        if level.letter:
            values["letter_attachment_id"] = self._muzza_print_letter().id
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

    def _muzza_attachments(self):
        """The statement of open items, and each invoice's PDF when the
        company wants them (the PDF Odoo keeps when the invoice was sent,
        else rendered, all in one run)."""
        self.ensure_one()
        partner = self.partner_id
        company = self.company_id
        lang = self._muzza_lang()
        Report = self.env["ir.actions.report"].sudo().with_company(company).with_context(lang=lang)
        pdf, _type = Report._render_qweb_pdf("muzza_receivables.action_report_muzza_statement", partner.ids)
        name = self.with_context(lang=lang).env._(
            "Statement %(customer)s %(date)s.pdf", customer=partner.name, date=self.date
        )
        values = [{"name": name, "raw": pdf, "mimetype": "application/pdf"}]
        if company.muzza_reminder_attach_invoices:
            moves = self.line_ids.move_id
            kept = moves.filtered("invoice_pdf_report_id")
            for move in kept:
                values.append(
                    {
                        "name": move.invoice_pdf_report_id.name,
                        "raw": move.invoice_pdf_report_id.raw,
                        "mimetype": "application/pdf",
                    }
                )
            missing = moves - kept
            if missing:
                streams = Report._render_qweb_pdf_prepare_streams("account.account_invoices", {}, missing.ids)
                for move in missing:
                    stream = streams.get(move.id)
                    if stream:
                        values.append(
                            {
                                "name": "%s.pdf" % move._get_report_base_filename(),
                                "raw": stream["stream"].getvalue(),
                                "mimetype": "application/pdf",
                            }
                        )
        return (
            self.env["ir.attachment"]
            .sudo()
            .create([dict(value, res_model="res.partner", res_id=partner.id) for value in values])
        )

    def _muzza_post_email(self, subject, body):
        """Post the message on the customer's chatter, to the invoice
        contact, from the salesperson: it goes out through the mail queue,
        and the customer's replies land in the same chatter (the
        salesperson follows it)."""
        self.ensure_one()
        partner = self.partner_id
        user = self.user_id
        attachments = self._muzza_attachments()
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

    def _muzza_print_letter(self):
        self.ensure_one()
        lang = self._muzza_lang()
        Report = self.env["ir.actions.report"].sudo().with_company(self.company_id).with_context(lang=lang)
        pdf, _type = Report._render_qweb_pdf(
            "muzza_receivables.action_report_muzza_reminder_letter", self.ids
        )
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
        base = (
            self.company_id.get_base_url()
            if hasattr(self.company_id, "get_base_url")
            else self.get_base_url()
        )
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
    def _cron_deliver_reminders(self, batch_size=None):
        """Send one batch of the queued reminders; return how many went out."""
        return self.env["muzza.cron.batch"]._run(
            "muzza.reminder",
            [("state", "=", "queued")],
            lambda reminder, today: reminder._muzza_deliver(),
            "delivery_tried_on",
            self.env._("Sending the payment reminder"),
            batch_size=batch_size,
            notify=False,
        )

    @api.model
    def _cron_send_reminders(self):
        """The scheduled action: decide, then send a batch; Odoo runs it
        again while reminders wait to be sent."""
        decided = self._cron_decide_reminders()
        sent = self._cron_deliver_reminders()
        today = fields.Date.context_today(self)
        remaining = self.search_count(
            [
                ("state", "=", "queued"),
                "|",
                ("delivery_tried_on", "=", False),
                ("delivery_tried_on", "<", today),
            ]
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
