# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import html
import re
import shutil
import subprocess
from datetime import date

from odoo.tests import HttpCase, tagged

from odoo.addons.account.tests.common import AccountTestInvoicingCommon


def pdf_text(pdf):
    """The text a customer reads in the PDF, whitespace folded."""
    if not shutil.which("pdftotext"):
        raise AssertionError("pdftotext (Debian: poppler-utils) is needed to read the rendered PDF")
    out = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout
    return re.sub(r"\s+", " ", out.decode()).strip()


def render_pdf_text(env, report_ref, records):
    """Render ``records`` with the real wkhtmltopdf and return the PDF's text.

    Debian's wkhtmltopdf (unpatched Qt) draws Odoo's web fonts as outlines,
    leaving no text layer to read. Pointing report.url at a closed port
    keeps the web assets out, so the PDF uses the system fonts and its text
    can be read back; the document is the same.
    """
    env["ir.config_parameter"].sudo().set_param("report.url", "http://127.0.0.1:9")
    pdf, kind = (
        env["ir.actions.report"]
        .with_context(force_report_rendering=True)
        ._render_qweb_pdf(report_ref, records.ids)
    )
    if kind != "pdf":
        raise AssertionError("%s rendered as %s, not as a PDF" % (report_ref, kind))
    return pdf_text(pdf)


