# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Review of issue 11 ("every role can do its job, every document says one
thing"): each test below shows a problem found, and fails until it is fixed."""

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged
from odoo.tests.common import JsonRpcException

from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.mail.tests.common import mail_new_test_user

from .test_autopay import AutopayCommon
from .test_invoice_report import visible_text


class _ReviewCommon(AccountTestInvoicingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if "demo_simulated_state" not in cls.env["payment.token"]._fields:
            raise AssertionError("These tests pay through payment_demo: install it (scripts/test does).")
        cls.env.company.write(
            {
                "email": "billing@company.example.com",
                "muzza_deposit_who": "new_clients",
                "muzza_deposit_kind": "percentage",
                "muzza_deposit_value": 30.0,
                "muzza_deposit_minimum": 0.0,
                "muzza_deposit_blocks_work": True,
                "portal_confirmation_sign": True,
                "portal_confirmation_pay": True,
            }
        )
        Provider = cls.env["payment.provider"].sudo()
        provider = Provider.search([("code", "=", "demo"), ("company_id", "=", cls.env.company.id)], limit=1)
        if not provider:
            provider = Provider.search([("code", "=", "demo")], limit=1).copy(
                {"company_id": cls.env.company.id}
            )
        provider.write({"state": "test", "is_published": True})
        cls.provider = provider
        cls.product = cls.env["product.product"].create(
            {"name": "Design hour", "type": "service", "list_price": 100.0, "invoice_policy": "order"}
        )
        cls.product.taxes_id = [Command.clear()]
        cls.seller = mail_new_test_user(
            cls.env,
            login="muzza_rev11_seller",
            groups="base.group_user,base.group_partner_manager,sales_team.group_sale_salesman",
        )
        cls.po_customer = cls.env["res.partner"].create(
            {
                "name": "Needs Its PO SL",
                "is_company": True,
                "email": "ap@needs-po.example.com",
                "lang": "en_US",
                "muzza_requires_po": True,
            }
        )

    def _quotation(self, partner, **values):
        return (
            self.env["sale.order"]
            .with_user(self.seller)
            .create(
                {
                    "partner_id": partner.id,
                    "user_id": self.seller.id,
                    "order_line": [Command.create({"product_id": self.product.id, "product_uom_qty": 10})],
                    **values,
                }
            )
        )

    def _pay_online(self, order, amount):
        """A payment the provider took (payment_demo), post-processed as the
        payment status poll and the post-processing cron do."""
        tx = (
            self.env["payment.transaction"]
            .sudo()
            .create(
                {
                    "provider_id": self.provider.id,
                    "payment_method_id": self.env.ref("payment_demo.payment_method_demo").id,
                    "amount": amount,
                    "currency_id": order.currency_id.id,
                    "partner_id": order.partner_invoice_id.id,
                    "sale_order_ids": [Command.set(order.ids)],
                    "operation": "online_direct",
                }
            )
        )
        tx._set_done()
        return tx


@tagged("post_install", "-at_install")
class TestReviewFindings11(_ReviewCommon):
    # ------------------------------------------------------------------------
    # money taken, then the confirmation fails
    # ------------------------------------------------------------------------

    def test_a_payment_link_is_not_offered_for_a_quotation_missing_its_po_number(self):
        """The salesperson's *Generate a Payment Link* (Odoo's
        payment.link.wizard, open to salespeople) says "This payment will
        confirm the quotation" on a quotation that cannot be confirmed yet:
        the customer pays, and the confirmation then fails on the missing PO
        number in the payment's post-processing (retried for days by the
        cron, the order stays a quotation, the money is kept)."""
        order = self._quotation(self.po_customer)
        self.assertTrue(order.muzza_reference_missing)
        self.assertFalse(order.sudo()._has_to_be_paid(), "the portal does not ask for it")
        wizard_refused = False
        try:
            self.env["payment.link.wizard"].with_user(self.seller).with_context(
                active_model="sale.order", active_id=order.id
            ).create({})
        except UserError:
            wizard_refused = True
        if wizard_refused:
            return
        # the link is there: the customer pays what it asks
        tx = self._pay_online(order, order.muzza_deposit_amount)
        try:
            tx._post_process()
        except UserError as error:
            self.fail("the money was taken, then the order could not be confirmed: %s" % error)
        self.assertEqual(order.state, "sale")

    def test_a_deposit_paid_online_is_invoiced_whatever_the_clarity_check_says(self):
        """*Invoice Clarity Check: Block* refuses to post an invoice whose
        address has no e-mail address (or that lacks late-fee terms, or a
        way to pay). The quotation is signed and paid on the portal all the
        same (nothing checks it before the money is taken), and the deposit
        invoice made when the payment confirms the order cannot be posted:
        the payment is taken and the order stays unconfirmed."""
        self.env.company.muzza_clarity_mode = "block"
        customer = self.env["res.partner"].create({"name": "No E-mail Ltd", "is_company": True})
        order = self._quotation(customer)
        self.assertTrue(order.muzza_deposit_amount)
        if not order.sudo()._has_to_be_paid():
            return  # refused before any money is taken: fine
        tx = self._pay_online(order, order.sudo()._get_prepayment_required_amount())
        try:
            tx._post_process()
        except UserError as error:
            self.fail("the money was taken, then the order could not be confirmed: %s" % error)
        self.assertEqual(order.state, "sale", "the payment confirmed the order")

    def test_a_salesperson_confirming_is_not_stopped_by_what_only_accounting_can_fix(self):
        """Same gap in the back office: the salesperson's *Confirm* fails with
        the clarity check's list of what the *invoice* lacks (late-payment
        terms, a way to pay), things only accounting can set, and nothing on
        the quotation said so beforehand (the PO number is asked for up
        front, the rest is not)."""
        self.env.company.muzza_clarity_mode = "block"
        self.env.company.muzza_late_fee_policy_id = False
        customer = self.env["res.partner"].create(
            {"name": "Fresh Client Ltd", "is_company": True, "email": "a@fresh.example.com"}
        )
        order = self._quotation(customer)
        self.assertTrue(order.muzza_deposit_amount)
        try:
            order.with_user(self.seller).action_confirm()
        except UserError as error:
            self.fail("the salesperson's Confirm fails on the deposit invoice's clarity check: %s" % error)

    def test_odoo_automatic_invoice_after_online_payment_counts_as_automatic_invoicing(self):
        """``_muzza_invoices_automatically`` knows the module's deposit and
        contract triggers, not Odoo's own *Automatic Invoice* (Settings ›
        Sales, ``sale.automatic_invoice``): a PO-requiring customer's
        quotation without a deposit is not asked for its reference, the
        customer signs and pays it in full on the portal, the payment
        confirms the order, and the invoice Odoo then makes cannot be posted
        without the PO number: the money is taken and the post-processing
        fails."""
        self.env.company.muzza_deposit_who = "none"
        self.env["ir.config_parameter"].sudo().set_param("sale.automatic_invoice", True)
        order = self._quotation(self.po_customer).sudo()
        self.assertFalse(order.muzza_deposit_amount)
        if not order._has_to_be_paid():
            return  # refused before any money is taken: fine
        tx = self._pay_online(order, order._get_prepayment_required_amount())
        try:
            tx._post_process()
        except UserError as error:
            self.fail("the money was taken, then the invoicing failed: %s" % error)
        self.assertEqual(order.state, "sale")

    def test_a_deposit_paid_when_signing_is_not_asked_for_again_in_its_email(self):
        """The customer signs and pays the deposit on the portal; the payment
        confirms the order, which issues and e-mails the deposit invoice
        *before* the payment is recorded against it (Odoo creates the
        payment after confirming). The e-mail the customer gets a minute
        after paying says "Due on …", "You can pay by bank transfer …", "Pay
        it online" and the late-fee terms, not that it is paid."""
        customer = self.env["res.partner"].create(
            {"name": "Pays Online Ltd", "is_company": True, "email": "ap@pays.example.com", "lang": "en_US"}
        )
        order = self._quotation(customer).sudo()
        self.assertTrue(order._has_to_be_paid())
        tx = self._pay_online(order, order._get_prepayment_required_amount())
        tx._post_process()
        self.assertEqual(order.state, "sale")
        deposit = order._muzza_deposit_invoices()
        self.assertEqual(deposit.payment_state, "paid", "the payment settles it")
        message = deposit.message_ids.filtered(lambda m: customer in m.partner_ids)[:1]
        self.assertTrue(message, "the deposit invoice was e-mailed")
        body = visible_text(message.body)
        self.assertNotIn("Pay it online", body, body)
        self.assertNotIn("Due on", body, body)

    def test_a_retainer_of_a_customer_requiring_a_po_number_can_invoice_its_periods(self):
        """Start accepts a retainer for a customer that requires its PO
        number, with no way to give one (the agreement has no reference and
        its order is made by Start): every period invoice then fails to post
        ("These customers require their purchase-order number"), day after
        day in the scheduled action, and the customer is never invoiced."""
        retainer = (
            self.env["muzza.retainer"]
            .with_user(self.seller)
            .create(
                {
                    "partner_id": self.po_customer.id,
                    "amount": 1000.0,
                    "period": "month",
                    "date_start": fields.Date.today(),
                }
            )
        )
        try:
            retainer.with_user(self.seller).action_start()
        except UserError:
            return  # asked for the PO number up front: fine
        try:
            invoices = retainer.sudo()._invoice_due_periods(fields.Date.today())
        except UserError as error:
            self.fail("the retainer started, but its period cannot be invoiced: %s" % error)
        self.assertEqual(invoices.state, "posted")
        self.assertTrue(invoices.ref, "the period invoice carries the customer's PO number")

    def test_what_the_portal_asks_to_pay_is_what_the_terms_say(self):
        """With Odoo's *Online payment* on (the company default in Odoo's
        demo), a quotation without a deposit asks the customer to *Sign &
        Pay* 100 % on the portal, while its "Payment terms" say only that
        each invoice is due on its date: nothing says the whole order is paid
        when accepting. For a customer on a retainer it is worse: the order's
        invoices draw from the retainer's prepaid balance, and the portal asks
        for the whole order again (the demo's Cobalt Digital)."""
        self.env.company.muzza_deposit_who = "none"
        retained = self.env["res.partner"].create(
            {"name": "Retained Ltd", "is_company": True, "email": "r@retained.example.com", "lang": "en_US"}
        )
        retainer = self.env["muzza.retainer"].create(
            {"partner_id": retained.id, "amount": 1000.0, "period": "month", "date_start": "2027-01-01"}
        )
        retainer.action_start()
        plain = self.env["res.partner"].create(
            {"name": "Plain Ltd", "is_company": True, "email": "p@plain.example.com", "lang": "en_US"}
        )
        (plain | retained).property_payment_term_id = self.env.ref("account.account_payment_term_30days")
        Wording = self.env["muzza.wording"]
        for customer in (plain, retained):
            with self.subTest(customer=customer.name):
                order = self._quotation(customer).sudo()
                self.assertFalse(order.muzza_deposit_amount)
                if not order._has_to_be_paid():
                    continue
                asked = Wording._format_amount(
                    order._get_prepayment_required_amount(), order.currency_id, "en_US"
                )
                terms = " ".join(order._muzza_terms_lines())
                self.assertIn(asked, terms, "the portal asks %s; the terms say: %s" % (asked, terms))


@tagged("post_install", "-at_install", "muzza_once_without_stock")
class TestReviewFindings11Documents(AccountTestInvoicingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.env.company
        company.write(
            {
                "email": "billing@company.example.com",
                "muzza_late_fee_policy_id": cls.env["muzza.late.fee.policy"]
                .create(
                    {
                        "name": "1.5 % a month",
                        "kind": "interest",
                        "rate": 1.5,
                        "rate_period": "month",
                        "grace_days": 5,
                    }
                )
                .id,
            }
        )
        cls.bank = cls.env["res.partner.bank"].create(
            {"acc_number": "ES9121000418450200051332", "partner_id": company.partner_id.id}
        )
        cls.pay_30 = cls.env.ref("account.account_payment_term_30days")
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Harbor Lights Ltd",
                "is_company": True,
                "lang": "en_US",
                "email": "ap@harbor.example.com",
                "property_payment_term_id": cls.pay_30.id,
            }
        )

    def _overdue_invoice(self):
        with freeze_time("2026-09-10"):
            move = self.init_invoice(
                "out_invoice",
                partner=self.customer,
                invoice_date="2026-09-10",
                amounts=[1250.0],
                taxes=self.env["account.tax"],
            )
            move.write({"invoice_payment_term_id": self.pay_30.id, "partner_bank_id": self.bank.id})
            move.action_post()
        return move

    def _email_body(self, move):
        template = move.company_id.muzza_invoice_mail_template_id
        return visible_text(template._render_field("body_html", move.ids)[move.id])

    def test_an_overdue_invoice_does_not_promise_in_the_future_what_already_happened(self):
        """45 days late, the invoice and its e-mail say it is overdue and
        what has accrued, and then still "If not paid by October 15, 2026
        (due date plus 5 days' grace), interest ... will be charged": a
        condition on a day long gone, in the future tense, right under the
        fees it already produced (issue 11 quotes this very sentence)."""
        move = self._overdue_invoice()
        with freeze_time("2026-11-24"):
            move.invalidate_recordset()
            self.assertIn("overdue for 45 days", move.muzza_intro_sentence)
            stale = "If not paid by October 15, 2026"
            self.assertNotIn(stale, move.muzza_fee_sentence or "", "the invoice (PDF, portal)")
            self.assertNotIn(stale, self._email_body(move), "the e-mail")

    def test_the_invoice_email_does_not_point_to_a_qr_code_it_does_not_have(self):
        """The e-mail reuses the PDF's way-to-pay sentence: "... or online
        (Demo) from the link and QR code on this invoice" — the e-mail has a
        link and no QR code."""
        self.env["payment.provider"].sudo().search([("code", "=", "demo")], limit=1).copy(
            {"company_id": self.env.company.id, "state": "test", "is_published": True}
        )
        with freeze_time("2026-11-20"):
            move = self.init_invoice(
                "out_invoice",
                partner=self.customer,
                invoice_date="2026-11-20",
                amounts=[1250.0],
                taxes=self.env["account.tax"],
            )
            move.write({"invoice_payment_term_id": self.pay_30.id, "partner_bank_id": self.bank.id})
            move.action_post()
            body = self._email_body(move)
        self.assertIn("online", body)
        self.assertNotIn("QR code", body)


