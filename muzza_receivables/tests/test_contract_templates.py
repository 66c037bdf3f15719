# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import Form, HttpCase, tagged

from odoo.addons.account.tests.common import AccountTestInvoicingCommon

from .test_invoice_report import render_pdf_text, visible_text

NBSP = "\N{NO-BREAK SPACE}"


@tagged("post_install", "-at_install")
class TestContractTemplates(AccountTestInvoicingCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("es_ES")
        cls.env["ir.module.module"]._load_module_terms(
            ["account", "sale", "muzza_receivables"], ["es_ES"], overwrite=True
        )
        cls.env["res.partner.bank"].create(
            {"acc_number": "ES9121000418450200051332", "partner_id": cls.env.company.partner_id.id}
        )
        cls.policy = cls.env["muzza.late.fee.policy"].create(
            {
                "name": "1.5 % monthly",
                "kind": "interest",
                "rate": 1.5,
                "rate_period": "month",
                "grace_days": 5,
            }
        )
        cls.pay_30 = cls.env.ref("account.account_payment_term_30days")
        cls.template = cls.env["muzza.contract.template"].create(
            {
                "name": "Fortnightly",
                "payment_term_id": cls.pay_30.id,
                "invoice_trigger": "cadence",
                "cadence_interval": 2,
                "cadence_unit": "week",
                "cadence_weekday": "4",
                "cadence_threshold": 1000.0,
                "bank_transfer": True,
                "autopay_offered": True,
                "late_fee_policy_id": cls.policy.id,
            }
        )
        cls.product = cls.env["product.product"].create(
            {
                "name": "Design hour",
                "type": "service",
                "list_price": 100.0,
                "invoice_policy": "order",
                "taxes_id": [],
            }
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Harbor Lights", "email": "ap@harbor.example.com", "lang": "en_US"}
        )
        cls.customer.with_company(cls.env.company).muzza_contract_template_id = cls.template

    def _quotation(self, partner=None, qty=12):
        return self.env["sale.order"].create(
            {
                "partner_id": (partner or self.customer).id,
                "order_line": [Command.create({"product_id": self.product.id, "product_uom_qty": qty})],
            }
        )

    def test_bad_cadences_are_refused(self):
        cases = [
            ({"cadence_interval": 0}, "Invoice at least every 1 day, week or month."),
            ({"cadence_unit": "month"}, "A weekday only goes with a cadence in weeks."),
            ({"cadence_threshold": -5.0}, "The uninvoiced-amount threshold cannot be negative."),
        ]
        for values, message in cases:
            with self.assertRaises(ValidationError) as error:
                self.template.copy(values)
            self.assertIn(message, str(error.exception))

    def test_quotation_takes_the_customer_template_and_the_user_can_choose_another(self):
        immediate = self.env.ref("account.account_payment_term_immediate")
        other = self.template.copy(
            {"name": "Immediate", "invoice_trigger": "confirmation", "payment_term_id": immediate.id}
        )
        with Form(self.env["sale.order"]) as form:
            form.partner_id = self.customer
            self.assertEqual(form.muzza_contract_template_id, self.template)
            self.assertEqual(form.payment_term_id, self.pay_30)
            form.muzza_contract_template_id = other
            self.assertEqual(form.payment_term_id, immediate)
            with form.order_line.new() as line:
                line.product_id = self.product

    @freeze_time("2026-11-23 10:00:00")
    def test_every_sentence_of_the_terms_follows_from_the_template(self):
        order = self._quotation()
        expected = [
            (
                "We invoice the work delivered every 2 weeks, the first time on December 11, 2026, and as "
                "soon as the work delivered and not yet invoiced exceeds $ 1,000.00."
            ),
            (
                "Each invoice is due under the terms “30 Days”: an invoice dated December 11, 2026 is due "
                "on January 10, 2027."
            ),
            "You can pay by bank transfer to ES9121000418450200051332, quoting the invoice number.",
            (
                "If you wish, each invoice can be paid automatically on its due date with a saved payment "
                "method; you can withdraw this consent at any time from your portal."
            ),
            # invoiced in several pieces: the rate, not a figure on the whole order
            (
                "If not paid by January 15, 2027 (due date plus 5 days' grace), interest of 1.5 % per "
                "month will be charged on the amount due."
            ),
        ]
        lines = [line.replace(NBSP, " ") for line in order._muzza_terms_lines()]
        self.assertEqual(lines, expected)
        # change a field, the words follow
        self.template.write(
            {"invoice_trigger": "confirmation", "autopay_offered": False, "bank_transfer": False}
        )
        lines = order._muzza_terms_lines()
        self.assertEqual(lines[0], "We invoice the whole order when you confirm it.")
        self.assertEqual(
            lines[1],
            "Each invoice is due under the terms “30 Days”: an invoice dated November 23, 2026 is due on "
            "December 23, 2026.",
        )
        self.assertEqual(len(lines), 3, "no way-to-pay or automatic-payment sentence any more")

    @freeze_time("2026-11-23 10:00:00")
    def test_spanish_quotation_pdf_prints_the_terms_in_spanish(self):
        spanish = self.env["res.partner"].create(
            {"name": "Alhambra SL", "email": "f@a.example", "lang": "es_ES"}
        )
        spanish.with_company(self.env.company).muzza_contract_template_id = self.template
        order = self._quotation(partner=spanish)
        text = render_pdf_text(self.env, "sale.action_report_saleorder", order)
        self.assertIn("Condiciones de pago", text)
        self.assertIn(
            "Facturamos el trabajo entregado cada 2 semanas, la primera vez el 11 de diciembre de 2026", text
        )
        self.assertIn("una factura con fecha 11 de diciembre de 2026 vence el 10 de enero de 2027.", text)
        self.assertIn("Si el 15 de enero de 2027 no se ha pagado (vencimiento más 5 días de gracia)", text)

    def test_portal_page_the_customer_signs_shows_the_terms(self):
        order = self._quotation()
        page = self.url_open(order.get_portal_url())
        self.assertEqual(page.status_code, 200)
        text = visible_text(page.content.decode("utf-8"))
        self.assertIn("Payment terms", text)
        self.assertIn("We invoice the work delivered every 2 weeks", text)

    def test_invoices_of_the_order_take_the_template_late_fee_policy(self):
        self.env.company.muzza_late_fee_policy_id = self.env["muzza.late.fee.policy"].create(
            {"name": "Company default", "kind": "fixed", "fixed_amount": 10.0}
        )
        order = self._quotation()
        order.action_confirm()
        invoice = order._create_invoices()
        invoice.action_post()
        self.assertEqual(invoice.muzza_fee_policy_id, self.policy)
        self.assertEqual(invoice.invoice_payment_term_id, self.pay_30)
        self.assertEqual(invoice.muzza_fee_terms["kind"], "interest")

    def test_the_invoice_prints_the_ways_to_pay_of_its_contract(self):
        provider = (
            self.env["payment.provider"].sudo().create({"name": "Stripe", "code": "none", "state": "test"})
        )
        self.template.write(
            {
                "payment_provider_ids": [Command.set(provider.ids)],
                "bank_instructions": "For a payment plan, write to ana@muzza.example.com.",
            }
        )
        order = self._quotation()
        order.action_confirm()
        invoice = order._create_invoices()
        invoice.action_post()
        text = render_pdf_text(self.env, "account.account_invoices", invoice)
        self.assertIn("Pay this invoice online, by card or bank, at:", text)
        self.assertIn(
            "You can pay by bank transfer to ES9121000418450200051332, quoting %s, or online (Stripe) "
            "from the link and QR code on this invoice." % invoice.payment_reference,
            text,
        )
        self.assertIn("For a payment plan, write to ana@muzza.example.com.", text)
        self.assertIn("If you wish, each invoice can be paid automatically on its due date", text)

        # in the customer's language
        invoice.partner_id.lang = "es_ES"
        invoice.invalidate_recordset(["muzza_pay_sentence"])
        self.assertEqual(
            invoice.muzza_pay_sentence.split("\n")[0],
            "Puede pagar por transferencia bancaria a ES9121000418450200051332, indicando %s, o en línea "
            "(Stripe) desde el enlace y el código QR de esta factura." % invoice.payment_reference,
        )
        invoice.partner_id.lang = "en_US"

        # the words follow the contract (no bank transfer), and what the
        # portal offers: with no provider of its own, the company's
        self.template.write({"bank_transfer": False, "payment_provider_ids": [Command.clear()]})
        invoice.invalidate_recordset(["muzza_pay_sentence"])
        lines = invoice.muzza_pay_sentence.split("\n")
        self.assertEqual(lines[0], "You can pay online (Stripe) from the link and QR code on this invoice.")
        self.assertEqual(lines[1], "For a payment plan, write to ana@muzza.example.com.")
        self.assertNotIn("bank transfer", invoice.muzza_pay_sentence)
        self.assertEqual(invoice._muzza_online_providers().mapped("name"), ["Stripe"])


@tagged("post_install", "-at_install")
class TestCadenceInvoicing(AccountTestInvoicingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.template = cls.env["muzza.contract.template"].create(
            {
                "name": "Fortnightly",
                "payment_term_id": cls.env.ref("account.account_payment_term_30days").id,
                "invoice_trigger": "cadence",
                "cadence_interval": 2,
                "cadence_unit": "week",
            }
        )
        cls.product = cls.env["product.product"].create(
            {
                "name": "Design hour",
                "type": "service",
                "list_price": 100.0,
                "invoice_policy": "delivery",
                "taxes_id": [],
            }
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Harbor Lights", "email": "ap@harbor.example.com"}
        )

    def _order(self, **template_values):
        if template_values:
            self.template.write(template_values)
        with freeze_time("2026-11-23 09:00:00"):
            order = self.env["sale.order"].create(
                {
                    "partner_id": self.customer.id,
                    "muzza_contract_template_id": self.template.id,
                    "order_line": [Command.create({"product_id": self.product.id, "product_uom_qty": 100})],
                }
            )
            order.action_confirm()
        return order

    def _deliver(self, order, hours):
        line = order.order_line
        line.qty_delivered = line.qty_delivered + hours

    def _run(self, day):
        """Run the cadence action on ``day``; return how many invoices it made."""
        commits = []
        Move = self.env["account.move"]
        before = Move.search_count([("move_type", "=", "out_invoice")])
        with freeze_time(day), patch.object(self.env.cr, "commit", lambda: commits.append(day)):
            handled = self.env["sale.order"]._cron_cadence_invoicing()
        self.assertGreaterEqual(len(commits), handled, "each order handled is committed")
        return Move.search_count([("move_type", "=", "out_invoice")]) - before

    def test_one_invoice_per_period_with_the_delivered_quantities(self):
        order = self._order()
        self.assertEqual(str(order.muzza_next_invoice_date), "2026-12-07")
        self._deliver(order, 6)
        self.assertEqual(self._run("2026-12-01"), 0, "not before the cadence date")
        self._deliver(order, 4)
        self.assertEqual(self._run("2026-12-07"), 1)
        self.assertEqual(self._run("2026-12-07"), 0, "a second run the same day invoices nothing")
        self.assertEqual(str(order.muzza_next_invoice_date), "2026-12-21")
        self._deliver(order, 5)
        self._run("2026-12-14")  # mid-period: nothing
        self._run("2026-12-21")
        self._run("2026-12-21")
        self._run("2027-01-04")  # nothing delivered since: no empty invoice
        invoices = order.invoice_ids.sorted("id")
        self.assertEqual(len(invoices), 2)
        self.assertEqual(invoices.mapped("invoice_line_ids.quantity"), [10.0, 5.0])
        self.assertEqual([str(d) for d in invoices.mapped("invoice_date")], ["2026-12-07", "2026-12-21"])
        self.assertEqual(invoices.mapped("state"), ["posted", "posted"])
        self.assertTrue(all(invoices.mapped("is_move_sent")))
        self.assertEqual(str(order.muzza_next_invoice_date), "2027-01-18")

    def test_a_missed_run_catches_up_in_one_invoice_and_realigns_the_cadence(self):
        order = self._order()
        self._deliver(order, 8)
        self._run("2026-12-24")  # the 2026-12-07 and 12-21 runs never happened
        self.assertEqual(len(order.invoice_ids), 1)
        self.assertEqual(str(order.muzza_next_invoice_date), "2027-01-04")

    def test_threshold_invoices_before_the_date(self):
        order = self._order(cadence_threshold=1000.0)
        self._deliver(order, 9)  # 900: under the threshold
        self.assertEqual(self._run("2026-11-30"), 0)
        self._deliver(order, 2)  # 1,100: over it
        self.assertEqual(self._run("2026-11-30"), 0, "each order is looked at once a day")
        self.assertEqual(self._run("2026-12-01"), 1)
        self.assertEqual(order.invoice_ids.invoice_line_ids.quantity, 11.0)

    def test_drafts_when_the_company_reviews_cadence_invoices(self):
        self.env.company.muzza_cadence_post = False
        order = self._order()
        self._deliver(order, 3)
        self._run("2026-12-07")
        self.assertEqual(order.invoice_ids.state, "draft")


@tagged("post_install", "-at_install")
class TestUninvoicedWork(AccountTestInvoicingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product = cls.env["product.product"].create(
            {
                "name": "Design hour",
                "type": "service",
                "list_price": 100.0,
                "invoice_policy": "delivery",
                "taxes_id": [],
            }
        )
        cls.seller = cls.env["res.users"].create(
            {
                "name": "Sam Seller",
                "login": "muzza_sam",
                "groups_id": [Command.set([cls.env.ref("sales_team.group_sale_salesman").id])],
            }
        )
        cls.customer = cls.env["res.partner"].create({"name": "Slow Biller"})
        cls.env.company.muzza_pileup_days = 30

    def _run(self, day):
        with freeze_time(day), patch.object(self.env.cr, "commit", lambda: None):
            return self.env["sale.order"]._cron_uninvoiced_work()

    def test_delivered_work_waiting_too_long_alerts_the_salesperson_once(self):
        with freeze_time("2026-11-01 09:00:00"):
            order = self.env["sale.order"].create(
                {
                    "partner_id": self.customer.id,
                    "user_id": self.seller.id,
                    "order_line": [Command.create({"product_id": self.product.id, "product_uom_qty": 50})],
                }
            )
            order.action_confirm()
            order.order_line.qty_delivered = 12
        with freeze_time("2026-11-25"):
            self.assertFalse(
                self.env["sale.order"].search([("muzza_work_piling_up", "=", True), ("id", "=", order.id)])
            )
        self.assertEqual(self._run("2026-11-25"), 0)
        with freeze_time("2026-12-05"):
            self.assertEqual(self.env["sale.order"].search([("muzza_work_piling_up", "=", True)]), order)
            self.assertTrue(
                self.env["sale.order"].search([("muzza_work_piling_up", "!=", True), ("id", "=", order.id)])
                == order.browse()
            )
        self.assertEqual(self._run("2026-12-05"), 1)
        self.assertEqual(self._run("2026-12-06"), 0, "once per waiting spell")
        activity = order.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.seller)
        self.assertEqual(activity.summary, "Invoice the delivered work")
        self.assertIn("1,200.00", activity.note)
        self.assertIn("11/01/2026", activity.note)
        # invoicing resets the clock
        with freeze_time("2026-12-07"):
            order._create_invoices()
            self.assertFalse(
                self.env["sale.order"].search([("muzza_work_piling_up", "=", True), ("id", "=", order.id)])
            )
