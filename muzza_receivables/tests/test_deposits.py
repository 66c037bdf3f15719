# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

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
                    "is paid, and the final invoices deduct it."
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
                    "paga, y las facturas finales lo descuentan."
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
            "A deposit of $ 500.00 is invoiced when you confirm the order; the final invoices deduct it.",
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
