# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from datetime import date

from freezegun import freeze_time
from lxml import etree

from odoo.tests import Form, tagged

from odoo.addons.account.tests.common import AccountTestInvoicingCommon


@tagged("post_install", "-at_install")
class TestBackOfficeSaysItPlainly(AccountTestInvoicingCommon):
    def test_the_overdue_list_groups_by_customer_not_by_invoice_contact(self):
        action = self.env.ref("muzza_receivables.action_overdue_invoices")
        self.assertIn("'search_default_muzza_customer': 1", action.context)
        search = etree.fromstring(
            self.env["account.move"].get_views([(action.search_view_id.id, "search")])["views"]["search"][
                "arch"
            ]
        )
        grouping = search.xpath("//filter[@name='muzza_customer']")
        self.assertEqual(grouping[0].get("context"), "{'group_by': 'commercial_partner_id'}")
        columns = etree.fromstring(action.view_id.arch).xpath("//field[not(@column_invisible)]/@name")
        self.assertEqual(columns[0], "commercial_partner_id", "the customer comes first")

    def test_a_new_retainer_says_new_then_when_its_next_period_is_invoiced(self):
        self.env.company.muzza_retainer_lead_days = 7
        customer = self.env["res.partner"].create({"name": "Retained Ltd", "is_company": True})
        with Form(self.env["muzza.retainer"]) as form:
            self.assertFalse(form.name, "the form says New until it is saved, not '/'")
            form.partner_id = customer
            form.amount = 1000.0
            form.date_start = date(2027, 1, 1)
        retainer = form.record
        self.assertTrue(retainer.name.startswith("RET/"))
        with freeze_time("2026-12-01"):
            retainer.action_start()
        self.assertEqual(retainer.next_period_start, date(2027, 1, 1))
        self.assertEqual(retainer.next_invoice_date, date(2026, 12, 25), "seven days ahead")
