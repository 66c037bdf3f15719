# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.mail.tests.common import mail_new_test_user

from .test_invoice_report import visible_text

NBSP = "\N{NO-BREAK SPACE}"


@tagged("post_install", "-at_install")
class TestDeposits(AccountTestInvoicingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.write(
            {
                "muzza_deposit_who": "new_clients",
                "muzza_deposit_kind": "percentage",
                "muzza_deposit_value": 30.0,
                "muzza_deposit_minimum": 100.0,
                "muzza_deposit_blocks_work": True,
            }
        )
        cls.deposit_product = cls.env.ref("muzza_receivables.product_deposit")
        cls.product = cls.env["product.product"].create(
            {
                "name": "Design hour",
                "type": "service",
                "list_price": 100.0,
                "invoice_policy": "order",
                "taxes_id": [Command.set(cls.company_data["default_tax_sale"].ids)],
            }
        )
        cls.newcomer = cls.env["res.partner"].create(
            {"name": "First Timer Ltd", "email": "ap@first.example.com", "lang": "en_US"}
        )
        cls.regular = cls.env["res.partner"].create(
            {"name": "Old Friend Ltd", "email": "ap@friend.example.com", "lang": "en_US"}
        )
        paid = cls.init_invoice(
            "out_invoice", partner=cls.regular, invoice_date="2026-01-10", amounts=[50.0], post=True
        )
        cls.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=paid.ids
        ).create({"payment_date": "2026-01-20"})._create_payments()
        cls.manager = mail_new_test_user(
            cls.env,
            login="muzza_receivables_manager",
            groups="base.group_user,sales_team.group_sale_manager,"
            "account.group_account_invoice,muzza_receivables.group_receivables_manager",
        )
        cls.seller = mail_new_test_user(
            cls.env, login="muzza_deposit_seller", groups="base.group_user,sales_team.group_sale_salesman"
        )

    def _quotation(self, partner, hours=10, **values):
        return self.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "order_line": [Command.create({"product_id": self.product.id, "product_uom_qty": hours})],
                **values,
            }
        )

    def _deposit_invoice(self, order):
        return order._muzza_deposit_lines().invoice_lines.move_id

    def _pay(self, invoice, amount=None):
        values = {"payment_date": "2026-11-25"}
        if amount is not None:
            values["amount"] = amount
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create(values)._create_payments()

    # ------------------------------------------------------------------------

    def test_a_new_client_is_asked_for_a_deposit_and_a_paying_client_is_not(self):
        order = self._quotation(self.newcomer)  # 10 h x 100 + 15 % tax = 1,150.00
        self.assertEqual(order.amount_total, 1150.0)
        self.assertEqual(order.muzza_deposit_amount, 345.0, "30 % of the total, taxes included")
        self.assertTrue(order.muzza_deposit_blocks_work)
        self.assertEqual(
            [line.replace(NBSP, " ") for line in order._muzza_terms_lines()],
            [
                (
                    "A deposit of $ 345.00 is invoiced when you confirm the order; the work starts once it "
                    "is paid, and the invoices that follow deduct it."
                )
            ],
        )
        self.assertEqual(self._quotation(self.newcomer, hours=2).muzza_deposit_amount, 100.0, "the minimum")
        regular = self._quotation(self.regular)
        self.assertEqual(regular.muzza_deposit_amount, 0.0, "a client with a fully paid invoice pays none")
        self.assertEqual(regular._muzza_terms_lines(), [])

        # the quotation follows its lines until it is confirmed
        with Form(order) as form, form.order_line.edit(0) as line:
            line.product_uom_qty = 20
        self.assertEqual(order.muzza_deposit_amount, 690.0)

    def test_the_deposit_is_asked_for_in_the_customer_language(self):
        self.env["res.lang"]._activate_lang("es_ES")
        self.env["ir.module.module"]._load_module_terms(["muzza_receivables"], ["es_ES"], overwrite=True)
        self.newcomer.lang = "es_ES"
        order = self._quotation(self.newcomer)
        self.assertEqual(
            [line.replace(NBSP, " ") for line in order._muzza_terms_lines()],
            [
                (
                    "Al confirmar el pedido se factura un depósito de $ 345,00; el trabajo empieza cuando se "
                    "paga, y las facturas siguientes lo descuentan."
                )
            ],
        )

    def test_the_quotation_pdf_asks_for_the_deposit(self):
        order = self._quotation(self.newcomer)
        html = self.env["ir.actions.report"]._render_qweb_html("sale.report_saleorder", order.ids)[0]
        text = visible_text(html.decode())
        self.assertIn("Payment terms", text)
        self.assertIn("A deposit of $ 345.00 is invoiced when you confirm the order", text)

    def test_confirmation_invoices_the_deposit_and_work_waits_until_it_is_paid(self):
        order = self._quotation(self.newcomer)
        order.action_confirm()
        deposit = self._deposit_invoice(order)
        self.assertEqual(len(deposit), 1)
        self.assertEqual(deposit.state, "posted")
        self.assertTrue(deposit.is_move_sent, "posted and sent to the customer")
        self.assertEqual(deposit.amount_total, 345.0)
        self.assertEqual(deposit.invoice_line_ids.product_id, self.deposit_product)
        self.assertEqual(deposit.invoice_line_ids.name, "Deposit for %s" % order.name)
        self.assertEqual(
            (order.muzza_deposit_state, order.muzza_deposit_invoiced, order.muzza_deposit_paid),
            ("waiting", 345.0, 0.0),
        )
        waiting = self.env["sale.order"].search(
            [
                ("id", "=", order.id),
                ("state", "=", "sale"),
                ("muzza_deposit_state", "in", ("to_invoice", "waiting")),
            ]
        )
        self.assertEqual(waiting, order, "the 'Waiting for Deposit' filter finds it")

        with self.assertRaisesRegex(UserError, "waits for their deposit"):
            order._create_invoices()
        wizard = (
            self.env["sale.advance.payment.inv"]
            .with_context(active_model="sale.order", active_ids=order.ids)
            .create({"advance_payment_method": "delivered"})
        )
        with self.assertRaisesRegex(UserError, "waits for their deposit"):
            wizard.create_invoices()

        self._pay(deposit, 200.0)
        self.assertEqual((order.muzza_deposit_state, order.muzza_deposit_paid), ("waiting", 200.0))
        self._pay(deposit)
        self.assertEqual((order.muzza_deposit_state, order.muzza_deposit_paid), ("paid", 345.0))

        final = order._create_invoices(final=True)
        final.action_post()
        # Odoo's down-payment deduction: the deposit line comes back negative
        deduction = final.invoice_line_ids.filtered(lambda line: line.product_id == self.deposit_product)
        self.assertEqual(deduction.quantity, -1.0)
        self.assertEqual(final.amount_total, 1150.0 - 345.0)
        self.assertEqual(deposit.amount_total + final.amount_total, order.amount_total)
        self.assertEqual(order.invoice_status, "invoiced")
        for move in deposit | final:
            self.assertEqual(sum(move.line_ids.mapped("debit")), sum(move.line_ids.mapped("credit")))
        # the deposit's income is reversed on the same account, as Odoo's own down payments are
        deposit_line = deposit.invoice_line_ids
        self.assertEqual(deduction.account_id, deposit_line.account_id)
        self.assertEqual(deposit_line.balance + deduction.balance, 0.0)
        self.assertEqual(deduction.tax_ids, deposit_line.tax_ids)

    def test_a_manager_may_start_the_work_without_the_deposit_with_a_reason(self):
        order = self._quotation(self.newcomer)
        order.action_confirm()
        Override = self.env["muzza.deposit.override"]
        with self.assertRaises(AccessError):
            Override.with_user(self.seller).create(
                {"order_id": order.id, "reason": "trust me"}
            ).action_override()
        wizard = Override.with_user(self.manager).create({"order_id": order.id, "reason": "  "})
        with self.assertRaisesRegex(UserError, "Say why"):
            wizard.action_override()
        Override.with_user(self.manager).create(
            {"order_id": order.id, "reason": "Sister company of Old Friend; agreed by the CFO"}
        ).action_override()
        self.assertEqual(order.muzza_deposit_state, "overridden")
        self.assertIn(
            "Work started without the deposit, by %s: Sister company of Old Friend; agreed by the CFO"
            % self.manager.name,
            visible_text(order.message_ids[0].body),
        )
        final = order._create_invoices(final=True)
        self.assertEqual(final.amount_total, 1150.0 - 345.0, "the final invoice still deducts the deposit")

    def test_a_credited_deposit_is_not_a_paid_one(self):
        order = self._quotation(self.newcomer)
        order.action_confirm()
        deposit = self._deposit_invoice(order)
        deposit._reverse_moves([{"invoice_date": "2026-11-25"}], cancel=True)
        self.assertEqual(deposit.payment_state, "reversed")
        self.assertEqual(order.muzza_deposit_state, "to_invoice", "the work still waits for a deposit")
        with self.assertRaisesRegex(UserError, "waits for their deposit"):
            order._create_invoices()

    def test_a_contract_template_sets_its_own_rule(self):
        template = self.env["muzza.contract.template"].create(
            {
                "name": "Big projects",
                "payment_term_id": self.env.ref("account.account_payment_term_30days").id,
                "deposit_who": "all",
                "deposit_kind": "fixed",
                "deposit_value": 500.0,
                "deposit_blocks_work": False,
            }
        )
        order = self._quotation(self.regular, muzza_contract_template_id=template.id)
        self.assertEqual(
            order.muzza_deposit_amount, 500.0, "everyone under this contract, even a paying client"
        )
        self.assertFalse(order.muzza_deposit_blocks_work)
        self.assertIn(
            "A deposit of $ 500.00 is invoiced when you confirm the order; the invoices that follow "
            "deduct it.",
            [line.replace(NBSP, " ") for line in order._muzza_terms_lines()],
        )
        order.action_confirm()
        self.assertEqual(order.muzza_deposit_state, "waiting")
        self.assertTrue(order._create_invoices(), "work does not wait under this contract")

        template.deposit_who = "none"
        self.assertEqual(
            self._quotation(self.newcomer, muzza_contract_template_id=template.id).muzza_deposit_amount, 0.0
        )

    def test_bad_deposit_rules_are_refused(self):
        template = self.env["muzza.contract.template"].create(
            {"name": "T", "payment_term_id": self.env.ref("account.account_payment_term_30days").id}
        )
        for values, message in [
            ({"deposit_who": "all", "deposit_value": 120.0}, "more than 100 %"),
            ({"deposit_who": "all", "deposit_value": -10.0}, "cannot be negative"),
            ({"deposit_who": "all", "deposit_value": 0.0, "deposit_minimum": 0.0}, "above zero"),
        ]:
            with self.assertRaises(ValidationError) as caught:
                template.write(values)
            self.assertIn(message, str(caught.exception))
        self.assertEqual(template.deposit_who, "company", "nothing half-written")
        with self.assertRaisesRegex(ValidationError, "more than 100 %"):
            self.env.company.muzza_deposit_value = 150.0

    @freeze_time("2026-11-23 09:00:00")
    def test_cadence_invoicing_waits_for_the_deposit(self):
        template = self.env["muzza.contract.template"].create(
            {
                "name": "Fortnightly",
                "payment_term_id": self.env.ref("account.account_payment_term_30days").id,
                "invoice_trigger": "cadence",
                "cadence_interval": 2,
                "cadence_unit": "week",
            }
        )
        order = self._quotation(self.newcomer, muzza_contract_template_id=template.id)
        order.action_confirm()
        self.assertEqual(order.muzza_deposit_state, "waiting")
        self.assertIsNone(order._muzza_cadence_due(order.muzza_next_invoice_date))
        self._pay(self._deposit_invoice(order))
        self.assertEqual(order._muzza_cadence_due(order.muzza_next_invoice_date), "date")