@tagged("post_install", "-at_install")
class TestReviewFindings11Portal(_ReviewCommon, HttpCase):
    def test_the_portal_takes_no_payment_for_a_quotation_it_will_not_confirm(self):
        """The quotation page hides *Sign & Pay* while the PO number is
        missing, but the route the payment form posts to
        (``/my/orders/<id>/transaction``) still creates the transaction (a
        page opened before, a second tab, any script): the money is taken
        and the confirmation then fails."""
        order = self._quotation(self.po_customer)
        order.sudo().state = "sent"
        self.assertFalse(order.sudo()._has_to_be_paid(), "the page shows no Sign & Pay")
        order_sudo = order.sudo()
        params = {
            "access_token": order_sudo._portal_ensure_token(),
            "provider_id": self.provider.id,
            "payment_method_id": self.env.ref("payment_demo.payment_method_demo").id,
            "token_id": None,
            "amount": order_sudo.muzza_deposit_amount,
            "flow": "direct",
            "tokenization_requested": False,
            "landing_route": order_sudo.get_portal_url(),
            "is_validation": False,
        }
        self.env.flush_all()
        try:
            answer = self.make_jsonrpc_request("/my/orders/%s/transaction" % order.id, params=params)
        except JsonRpcException as error:
            answer = error
        created = self.env["payment.transaction"].sudo().search([("sale_order_ids", "in", order.ids)])
        self.assertFalse(
            created,
            "a transaction was created for a quotation the portal does not ask to pay: %s" % (answer,),
        )


