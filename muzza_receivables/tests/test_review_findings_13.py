# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Review of the aged receivables (issue 13): each test states a problem
found, and fails on the code reviewed."""

from odoo import Command
from odoo.tests import tagged

from .test_aging import AgingDataCase, D


@tagged("post_install", "-at_install", "muzza_once_without_stock")
class TestReviewFindings13(AgingDataCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.both = cls.env.company | cls.other["company"]

    def _wizard(self, **values):
        return (
            self.env["muzza.aging.report"]
            .with_context(allowed_company_ids=self.both.ids)
            .create({"company_ids": [Command.set(self.both.ids)], **values})
        )

    def _partnerless_receivable(self, amount, date):
        """A journal entry on the receivable account without a customer (an
        opening balance, an adjustment): Odoo allows it."""
        move = self.env["account.move"].create(
            {
                "move_type": "entry",
                "date": date,
                "line_ids": [
                    Command.create(
                        {"account_id": self.company_data["default_account_receivable"].id, "debit": amount}
                    ),
                    Command.create(
                        {"account_id": self.company_data["default_account_revenue"].id, "credit": amount}
                    ),
                ],
            }
        )
        move.action_post()
        return move

    # ------------------------------------------------------------------
    # figures
    # ------------------------------------------------------------------

    def test_a_receivable_line_without_customer_does_not_break_the_report(self):
        """A receivable line without partner gives a summary row whose
        partner is None; the wizard then sorts None with the customers' ids
        (``_pace``: ``sorted({row[0] ...})``) and the report raises TypeError
        for every accountant, with no filter set."""
        self._partnerless_receivable(100.0, "2026-03-01")
        report = self._wizard(as_of_date="2026-03-31", company_ids=[Command.set(self.env.company.ids)])
        report.action_show()  # TypeError: '<' not supported between 'int' and 'NoneType'
        lines = report.line_ids.filtered(lambda line: not line.partner_id)
        self.assertEqual(lines.mapped("total"), [100.0], "the partnerless 100 is receivable, shown on a line")

    def test_a_receivable_line_without_customer_does_not_block_the_history(self):
        """The snapshot requires a customer: the summary row of a partnerless
        line fails the NOT NULL constraint, so the company's month-end
        snapshot is never taken (the cron logs it and fails again each day)."""
        self._partnerless_receivable(100.0, "2026-03-01")
        snapshots = self.env["muzza.aging.snapshot"]._take(self.env.company, D(2026, 3, 31))
        self.assertTrue(snapshots, "the month end is recorded")

    def test_company_dso_counts_the_sales_of_customers_who_paid(self):
        """The countback divides what customers owe by what they were sold.
        The company DSO sums the sales of the rows shown only, so a customer
        who paid everything (no row) drops out of the sales: here 1000 owed
        of 2000 sold in June is 15 days, the report says 30."""
        owes = self.env["res.partner"].create({"name": "Review Owes"})
        paid = self.env["res.partner"].create({"name": "Review Paid"})
        self._invoice(owes, 1000.0, "2026-06-10", "2026-07-10")
        invoice = self._invoice(paid, 1000.0, "2026-06-10", "2026-07-10")
        self._pay(invoice, 1000.0, "2026-06-20")
        report = self._wizard(
            as_of_date="2026-06-30",
            company_ids=[Command.set(self.env.company.ids)],
            partner_ids=[Command.set((owes | paid).ids)],
        )
        report.action_show()
        self.assertEqual(report.line_ids.mapped("dso"), [30.0], "the one customer: 1000 of its 1000 of June")
        self.assertAlmostEqual(report.dso, 15.0, places=1)

    def test_average_days_late_of_an_invoice_in_instalments(self):
        """An invoice due in two instalments (half at 30 days, half at 60),
        paid in full on day 55: the first half is 25 days late, so 12.5 days
        weighted by amount. ``_days_late_paid`` ages the whole invoice on
        ``invoice_date_due``, the *last* instalment's date: 0 days late."""
        term = self.env["account.payment.term"].create(
            {
                "name": "Review half 30 half 60",
                "line_ids": [
                    Command.create({"value": "percent", "value_amount": 50.0, "nb_days": 30}),
                    Command.create({"value": "percent", "value_amount": 50.0, "nb_days": 60}),
                ],
            }
        )
        customer = self.env["res.partner"].create({"name": "Review Instalments"})
        invoice = self.init_invoice("out_invoice", customer, "2026-05-01", amounts=[1000.0], taxes=[])
        invoice.invoice_payment_term_id = term
        invoice.action_post()
        self.assertEqual(
            sorted(invoice.line_ids.filtered("date_maturity").mapped("date_maturity")),
            [D(2026, 5, 31), D(2026, 6, 30)],
        )
        self._pay(invoice, 1000.0, "2026-06-25")
        late = self.env["muzza.aging"]._days_late_paid(D(2026, 7, 31), self.env.company, customer.ids)
        amount, weighted = late[(customer.id, self.env.company.id)]
        self.assertEqual(amount, 1000.0)
        self.assertAlmostEqual(weighted / amount, 12.5, places=1)

    def test_consolidated_customer_late_somewhere_shows_its_whole_balance(self):
        """Consolidated with "only customers late more than 30 days": the
        filter is applied per company before merging, so the customer late in
        one company keeps only that company's part; its consolidated total
        (100) is not what it owes the group (600)."""
        customer = self.env["res.partner"].create({"name": "Review Group Customer"})
        self._invoice(customer, 100.0, "2026-01-01", "2026-01-31")
        self._invoice(customer, 500.0, "2026-06-01", "2026-07-01", company=self.other["company"])
        report = self._wizard(
            as_of_date="2026-06-30",
            consolidate=True,
            min_days_late=30,
            partner_ids=[Command.set(customer.ids)],
        )
        report.action_show()
        self.assertEqual(report.line_ids.mapped("total"), [600.0])
        self.assertEqual(report.line_ids.bucket_0, 500.0)