@tagged("post_install", "-at_install")
class TestDepositDeduction(AccountTestInvoicingCommon):
    """Whatever creates the invoices that follow a deposit (cadence, the
    Create Invoice wizard), they deduct it: deposit and later invoices never
    bill more than the order."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.write(
            {
                "muzza_deposit_who": "new_clients",
                "muzza_deposit_kind": "percentage",
                "muzza_deposit_value": 30.0,
                "muzza_deposit_minimum": 0.0,
                "muzza_deposit_blocks_work": True,
            }
        )
        cls.template = cls.env["muzza.contract.template"].create(
            {
                "name": "Weekly",
                "payment_term_id": cls.env.ref("account.account_payment_term_30days").id,
                "invoice_trigger": "cadence",
                "cadence_interval": 1,
                "cadence_unit": "week",
            }
        )
        cls.product = cls.env["product.product"].create(
            {"name": "Design hour", "type": "service", "list_price": 100.0, "invoice_policy": "delivery"}
        )
        cls.product.taxes_id = [Command.clear()]
        cls.customer = cls.env["res.partner"].create(
            {"name": "New Client Ltd", "email": "ap@new.example.com", "lang": "en_US"}
        )

    def _order(self, template=None, taxes=None):
        with freeze_time("2026-11-23 09:00:00"):
            order = self.env["sale.order"].create(
                {
                    "partner_id": self.customer.id,
                    "muzza_contract_template_id": (template or self.template).id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": self.product.id,
                                "product_uom_qty": 10,
                                "tax_id": [Command.set((taxes or self.env["account.tax"]).ids)],
                            }
                        )
                    ],
                }
            )
            order.action_confirm()
        return order

    def _pay(self, invoice, day="2026-11-25"):
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({"payment_date": day})._create_payments()

    def _cadence(self, day):
        with freeze_time(day), patch.object(self.env.cr, "commit", lambda: None):
            self.env["sale.order"]._cron_cadence_invoicing()

    def _billed(self, order):
        return sum(order.invoice_ids.filtered(lambda m: m.state == "posted").mapped("amount_total"))

    def test_cadence_invoices_deduct_the_paid_deposit_once_over_several_periods(self):
        order = self._order()  # 10 h x 100 = 1,000.00, deposit 300.00
        deposit = order._muzza_deposit_lines().invoice_lines.move_id
        self.assertEqual(deposit.amount_total, 300.0)
        self._pay(deposit)
        order.order_line.filtered("product_id").qty_delivered = 2
        self._cadence("2026-11-30")
        order.order_line.filtered("product_id").qty_delivered = 5
        self._cadence("2026-12-07")
        order.order_line.filtered("product_id").qty_delivered = 10
        self._cadence("2026-12-14")
        invoices = (order.invoice_ids - deposit).sorted("id")
        self.assertEqual(len(invoices), 3, "one invoice per cadence period")
        self.assertEqual(invoices.mapped("state"), ["posted"] * 3)
        # 200 of work, all covered by the deposit; 300 with 100 left of it; 500
        self.assertEqual(invoices.mapped("amount_untaxed"), [0.0, 200.0, 500.0])
        first = invoices[0].invoice_line_ids.filtered(
            lambda aml: aml.product_id == deposit.invoice_line_ids.product_id
        )
        self.assertEqual((first.quantity, first.price_unit), (-1.0, 200.0))
        self.assertEqual(first.account_id, deposit.invoice_line_ids.account_id, "on the deposit's account")
        self.assertEqual(self._billed(order), order.amount_total, "deposit + invoices = the order")
        self.assertEqual(order.invoice_status, "invoiced")
        self.assertEqual(order.amount_to_invoice, 0.0)

    def test_the_create_invoice_wizard_deducts_the_deposit_whether_final_or_not(self):
        for deduct in (True, False):
            with self.subTest(deduct_down_payments=deduct):
                self.customer = self.customer.copy({"name": "New Client %s" % deduct})
                order = self._order()
                deposit = order._muzza_deposit_lines().invoice_lines.move_id
                self._pay(deposit)
                order.order_line.filtered("product_id").qty_delivered = 10
                wizard = (
                    self.env["sale.advance.payment.inv"]
                    .with_context(active_model="sale.order", active_ids=order.ids)
                    .create({"advance_payment_method": "delivered", "deduct_down_payments": deduct})
                )
                wizard.create_invoices()
                invoice = order.invoice_ids - deposit
                invoice.action_post()
                self.assertEqual(invoice.amount_total, 700.0)
                self.assertEqual(self._billed(order), 1000.0)
                # nothing left to invoice, and the deposit is never billed again
                self.assertEqual(order.invoice_status, "invoiced")
                with self.assertRaises(UserError):
                    order._create_invoices()

    def test_the_deposit_is_deducted_under_its_own_taxes(self):
        tax = self.company_data["default_tax_sale"]  # 15 %
        order = self._order(taxes=tax)  # 1,000 + 150 = 1,150.00, deposit 345.00
        deposit = order._muzza_deposit_lines().invoice_lines.move_id
        self.assertEqual(deposit.amount_total, 345.0)
        self._pay(deposit)
        order.order_line.filtered("product_id").qty_delivered = 4
        self._cadence("2026-11-30")
        order.order_line.filtered("product_id").qty_delivered = 10
        self._cadence("2026-12-07")
        first, second = (order.invoice_ids - deposit).sorted("id")
        self.assertEqual((first.amount_untaxed, first.amount_tax, first.amount_total), (100.0, 15.0, 115.0))
        self.assertEqual((second.amount_untaxed, second.amount_total), (600.0, 690.0))
        self.assertAlmostEqual(self._billed(order), 1150.0)
        for move in order.invoice_ids:
            self.assertEqual(sum(move.line_ids.mapped("debit")), sum(move.line_ids.mapped("credit")))

    def test_two_drafts_never_deduct_the_deposit_twice(self):
        order = self._order()
        deposit = order._muzza_deposit_lines().invoice_lines.move_id
        self._pay(deposit)
        self.env.company.muzza_cadence_post = False
        order.order_line.filtered("product_id").qty_delivered = 2
        self._cadence("2026-11-30")
        order.order_line.filtered("product_id").qty_delivered = 5
        self._cadence("2026-12-07")
        first, second = (order.invoice_ids - deposit).sorted("id")
        self.assertEqual((first.state, second.state), ("draft", "draft"))
        self.assertEqual((first.amount_total, second.amount_total), (0.0, 200.0))


@tagged("post_install", "-at_install")
class TestDepositPaidOnline(AccountTestInvoicingCommon):
    """A quotation that needs a deposit asks for it as its online
    prepayment; the customer who pays it when signing is never invoiced a
    deposit twice, and the payment settles the deposit invoice."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if "demo_simulated_state" not in cls.env["payment.token"]._fields:
            raise AssertionError("These tests pay through payment_demo: install it (scripts/test does).")
        cls.env.company.write(
            {
                "muzza_deposit_who": "new_clients",
                "muzza_deposit_kind": "percentage",
                "muzza_deposit_value": 30.0,
                "muzza_deposit_minimum": 0.0,
                "muzza_deposit_blocks_work": True,
            }
        )
        Provider = cls.env["payment.provider"].sudo()
        provider = Provider.search([("code", "=", "demo"), ("company_id", "=", cls.env.company.id)], limit=1)
        if not provider:
            provider = Provider.search([("code", "=", "demo")], limit=1).copy(
                {"company_id": cls.env.company.id}
            )
        provider.write({"state": "test"})
        cls.provider = provider
        cls.product = cls.env["product.product"].create(
            {"name": "Design hour", "type": "service", "list_price": 100.0, "invoice_policy": "order"}
        )
        cls.product.taxes_id = [Command.clear()]
        cls.customer = cls.env["res.partner"].create(
            {"name": "Online Newcomer", "email": "ap@online.example.com", "lang": "en_US"}
        )

    def _quotation(self):
        return self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "order_line": [Command.create({"product_id": self.product.id, "product_uom_qty": 10})],
            }
        )

    def _pay_online(self, order, amount):
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
        tx._post_process()
        return tx

    def test_the_quotation_asks_for_its_deposit_online(self):
        order = self._quotation()
        self.assertTrue(order.require_payment, "the customer pays the deposit when signing")
        self.assertAlmostEqual(order.prepayment_percent, 0.3)
        self.assertEqual(order._get_prepayment_required_amount(), 300.0)
        self.assertTrue(order._has_to_be_paid())
        # the share follows the deposit when the quotation changes
        order.order_line.product_uom_qty = 20
        self.assertEqual(order.muzza_deposit_amount, 600.0)
        self.assertEqual(order._get_prepayment_required_amount(), 600.0)
        # without online payments the deposit is invoiced on confirmation as before
        self.provider.state = "disabled"
        self.assertFalse(self._quotation().require_payment)

    def test_a_deposit_paid_when_signing_is_invoiced_once_and_settled(self):
        for automatic_invoice in (False, True):
            with self.subTest(automatic_invoice=automatic_invoice):
                self.env["ir.config_parameter"].sudo().set_param("sale.automatic_invoice", automatic_invoice)
                self.customer = self.customer.copy({"name": "Online Newcomer %s" % automatic_invoice})
                order = self._quotation()
                self._pay_online(order, 300.0)
                self.assertEqual(order.state, "sale", "the payment confirmed the order")
                self.assertEqual(
                    len(order.invoice_ids), 1, "one deposit invoice, not Odoo's down payment too"
                )
                deposit = order.invoice_ids
                self.assertEqual(deposit, order._muzza_deposit_lines().invoice_lines.move_id)
                self.assertEqual(deposit.amount_total, 300.0)
                self.assertIn(deposit.payment_state, ("paid", "in_payment"), "the online payment settles it")
                self.assertEqual(order.muzza_deposit_state, "paid")
                self.assertFalse(order._muzza_work_waits())
                final = order._create_invoices(final=True)
                final.action_post()
                self.assertEqual(final.amount_total, 700.0)
                self.assertEqual(sum(order.invoice_ids.mapped("amount_total")), order.amount_total)

    def test_a_customer_paying_everything_when_signing_is_billed_the_order_once(self):
        self.env["ir.config_parameter"].sudo().set_param("sale.automatic_invoice", True)
        order = self._quotation()
        self._pay_online(order, 1000.0)
        self.assertEqual(order.state, "sale")
        invoices = order.invoice_ids.filtered(lambda m: m.state == "posted")
        self.assertEqual(sum(invoices.mapped("amount_total")), 1000.0, "deposit + final = the order")
        for invoice in invoices:
            self.assertIn(invoice.payment_state, ("paid", "in_payment"), invoice.name)


