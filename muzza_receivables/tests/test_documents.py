# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.tests import HttpCase, tagged

from odoo.addons.account.tests.common import AccountTestInvoicingCommon

from . import document_checks
from .test_invoice_report import visible_text


@tagged("post_install", "-at_install")
class TestDocumentsReadWell(AccountTestInvoicingCommon, HttpCase):
    """Every main document and its e-mail, in English and in Spanish, read
    back as a customer reads them: each says one thing once, in one
    language, every term with its date, nothing past the margin."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("es_ES")
        cls.env["ir.module.module"]._load_module_terms(
            ["base", "account", "sale", "sale_management", "product", "uom", "muzza_receivables"],
            ["es_ES"],
            overwrite=True,
        )
        company = cls.env.company
        company.write(
            {
                "email": "billing@company.example.com",
                "muzza_deposit_who": "new_clients",
                "muzza_deposit_kind": "percentage",
                "muzza_deposit_value": 30.0,
                "muzza_deposit_minimum": 0.0,
                "muzza_deposit_blocks_work": True,
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
        cls.product = cls.env["product.product"].create(
            {"name": "Design hour", "type": "service", "list_price": 100.0, "invoice_policy": "order"}
        )
        cls.product.product_tmpl_id.update_field_translations("name", {"es_ES": "Hora de diseño"})
        cls.product.taxes_id = [Command.clear()]
        cls.customers = {
            lang: cls.env["res.partner"].create(
                {
                    "name": name,
                    "is_company": True,
                    "lang": lang,
                    "email": "ap@%s.example.com" % lang,
                    "property_payment_term_id": cls.pay_30.id,
                }
            )
            for lang, name in (("en_US", "Harbor Lights Ltd"), ("es_ES", "Distribuciones Alhambra S.L."))
        }

    def setUp(self):
        super().setUp()
        # a real layout, with Odoo's styles, as the customer gets it
        self.env["ir.config_parameter"].sudo().set_param("report.url", self.base_url())

    def _pdf(self, report, records):
        pdf, kind = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(report, records.ids)
        )
        self.assertEqual(kind, "pdf")
        return pdf

    def assertReadsWell(self, what, text, lang, pdf=None):
        problems = document_checks.read_back(text, lang, pdf)
        self.assertEqual(problems, [], "%s (%s)" % (what, lang))

    def _email_of(self, move):
        message = move.message_ids.filtered(lambda m: move.partner_id in m.partner_ids)[:1]
        self.assertTrue(message, "%s was e-mailed" % move.name)
        return visible_text(message.body)

    def _quotation(self, customer):
        return self.env["sale.order"].create(
            {
                "partner_id": customer.id,
                "order_line": [Command.create({"product_id": self.product.id, "product_uom_qty": 10})],
            }
        )

    # ------------------------------------------------------------------------

    @freeze_time("2026-11-23 10:00:00")
    def test_quotation_deposit_and_their_emails_read_well(self):
        for lang, customer in self.customers.items():
            with self.subTest(lang=lang):
                order = self._quotation(customer)
                pdf = self._pdf("sale.action_report_saleorder", order)
                text = document_checks.pdf_text(pdf)
                self.assertReadsWell("quotation", text, lang, pdf)
                order.action_confirm()
                deposit = order._muzza_deposit_invoices()
                pdf = self._pdf("account.account_invoices", deposit)
                text = document_checks.pdf_text(pdf)
                self.assertReadsWell("deposit invoice", text, lang, pdf)
                email = self._email_of(deposit)
                self.assertReadsWell("deposit e-mail", email, lang)
                intro = deposit.muzza_intro_sentence
                self.assertTrue(intro and order.name in intro, "it says it is the deposit for the order")
                self.assertIn(visible_text(intro), visible_text(text), "the PDF says it")
                self.assertIn(visible_text(intro), email, "and so does the e-mail")

    def test_an_overdue_invoice_and_its_fee_invoice_say_so(self):
        for lang, customer in self.customers.items():
            with self.subTest(lang=lang):
                with freeze_time("2026-11-15"):
                    move = self.init_invoice(
                        "out_invoice",
                        partner=customer,
                        invoice_date="2026-11-15",
                        amounts=[1250.0],
                        taxes=self.env["account.tax"],
                    )
                    move.write({"invoice_payment_term_id": self.pay_30.id, "partner_bank_id": self.bank.id})
                    move.action_post()
                with freeze_time("2027-01-29"):  # 45 days late
                    fee = move._muzza_charge_late_fee(date(2027, 1, 29), on_cycle=True)
                    move.invalidate_recordset()
                    self.assertIn(
                        {"en_US": "has been overdue for 45 days", "es_ES": "lleva 45 días vencida"}[lang],
                        move.muzza_intro_sentence,
                    )
                    pdf = self._pdf("account.account_invoices", move)
                    self.assertReadsWell("overdue invoice", document_checks.pdf_text(pdf), lang, pdf)
                    self.env["account.move.send"]._generate_and_send_invoices(
                        move, sending_methods={"email"}, allow_fallback_pdf=True
                    )
                    email = self._email_of(move)
                    self.assertReadsWell("overdue e-mail", email, lang)
                    for line in move.muzza_intro_sentence.split("\n"):
                        self.assertIn(
                            visible_text(line),
                            email,
                            "the e-mail says it is overdue, since when, and the fees",
                        )
                    pdf = self._pdf("account.account_invoices", fee)
                    text = document_checks.pdf_text(pdf)
                    self.assertReadsWell("fee invoice", text, lang, pdf)
                    self.assertIn(move.name, fee.muzza_intro_sentence, "it says which invoice it charges for")
                    self.assertReadsWell("fee e-mail", self._email_of(fee), lang)

    def test_a_retainer_period_invoice_reads_well(self):
        for lang, customer in self.customers.items():
            with self.subTest(lang=lang):
                retainer = self.env["muzza.retainer"].create(
                    {
                        "partner_id": customer.id,
                        "amount": 1000.0,
                        "period": "month",
                        "date_start": "2027-01-01",
                    }
                )
                retainer.action_start()
                with freeze_time("2026-12-26"):
                    invoice = retainer._invoice_due_periods(date(2026, 12, 26))
                self.assertEqual(len(invoice), 1)
                pdf = self._pdf("account.account_invoices", invoice)
                self.assertReadsWell("retainer period invoice", document_checks.pdf_text(pdf), lang, pdf)
                self.assertIn(retainer.name, invoice.muzza_intro_sentence)

    def test_a_spanish_customer_reads_its_quotation_in_spanish_whatever_the_browser(self):
        order = self._quotation(self.customers["es_ES"])
        order._portal_ensure_token()
        self.url_open("/web/set_lang?lang=en_US")  # an English browser
        page = self.url_open("/my/orders/%s?access_token=%s" % (order.id, order.access_token))
        self.assertEqual(page.status_code, 200)
        text = visible_text(page.content.decode())
        self.assertIn("Condiciones de pago", text)
        self.assertIn("Información de la venta", text, "Odoo's own page reads in Spanish too")
        self.assertNotIn("Sale Information", text)
