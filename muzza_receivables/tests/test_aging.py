# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import datetime

from odoo import fields
from odoo.tests import tagged

from odoo.addons.account.tests.common import AccountTestInvoicingCommon

D = datetime.date


class AgingDataCase(AccountTestInvoicingCommon):
    """Receivables of three customers in two companies and two currencies:
    full, partial and later payments, a credit note, an unapplied payment,
    an old invoice and an exchange difference."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.eur = cls.setup_other_currency("EUR", rates=[("2026-01-01", 2.0), ("2026-03-01", 2.5)])
        cls.other = cls.setup_other_company(name="Aging Other Co")
        cls.c1 = cls.env["res.partner"].create({"name": "Aging One"})
        cls.c2 = cls.env["res.partner"].create({"name": "Aging Two"})
        cls.c3 = cls.env["res.partner"].create({"name": "Aging Three"})

        # c1: an invoice paid in full before the dates looked at, one paid in
        # part before and the rest after, a credit note, an unapplied payment
        inv1 = cls._invoice(cls.c1, 1000.0, "2026-01-10", "2026-02-09")
        cls._pay(inv1, 1000.0, "2026-02-05")
        inv2 = cls._invoice(cls.c1, 500.0, "2026-02-01", "2026-03-03")
        cls._pay(inv2, 200.0, "2026-02-15")
        cls._pay(inv2, 300.0, "2026-04-10")
        refund = cls.init_invoice("out_refund", cls.c1, "2026-02-20", amounts=[100.0], taxes=[])
        refund.write({"invoice_payment_term_id": False, "invoice_date_due": "2026-02-20"})
        refund.action_post()
        cls.init_payment(50.0, post=True, date=fields.Date.to_date("2026-03-05"), partner=cls.c1)
        # an old one, in the oldest bucket
        cls._invoice(cls.c1, 80.0, "2025-06-01", "2025-07-01")
        # c2: in euros at 2.0, paid at 2.5 (an exchange difference)
        inv3 = cls._invoice(cls.c2, 1000.0, "2026-01-15", "2026-02-14", currency=cls.eur)
        cls._pay(inv3, 1000.0, "2026-03-10", currency=cls.eur)
        cls._invoice(cls.c2, 400.0, "2026-03-20", "2026-04-19", currency=cls.eur)
        # c3 in the other company
        cls.c3_invoice = cls._invoice(cls.c3, 700.0, "2026-02-10", "2026-03-12", company=cls.other["company"])
        cls._pay(cls.c3_invoice, 250.0, "2026-03-31")

    @classmethod
    def _invoice(cls, partner, amount, date, due, currency=None, company=None):
        move = cls.init_invoice(
            "out_invoice", partner, date, amounts=[amount], taxes=[], currency=currency, company=company
        )
        move.write({"invoice_payment_term_id": False, "invoice_date_due": due})
        move.action_post()
        return move

    @classmethod
    def _pay(cls, invoice, amount, date, currency=None):
        cls.env["account.payment.register"].with_company(invoice.company_id).with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create(
            {
                "amount": amount,
                "payment_date": date,
                "currency_id": (currency or invoice.company_id.currency_id).id,
                "payment_difference_handling": "open",
            }
        )._create_payments()


@tagged("post_install", "-at_install", "muzza_once_without_stock")
class TestAgingAtAnyDate(AgingDataCase):
    """The aged receivables at past dates equal a calculation from the
    journal items written here, and add up to the general ledger."""

    def _expected(self, as_of, companies):
        """Each customer's buckets from the journal items, written out here."""
        lines = self.env["account.move.line"].search(
            [
                ("parent_state", "=", "posted"),
                ("account_id.account_type", "=", "asset_receivable"),
                ("date", "<=", as_of),
                ("company_id", "in", companies.ids),
            ]
        )
        expected = {}
        for line in lines:
            open_amount = line.balance
            for partial in line.matched_credit_ids.filtered(lambda p: p.max_date <= as_of):
                open_amount -= partial.amount
            for partial in line.matched_debit_ids.filtered(lambda p: p.max_date <= as_of):
                open_amount += partial.amount
            if line.company_currency_id.is_zero(open_amount):
                continue
            days = (as_of - (line.date_maturity or line.date)).days
            if days <= 0:
                bucket = 0
            elif days <= 30:
                bucket = 1
            elif days <= 60:
                bucket = 2
            elif days <= 90:
                bucket = 3
            elif days <= 120:
                bucket = 4
            else:
                bucket = 5
            key = (line.partner_id.commercial_partner_id.id, line.company_id.id)
            buckets = expected.setdefault(key, [0.0] * 6)
            buckets[bucket] = line.company_currency_id.round(buckets[bucket] + open_amount)
        return {key: value for key, value in expected.items() if any(value)}

    def _ledger_balance(self, partner, company, as_of):
        lines = self.env["account.move.line"].search(
            [
                ("parent_state", "=", "posted"),
                ("account_id.account_type", "=", "asset_receivable"),
                ("date", "<=", as_of),
                ("company_id", "=", company.id),
                ("partner_id", "=", partner.id),
            ]
        )
        return company.currency_id.round(sum(lines.mapped("balance")))

    def test_buckets_equal_the_journal_items_at_past_dates(self):
        companies = self.env.company | self.other["company"]
        customers = self.c1 | self.c2 | self.c3
        for as_of in (D(2026, 1, 31), D(2026, 2, 28), D(2026, 3, 5), D(2026, 3, 31), D(2026, 4, 30)):
            with self.subTest(as_of=as_of):
                rows = self.env["muzza.aging"]._summary(as_of, companies, partner_ids=customers.ids)
                got = {(r["partner_id"], r["company_id"]): r["buckets"] for r in rows}
                self.assertEqual(got, self._expected(as_of, companies))
                for row in rows:
                    partner = self.env["res.partner"].browse(row["partner_id"])
                    company = self.env["res.company"].browse(row["company_id"])
                    self.assertAlmostEqual(sum(row["buckets"]), row["total"], places=2)
                    ledger = self._ledger_balance(partner, company, as_of)
                    self.assertAlmostEqual(row["total"], ledger, places=2)

    def test_a_payment_dated_after_the_as_of_date_leaves_the_invoice_open(self):
        company = self.env.company
        at_march_end = self.env["muzza.aging"]._summary(D(2026, 3, 31), company, partner_ids=self.c1.ids)
        # 300 of the second invoice (28 days late) less the unapplied 50 of
        # 5 March, the credit note (due on its date, 39 days ago), the old 80
        self.assertEqual(at_march_end[0]["buckets"], [0.0, 250.0, -100.0, 0.0, 0.0, 80.0])
        self.assertEqual(at_march_end[0]["total"], 230.0)
        in_may = self.env["muzza.aging"]._summary(D(2026, 5, 1), company, partner_ids=self.c1.ids)
        self.assertEqual(in_may[0]["total"], -70.0)

    def test_the_exchange_difference_closes_the_foreign_invoice_in_both_currencies(self):
        company = self.env.company
        Aging = self.env["muzza.aging"]

        def open_at(day):
            items = Aging._open_items(day, company, partner_ids=self.c2.ids)
            old = [i for i in items if i["date"] < D(2026, 3, 1)]
            return [(i["open_balance"], i["open_amount_currency"]) for i in old]

        self.assertEqual(open_at(D(2026, 3, 9)), [(500.0, 1000.0)])
        # paid 1000 EUR at 2.5: 400 of the 500 and all the euros; the rest is
        # the exchange difference, on the entry Odoo dates for it
        exchange = self.env["account.partial.reconcile"].search(
            [("debit_move_id.partner_id", "=", self.c2.id), ("exchange_move_id", "!=", False)]
        )
        exchange_date = exchange.exchange_move_id.date
        if exchange_date > D(2026, 3, 10):
            self.assertEqual(open_at(D(2026, 3, 10)), [(100.0, 0.0)])
            self.assertEqual(open_at(exchange_date - datetime.timedelta(days=1)), [(100.0, 0.0)])
        self.assertEqual(open_at(exchange_date), [])
        later = Aging._open_items(D(2026, 4, 30), company, partner_ids=self.c2.ids)
        self.assertEqual([(i["open_balance"], i["open_amount_currency"]) for i in later], [(160.0, 400.0)])

    def test_only_customers_late_more_than_n_days(self):
        company = self.env.company
        rows = self.env["muzza.aging"]._summary(D(2026, 3, 31), company, min_days_late=100)
        customers = {r["partner_id"] for r in rows}
        self.assertIn(self.c1.id, customers, "its 80 is 273 days late")
        self.assertNotIn(self.c2.id, customers, "nothing of it is late")

    def test_each_company_only_sees_its_own(self):
        customers = (self.c1 | self.c3).ids
        rows = self.env["muzza.aging"]._summary(D(2026, 3, 31), self.other["company"], partner_ids=customers)
        self.assertEqual([(r["partner_id"], r["total"]) for r in rows], [(self.c3.id, 450.0)])
        self.assertEqual(rows[0]["currency_id"], self.other["company"].currency_id.id)

    def test_aged_by_invoice_date(self):
        rows = self.env["muzza.aging"]._summary(
            D(2026, 3, 31), self.env.company, partner_ids=self.c2.ids, basis="invoice_date"
        )
        # the 400 EUR invoice of 20 March at 2.5: 160, 11 days after its date
        self.assertEqual(rows[0]["buckets"], [0.0, 160.0, 0.0, 0.0, 0.0, 0.0])