@tagged("post_install", "-at_install")
class TestDepositDecisions(AccountTestInvoicingCommon):
    """Only a receivables manager starts the work without the deposit or
    drops it, whatever the path; a salesperson's own amount stays."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.write(
            {
                "muzza_deposit_who": "new_clients",
                "muzza_deposit_kind": "percentage",
                "muzza_deposit_value": 30.0,
                "muzza_deposit_minimum": 0.0,
                "muzza_deposit_blocks_work": True,
            }
        )
        cls.product = cls.env["product.product"].create(
            {"name": "Design hour", "type": "service", "list_price": 100.0, "invoice_policy": "order"}
        )
        cls.product.taxes_id = [Command.clear()]
        cls.customer = cls.env["res.partner"].create(
            {"name": "New Client Ltd", "email": "ap@new.example.com"}
        )
        cls.seller = mail_new_test_user(
            cls.env, login="muzza_decisions_seller", groups="base.group_user,sales_team.group_sale_salesman"
        )
        cls.billing = mail_new_test_user(
            cls.env,
            login="muzza_decisions_billing",
            groups="base.group_user,sales_team.group_sale_salesman_all_leads,account.group_account_invoice",
        )
        cls.manager = mail_new_test_user(
            cls.env,
            login="muzza_decisions_manager",
            groups="base.group_user,sales_team.group_sale_manager,account.group_account_invoice,"
            "muzza_receivables.group_receivables_manager",
        )

    def _order(self, user=None, confirm=True):
        order = (
            self.env["sale.order"]
            .with_user(user or self.seller)
            .create(
                {
                    "partner_id": self.customer.id,
                    "user_id": (user or self.seller).id,
                    "order_line": [Command.create({"product_id": self.product.id, "product_uom_qty": 10})],
                }
            )
        )
        if confirm:
            order.sudo().action_confirm()
        return order.with_env(self.env)

    def test_starting_work_without_the_deposit_is_refused_to_others_by_every_path(self):
        order = self._order()
        self.assertEqual(order.muzza_deposit_state, "waiting")
        for user in (self.seller, self.billing):
            as_user = order.with_user(user)
            for values in (
                {"muzza_deposit_override_reason": "trust me"},
                {"muzza_deposit_blocks_work": False},
                {"muzza_deposit_amount": 0.0},
            ):
                with (
                    self.subTest(user=user.login, values=values),
                    self.assertRaises(UserError),
                ):
                    as_user.write(values)
            with self.assertRaises(AccessError):
                self.env["sale.order"].with_user(user).create(
                    {"partner_id": self.customer.id, "muzza_deposit_override_reason": "trust me"}
                )
            with self.assertRaises(AccessError):
                as_user.copy({"muzza_deposit_override_reason": "trust me"})
        self.assertEqual(order.muzza_deposit_state, "waiting", "still waiting: nothing was released")
        self.assertFalse(order.muzza_deposit_override_reason)
        # the manager's decision is recorded: who, when, why
        with freeze_time("2026-11-24 10:00:00"):
            self.env["muzza.deposit.override"].with_user(self.manager).create(
                {"order_id": order.id, "reason": "Agreed by the CFO"}
            ).action_override()
        self.assertEqual(order.muzza_deposit_state, "overridden")
        self.assertEqual(order.muzza_deposit_override_by, self.manager)
        self.assertEqual(str(order.muzza_deposit_override_on), "2026-11-24 10:00:00")
        self.assertIn(
            "Work started without the deposit, by %s: Agreed by the CFO" % self.manager.name,
            visible_text(order.message_ids[0].body),
        )

    def test_an_import_cannot_release_an_order_either(self):
        order = self._order()
        self.env["ir.model.data"].create(
            {"module": "__import__", "name": "order_to_release", "model": "sale.order", "res_id": order.id}
        )
        xmlid = "__import__.order_to_release"
        result = (
            self.env["sale.order"]
            .with_user(self.seller)
            .load(["id", "muzza_deposit_override_reason"], [[xmlid, "imported"]])
        )
        self.assertFalse(result["ids"], "the import is refused")
        self.assertIn("Only a receivables manager can start the work", result["messages"][0]["message"])
        self.assertFalse(order.muzza_deposit_override_reason)

    def test_a_salesperson_may_change_the_deposit_not_drop_it(self):
        order = self._order(confirm=False)
        self.assertEqual(order.muzza_deposit_amount, 300.0)
        with Form(order.with_user(self.seller)) as form:
            form.muzza_deposit_amount = 123.0
        self.assertTrue(order.muzza_deposit_manual, "the form shows it was set by hand")
        # a line change keeps the salesperson's amount
        with Form(order.with_user(self.seller)) as form, form.order_line.edit(0) as line:
            line.product_uom_qty = 11
        self.assertEqual(order.muzza_deposit_amount, 123.0)
        self.assertEqual(order.muzza_deposit_rule_amount, 330.0)
        order.with_user(self.seller).action_muzza_reset_deposit()
        self.assertEqual((order.muzza_deposit_amount, order.muzza_deposit_manual), (330.0, False))
        with self.assertRaises(AccessError):
            order.with_user(self.seller).write({"muzza_deposit_amount": 0.0})
        with self.assertRaises(AccessError):
            order.with_user(self.seller).write({"muzza_deposit_blocks_work": False})
        self.assertEqual(order.muzza_deposit_amount, 330.0, "nothing half-written")
        order.with_user(self.manager).write({"muzza_deposit_amount": 0.0})
        self.assertEqual(order.muzza_deposit_amount, 0.0, "a manager may drop it")

    def test_a_salesperson_without_invoicing_rights_or_email_confirms_a_new_client_order(self):
        self.seller.email = False
        self.env.company.email = "billing@company.example.com"
        self.assertFalse(self.seller.has_group("account.group_account_invoice"))
        order = (
            self.env["sale.order"]
            .with_user(self.seller)
            .create(
                {
                    "partner_id": self.customer.id,
                    "order_line": [Command.create({"product_id": self.product.id, "product_uom_qty": 10})],
                }
            )
        )
        order.with_user(self.seller).action_confirm()
        deposit = order._muzza_deposit_invoices()
        self.assertEqual(deposit.state, "posted", "issued on the company's behalf")
        self.assertTrue(deposit.is_move_sent)
        sent = deposit.message_ids.filtered(lambda m: self.customer in m.partner_ids)
        self.assertTrue(sent, "e-mailed to the customer")
        self.assertEqual(sent[0].email_from, self.env.company.email_formatted, "from the company")
        self.assertIn(
            "Issued and sent automatically, on the company's behalf, when %s acted." % self.seller.name,
            [visible_text(m.body) for m in deposit.message_ids],
        )
