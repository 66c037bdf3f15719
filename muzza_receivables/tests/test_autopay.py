# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import html
from unittest.mock import patch

import psycopg2
from freezegun import freeze_time

from odoo import Command, http
from odoo.exceptions import UserError, ValidationError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.mail.tests.common import mail_new_test_user

from .common import batch_size, run_cron_like_odoo
from .test_invoice_report import visible_text


class AutopayCommon:
    """Customers, a demo-provider token and invoices; needs ``payment_demo``
    (the README's test command installs it next to the module)."""

    @classmethod
    def _setup_autopay(cls, company):
        if "demo_simulated_state" not in cls.env["payment.token"]._fields:
            raise AssertionError(
                "These tests charge through Odoo's payment_demo provider: install payment_demo "
                "in the test database (scripts/test does)."
            )
        Provider = cls.env["payment.provider"].sudo()
        provider = Provider.search([("code", "=", "demo"), ("company_id", "=", company.id)], limit=1)
        if not provider:
            provider = Provider.search([("code", "=", "demo")], limit=1).copy({"company_id": company.id})
        provider.write({"state": "test"})
        cls.provider = provider
        cls.template = cls.env["muzza.contract.template"].create(
            {
                "name": "Monthly, autopay",
                "company_id": company.id,
                "payment_term_id": cls.env.ref("account.account_payment_term_30days").id,
                "autopay_offered": True,
            }
        )
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Punctual Corp",
                "is_company": True,
                "email": "ap@punctual.example.com",
                "lang": "en_US",
            }
        )
        cls.accountant = cls.env["res.partner"].create(
            {"name": "Ada Payer", "parent_id": cls.customer.id, "email": "ada@punctual.example.com"}
        )
        cls.customer.with_company(company).muzza_contract_template_id = cls.template
        cls.other = cls.env["res.partner"].create({"name": "No Consent Ltd", "is_company": True})
        cls.token = cls._token(cls.customer, "4242")
        cls.other_token = cls._token(cls.other, "1111")

    @classmethod
    def _token(cls, partner, digits, state="done"):
        return (
            cls.env["payment.token"]
            .sudo()
            .create(
                {
                    "provider_id": cls.provider.id,
                    "payment_method_id": cls.env.ref("payment_demo.payment_method_demo").id,
                    "payment_details": digits,
                    "partner_id": partner.id,
                    "provider_ref": "demo-%s" % digits,
                    "demo_simulated_state": state,
                }
            )
        )


