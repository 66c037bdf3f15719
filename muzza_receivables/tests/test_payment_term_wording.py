# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import re

from freezegun import freeze_time

from odoo import Command
from odoo.tests import HttpCase, tagged

from odoo.addons.account.tests.common import AccountTestInvoicingCommon

from .test_invoice_report import render_pdf_text, visible_text


@tagged("post_install", "-at_install")
class TestPaymentTermWording(AccountTestInvoicingCommon, HttpCase):
    """Never "net 30": on every document the customer reads, a relative
    payment term ("30 Days") only appears with the date it resolves to, and
    that date is stated once."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("es_ES")
        cls.env["ir.module.module"]._load_module_terms(
            ["account", "sale", "muzza_receivables"], ["es_ES"], overwrite=True
        )
        cls.env.company.muzza_late_fee_policy_id = cls.env["muzza.late.fee.policy"].create(
            {"name": "Fixed 25", "kind": "fixed", "fixed_amount": 25.0, "grace_days": 3}
        )
        cls.pay_30 = cls.env.ref("account.account_payment_term_30days")
        cls.english = cls.env["res.partner"].create(
            {"name": "Harbor Lights", "email": "ap@harbor.example.com", "lang": "en_US"}
        )
        cls.spanish = cls.env["res.partner"].create(
            {"name": "Alhambra SL", "email": "facturas@alhambra.example.com", "lang": "es_ES"}
        )
        cls.product = cls.env["product.product"].create(
            {"name": "Design hour", "type": "service", "list_price": 100.0, "taxes_id": []}
        )

    def assertTermOnlyWithItsDate(self, text, term, due):
        """``term`` (e.g. "30 Days") never appears without ``due`` (the date
        it gives) in the same sentence, and ``due`` appears exactly once."""
        for match in re.finditer(re.escape(term), text):
            sentence = text[match.start() : text.find(".", match.end()) + 1]
            self.assertIn(due, sentence, "“%s” without its date in: …%s…" % (term, sentence))
        self.assertEqual(text.count(due), 1, "the due date is stated once: %s" % text)

    # ------------------------------------------------------------------------
    # invoices
    # ------------------------------------------------------------------------

    def _invoice(self, partner):
        move = self.init_invoice(
            "out_invoice",
            partner=partner,
            invoice_date="2026-12-01",
            amounts=[800.0],
            taxes=self.env["account.tax"],
        )
        move.invoice_payment_term_id = self.pay_30
        move.action_post()
        return move

    def test_the_invoice_pdf_states_the_due_date_in_place_of_thirty_days(self):
        text = render_pdf_text(self.env, "account.account_invoices", self._invoice(self.english))
        self.assertIn("Due Date December 31, 2026", text)
        self.assertNotIn("Payment terms: 30 Days", text, "Odoo's note gives way to the date")
        self.assertTermOnlyWithItsDate(text, "30 Days", "December 31, 2026")

        text = render_pdf_text(self.env, "account.account_invoices", self._invoice(self.spanish))
        self.assertIn("Fecha de vencimiento 31 de diciembre de 2026", text)
        self.assertNotIn("Condiciones de pago: 30 días", text)
        self.assertTermOnlyWithItsDate(text, "30 días", "31 de diciembre de 2026")

    def test_the_vendor_bill_keeps_odoo_payment_term_note(self):
        bill = self.init_invoice(
            "in_invoice", partner=self.english, invoice_date="2026-12-01", amounts=[100.0], post=False
        )
        bill.write({"invoice_payment_term_id": self.pay_30.id, "ref": "BILL-1"})
        bill.action_post()
        html = self.env["ir.actions.report"]._render_qweb_html("account.account_invoices", bill.ids)[0]
        self.assertIn("Payment terms: 30 Days", visible_text(html.decode()))

    def test_the_invoice_portal_page_and_email_state_the_due_date_not_thirty_days(self):
        move = self._invoice(self.english)
        page = self.url_open(move.get_portal_url(report_type="html"))
        self.assertEqual(page.status_code, 200)
        text = visible_text(page.content.decode("utf-8"))
        self.assertIn("Due Date December 31, 2026", text)
        self.assertTermOnlyWithItsDate(text, "30 Days", "December 31, 2026")

        self.env["account.move.send"]._generate_and_send_invoices(
            move, sending_methods={"email"}, allow_fallback_pdf=True
        )
        message = move.message_ids.filtered(lambda m: self.english in m.partner_ids)[:1]
        body = visible_text(message.body)
        self.assertIn("Due on December 31, 2026", body)
        self.assertTermOnlyWithItsDate(body, "30 Days", "December 31, 2026")

    # ------------------------------------------------------------------------
    # quotations without a contract template
    # ------------------------------------------------------------------------

    def _quotation(self, partner):
        return self.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "date_order": "2026-12-01 10:00:00",
                "payment_term_id": self.pay_30.id,
                "order_line": [Command.create({"product_id": self.product.id, "product_uom_qty": 8})],
            }
        )

    @freeze_time("2026-12-01 10:00:00")
    def test_a_quotation_without_contract_template_states_its_term_with_the_date_it_gives(self):
        order = self._quotation(self.english)
        self.assertFalse(order.muzza_contract_template_id)
        text = render_pdf_text(self.env, "sale.action_report_saleorder", order)
        self.assertIn(
            "Payment terms Each invoice is due under the terms “30 Days”: an invoice dated December 1, 2026 "
            "is due on December 31, 2026. If not paid by January 3, 2027 (due date plus 3 days' grace), a "
            "late fee of $ 25.00 will be charged.",
            text,
        )
        self.assertNotIn("Payment terms: 30 Days", text, "Odoo's line gives way to the section")
        self.assertEqual(text.count("Payment terms"), 1, "one Payment terms section")
        self.assertTermOnlyWithItsDate(text, "30 Days", "December 31, 2026")

        # the customer's own policy comes before the company's
        self.english.with_company(self.env.company).muzza_late_fee_policy_id = self.env[
            "muzza.late.fee.policy"
        ].create({"name": "1 % monthly", "kind": "interest", "rate": 1.0, "rate_period": "month"})
        self.assertIn("interest of 1 % per month", order._muzza_terms_lines()[-1])

    @freeze_time("2026-12-01 10:00:00")
    def test_a_spanish_quotation_states_its_term_with_the_date_in_spanish(self):
        text = render_pdf_text(self.env, "sale.action_report_saleorder", self._quotation(self.spanish))
        self.assertIn(
            "Cada factura vence según el plazo «30 días»: una factura con fecha 1 de diciembre de 2026 "
            "vence el 31 de diciembre de 2026.",
            text,
        )
        self.assertIn("Si el 3 de enero de 2027 no se ha pagado (vencimiento más 3 días de gracia)", text)
        self.assertNotIn("Condiciones de pago: 30 días", text)
        self.assertTermOnlyWithItsDate(text, "30 días", "31 de diciembre de 2026")

    @freeze_time("2026-12-01 10:00:00")
    def test_the_quotation_portal_page_has_one_payment_terms_section_with_the_date(self):
        order = self._quotation(self.english)
        self.assertTrue(order._has_to_be_signed(), "the signing dialog is on the page")
        page = self.url_open(order.get_portal_url())
        self.assertEqual(page.status_code, 200)
        text = visible_text(page.content.decode("utf-8"))
        self.assertEqual(text.count("Payment terms"), 1, "one Payment terms heading")
        self.assertIn("an invoice dated December 1, 2026 is due on December 31, 2026.", text)
        self.assertIn("You accept the payment terms stated on this page.", text)
        self.assertTermOnlyWithItsDate(text, "30 Days", "December 31, 2026")
