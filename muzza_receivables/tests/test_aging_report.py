# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import base64
import io
import re

import openpyxl

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from odoo.addons.mail.tests.common import mail_new_test_user

from ..logic.aging import average_days_late
from .test_aging import AgingDataCase, D


@tagged("post_install", "-at_install", "muzza_once_without_stock")
class TestAgedReceivablesReport(AgingDataCase):
    """What the accountant opens: the screen, the PDF and the spreadsheet
    give the same figures; the drill-down lists the open items; only
    accounting users open it, each their own."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        companies = cls.env.company | cls.other["company"]
        cls.accountant = mail_new_test_user(
            cls.env,
            login="muzza_aging_accountant",
            groups="base.group_user,account.group_account_invoice",
            company_id=cls.env.company.id,
            company_ids=[Command.set(companies.ids)],
        )
        cls.customers = cls.c1 | cls.c2 | cls.c3

    def _report(self, user=None, **values):
        env = self.env(user=user or self.accountant)
        companies = self.env.company | self.other["company"]
        return (
            env["muzza.aging.report"]
            .with_context(allowed_company_ids=companies.ids)
            .create(
                {
                    "as_of_date": "2026-03-31",
                    "company_ids": [Command.set(companies.ids)],
                    "partner_ids": [Command.set(self.customers.ids)],
                    **values,
                }
            )
        )

    def _figures(self, report):
        return {
            (line.partner_id.id, line.company_id.id): [line["bucket_%s" % i] for i in range(6)] + [line.total]
            for line in report.line_ids
        }

    def test_the_screen_the_pdf_and_the_spreadsheet_agree(self):
        report = self._report()
        action = report.action_show()
        self.assertEqual(action["res_model"], "muzza.aging.report.line")
        figures = self._figures(report)
        summary = self.env["muzza.aging"]._summary(
            report.as_of_date, report.company_ids, partner_ids=self.customers.ids
        )
        self.assertEqual(
            figures, {(r["partner_id"], r["company_id"]): [*r["buckets"], r["total"]] for r in summary}
        )
        one = figures[(self.c1.id, self.env.company.id)]
        self.assertEqual(one, [0.0, 250.0, -100.0, 0.0, 0.0, 80.0, 230.0])

        # the spreadsheet: one row per line, the same figures, then the total
        url = report.action_export_xlsx()["url"]
        attachment = self.env["ir.attachment"].browse(int(re.search(r"/web/content/(\d+)", url).group(1)))
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(attachment.datas)))
        sheet = book.active
        rows = list(sheet.iter_rows(min_row=5, values_only=True))
        by_customer = {row[0]: list(row[3:10]) for row in rows if row[0] and row[0] != "Total"}
        self.assertEqual(by_customer["Aging One"], [0, 250, -100, 0, 0, 80, 230])
        self.assertEqual(sheet.cell(row=4, column=5).value, "1-30")
        total_row = next(row for row in rows if row[0] == "Total")
        self.assertAlmostEqual(total_row[9], sum(f[-1] for f in figures.values()), places=2)

        # the PDF: the same figures, formatted
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("muzza_receivables.action_report_muzza_aging", report.ids)[0]
            .decode()
        )
        text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html).replace("\xa0", " ").replace("\ufeff", ""))
        self.assertIn("Aged Receivables at March 31, 2026", text)
        company = self.env.company.name
        self.assertIn("Aging One %s $ 0.00 $ 250.00 $ -100.00 $ 0.00 $ 0.00 $ 80.00 $ 230.00" % company, text)
        self.assertIn("Older than 120", text)

    def test_a_spanish_accountant_reads_it_in_spanish(self):
        self.env["res.lang"]._activate_lang("es_ES")
        self.env["ir.module.module"]._load_module_terms(["muzza_receivables"], ["es_ES"], overwrite=True)
        self.accountant.lang = "es_ES"
        report = self._report().with_context(lang="es_ES")
        report.action_show()
        html = (
            self.env["ir.actions.report"]
            .with_context(lang="es_ES")
            ._render_qweb_html("muzza_receivables.action_report_muzza_aging", report.ids)[0]
            .decode()
        )
        text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html).replace("\xa0", " "))
        self.assertIn("Antigüedad de saldos de clientes al 31 de marzo de 2026", text)
        self.assertIn("Antigüedad según fecha de vencimiento, periodos de 30 días.", text)
        self.assertIn("No vencido", text)
        self.assertIn("Más de 120", text)
        self.assertIn("250,00", text)

    def test_how_fast_each_customer_pays(self):
        # at 31 March, "Aging One" owes 230: March has no sales (31 days),
        # February's 400 (500 invoiced, 100 credited) covers the rest
        report = self._report(partner_ids=[Command.set(self.c1.ids)])
        report.action_show()
        line = report.line_ids
        self.assertAlmostEqual(line.dso, 31 + 28 * 230 / 400, places=6)
        self.assertEqual(report.dso, line.dso, "one customer: the same figure")
        self.assertIn("DSO 47.1 days", report._title())
        # paid by then: only the first invoice, early (0 days late); the
        # second was paid on 10 April, 38 days after its due date
        self.assertEqual(line.avg_days_late, 0.0)
        later = self._report(partner_ids=[Command.set(self.c1.ids)], as_of_date="2026-04-30")
        later.action_show()
        expected = average_days_late(
            [(1000.0, D(2026, 2, 9), D(2026, 2, 5)), (500.0, D(2026, 3, 3), D(2026, 4, 10))]
        )
        # shown to a tenth of a day
        self.assertEqual(later.line_ids.avg_days_late, round(float(expected), 1))
        self.assertEqual(later.line_ids.avg_days_late, 12.7)

    def test_consolidated_customers_add_up_across_companies(self):
        report = self._report(consolidate=True)
        report.action_show()
        figures = self._figures(report)
        self.assertEqual(set(figures), {(c.id, False) for c in self.customers})
        self.assertEqual(figures[(self.c3.id, False)][-1], 450.0)
        self.assertEqual(report.line_ids.currency_id, self.env.company.currency_id)

    def test_impossible_options_are_refused_in_words(self):
        for values in ({"period_days": 0}, {"min_days_late": -1}):
            with self.subTest(**values), self.assertRaises(ValidationError):
                self._report(**values)

    def test_the_columns_say_which_days_they_hold(self):
        report = self._report(period_days=15)
        context = report.action_show()["context"]
        # what the web client asks: get_views, with the context keys it passes on
        passed = {key: value for key, value in context.items() if key == "lang" or key.endswith("_view_ref")}
        Line = self.env["muzza.aging.report.line"].with_context(**passed)
        fields = Line.get_views([(False, "list")])["models"]["muzza.aging.report.line"]["fields"]
        labels = [fields["bucket_%s" % i]["string"] for i in range(6)]
        self.assertEqual(labels, ["Not Due", "1-15", "16-30", "31-45", "46-60", "Older than 60"])

    def test_the_drill_down_lists_each_open_item_in_both_currencies(self):
        report = self._report()
        report.action_show()
        line = report.line_ids.filtered(lambda l: l.partner_id == self.c1)
        action = line.action_open_items()
        items = self.env[action["res_model"]].with_user(self.accountant).search(action["domain"])
        self.assertEqual(sorted(items.mapped("kind")), ["invoice", "invoice", "payment", "refund"])
        self.assertAlmostEqual(sum(items.mapped("open_balance")), line.total, places=2)
        second = items.filtered(lambda i: i.open_balance == 300.0)
        self.assertEqual((second.days_late, second.original_amount_currency), (28, 500.0))
        self.assertEqual(second.action_open_entry()["res_id"], second.move_id.id)

    def test_a_salesperson_cannot_open_it_and_an_accountant_sees_only_their_own(self):
        seller = mail_new_test_user(
            self.env, login="muzza_aging_seller", groups="base.group_user,sales_team.group_sale_salesman"
        )
        with self.assertRaises(AccessError):
            self._report(user=seller)
        with self.assertRaises(AccessError):
            self.env["muzza.aging"].with_user(seller)._summary(
                self.env["muzza.aging.report"]._fields["as_of_date"].default(self.env["muzza.aging.report"]),
                self.env.company,
            )
        report = self._report()
        report.action_show()
        colleague = mail_new_test_user(
            self.env, login="muzza_aging_colleague", groups="base.group_user,account.group_account_invoice"
        )
        self.assertFalse(
            self.env["muzza.aging.report.line"].with_user(colleague).search([("report_id", "=", report.id)])
        )