@tagged("post_install", "-at_install", "muzza_once_with_stock")
class TestAutopay(AutopayCommon, AccountTestInvoicingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls._setup_autopay(cls.env.company)
        cls.pay_30 = cls.env.ref("account.account_payment_term_30days")

    def _consent(self, on="2026-11-01 09:00:00", max_amount=5000.0, token=None, partner=None):
        partner = partner or self.customer
        return self.env["muzza.autopay.consent"].create(
            {
                "partner_id": partner.id,
                "token_id": (token or self.token).id,
                "max_amount": max_amount,
                "signed_by_id": (self.accountant if partner == self.customer else partner).id,
                "signed_on": on,
            }
        )

    def _invoice(self, partner=None, amount=1200.0, invoice_date="2026-11-15", term=None):
        move = self.init_invoice(
            "out_invoice",
            partner=partner or self.customer,
            invoice_date=invoice_date,
            amounts=[amount],
            taxes=self.env["account.tax"],
        )
        move.invoice_payment_term_id = term or self.pay_30
        move.action_post()
        return move

    def _run_cron(self, day):
        commits = []
        with freeze_time(day), patch.object(self.env.cr, "commit", lambda: commits.append(day)):
            done = self.env["muzza.autopay.consent"]._cron_autopay()
        return done, len(commits)

    def _transactions(self, move):
        return self.env["payment.transaction"].search([("invoice_ids", "in", move.ids)])

    # ------------------------------------------------------------------------

    def test_every_invoice_due_is_charged_past_the_first_batch(self):
        self._consent()
        invoices = self.env["account.move"].concat(*(self._invoice(amount=100.0 * n) for n in range(1, 6)))
        with batch_size(self.env, 2):
            calls, progress, _commits = run_cron_like_odoo(
                self.env, "muzza_receivables.ir_cron_autopay", "2026-12-15"
            )
            self.assertGreater(calls, 2)
            run_cron_like_odoo(self.env, "muzza_receivables.ir_cron_autopay", "2026-12-15")
        self.assertEqual(sum(done for done, _remaining in progress), 5)
        for invoice in invoices:
            self.assertEqual(len(self._transactions(invoice)), 1, invoice.name)
            self.assertIn(invoice.payment_state, ("paid", "in_payment"))

    def test_a_consent_charges_only_the_invoices_of_its_company(self):
        company_b = self.setup_other_company(name="Company B")["company"]
        self.env.user.company_ids |= company_b
        self._consent()  # given in company A
        in_a = self._invoice()
        move = self.init_invoice(
            "out_invoice",
            partner=self.customer,
            invoice_date="2026-11-15",
            amounts=[1200.0],
            taxes=self.env["account.tax"],
            company=company_b,
        )
        move.invoice_payment_term_id = self.pay_30
        move.action_post()
        run_cron_like_odoo(self.env, "muzza_receivables.ir_cron_autopay", "2026-12-15")
        self.assertEqual(len(self._transactions(in_a)), 1)
        self.assertFalse(self._transactions(move), "no consent was given in company B")
        # a user of company A alone sees neither company B's consents nor its charges
        user_a = mail_new_test_user(
            self.env,
            login="muzza_autopay_user_a",
            groups="base.group_user,account.group_account_invoice",
            company_id=self.env.company.id,
            company_ids=[Command.set(self.env.company.ids)],
        )
        self.assertTrue(
            self.env["muzza.autopay.attempt"].with_user(user_a).search([("move_id", "=", in_a.id)])
        )
        b_consent = (
            self.env["muzza.autopay.consent"]
            .sudo()
            .create(
                {
                    "partner_id": self.customer.id,
                    "company_id": company_b.id,
                    "token_id": self._token_in(company_b).id,
                    "max_amount": 5000.0,
                    "signed_by_id": self.accountant.id,
                }
            )
        )
        self.assertFalse(
            self.env["muzza.autopay.consent"].with_user(user_a).search([("id", "=", b_consent.id)])
        )

    def _token_in(self, company):
        provider = self.provider.sudo().copy({"company_id": company.id, "state": "test"})
        return (
            self.env["payment.token"]
            .sudo()
            .create(
                {
                    "provider_id": provider.id,
                    "payment_method_id": self.env.ref("payment_demo.payment_method_demo").id,
                    "payment_details": "9999",
                    "partner_id": self.customer.id,
                    "provider_ref": "demo-b",
                    "demo_simulated_state": "done",
                }
            )
        )

    def test_charges_a_consenting_customer_once_on_the_due_date_and_never_others(self):
        self._consent()
        invoice = self._invoice()  # due 2026-12-15
        other_invoice = self._invoice(partner=self.other)
        self.assertEqual(invoice.invoice_date_due.isoformat(), "2026-12-15")

        self._run_cron("2026-12-14")
        self.assertFalse(self._transactions(invoice), "nothing is charged before the due date")

        _done, commits = self._run_cron("2026-12-15")
        tx = self._transactions(invoice)
        self.assertEqual(len(tx), 1)
        self.assertEqual(
            (tx.state, tx.amount, tx.token_id, tx.operation), ("done", 1200.0, self.token, "offline")
        )
        self.assertIn(invoice.payment_state, ("paid", "in_payment"), "the payment is reconciled with it")
        self.assertEqual(invoice.muzza_autopay_attempt_ids.state, "done")
        self.assertFalse(self._transactions(other_invoice), "a customer who did not agree is never charged")
        self.assertEqual(other_invoice.payment_state, "not_paid")
        self.assertGreaterEqual(commits, 2, "the attempt is committed before the provider is asked")

        for day in ("2026-12-15", "2026-12-16", "2027-01-20"):
            self._run_cron(day)
        self.assertEqual(len(self._transactions(invoice)), 1, "never charged twice")
        self.assertFalse(self._transactions(other_invoice))

    def test_a_failed_charge_creates_an_activity_and_is_not_retried(self):
        self.token.demo_simulated_state = "error"
        self._consent()
        self.env.user.email = "billing@muzza.example.com"
        invoice = self._invoice()
        invoice.invoice_user_id = self.env.user
        self._run_cron("2026-12-15")
        attempt = invoice.muzza_autopay_attempt_ids
        self.assertEqual(attempt.state, "failed")
        self.assertEqual(invoice.payment_state, "not_paid", "the invoice stays open for the reminders")
        activity = invoice.activity_ids
        self.assertEqual(activity.summary, "Automatic payment failed")
        self.assertEqual(activity.user_id, self.env.user)
        note = html.unescape(str(activity.note))
        self.assertIn("Automatic payment of $\xa01,200.00 with", note)
        self.assertIn("You selected the following demo payment status: error", note)
        self.assertIn("the usual reminders apply", note)
        for day in ("2026-12-16", "2026-12-30"):
            self._run_cron(day)
        self.assertEqual(len(self._transactions(invoice)), 1, "the same amount is not attempted again")
        self.assertEqual(len(invoice.activity_ids), 1)

    def test_removing_the_payment_method_ends_the_consent(self):
        consent = self._consent()
        self.token.sudo().action_archive()
        self.assertFalse(consent.active)
        self.assertTrue(consent.withdrawn_on)
        self.assertFalse(self.customer.muzza_autopay_consent_id)
        new_token = self._token(self.customer, "5555")
        self.assertTrue(self._consent(token=new_token).active, "the customer can agree again")

    def test_an_amount_above_the_limit_is_not_charged_but_reported(self):
        self._consent(max_amount=1000.0)
        invoice = self._invoice(amount=1200.0)
        self._run_cron("2026-12-15")
        self.assertFalse(self._transactions(invoice))
        self.assertEqual(invoice.muzza_autopay_attempt_ids.state, "over_limit")
        self.assertIn("above the $\xa01,000.00 per charge", html.unescape(str(invoice.activity_ids.note)))
        self._run_cron("2026-12-16")
        self.assertEqual(len(invoice.muzza_autopay_attempt_ids), 1)

    def test_withdrawn_and_later_consents_do_not_charge(self):
        consent = self._consent()
        early = self._invoice(invoice_date="2026-10-01")  # due 2026-10-31, before the consent
        invoice = self._invoice()
        consent.action_withdraw()
        self.assertFalse(consent.active)
        self.assertFalse(self.customer.muzza_autopay_consent_id)
        self._run_cron("2026-12-15")
        self.assertFalse(self._transactions(invoice), "withdrawn: nothing is charged")

        self._consent(on="2026-12-16 08:00:00")
        self._run_cron("2026-12-20")
        self.assertFalse(self._transactions(invoice), "fell due before the new consent")
        self.assertFalse(self._transactions(early))
        self.assertEqual(len(self.customer.with_context(active_test=False).muzza_autopay_consent_ids), 2)

    def test_instalments_are_charged_each_on_its_own_date(self):
        term = self.env["account.payment.term"].create(
            {
                "name": "Half now, half in 30 days",
                "line_ids": [
                    Command.create({"value": "percent", "value_amount": 50.0, "nb_days": 0}),
                    Command.create({"value": "percent", "value_amount": 50.0, "nb_days": 30}),
                ],
            }
        )
        self._consent()
        invoice = self._invoice(amount=1000.0, invoice_date="2026-11-20", term=term)
        self._run_cron("2026-11-20")
        self.assertEqual(self._transactions(invoice).mapped("amount"), [500.0])
        self.assertEqual(invoice.payment_state, "partial")
        self._run_cron("2026-12-19")
        self.assertEqual(len(self._transactions(invoice)), 1)
        self._run_cron("2026-12-20")
        self.assertEqual(sorted(self._transactions(invoice).mapped("amount")), [500.0, 500.0])
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))

    def test_an_attempt_on_record_is_never_sent_again(self):
        """A crash after the attempt was committed but before the provider
        answered leaves a draft transaction; later runs do not charge again."""
        consent = self._consent()
        invoice = self._invoice()
        with freeze_time("2026-12-15"):
            attempt = self.env["muzza.autopay.attempt"]._prepare(invoice, invoice.invoice_date_due)
        self.assertEqual(attempt.state, "pending")
        invoice.sudo().muzza_autopay_checked_on = False  # as if the crash came before the day was marked
        self._run_cron("2026-12-15")
        self._run_cron("2026-12-16")
        self.assertEqual(self._transactions(invoice), attempt.transaction_id)
        self.assertEqual(attempt.transaction_id.state, "draft")
        with self.assertRaises(psycopg2.IntegrityError), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            self.env["muzza.autopay.attempt"].sudo().create(
                {"move_id": invoice.id, "consent_id": consent.id, "amount": 1200.0, "due_date": "2026-12-15"}
            )

    def test_a_locked_invoice_is_left_to_the_worker_holding_it(self):
        self._consent()
        invoice = self._invoice()
        execute = self.env.cr.execute

        def another_worker_holds_it(query, params=None, log_exceptions=True):
            if "SKIP LOCKED" in str(query):
                return execute("SELECT id FROM account_move WHERE false")
            return execute(query, params, log_exceptions)

        with patch.object(self.env.cr, "execute", another_worker_holds_it):
            done, _commits = self._run_cron("2026-12-15")
        self.assertEqual(done, 0)
        self.assertFalse(self._transactions(invoice))

    def test_consent_is_validated_and_its_terms_frozen_once_used(self):
        Consent = self.env["muzza.autopay.consent"]
        with self.assertRaises(ValidationError) as caught:
            self._consent(token=self.other_token, max_amount=-5)
        self.assertIn("the payment method belongs to another customer", str(caught.exception))
        self.assertIn("the maximum amount per charge must be positive", str(caught.exception))
        self.assertFalse(Consent.search([("partner_id", "=", self.customer.id)]), "nothing half-written")
        consent = self._consent()
        self.assertEqual(self.customer.muzza_autopay_consent_id, consent)
        self.assertEqual(self.accountant.muzza_autopay_consent_id, consent, "contacts see their company's")
        with self.assertRaises(ValidationError) as caught:
            self._consent()
        self.assertIn("already has an automatic-payment consent in force", str(caught.exception))
        self._invoice()
        self._run_cron("2026-12-15")
        with self.assertRaisesRegex(UserError, "can no longer change"):
            consent.max_amount = 99999.0
        with self.assertRaisesRegex(UserError, "withdraw it instead"):
            consent.sudo().unlink()

    def test_the_invoice_says_when_and_with_what_it_will_be_charged(self):
        self._consent()
        invoice = self._invoice()
        with freeze_time("2026-11-23"):
            invoice.invalidate_recordset(["muzza_autopay_sentence"])
            html_report = (
                self.env["ir.actions.report"]
                ._render_qweb_html("account.report_invoice", invoice.ids)[0]
                .decode()
            )
        text = " ".join(html.unescape(html_report).split())
        self.assertIn(
            "Paid automatically: $ 1,200.00 will be charged to Demo 4242 on December 15, 2026, "
            "as agreed on November 1, 2026.",
            text,
        )