def visible_text(markup):
    """Text of an HTML document as a reader sees it: no tags, entities
    decoded, every run of white space (no-break spaces too) one space."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", markup))).strip()


@tagged("post_install", "-at_install", "muzza_once_with_stock")
class TestInvoiceReport(AccountTestInvoicingCommon):
    """Real PDFs through wkhtmltopdf, in English and Spanish."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("es_ES")
        cls.env["ir.module.module"]._load_module_terms(
            ["account", "muzza_receivables"], ["es_ES"], overwrite=True
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
        cls.env.company.muzza_late_fee_policy_id = cls.policy
        cls.env["res.partner.bank"].create(
            {"acc_number": "ES9121000418450200051332", "partner_id": cls.env.company.partner_id.id}
        )
        cls.english = cls.env["res.partner"].create(
            {"name": "Harbor Lights", "email": "ap@harbor.example.com", "lang": "en_US"}
        )
        cls.spanish = cls.env["res.partner"].create(
            {"name": "Alhambra SL", "email": "facturas@alhambra.example.com", "lang": "es_ES"}
        )

    def _posted(self, partner, amount=1250.0, term="account.account_payment_term_30days"):
        move = self.init_invoice(
            "out_invoice",
            partner=partner,
            invoice_date="2026-11-15",
            amounts=[amount],
            taxes=self.env["account.tax"],
        )
        move.invoice_payment_term_id = self.env.ref(term)
        move.action_post()
        return move

    def _render(self, move):
        return render_pdf_text(self.env, "account.account_invoices", move)

    def test_english_pdf_states_exact_dates_payment_options_and_late_fee(self):
        move = self._posted(self.english)
        text = self._render(move)
        self.assertIn("Due Date December 15, 2026", text, "the due date in words, once")
        self.assertEqual(text.count("December 15, 2026"), 1)
        self.assertIn(
            "If not paid by December 20, 2026 (due date plus 5 days' grace), interest of 1.5 % per month "
            "will be charged on the amount due: $ 18.75 for each month of delay.",
            text,
        )
        self.assertIn("ES9121000418450200051332", text, "the bank account to pay into")
        self.assertIn(move.payment_reference, text)
        self.assertIn("See and download this invoice online:", text)
        self.assertIn("/my/invoices/%s?access_token=" % move.id, text)

    def test_spanish_pdf_reads_in_spanish(self):
        move = self._posted(self.spanish)
        text = self._render(move)
        self.assertIn("Fecha de vencimiento 15 de diciembre de 2026", text)
        self.assertIn(
            "Si el 20 de diciembre de 2026 no se ha pagado (vencimiento más 5 días de gracia), se cobrarán "
            "intereses del 1,5 % mensual sobre el importe adeudado: $ 18,75 por cada mes de retraso.",
            text,
        )
        self.assertIn("Puede pagar por transferencia bancaria a ES9121000418450200051332, indicando", text)
        self.assertNotIn("en esta cuenta", text, "the account and the reference are printed once")
        self.assertIn("Consulte y descargue esta factura en línea:", text)
        self.assertNotIn("Due on", text)

    def test_a_late_fee_invoice_prints_no_late_fee_terms_of_its_own(self):
        move = self._posted(self.english)  # due December 15, fee-free until December 20
        fee = move._muzza_charge_late_fee(date(2027, 1, 1), on_cycle=True)
        self.assertTrue(fee, "the late invoice was charged its fee")
        text = self._render(fee)
        self.assertIn("Late-payment fee for invoice %s" % move.name, text)
        self.assertIn("Due Date January 1, 2027", text)
        self.assertNotIn("If not paid by", text, "no fee is ever charged on a late-fee invoice")
        self.assertNotIn("will be charged", text)
        self.assertIn(
            "If not paid by December 20, 2026", self._render(move), "the late invoice keeps its terms"
        )

    def test_instalments_are_listed_with_their_dates_and_amounts(self):
        term = self.env["account.payment.term"].create(
            {
                "name": "Half now, half in 60 days",
                "line_ids": [
                    (0, 0, {"value": "percent", "value_amount": 50.0, "nb_days": 0}),
                    (0, 0, {"value": "percent", "value_amount": 50.0, "nb_days": 60}),
                ],
            }
        )
        move = self.init_invoice(
            "out_invoice",
            partner=self.spanish,
            invoice_date="2026-11-15",
            amounts=[1000.0],
            taxes=self.env["account.tax"],
        )
        move.invoice_payment_term_id = term
        move.action_post()
        text = self._render(move)
        self.assertIn("Plazo 1 de 2: $ 500,00, vence el 15 de noviembre de 2026", text)
        self.assertIn("Plazo 2 de 2: $ 500,00, vence el 14 de enero de 2027", text)


@tagged("post_install", "-at_install", "muzza_once_with_stock")
class TestInvoiceMailAndPortal(AccountTestInvoicingCommon, HttpCase):
    """The e-mail that sends the invoice and the portal page say the same."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("es_ES")
        cls.env["ir.module.module"]._load_module_terms(
            ["account", "muzza_receivables"], ["es_ES"], overwrite=True
        )
        cls.env.company.muzza_late_fee_policy_id = cls.env["muzza.late.fee.policy"].create(
            {"name": "Fixed 25", "kind": "fixed", "fixed_amount": 25.0, "grace_days": 3}
        )
        cls.spanish = cls.env["res.partner"].create(
            {"name": "Alhambra SL", "email": "facturas@alhambra.example.com", "lang": "es_ES"}
        )

    def _posted(self):
        move = self.init_invoice(
            "out_invoice",
            partner=self.spanish,
            invoice_date="2026-11-15",
            amounts=[800.0],
            taxes=self.env["account.tax"],
        )
        move.invoice_payment_term_id = self.env.ref("account.account_payment_term_30days")
        move.action_post()
        return move

    def test_invoice_email_states_the_exact_due_date_and_late_fee_in_spanish(self):
        move = self._posted()
        self.env["account.move.send"]._generate_and_send_invoices(
            move, sending_methods={"email"}, allow_fallback_pdf=True
        )
        self.assertTrue(move.is_move_sent)
        message = move.message_ids.filtered(lambda m: self.spanish in m.partner_ids)[:1]
        self.assertTrue(message, "the invoice was e-mailed to the customer")
        body = visible_text(message.body)
        self.assertIn("Vence el 15 de diciembre de 2026", body)
        self.assertIn(
            "Si el 18 de diciembre de 2026 no se ha pagado (vencimiento más 3 días de gracia), "
            "se cobrará un recargo de $ 25,00.",
            body,
        )
        self.assertIn(move.payment_reference, body)
        self.assertNotIn("earliest convenience", body)

    def _sent_body(self, move):
        self.env["account.move.send"]._generate_and_send_invoices(
            move, sending_methods={"email"}, allow_fallback_pdf=True
        )
        message = move.message_ids.filtered(lambda m: move.partner_id in m.partner_ids)[:1]
        self.assertTrue(message, "the invoice was e-mailed to the customer")
        return visible_text(message.body)

    def test_the_invoice_email_is_ours_by_default_and_can_be_switched_back_to_odoo(self):
        ours = self.env.ref("muzza_receivables.email_template_invoice")
        odoo = self.env.ref("account.email_template_edi_invoice")
        self.assertEqual(self.env.company.muzza_invoice_mail_template_id, ours)
        self.assertEqual(
            self.env["res.company"].create({"name": "Newco"}).muzza_invoice_mail_template_id,
            ours,
            "new companies get it too",
        )
        self.spanish.lang = "en_US"
        self.assertIn("Due on December 15, 2026", self._sent_body(self._posted()))

        # the administrator switches back to Odoo's e-mail in Settings › Receivables
        self.env["res.config.settings"].create({"muzza_invoice_mail_template_id": odoo.id}).execute()
        self.assertEqual(self.env.company.muzza_invoice_mail_template_id, odoo)
        body = self._sent_body(self._posted())
        self.assertIn("Please remit payment at your earliest convenience.", body)
        self.assertNotIn("Due on December 15, 2026", body)

        # ... and edits Odoo's template: the customers read the edits
        odoo.body_html = odoo.body_html.replace(
            "Please remit payment at your earliest convenience.", "Our bank details changed: see the PDF."
        )
        body = self._sent_body(self._posted())
        self.assertIn("Our bank details changed: see the PDF.", body)
        self.assertNotIn("earliest convenience", body)

    def test_portal_invoice_page_shows_the_exact_due_date_and_late_fee(self):
        move = self._posted()
        page = self.url_open(move.get_portal_url(report_type="html"))
        self.assertEqual(page.status_code, 200)
        text = visible_text(page.content.decode("utf-8"))
        self.assertIn("Fecha de vencimiento 15 de diciembre de 2026", text)
        self.assertIn("se cobrará un recargo de $ 25,00.", text)
