# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import fields
from odoo.exceptions import AccessError, MissingError, ValidationError
from odoo.fields import Command
from odoo.http import request, route
from odoo.tools import consteq

from odoo.addons.account_payment.controllers.portal import PortalAccount

from ..logic.reminder_portal import OPEN, chosen_invoices, invoice_status


class MuzzaReminderPortal(PortalAccount):
    """The customer's side of a payment reminder, reached from the link in
    the message with the reminder's access token (no login): the invoices as
    they stand now and one payment for all the open ones, a promise to pay
    by a date, a dispute. And, on Odoo's invoice page, the same promise and
    dispute for one invoice.

    Every record is read and written in sudo once the token (or, on the
    invoice page, Odoo's own document access) has been checked; only the
    reminder's own open invoices can be named."""

    # ------------------------------------------------------------------
    # access and language
    # ------------------------------------------------------------------

    def _muzza_reminder(self, reminder_id, access_token):
        """The reminder (sudo) if the token is its own, else an empty
        recordset: no token, a wrong one or a reminder that does not exist
        all answer the same."""
        reminder = request.env["muzza.reminder"].sudo().browse(reminder_id).exists()
        if (
            not reminder
            or not isinstance(access_token, str)
            or not access_token
            or not reminder.access_token
            or not consteq(reminder.access_token, access_token)
        ):
            return request.env["muzza.reminder"].sudo()
        return reminder

    def _muzza_use_lang(self, lang):
        """Render the page in the customer's language (if installed)."""
        if lang and request.env["res.lang"]._lang_get(lang).active:
            if lang != request.env.lang:
                request.update_context(lang=lang)
            return lang
        return request.env.lang or "en_US"

    def _muzza_invoice(self, invoice_id, access_token):
        """The invoice (sudo) for Odoo's invoice-page access (a portal user
        of that customer, or the invoice's access token), else None."""
        try:
            return self._document_check_access("account.move", invoice_id, access_token=access_token)
        except (AccessError, MissingError):
            return None

    # ------------------------------------------------------------------
    # the reminder's page: its invoices, and pay them all
    # ------------------------------------------------------------------

    def _muzza_reminder_url(self, reminder, suffix=""):
        return "/muzza/reminder/%s%s?access_token=%s" % (reminder.id, suffix, reminder.access_token)

    @route(
        "/muzza/reminder/<int:reminder_id>",
        type="http",
        auth="public",
        methods=["GET"],
        website=True,
        sitemap=False,
    )
    def muzza_reminder_page(self, reminder_id, access_token=None, currency_id=None, **kwargs):
        reminder = self._muzza_reminder(reminder_id, access_token)
        if not reminder:
            return request.not_found()
        lang = self._muzza_use_lang(reminder._muzza_lang())
        values = {
            "page_name": "muzza_reminder",
            "no_breadcrumbs": True,
            "reminder": reminder,
            "company": reminder.company_id,
            "customer_name": reminder.partner_id.name,
            "access_token": access_token,
            "promise_url": self._muzza_reminder_url(reminder, "/promise"),
            "dispute_url": self._muzza_reminder_url(reminder, "/dispute"),
            **reminder._muzza_portal_values(lang),
        }
        totals = values["totals"]
        chosen = totals[0] if totals else None
        for total in totals:
            if str(total["currency"].id) == str(currency_id or ""):
                chosen = total
            total["url"] = "%s&currency_id=%s" % (self._muzza_reminder_url(reminder), total["currency"].id)
        values["chosen"] = chosen
        if chosen and values["online_payment"]:
            moves = chosen["moves"]
            values.update(
                self._get_common_page_view_values(
                    invoices_data={
                        "partner": moves[0].partner_id,
                        "company": reminder.company_id,
                        "total_amount": chosen["amount_value"],
                        "currency": chosen["currency"],
                        "amount_residual": chosen["amount_value"],
                        "payment_reference": False,
                        "landing_route": self._muzza_reminder_url(reminder),
                        "transaction_route": "/muzza/reminder/%s/transaction/%s"
                        % (reminder.id, chosen["currency"].id),
                    },
                    access_token=access_token,
                )
            )
            values["amount"] = chosen["amount_value"]
        return request.render("muzza_receivables.portal_reminder_page", values)

    @route(
        [
            "/muzza/reminder/<int:reminder_id>/transaction",
            "/muzza/reminder/<int:reminder_id>/transaction/<int:currency_id>",
        ],
        type="json",
        auth="public",
    )
    def muzza_reminder_transaction(self, reminder_id, access_token=None, currency_id=None, **kwargs):
        """Create one draft transaction paying all the reminder's open
        invoices (in one currency) and return its processing values: paying
        it reconciles each invoice. The amount is the server's, not the
        browser's."""
        reminder = self._muzza_reminder(reminder_id, access_token)
        if not reminder:
            raise ValidationError(request.env._("The access token is invalid."))
        moves = reminder._muzza_portal_open()
        if currency_id:
            moves = moves.filtered(lambda move: move.currency_id.id == int(currency_id))
        elif len(moves.currency_id) > 1:
            raise ValidationError(
                request.env._("These invoices are in several currencies: pay them one currency at a time.")
            )
        if not moves:
            raise ValidationError(request.env._("Nothing is left to pay on this reminder."))
        kwargs.pop("payment_reference", None)  # the invoices' numbers make the reference
        self._validate_transaction_kwargs(kwargs)
        currency = moves.currency_id
        logged_in = not request.env.user._is_public()
        partner = request.env.user.partner_id if logged_in else moves[0].partner_id
        kwargs.update(
            {
                "amount": currency.round(sum(moves.mapped("amount_residual"))),
                "currency_id": currency.id,
                "partner_id": partner.id,
                "reference_prefix": None,
            }
        )
        tx_sudo = self._create_transaction(
            custom_create_values={"invoice_ids": [Command.set(moves.ids)]}, **kwargs
        )
        return tx_sudo._get_processing_values()

    # ------------------------------------------------------------------
    # promise to pay, and dispute (shared by the reminder and the invoice)
    # ------------------------------------------------------------------

    def _muzza_form_invoices(self, moves):
        """What the forms list: each open invoice with its due date and
        amount, in the customer's language."""
        Wording = request.env["muzza.wording"]
        Reminder = request.env["muzza.reminder"]
        lang = request.env.lang
        return [
            {
                "id": move.id,
                "number": move.name,
                "due": Wording._format_date(Reminder._muzza_next_due(move), lang),
                "amount": Wording._format_amount(move.amount_residual, move.currency_id, lang),
                "disputed": move.muzza_disputed,
            }
            for move in moves
        ]

    def _muzza_promise(self, moves, company, source, values):
        """Show the promise form, or record the promise it sent: ``moves``
        are the invoices that may be named (sudo)."""
        lang = request.env.lang
        Reminder = request.env["muzza.reminder"]
        today, last, limit = Reminder._muzza_portal_promise_limit(company, lang)
        values.update(
            {
                "invoices": self._muzza_form_invoices(moves),
                "limit": limit,
                "min_date": fields.Date.to_string(today),
                "max_date": fields.Date.to_string(last),
                "form": {"invoice_ids": moves.ids, "promised_date": "", "note": ""},
            }
        )
        if request.httprequest.method != "POST":
            return request.render("muzza_receivables.portal_reminder_promise", values)
        form = request.httprequest.form
        posted = form.getlist("invoice_ids")
        note = (form.get("note") or "").strip()
        values["form"] = {
            "invoice_ids": [int(v) for v in posted if str(v).isdigit()],
            "promised_date": form.get("promised_date") or "",
            "note": note,
        }
        ids = chosen_invoices(posted, set(moves.ids))
        error = None
        promised = None
        if ids is None:
            error = (
                request.env._("Choose at least one of the invoices listed.")
                if not posted
                else request.env._("Only the invoices listed here can be named.")
            )
        else:
            try:
                promised = fields.Date.to_date(values["form"]["promised_date"] or None)
            except ValueError:
                promised = None
            if not promised:
                error = request.env._("Enter the date you will pay by.")
        if not error:
            chosen = moves.browse(ids)
            try:
                with request.env.cr.savepoint():
                    promise = (
                        request.env["muzza.reminder.promise"]
                        .sudo()
                        .create(
                            {
                                "partner_id": chosen[0].commercial_partner_id.id,
                                "company_id": company.id,
                                "move_ids": [Command.set(chosen.ids)],
                                "promised_date": promised,
                                "note": note or False,
                                "source": source,
                            }
                        )
                    )
            except ValidationError as exc:
                error = exc.args[0] if exc.args else str(exc)
        if error:
            values["error"] = error
            return request.render("muzza_receivables.portal_reminder_promise", values)
        Wording = request.env["muzza.wording"]
        values["message"] = request.env._(
            "Thank you. You promised to pay %(invoices)s by %(date)s: we will not send you reminders "
            "about them until then.",
            invoices=", ".join(sorted(promise.move_ids.mapped("name"))),
            date=Wording._format_date(promise.promised_date, lang),
        )
        return request.render("muzza_receivables.portal_reminder_done", values)

    def _muzza_dispute(self, moves, source, values):
        """Show the dispute form, or record the dispute it sent: ``moves``
        are the invoices that may be named (sudo)."""
        values.update(
            {
                "invoices": self._muzza_form_invoices(moves),
                "form": {"invoice_id": moves[:1].id if len(moves) == 1 else None, "reason": ""},
            }
        )
        if request.httprequest.method != "POST":
            return request.render("muzza_receivables.portal_reminder_dispute", values)
        form = request.httprequest.form
        reason = (form.get("reason") or "").strip()
        posted = form.get("invoice_id") or ""
        values["form"] = {"invoice_id": int(posted) if posted.isdigit() else None, "reason": reason}
        ids = chosen_invoices([posted] if posted else [], set(moves.ids))
        error = None
        if ids is None:
            error = (
                request.env._("Choose the invoice you dispute.")
                if not posted
                else request.env._("Only the invoices listed here can be named.")
            )
        elif not reason:
            error = request.env._("Tell us what is wrong with the invoice.")
        else:
            move = moves.browse(ids[0])
            if move.muzza_disputed:
                error = request.env._(
                    "Invoice %(invoice)s is disputed already: we are looking into it.", invoice=move.name
                )
        if not error:
            try:
                with request.env.cr.savepoint():
                    dispute = (
                        request.env["muzza.reminder.dispute"]
                        .sudo()
                        .create({"move_id": move.id, "reason": reason, "source": source})
                    )
            except ValidationError as exc:
                error = exc.args[0] if exc.args else str(exc)
        if error:
            values["error"] = error
            return request.render("muzza_receivables.portal_reminder_dispute", values)
        values["message"] = request.env._(
            "Thank you. We received your dispute of invoice %(invoice)s and will come back to you; "
            "we will not send you reminders about it in the meantime.",
            invoice=dispute.move_id.name,
        )
        return request.render("muzza_receivables.portal_reminder_done", values)

    # ------------------------------------------------------------------
    # from the reminder's link
    # ------------------------------------------------------------------

    def _muzza_reminder_form_values(self, reminder, access_token):
        return {
            "page_name": "muzza_reminder",
            "no_breadcrumbs": True,
            "company": reminder.company_id,
            "customer_name": reminder.partner_id.name,
            "action": "/muzza/reminder/%s" % reminder.id,
            "access_token": access_token,
            "back_url": self._muzza_reminder_url(reminder),
        }

    @route(
        "/muzza/reminder/<int:reminder_id>/promise",
        type="http",
        auth="public",
        methods=["GET", "POST"],
        website=True,
        sitemap=False,
    )
    def muzza_reminder_promise(self, reminder_id, access_token=None, **kwargs):
        reminder = self._muzza_reminder(reminder_id, access_token)
        if not reminder:
            return request.not_found()
        self._muzza_use_lang(reminder._muzza_lang())
        values = self._muzza_reminder_form_values(reminder, access_token)
        values["action"] += "/promise"
        moves = reminder._muzza_portal_open()
        if not moves:
            return self._muzza_nothing_open(values)
        return self._muzza_promise(moves, reminder.company_id, "customer", values)

    @route(
        "/muzza/reminder/<int:reminder_id>/dispute",
        type="http",
        auth="public",
        methods=["GET", "POST"],
        website=True,
        sitemap=False,
    )
    def muzza_reminder_dispute(self, reminder_id, access_token=None, **kwargs):
        reminder = self._muzza_reminder(reminder_id, access_token)
        if not reminder:
            return request.not_found()
        self._muzza_use_lang(reminder._muzza_lang())
        values = self._muzza_reminder_form_values(reminder, access_token)
        values["action"] += "/dispute"
        moves = reminder._muzza_portal_open()
        if not moves:
            return self._muzza_nothing_open(values)
        return self._muzza_dispute(moves, "customer", values)

    def _muzza_nothing_open(self, values):
        values["message"] = request.env._("Nothing is left to pay on these invoices: thank you.")
        return request.render("muzza_receivables.portal_reminder_done", values)

    # ------------------------------------------------------------------
    # from Odoo's invoice page
    # ------------------------------------------------------------------

    def _muzza_invoice_form(self, invoice_id, access_token, suffix):
        """The open invoice and the form's values, or a response to return
        instead (a redirect to the portal when it cannot be read, the invoice
        page when it is not open)."""
        invoice = self._muzza_invoice(invoice_id, access_token)
        if invoice is None:
            return None, request.redirect("/my")
        status = invoice_status(
            invoice.state,
            invoice.payment_state,
            invoice.currency_id.is_zero(invoice.amount_residual),
            False,
        )
        if invoice.move_type != "out_invoice" or status != OPEN:
            return None, request.redirect(invoice.get_portal_url())
        self._muzza_use_lang(request.env["muzza.wording"]._lang_of(invoice.partner_id))
        values = {
            "page_name": "invoice",
            "no_breadcrumbs": True,
            "company": invoice.company_id,
            "customer_name": invoice.commercial_partner_id.name,
            "action": "/muzza/invoice/%s%s" % (invoice.id, suffix),
            "access_token": access_token,
            "back_url": invoice.get_portal_url(),
        }
        return invoice, values

    @route(
        "/muzza/invoice/<int:invoice_id>/promise",
        type="http",
        auth="public",
        methods=["GET", "POST"],
        website=True,
        sitemap=False,
    )
    def muzza_invoice_promise(self, invoice_id, access_token=None, **kwargs):
        invoice, values = self._muzza_invoice_form(invoice_id, access_token, "/promise")
        if invoice is None:
            return values
        return self._muzza_promise(invoice, invoice.company_id, "portal", values)

    @route(
        "/muzza/invoice/<int:invoice_id>/dispute",
        type="http",
        auth="public",
        methods=["GET", "POST"],
        website=True,
        sitemap=False,
    )
    def muzza_invoice_dispute(self, invoice_id, access_token=None, **kwargs):
        invoice, values = self._muzza_invoice_form(invoice_id, access_token, "/dispute")
        if invoice is None:
            return values
        return self._muzza_dispute(invoice, "portal", values)
