# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import run_cron_like_odoo
from .test_retainers import RetainerCommon

CRON = "muzza_receivables.ir_cron_retainer_invoicing"


@tagged("post_install", "-at_install")
class TestRetainerCompanies(RetainerCommon):
    """A retainer belongs to one company: the others neither see it nor draw
    from it, it points at nothing of theirs, and the scheduled action
    handles each agreement with its own company's settings."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a = cls.env.company
        cls.company_data_2 = cls.setup_other_company()
        cls.company_b = cls.company_data_2["company"]
        cls.company_b.write({"muzza_retainer_lead_days": 20, "muzza_retainer_warn_percent": 80.0})

    def _retainer_in(self, company, **values):
        retainer = (
            self.env["muzza.retainer"]
            .with_company(company)
            .create(
                {
                    "partner_id": self.customer.id,
                    "amount": 1000.0,
                    "period": "month",
                    "date_start": "2027-01-01",
                    **values,
                }
            )
        )
        retainer.action_start()
        return retainer

    def test_a_retainer_of_another_company_is_neither_visible_nor_usable(self):
        retainer_b = self._retainer_in(self.company_b)
        self.assertEqual(retainer_b.sale_order_id.company_id, self.company_b)
        run_cron_like_odoo(self.env, CRON, "2026-12-15")
        period_invoice = self._period_invoices(retainer_b)
        self.assertEqual(period_invoice.company_id, self.company_b)
        self._pay(period_invoice, "2026-12-20")

        # not visible from company A: a salesperson of company A, or anyone
        # working in company A only
        self.assertFalse(
            self.env["muzza.retainer"].with_user(self.seller).search([("partner_id", "=", self.customer.id)])
        )
        with self.assertRaises(AccessError):
            retainer_b.with_user(self.seller).read(["balance"])
        in_a = self.env["muzza.retainer"].with_context(allowed_company_ids=self.company_a.ids)
        self.assertFalse(in_a.search([("partner_id", "=", self.customer.id)]))

        # not usable from company A: quotations and work there ignore it
        quotation = Form(self.env["sale.order"].with_user(self.seller))
        quotation.partner_id = self.customer
        self.assertFalse(quotation.muzza_customer_retainer_id)
        _order, invoice = self._work(6, "2027-01-10", user=self.seller)
        self.assertEqual((invoice.company_id, invoice.amount_total), (self.company_a, 600.0))
        self.assertFalse(invoice.invoice_line_ids.filtered(lambda line: line.quantity < 0))
        # in company B, the same work draws from it
        with freeze_time("2027-01-10"):
            order = (
                self.env["sale.order"]
                .with_company(self.company_b)
                .create(
                    {
                        "partner_id": self.customer.id,
                        "order_line": [Command.create({"product_id": self.work.id, "product_uom_qty": 6})],
                    }
                )
            )
            order.action_confirm()
            invoice = order._create_invoices()
            invoice.action_post()
        self.assertEqual((invoice.company_id, invoice.amount_untaxed), (self.company_b, 0.0))
        self.assertEqual(
            invoice.invoice_line_ids.filtered(lambda line: line.quantity < 0).price_subtotal, -600.0
        )

    def test_a_retainer_points_at_nothing_of_another_company(self):
        product_b = self.env["product.product"].create(
            {"name": "Company B retainer", "type": "service", "company_id": self.company_b.id}
        )
        customer_b = self.env["res.partner"].create(
            {"name": "Company B's client", "is_company": True, "company_id": self.company_b.id}
        )
        user_b = self.env["res.users"].create(
            {
                "name": "Company B salesperson",
                "login": "muzza_ret_company_b",
                "company_id": self.company_b.id,
                "company_ids": [Command.set(self.company_b.ids)],
            }
        )
        Retainer = self.env["muzza.retainer"].with_company(self.company_a)
        values = {"partner_id": self.customer.id, "amount": 1000.0, "date_start": "2027-01-01"}
        for field, record in (("product_id", product_b), ("partner_id", customer_b), ("user_id", user_b)):
            with self.subTest(field=field), self.assertRaisesRegex(UserError, "Incompatible companies"):
                Retainer.create({**values, field: record.id})
        # an order of company A cannot claim an agreement of company B (only
        # the agreement's own code links an order, and not even it across
        # companies)
        retainer_b = self._retainer_in(self.company_b)
        order_a = self.env["sale.order"].create({"partner_id": self.customer.id})
        with self.assertRaisesRegex(UserError, "linked to a retainer agreement when the agreement starts"):
            order_a.write({"muzza_retainer_id": retainer_b.id})
        with self.assertRaisesRegex(UserError, "Incompatible companies"):
            order_a.sudo().write({"muzza_retainer_id": retainer_b.id})
        # nor does the agreement move to another company than its order's
        # (a started agreement's company is not changed by hand at all)
        with self.assertRaisesRegex(UserError, r"has started: .* \(Company\)"):
            retainer_b.write({"company_id": self.company_a.id})
        with self.assertRaisesRegex(UserError, "Incompatible companies"):
            retainer_b.sudo().write({"company_id": self.company_a.id})

    def test_the_scheduled_action_uses_each_companys_lead_time(self):
        retainer_a = self._retainer_in(self.company_a)  # invoiced 7 days ahead
        retainer_b = self._retainer_in(self.company_b)  # invoiced 20 days ahead

        run_cron_like_odoo(self.env, CRON, "2026-12-15")
        self.assertFalse(self._period_invoices(retainer_a), "company A: not before its 7 days")
        invoice_b = self._period_invoices(retainer_b)
        self.assertEqual(len(invoice_b), 1)
        self.assertEqual((invoice_b.company_id, invoice_b.journal_id.company_id), (self.company_b,) * 2)
        self.assertEqual(invoice_b.state, "posted")

        run_cron_like_odoo(self.env, CRON, "2026-12-25")
        invoice_a = self._period_invoices(retainer_a)
        self.assertEqual(len(invoice_a), 1)
        self.assertEqual((invoice_a.company_id, invoice_a.state), (self.company_a, "posted"))
        self.assertEqual(self._period_invoices(retainer_b), invoice_b, "nothing more for company B")
