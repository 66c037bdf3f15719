# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Review of the fixes of issue 11's review: each test below shows a problem
left or brought by a fix, and fails until it is fixed."""

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.mail.tests.common import mail_new_test_user

from .test_review_findings_11 import _ReviewCommon


@tagged("post_install", "-at_install")
class TestReviewFindings12(_ReviewCommon):
    # ------------------------------------------------------------------------
    # money taken for a quotation missing its PO number
    # ------------------------------------------------------------------------

    def test_a_payment_link_without_online_payment_still_takes_money_odoo_cannot_invoice(self):
        """``_muzza_invoices_automatically`` counts Odoo's *Automatic Invoice*
        only when the quotation has *Online payment* (``require_payment``).
        But any payment confirms a quotation without it (its prepayment
        required amount is 0) and Automatic Invoice then invoices it all the
        same: the salesperson's *Generate a Payment Link* opens, the
        customer pays, the order is confirmed, and the invoice Odoo makes
        cannot be posted without the PO number."""
        self.env.company.muzza_deposit_who = "none"
        self.env["ir.config_parameter"].sudo().set_param("sale.automatic_invoice", True)
        order = self._quotation(self.po_customer, require_payment=False)
        self.assertFalse(order.muzza_deposit_amount)
        try:
            self.env["payment.link.wizard"].with_user(self.seller).with_context(
                active_model="sale.order", active_id=order.id
            ).create({})
        except UserError:
            return  # refused before any money is taken: fine
        try:
            tx = self._pay_online(order, order.sudo().amount_total)
        except UserError:
            return  # refused before any money is taken: fine
        try:
            tx._post_process()
        except UserError as error:
            self.fail("the money was taken, then the invoicing failed: %s" % error)

    # ------------------------------------------------------------------------
    # the clarity check's escape hatch
    # ------------------------------------------------------------------------

    def test_block_cannot_be_bypassed_with_a_context_key(self):
        """*Invoice Clarity Check: Block* now lets through whatever carries
        ``muzza_issued`` in its context, and any RPC caller sets the context
        (``call_kw`` passes ``kwargs['context']``): an invoicing user posts
        an invoice Block refuses by calling ``action_post`` with
        ``{"muzza_issued": true}``."""
        self.env.company.muzza_clarity_mode = "block"
        accountant = mail_new_test_user(
            self.env,
            login="muzza_rev12_billing",
            groups="base.group_user,account.group_account_invoice",
        )
        customer = self.env["res.partner"].create({"name": "No E-mail Ltd", "is_company": True})
        move = self.init_invoice(
            "out_invoice", partner=customer, amounts=[500.0], taxes=self.env["account.tax"]
        )
        with self.assertRaises(UserError, msg="Block refuses it by hand"):
            move.with_user(accountant).action_post()
        self.assertEqual(move.state, "draft")
        try:
            move.with_user(accountant).with_context(muzza_issued=True).action_post()
        except UserError:
            return
        self.fail("an RPC caller posted an invoice Block refuses, by adding muzza_issued to its context")

    # ------------------------------------------------------------------------
    # the deposit e-mail that waits for the payment
    # ------------------------------------------------------------------------

    def test_a_deposit_confirmed_after_an_earlier_online_payment_is_e_mailed(self):
        """``_muzza_invoice_deposit`` defers the e-mail whenever the order has
        a done transaction, for ``payment.transaction._post_process`` to send
        it. When the order is confirmed by hand after a payment already
        post-processed (a payment link for part of the deposit, which did not
        confirm the quotation), no post-processing comes again: the deposit
        invoice is posted and never e-mailed."""
        customer = self.env["res.partner"].create(
            {"name": "Pays Some Ltd", "is_company": True, "email": "ap@pays-some.example.com"}
        )
        order = self._quotation(customer)
        self.assertTrue(order.muzza_deposit_amount)
        tx = self._pay_online(order, 50.0)
        tx._post_process()
        self.assertIn(order.state, ("draft", "sent"), "too little to confirm it")
        order.with_user(self.seller).action_confirm()
        deposit = order.sudo()._muzza_deposit_invoices()
        self.assertEqual(deposit.state, "posted")
        message = deposit.message_ids.filtered(lambda m: customer in m.partner_ids)[:1]
        self.assertTrue(message, "the deposit invoice was never e-mailed")

    # ------------------------------------------------------------------------
    # retainer customer reference
    # ------------------------------------------------------------------------

    def test_a_running_retainer_cannot_lose_the_po_number_its_invoices_need(self):
        """Start asks for the Customer Reference of a customer that requires
        it, but ``write`` then accepts clearing it on the running agreement
        (and copies the empty value to its order): every period invoice then
        fails to post, day after day in the scheduled action."""
        retainer = (
            self.env["muzza.retainer"]
            .with_user(self.seller)
            .create(
                {
                    "partner_id": self.po_customer.id,
                    "client_order_ref": "PO-7781",
                    "amount": 1000.0,
                    "period": "month",
                    "date_start": fields.Date.today(),
                }
            )
        )
        retainer.with_user(self.seller).action_start()
        try:
            retainer.with_user(self.seller).write({"client_order_ref": ""})
        except UserError:
            return  # refused: fine
        try:
            invoices = retainer.sudo()._invoice_due_periods(fields.Date.today())
        except UserError as error:
            self.fail("the reference was cleared, and the period cannot be invoiced: %s" % error)
        self.assertTrue(invoices.ref)


@tagged("post_install", "-at_install", "muzza_once_without_stock")
class TestReviewFindings12LateWording(AccountTestInvoicingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.email = "billing@company.example.com"
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

    def _invoice(self, policy_values):
        self.env.company.muzza_late_fee_policy_id = self.env["muzza.late.fee.policy"].create(
            {"name": "Late terms", **policy_values}
        )
        with freeze_time("2026-09-10"):
            move = self.init_invoice(
                "out_invoice",
                partner=self.customer,
                invoice_date="2026-09-10",
                amounts=[1000.0],
                taxes=self.env["account.tax"],
            )
            move.invoice_payment_term_id = self.pay_30
            move.action_post()
        self.assertEqual(move.invoice_date_due, fields.Date.to_date("2026-10-10"))
        return move

    def test_the_late_percentage_fee_quotes_what_is_charged_after_a_partial_payment(self):
        """Past its pay-by date, a one-off percentage fee reads "a late fee of
        10 % of the amount due (100.00) applies": the figure is worked out
        on the invoice total, while the fee charged is on what was still
        due on the first day of delay (10 % of 400.00 = 40.00 after 600.00
        paid on time)."""
        move = self._invoice({"kind": "percent", "percent": 10.0})
        with freeze_time("2026-10-01"):
            self.env["account.payment.register"].with_context(
                active_model="account.move", active_ids=move.ids
            ).create({"amount": 600.0, "payment_date": "2026-10-01"})._create_payments()
        self.assertEqual(move.payment_state, "partial")
        with freeze_time("2026-10-20"):
            move.invalidate_recordset()
            self.assertEqual(move.muzza_fee_accrued, 40.0, "the fee charged")
            sentence = move.muzza_fee_sentence
            self.assertIn("Since October 11, 2026", sentence)
            self.assertNotIn("100.00", sentence, sentence)

    def test_a_waived_invoice_does_not_say_interest_accrues(self):
        """Once a manager waived an invoice's late fees, its PDF, portal and
        e-mail still say "Since October 11, 2026, interest of 1.5 % per month
        accrues on the amount still due": the fix words what applies now,
        and on a waived invoice nothing does."""
        move = self._invoice({"kind": "interest", "rate": 1.5, "rate_period": "month"})
        move.sudo().write({"muzza_fee_waived": True, "muzza_fee_waive_reason": "Long-standing client"})
        with freeze_time("2026-11-20"):
            move.invalidate_recordset()
            self.assertEqual(move.muzza_fee_accrued, 0.0, "nothing is charged")
            self.assertNotIn("accrues", move.muzza_fee_sentence or "", move.muzza_fee_sentence)

    def test_the_late_wording_is_spanish_for_a_spanish_customer(self):
        """Held up if it passes: the day after pay-by, in Spanish."""
        self.env["res.lang"]._activate_lang("es_ES")
        self.env["ir.module.module"]._load_module_terms(["muzza_receivables"], ["es_ES"], overwrite=True)
        self.customer.lang = "es_ES"
        move = self._invoice({"kind": "interest", "rate": 1.5, "rate_period": "month", "grace_days": 5})
        with freeze_time("2026-10-15"):
            move.invalidate_recordset()
            self.assertIn("15 de octubre de 2026", move.muzza_fee_sentence)
        with freeze_time("2026-10-16"):
            move.invalidate_recordset()
            self.assertIn("16 de octubre de 2026", move.muzza_fee_sentence)
            self.assertNotIn("Since", move.muzza_fee_sentence)