@tagged("post_install", "-at_install", "muzza_once_with_stock")
class TestReviewFindings11Autopay(AutopayCommon, AccountTestInvoicingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_autopay(cls.env.company)
        cls.bank = cls.env["res.partner.bank"].create(
            {"acc_number": "ES9121000418450200051332", "partner_id": cls.env.company.partner_id.id}
        )

    def test_an_invoice_paid_automatically_invites_no_bank_transfer(self):
        """The module drops its own ways-to-pay sentence on an invoice that
        will be charged automatically, but its report xpath then falls back
        to Odoo's block (``t-else`` → ``$0``): "Payment Communication:
        INV/… on this account: ES91…", an invitation to pay by transfer on
        an invoice that will be charged on its due date (issue 11: "An
        invoice that will be paid automatically also invites a bank
        transfer")."""
        self.env["muzza.autopay.consent"].create(
            {
                "partner_id": self.customer.id,
                "token_id": self.token.id,
                "max_amount": 5000.0,
                "signed_by_id": self.accountant.id,
                "signed_on": "2026-11-01 09:00:00",
            }
        )
        with freeze_time("2026-11-15"):
            move = self.init_invoice(
                "out_invoice",
                partner=self.customer,
                invoice_date="2026-11-15",
                amounts=[1200.0],
                taxes=self.env["account.tax"],
            )
            move.write(
                {
                    "invoice_payment_term_id": self.env.ref("account.account_payment_term_30days").id,
                    "partner_bank_id": self.bank.id,
                }
            )
            move.action_post()
        with freeze_time("2026-11-23"):
            move.invalidate_recordset()
            self.assertTrue(move.muzza_autopay_sentence)
            html = self.env["ir.actions.report"]._render_qweb_html("account.report_invoice", move.ids)[0]
            text = visible_text(html.decode())
        self.assertIn("Paid automatically", text)
        self.assertNotIn("Payment Communication", text)
        self.assertNotIn("on this account", text)
