# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from unittest.mock import patch

from freezegun import freeze_time

from odoo import http
from odoo.tests import HttpCase, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from odoo.addons.mail.tests.common import mail_new_test_user

from .test_invoice_report import visible_text
from .test_reminders import ReminderCase


@tagged("post_install", "-at_install", "muzza_once_without_stock")
class TestReminderPortal(ReminderCase, HttpCase):
    """The customer's side of a reminder: the page its link opens (no
    login, the reminder's access token), paying them all, promising a date,
    disputing an invoice; and the same promise and dispute on Odoo's invoice
    page."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if "demo_simulated_state" not in cls.env["payment.token"]._fields:
            raise AssertionError("These tests pay through payment_demo: install it (scripts/test does).")
        cls.env["ir.config_parameter"].sudo().set_param("account_payment.enable_portal_payment", True)
        Provider = cls.env["payment.provider"].sudo()
        provider = Provider.search([("code", "=", "demo"), ("company_id", "=", cls.company.id)], limit=1)
        if not provider:
            provider = Provider.search([("code", "=", "demo")], limit=1).copy({"company_id": cls.company.id})
        cls.demo_method = cls.env.ref("payment_demo.payment_method_demo")
        provider.write(
            {"state": "test", "is_published": True, "payment_method_ids": [(4, cls.demo_method.id)]}
        )
        cls.provider = provider
        cls.policy = cls.env["muzza.late.fee.policy"].create(
            {
                "name": "1.5 % per month after 5 days",
                "kind": "interest",
                "rate": 1.5,
                "rate_period": "month",
                "grace_days": 5,
            }
        )
        cls.customer.with_company(cls.company).muzza_late_fee_policy_id = cls.policy
        cls.stranger = cls.env["res.partner"].create(
            {"name": "Other Customer", "is_company": True, "email": "ap@other.example.com", "lang": "en_US"}
        )
        cls.wording = cls.env["muzza.wording"]

    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------

    def amount(self, value, currency, lang="en_US"):
        """An amount as the page reads (no-break spaces as spaces)."""
        return visible_text(self.wording._format_amount(value, currency, lang))

    def reminded(self, partner, at):
        self.run_cron(at)
        reminder = self.sent(partner)[-1:]
        self.assertTrue(reminder, "the scheduled action sent a reminder")
        return reminder

    def url(self, reminder, suffix="", token=None):
        return "/muzza/reminder/%s%s?access_token=%s" % (
            reminder.id,
            suffix,
            reminder.access_token if token is None else token,
        )

    def page(self, url):
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200, url)
        return visible_text(response.content.decode())

    def post(self, url, data):
        if not getattr(self, "session", None):
            self.authenticate(None, None)
        return self.url_open(url, data={**data, "csrf_token": http.Request.csrf_token(self)})

    def pay(self, move, amount, day):
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=move.ids
        ).create({"payment_date": day, "amount": amount})._create_payments()

    def promises(self, partner):
        return self.env["muzza.reminder.promise"].search([("partner_id", "=", partner.id)])

    def disputes(self, partner):
        return self.env["muzza.reminder.dispute"].search([("partner_id", "=", partner.id)])

    # ------------------------------------------------------------------
    # the page
    # ------------------------------------------------------------------

    @freeze_time("2026-12-04 10:00:00")
    def test_page_shows_each_invoice_as_it_stands_in_english(self):
        first = self.invoice(self.customer, 1000, "2026-11-01", "2026-11-25")
        second = self.invoice(self.customer, 250.5, "2026-11-02", "2026-11-24")
        with freeze_time("2026-12-03 10:00:00"):
            reminder = self.reminded(self.customer, "2026-12-03 10:00:00")
        self.assertEqual(reminder.line_ids.move_id, first | second)
        self.pay(second, 250.5, "2026-12-04")  # paid after the reminder went out
        response = self.url_open(self.url(reminder))
        self.assertEqual(response.status_code, 200)
        markup = response.content.decode()
        text = visible_text(markup)
        fee = first.muzza_fee_accrued
        self.assertGreater(fee, 0.0, "the invoice is late beyond the grace days: fees accrue")
        self.assertIn(
            "%s November 25, 2026 $ 1,000.00 %s Open" % (first.name, self.amount(fee, first.currency_id)),
            text,
        )
        self.assertIn("%s November 24, 2026 Paid" % second.name, text)
        self.assertIn("Total to pay $ 1,000.00 %s" % self.amount(fee, first.currency_id), text)
        self.assertIn("Pay them all", text)
        self.assertIn("Amount $ 1,000.00", text)
        # each invoice links to its own portal page, with its own token
        self.assertIn('href="%s"' % first.get_portal_url().replace("&", "&amp;"), markup)
        self.assertIn('id="o_payment_form"', markup, "Odoo's payment form")
        self.assertIn(
            'data-transaction-route="/muzza/reminder/%s/transaction/%s"'
            % (reminder.id, first.currency_id.id),
            markup,
        )
        self.assertIn("Tell us when you will pay", text)
        # nothing internal: no hold reason, no salesperson's note, no risk
        self.assertNotIn("Held Because", text)
        self.assertNotIn("risk", text.lower())

        self.pay(first, 1000, "2026-12-04")
        text = self.page(self.url(reminder))
        self.assertIn("Nothing is left to pay on these invoices: thank you.", text)
        self.assertIn("%s November 25, 2026 Paid" % first.name, text)
        self.assertNotIn("Pay them all", text)

    @freeze_time("2026-12-02 16:00:00")
    def test_page_reads_in_the_spanish_customers_language(self):
        move = self.invoice(self.cliente, 1234.5, "2026-11-01", "2026-11-20")
        with freeze_time("2026-12-01 16:00:00"):
            reminder = self.reminded(self.cliente, "2026-12-01 16:00:00")
        self.assertEqual(reminder._muzza_lang(), "es_ES")
        self.url_open("/web/set_lang?lang=en_US")  # an English browser
        text = self.page(self.url(reminder))
        amount = self.amount(1234.5, move.currency_id, "es_ES")
        self.assertIn("1.234,50", amount)
        self.assertIn("%s 20 de noviembre de 2026 %s" % (move.name, amount), text)
        self.assertNotIn("November", text)

    def test_a_wrong_or_missing_token_is_refused(self):
        move = self.invoice(self.customer, 100, "2026-11-01", "2026-11-25")
        with freeze_time("2026-12-03 10:00:00"):
            reminder = self.reminded(self.customer, "2026-12-03 10:00:00")
        good = reminder.access_token
        self.assertTrue(good)
        with mute_logger("odoo.http"):
            for url in (
                self.url(reminder, token="x" + good[1:]),
                "/muzza/reminder/%s" % reminder.id,
                self.url(reminder, token=""),
                "/muzza/reminder/%s?access_token=%s" % (reminder.id + 999999, good),
                self.url(reminder, "/promise", token="wrong"),
                self.url(reminder, "/dispute", token="wrong"),
            ):
                response = self.url_open(url)
                self.assertEqual(response.status_code, 404, url)
                self.assertNotIn(move.name, response.content.decode(), url)
            response = self.post(
                self.url(reminder, "/dispute", token="wrong"), {"invoice_id": move.id, "reason": "Not ours"}
            )
            self.assertEqual(response.status_code, 404)
            self.assertFalse(self.disputes(self.customer))
            with self.assertRaisesRegex(JsonRpcException, "ValidationError"):
                self.make_jsonrpc_request(
                    "/muzza/reminder/%s/transaction" % reminder.id,
                    {"access_token": "wrong", **self._tx_params()},
                )
        self.assertFalse(self.env["payment.transaction"].search([("invoice_ids", "in", move.ids)]))

    # ------------------------------------------------------------------
    # promise to pay
    # ------------------------------------------------------------------

    @freeze_time("2026-12-04 10:00:00")
    def test_promise_within_the_limit_pauses_and_beyond_it_is_refused(self):
        first = self.invoice(self.customer, 1000, "2026-11-01", "2026-11-25")
        second = self.invoice(self.customer, 300, "2026-11-02", "2026-11-24")
        with freeze_time("2026-12-03 10:00:00"):
            reminder = self.reminded(self.customer, "2026-12-03 10:00:00")
        text = self.page(self.url(reminder, "/promise"))
        self.assertIn("You can promise a date up to 30 days ahead: January 3, 2027 at the latest.", text)
        self.assertIn("%s , due November 25, 2026: $ 1,000.00" % first.name, text)

        response = self.post(
            self.url(reminder, "/promise"),
            {"invoice_ids": [first.id, second.id], "promised_date": "2027-01-10"},
        )
        self.assertEqual(response.status_code, 200)
        text = visible_text(response.content.decode())
        self.assertIn("A promise to pay is at most 30 days ahead: by January 3, 2027 at the latest.", text)
        self.assertIn("Send my promise", text, "the form again")
        self.assertFalse(self.promises(self.customer), "nothing written")

        response = self.post(
            self.url(reminder, "/promise"), {"invoice_ids": [first.id], "promised_date": "2026-12-01"}
        )
        self.assertIn("The promised date cannot be in the past.", visible_text(response.content.decode()))
        self.assertFalse(self.promises(self.customer))

        response = self.post(
            self.url(reminder, "/promise"),
            {
                "invoice_ids": [first.id, second.id],
                "promised_date": "2027-01-03",
                "note": "Waiting for our client",
            },
        )
        text = visible_text(response.content.decode())
        promise = self.promises(self.customer)
        self.assertEqual(len(promise), 1)
        self.assertEqual(
            (promise.source, promise.move_ids, str(promise.promised_date), promise.note),
            ("customer", first | second, "2027-01-03", "Waiting for our client"),
        )
        self.assertTrue(promise.paused_until)
        self.assertIn(
            "You promised to pay %s, %s by January 3, 2027: we will not send you reminders "
            "about them until then." % (first.name, second.name),
            text,
        )

    # ------------------------------------------------------------------
    # dispute
    # ------------------------------------------------------------------

    @freeze_time("2026-12-04 10:00:00")
    def test_dispute_announces_to_the_salesperson_and_holds_the_reminders(self):
        move = self.invoice(self.customer, 1000, "2026-11-01", "2026-11-25")
        with freeze_time("2026-12-03 10:00:00"):
            reminder = self.reminded(self.customer, "2026-12-03 10:00:00")
        self.assertIn(move.name, self.page(self.url(reminder, "/dispute")))
        response = self.post(
            self.url(reminder, "/dispute"), {"invoice_id": move.id, "reason": "We never received the goods"}
        )
        text = visible_text(response.content.decode())
        self.assertIn("We received your dispute of invoice %s" % move.name, text)
        dispute = self.disputes(self.customer)
        self.assertEqual((dispute.move_id, dispute.source, dispute.state), (move, "customer", "open"))
        self.assertEqual(dispute.reason, "We never received the goods")
        activity = move.activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref("muzza_receivables.mail_activity_reminder_dispute")
        )
        self.assertEqual(activity.user_id, self.seller)

        # the same invoice again: it says so, nothing more is written
        response = self.post(self.url(reminder, "/dispute"), {"invoice_id": move.id, "reason": "Again"})
        self.assertIn("Invoice %s is disputed already" % move.name, visible_text(response.content.decode()))
        self.assertEqual(len(self.disputes(self.customer)), 1)

        # 16 days late, the next level would go out: held, because disputed
        with freeze_time("2026-12-11 10:00:00"), patch.object(self.env.cr, "commit", lambda: None):
            self.env["muzza.reminder"]._cron_decide_reminders()
        held = self.env["muzza.reminder"].search(
            [("partner_id", "=", self.customer.id), ("state", "=", "held")]
        )
        self.assertEqual(held.hold_reason, "dispute")
        self.assertEqual(held.line_ids.move_id, move)
        self.assertFalse(
            self.env["muzza.reminder"].search(
                [("partner_id", "=", self.customer.id), ("state", "=", "queued")]
            )
        )

    @freeze_time("2026-12-04 10:00:00")
    def test_tampered_invoice_ids_are_refused(self):
        move = self.invoice(self.customer, 1000, "2026-11-01", "2026-11-25")
        later = self.invoice(self.customer, 50, "2026-11-20", "2026-12-20")  # not in the reminder
        foreign = self.invoice(self.stranger, 700, "2026-11-01", "2026-11-25")
        with freeze_time("2026-12-03 10:00:00"):
            reminder = self.reminded(self.customer, "2026-12-03 10:00:00")
        self.assertEqual(reminder.line_ids.move_id, move)
        for ids in ([foreign.id], [move.id, foreign.id], [later.id], ["%s OR 1=1" % move.id]):
            response = self.post(
                self.url(reminder, "/promise"), {"invoice_ids": ids, "promised_date": "2026-12-20"}
            )
            self.assertEqual(response.status_code, 200)
            self.assertIn(
                "Only the invoices listed here can be named.", visible_text(response.content.decode()), ids
            )
        # a form posted from elsewhere (no CSRF token) is refused
        with mute_logger("odoo.http"):
            response = self.url_open(
                self.url(reminder, "/dispute"), data={"invoice_id": move.id, "reason": "Forged"}
            )
        self.assertEqual(response.status_code, 400)
        for invoice in (foreign, later):
            response = self.post(
                self.url(reminder, "/dispute"), {"invoice_id": invoice.id, "reason": "Tampered"}
            )
            self.assertIn(
                "Only the invoices listed here can be named.", visible_text(response.content.decode())
            )
        self.assertFalse(
            self.env["muzza.reminder.promise"]
            .search([])
            .filtered(lambda p: p.move_ids & (foreign | later | move))
        )
        self.assertFalse(
            self.env["muzza.reminder.dispute"].search([("move_id", "in", (foreign | later | move).ids)])
        )
        # another reminder's token does not open this one
        # (the same run reminded the other customer of their own invoice)
        other_reminder = self.sent(self.stranger)
        self.assertEqual(other_reminder.line_ids.move_id, foreign)
        self.assertIn(foreign.name, self.page(self.url(other_reminder)))
        with mute_logger("odoo.http"):
            response = self.url_open(self.url(reminder, token=other_reminder.access_token))
        self.assertEqual(response.status_code, 404)

    # ------------------------------------------------------------------
    # pay them all
    # ------------------------------------------------------------------

    def _tx_params(self, amount=1.0):
        return {
            "provider_id": self.provider.id,
            "payment_method_id": self.demo_method.id,
            "token_id": None,
            "amount": amount,
            "flow": "direct",
            "tokenization_requested": False,
            "landing_route": "/muzza/reminder",
            "is_validation": False,
            "payment_reference": "BATCH/TAMPERED",
        }

    @freeze_time("2026-12-04 10:00:00")
    def test_pay_all_links_one_transaction_to_exactly_the_open_invoices(self):
        first = self.invoice(self.customer, 1000, "2026-11-01", "2026-11-25")
        second = self.invoice(self.customer, 250.5, "2026-11-02", "2026-11-24")
        paid = self.invoice(self.customer, 80, "2026-11-03", "2026-11-26")
        self.invoice(self.customer, 999, "2026-11-30", "2026-12-30")  # open, not in the reminder
        with freeze_time("2026-12-03 10:00:00"):
            reminder = self.reminded(self.customer, "2026-12-03 10:00:00")
        self.assertEqual(reminder.line_ids.move_id, first | second | paid)
        self.pay(paid, 80, "2026-12-04")
        self.authenticate(None, None)
        values = self.make_jsonrpc_request(
            "/muzza/reminder/%s/transaction/%s" % (reminder.id, first.currency_id.id),
            {"access_token": reminder.access_token, **self._tx_params(amount=1.0)},
        )
        tx = self.env["payment.transaction"].sudo().search([("reference", "=", values["reference"])])
        self.assertEqual(tx.invoice_ids, first | second)
        self.assertEqual(tx.amount, 1250.5, "the server's amount, not the browser's")
        self.assertEqual(tx.currency_id, first.currency_id)
        self.assertEqual(tx.partner_id, first.partner_id)
        self.assertNotIn("TAMPERED", tx.reference)
        # the provider takes it: each invoice is paid
        tx._set_done()
        tx._post_process()
        self.assertTrue(all(move.payment_state in ("paid", "in_payment") for move in first | second))

    # ------------------------------------------------------------------
    # Odoo's invoice page
    # ------------------------------------------------------------------

    @freeze_time("2026-12-04 10:00:00")
    def test_invoice_page_offers_promise_and_dispute_to_its_customer(self):
        move = self.invoice(self.customer, 1000, "2026-11-01", "2026-11-25")
        contact = self.env["res.partner"].create(
            {"name": "Ann Harbor", "parent_id": self.customer.id, "email": "ann@harbor.example.com"}
        )
        mail_new_test_user(
            self.env,
            login="ann.portal",
            password="ann.portal.pw",
            groups="base.group_portal",
            partner_id=contact.id,
        )
        stranger_contact = self.env["res.partner"].create(
            {"name": "Sam Other", "parent_id": self.stranger.id, "email": "sam@other.example.com"}
        )
        mail_new_test_user(
            self.env,
            login="sam.portal",
            password="sam.portal.pw",
            groups="base.group_portal",
            partner_id=stranger_contact.id,
        )
        # a portal user of another customer: nothing to see, nothing to write
        self.authenticate("sam.portal", "sam.portal.pw")
        response = self.post(
            "/muzza/invoice/%s/dispute" % move.id, {"reason": "Not mine", "invoice_id": move.id}
        )
        self.assertTrue(response.url.endswith("/my"), response.url)
        self.assertFalse(self.disputes(self.customer))

        # the customer's own portal user
        self.authenticate("ann.portal", "ann.portal.pw")
        text = self.page("/my/invoices/%s" % move.id)
        self.assertIn("Promise to pay", text)
        self.assertIn("Dispute this invoice", text)
        response = self.post(
            "/muzza/invoice/%s/dispute" % move.id, {"invoice_id": move.id, "reason": "Wrong quantity"}
        )
        self.assertIn(
            "We received your dispute of invoice %s" % move.name, visible_text(response.content.decode())
        )
        dispute = self.disputes(self.customer)
        self.assertEqual((dispute.move_id, dispute.source), (move, "portal"))
        text = self.page("/my/invoices/%s" % move.id)
        self.assertIn("Disputed: we are looking into it", text)
        self.assertNotIn("Dispute this invoice", text)

        # with the invoice's access token, no login
        self.authenticate(None, None)
        url = "/muzza/invoice/%s/promise?access_token=%s" % (move.id, move._portal_ensure_token())
        self.assertIn("January 3, 2027 at the latest", self.page(url))
        response = self.post(url, {"invoice_ids": [move.id], "promised_date": "2026-12-18"})
        self.assertIn("by December 18, 2026", visible_text(response.content.decode()))
        promise = self.promises(self.customer)
        self.assertEqual((promise.source, promise.move_ids), ("portal", move))
        # a wrong token: back to the portal, nothing written
        response = self.post(
            "/muzza/invoice/%s/promise?access_token=wrong" % move.id,
            {"invoice_ids": [move.id], "promised_date": "2026-12-19"},
        )
        self.assertTrue(response.url.endswith("/my") or "/web/login" in response.url, response.url)
        self.assertEqual(len(self.promises(self.customer)), 1)