@tagged("post_install", "-at_install", "muzza_once_with_stock")
class TestAutopayPortal(AutopayCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_autopay(cls.env.company)
        cls.portal_user = mail_new_test_user(
            cls.env,
            login="ada.portal",
            name="Ada Payer",
            password="ada.portal.pw",
            groups="base.group_portal",
            partner_id=cls.accountant.id,
        )

    @staticmethod
    def _text(response):
        return visible_text(response.content.decode("utf-8"))

    def _page(self, url="/my/autopay"):
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        return self._text(response)

    def _post(self, url, data):
        return self.url_open(url, data={**data, "csrf_token": http.Request.csrf_token(self)})

    def test_customer_agrees_sees_and_withdraws_consent_on_the_portal(self):
        self.authenticate("ada.portal", "ada.portal.pw")
        self.assertIn("Automatic payment", self._page("/my"))
        page = self._page()
        self.assertIn("can charge your saved payment method automatically", page)
        self.assertIn("Demo 4242", page)
        self.assertNotIn("Demo 1111", page, "another customer's payment method is never offered")

        response = self._post("/my/autopay/consent", {"token_id": self.token.id, "max_amount": "800"})
        page = self._text(response)
        self.assertIn("Tick the box to give your consent.", page)
        self.assertFalse(self.customer.muzza_autopay_consent_id, "nothing recorded without the box ticked")

        response = self._post(
            "/my/autopay/consent", {"token_id": self.other_token.id, "max_amount": "800", "accept": "1"}
        )
        self.assertIn("Choose one of your saved payment methods.", self._text(response))
        self.assertFalse(self.customer.muzza_autopay_consent_id)

        self._post("/my/autopay/consent", {"token_id": self.token.id, "max_amount": "800", "accept": "1"})
        consent = self.customer.muzza_autopay_consent_id
        self.assertTrue(consent)
        self.assertEqual(
            (consent.token_id, consent.max_amount, consent.signed_by_id, consent.channel),
            (self.token, 800.0, self.accountant, "portal"),
        )
        self.assertTrue(consent.signed_ip)
        page = self._page("/my/autopay?message=agreed")
        self.assertIn("Thank you: your invoices will be paid automatically on their due dates.", page)
        self.assertIn("to charge Demo 4242 on the due date of each invoice, up to $ 800.00 per charge", page)
        # the day it was agreed, in the portal user's time zone (as the page says it)
        portal_tz = self.env["res.users"].search([("login", "=", "ada.portal")]).tz or "UTC"
        agreed = self.env["muzza.wording"]._format_date(
            consent.with_context(tz=portal_tz)._consent_day(), "en_US"
        )
        self.assertIn(
            "Agreed by Ada Payer on %s. Invoices above that amount are not charged; you pay them as usual."
            % agreed,
            page,
        )

        self._post("/my/autopay/withdraw", {})
        consent.invalidate_recordset()
        self.assertFalse(consent.active)
        self.assertEqual(consent.withdrawn_by_id, self.accountant)
        page = self._page()
        self.assertIn("Earlier consents", page)
        self.assertIn("can charge your saved payment method automatically", page, "offered again")
