# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from datetime import date
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, HttpCase, tagged

from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.mail.tests.common import mail_new_test_user

from .test_invoice_report import visible_text


class RetainerCommon(AccountTestInvoicingCommon):
    """A customer, an hour of work, a receivables manager and a salesperson
    who also invoices, and the helpers the retainer tests share."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.write({"muzza_retainer_lead_days": 7, "muzza_retainer_warn_percent": 80.0})
        cls.customer = cls.env["res.partner"].create(
            {"name": "Steady Client Ltd", "email": "ap@steady.example.com", "is_company": True}
        )
        cls.work = cls.env["product.product"].create(
            {"name": "Consulting hour", "type": "service", "list_price": 100.0, "invoice_policy": "order"}
        )
        cls.work.taxes_id = [Command.clear()]
        cls.manager = mail_new_test_user(
            cls.env,
            login="muzza_retainer_manager",
            groups="base.group_user,sales_team.group_sale_manager,"
            "account.group_account_invoice,muzza_receivables.group_receivables_manager",
        )
        cls.seller = mail_new_test_user(
            cls.env,
            login="muzza_retainer_seller",
            groups="base.group_user,sales_team.group_sale_salesman,account.group_account_invoice",
        )

    def _retainer(self, **values):
        """A running agreement; a receivables manager sets its budget."""
        creator = self.manager if values.get("budget") else self.env.user
        retainer = (
            self.env["muzza.retainer"]
            .with_user(creator)
            .create(
                {
                    "partner_id": self.customer.id,
                    "amount": 1000.0,
                    "period": "month",
                    "date_start": "2027-01-01",
                    "date_end": "2027-06-30",
                    "unused": "carry",
                    "carry_periods": 1,
                    **values,
                }
            )
        )
        retainer.action_start()
        return retainer.with_env(self.env)

    def _run(self, day):
        commits = []
        with freeze_time(day), patch.object(self.env.cr, "commit", lambda: commits.append(day)):
            self.env["muzza.retainer"]._cron_retainer_invoicing()
        return commits

    def _period_invoices(self, retainer):
        return retainer._retainer_invoices().sorted("id")

    def _pay(self, invoice, day):
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({"payment_date": day})._create_payments()

    def _work(self, hours, day, user=None, post=True):
        """Confirm an order of ``hours`` and invoice it on ``day``."""
        with freeze_time(day):
            order = (
                self.env["sale.order"]
                .with_user(user or self.env.user)
                .create(
                    {
                        "partner_id": self.customer.id,
                        "order_line": [
                            Command.create({"product_id": self.work.id, "product_uom_qty": hours})
                        ],
                    }
                )
            )
            order.action_confirm()
            invoice = order._create_invoices()
            if post:
                invoice.action_post()
        return order, invoice

    def _approve_over_budget(self, order, user, reason):
        """Click *Approve Over Budget* on ``order`` as ``user`` and approve
        with ``reason``."""
        action = order.with_user(user).action_muzza_approve_over_budget()
        wizard = Form(self.env[action["res_model"]].with_user(user).with_context(**action["context"]))
        wizard.reason = reason
        return wizard.save().action_approve()


@tagged("post_install", "-at_install")
class TestRetainers(RetainerCommon):
    def test_one_invoice_per_period_ahead_of_it_and_work_drawn_down_with_carry_over(self):
        retainer = self._retainer()
        self.assertEqual(retainer.state, "running")
        self.assertTrue(retainer.name.startswith("RET/"))

        self._run("2026-12-24")
        self.assertFalse(self._period_invoices(retainer), "not before the lead time")
        self._run("2026-12-25")
        self._run("2026-12-25")
        self._run("2026-12-28")
        first = self._period_invoices(retainer)
        self.assertEqual(len(first), 1, "one invoice for the first period, however often the action runs")
        self.assertEqual((first.state, first.amount_total), ("posted", 1000.0))
        self.assertTrue(first.is_move_sent)
        self.assertIn("Retainer %s, period from January 1, 2027" % retainer.name, first.invoice_line_ids.name)
        self._pay(first, "2026-12-30")

        # January: 6 hours are drawn from the paid month
        _order, invoice = self._work(6, "2027-01-10")
        self.assertEqual(invoice.amount_total, 0.0, "covered by the retainer")
        deduction = invoice.invoice_line_ids.filtered(lambda line: line.quantity < 0)
        self.assertEqual(deduction.price_subtotal, -600.0)
        self.assertEqual(deduction.sale_line_ids, retainer._period_lines())
        with freeze_time("2027-01-15"):
            retainer.invalidate_recordset()
            self.assertEqual((retainer.balance, retainer.consumed), (400.0, 600.0))

        # February: 400 left over from January is carried over, then February's own
        self._run("2027-01-25")
        second = self._period_invoices(retainer) - first
        self.assertEqual(len(second), 1)
        self._pay(second, "2027-01-30")
        _order, invoice = self._work(13, "2027-02-10")
        takes = invoice.invoice_line_ids.filtered(lambda line: line.quantity < 0).mapped("price_subtotal")
        self.assertEqual(sorted(takes), [-900.0, -400.0], "oldest paid period first")
        self.assertEqual(invoice.amount_total, 0.0)
        with freeze_time("2027-02-15"):
            retainer.invalidate_recordset()
            self.assertEqual(retainer.balance, 100.0)

        # work beyond the balance bills only the excess
        _order, invoice = self._work(3, "2027-02-20")
        self.assertEqual(invoice.amount_total, 200.0)

        # the entries balance, and each deduction reverses its period's down payment line
        for move in self._period_invoices(retainer) | invoice:
            self.assertEqual(sum(move.line_ids.mapped("debit")), sum(move.line_ids.mapped("credit")))
        self.assertEqual(deduction.account_id, first.invoice_line_ids.account_id)
        self.assertEqual(retainer._period_lines()[0].price_unit, 1000.0, "the period line keeps its price")

        # a retainer's own order is invoiced by the agreement only, and never
        # shows as waiting to be invoiced
        self.assertEqual(retainer.sale_order_id.invoice_status, "no")
        self.assertFalse(retainer.sale_order_id.muzza_work_piling_up)
        with self.assertRaisesRegex(UserError, "invoiced period by period"):
            retainer.sale_order_id._create_invoices()

    def test_an_unused_balance_is_lost_at_the_end_of_the_period(self):
        retainer = self._retainer(unused="lost")
        self._run("2026-12-26")
        self._pay(self._period_invoices(retainer), "2026-12-30")
        self._work(4, "2027-01-10")
        self._run("2027-01-26")
        self._pay(self._period_invoices(retainer)[-1], "2027-01-30")
        with freeze_time("2027-02-02"):
            retainer.invalidate_recordset()
            self.assertEqual((retainer.balance, retainer.expired), (1000.0, 600.0))
        _order, invoice = self._work(12, "2027-02-10")
        self.assertEqual(invoice.amount_total, 200.0, "January's unused 600 is gone")

    def test_unpaid_periods_are_not_drawn_from(self):
        self._retainer()
        self._run("2026-12-26")
        _order, invoice = self._work(2, "2027-01-05")
        self.assertEqual(invoice.amount_total, 200.0)
        self.assertFalse(invoice.invoice_line_ids.filtered(lambda line: line.quantity < 0))

    def test_budget_warns_at_80_percent_and_stops_at_the_cap(self):
        retainer = self._retainer(budget=2500.0)
        self._run("2026-12-26")
        self._run("2027-01-26")
        self.assertEqual(len(self._period_invoices(retainer)), 2)
        retainer.invalidate_recordset()
        self.assertEqual(retainer.committed, 2000.0)
        self.assertTrue(retainer.budget_warned)
        self.assertIn("Retainer budget nearly used", retainer.activity_ids.mapped("summary"))
        mail = retainer.message_ids.filtered(lambda m: "has used most of its budget" in (m.subject or ""))
        self.assertEqual(len(mail), 1, "the customer is told once")
        self.assertIn(self.customer, mail.partner_ids, "addressed to the customer")
        self.assertIn(
            "$ 2,000.00 of the $ 2,500.00 budget of your retainer %s is now committed; $ 500.00 remain."
            % retainer.name,
            visible_text(mail.body),
        )

        self._run("2027-02-25")
        self.assertEqual(len(self._period_invoices(retainer)), 2, "a third period would pass the cap")
        self.assertIn("Retainer budget reached", retainer.activity_ids.mapped("summary"))

        # confirming more work than the budget allows needs a manager's approval
        for invoice in self._period_invoices(retainer):
            self._pay(invoice, "2027-02-26")
        with freeze_time("2027-02-27"):
            order = self.env["sale.order"].create(
                {
                    "partner_id": self.customer.id,
                    "user_id": self.seller.id,
                    "order_line": [Command.create({"product_id": self.work.id, "product_uom_qty": 30})],
                }
            )
            with self.assertRaisesRegex(UserError, "past its budget"):
                order.with_user(self.seller).action_confirm()
            with self.assertRaises(AccessError):
                order.with_user(self.seller).action_muzza_approve_over_budget()
            self._approve_over_budget(order, self.manager, "Extra work agreed with the client")
            order.with_user(self.seller).action_confirm()
            self.assertEqual(order.state, "sale")

    def test_bad_agreements_are_refused(self):
        with self.assertRaisesRegex(ValidationError, "the amount per period must be positive"):
            self._retainer(amount=0.0)
        with self.assertRaisesRegex(ValidationError, "ends before it starts"):
            self._retainer(date_end="2026-12-01")


@tagged("post_install", "-at_install")
class TestRetainerPortal(HttpCase):
    def test_the_customer_sees_balance_use_and_budget_on_the_portal(self):
        customer = self.env["res.partner"].create({"name": "Portal Retainer Co", "is_company": True})
        contact = self.env["res.partner"].create({"name": "Rita", "parent_id": customer.id})
        mail_new_test_user(
            self.env,
            login="rita.portal",
            password="rita.portal.pw",
            groups="base.group_portal",
            partner_id=contact.id,
        )
        retainer = self.env["muzza.retainer"].create(
            {
                "partner_id": customer.id,
                "amount": 1500.0,
                "period": "quarter",
                "date_start": "2027-01-01",
                "budget": 9000.0,
            }
        )
        retainer.action_start()
        with freeze_time("2026-12-26"):
            retainer._invoice_due_periods(date(2026, 12, 26))
        self.authenticate("rita.portal", "rita.portal.pw")
        self.assertIn("Retainers", visible_text(self.url_open("/my").content.decode()))
        page = visible_text(self.url_open("/my/retainers").content.decode())
        self.assertIn("%s $ 1,500.00 $ 1,500.00 $ 0.00" % retainer.name, page)
        self.assertIn("$ 7,500.00 Running", page)

    def _portal_user(self, login, company_name):
        customer = self.env["res.partner"].create({"name": company_name, "is_company": True})
        contact = self.env["res.partner"].create({"name": login, "parent_id": customer.id})
        mail_new_test_user(
            self.env, login=login, password=login + ".pw", groups="base.group_portal", partner_id=contact.id
        )
        return customer

    def _running(self, customer, company=None, **values):
        retainer = (
            self.env["muzza.retainer"]
            .with_company(company or self.env.company)
            .create(
                {
                    "partner_id": customer.id,
                    "amount": 1000.0,
                    "period": "month",
                    "date_start": "2027-01-01",
                    **values,
                }
            )
        )
        retainer.action_start()
        return retainer

    def test_the_portal_shows_only_the_customers_agreements_in_the_users_companies(self):
        other_company = self.env["res.company"].create({"name": "Muzza Sister Company"})
        customer = self._portal_user("rex.portal", "Portal Two Companies Co")
        ours = self._running(customer)
        elsewhere = self._running(customer, company=other_company)
        draft = self.env["muzza.retainer"].create(
            {"partner_id": customer.id, "amount": 500.0, "period": "month", "date_start": "2027-01-01"}
        )
        someone_elses = self._running(
            self.env["res.partner"].create({"name": "Other Co", "is_company": True})
        )
        self.authenticate("rex.portal", "rex.portal.pw")
        page = visible_text(self.url_open("/my/retainers").content.decode())
        self.assertIn(ours.name, page)
        for hidden in (elsewhere, draft, someone_elses):
            self.assertNotIn(hidden.name, page)

        # a customer whose only agreement is in a company they cannot see
        # has no retainer entry on their portal
        only_elsewhere = self._portal_user("ria.portal", "Portal Sister Only Co")
        self._running(only_elsewhere, company=other_company)
        self.authenticate("ria.portal", "ria.portal.pw")
        self.assertNotIn("What you prepaid", visible_text(self.url_open("/my").content.decode()))
        self.assertIn(
            "You have no retainer agreement.", visible_text(self.url_open("/my/retainers").content.decode())
        )

    def test_the_portal_shows_a_retainer_whose_payment_was_undone(self):
        customer = self._portal_user("ray.portal", "Portal Undone Payment Co")
        retainer = self._running(customer, unused="carry", carry_periods=1)
        work = self.env["product.product"].create(
            {"name": "Design hour", "type": "service", "list_price": 100.0, "invoice_policy": "order"}
        )
        work.taxes_id = [Command.clear()]
        period_invoice = retainer._invoice_due_periods(date(2026, 12, 26))
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=period_invoice.ids
        ).create({"payment_date": "2026-12-30"})._create_payments()
        with freeze_time("2027-01-10"):
            order = self.env["sale.order"].create(
                {
                    "partner_id": customer.id,
                    "order_line": [Command.create({"product_id": work.id, "product_uom_qty": 6})],
                }
            )
            order.action_confirm()
            order._create_invoices().action_post()
        partial_id = period_invoice.invoice_payments_widget["content"][0]["partial_id"]
        period_invoice.js_remove_outstanding_partial(partial_id)

        self.authenticate("ray.portal", "ray.portal.pw")
        response = self.url_open("/my/retainers")
        self.assertEqual(response.status_code, 200)
        # per period, prepaid, used by the work, available
        self.assertIn(
            "%s $ 1,000.00 $ 1,000.00 $ 600.00 $ 0.00" % retainer.name,
            visible_text(response.content.decode()),
        )


@tagged("post_install", "-at_install")
class TestRetainerWording(RetainerCommon):
    def _order_label(self, retainer):
        line = retainer.sale_order_id.order_line.filtered(lambda line: not line.is_downpayment)
        return visible_text(line.name)

    def test_the_retainer_order_says_the_amount_per_period_in_a_whole_sentence(self):
        monthly = self._retainer()
        self.assertEqual(self._order_label(monthly), "Retainer %s: $ 1,000.00 per month" % monthly.name)
        quarterly = self._retainer(period="quarter", amount=2500.0)
        self.assertEqual(self._order_label(quarterly), "Retainer %s: $ 2,500.00 per quarter" % quarterly.name)

    def test_the_retainer_order_reads_in_the_customer_language(self):
        self.env["res.lang"]._activate_lang("es_ES")
        self.customer.lang = "es_ES"
        retainer = self._retainer()
        self.assertIn("1.000,00", self._order_label(retainer), "the amount as a Spanish reader writes it")
