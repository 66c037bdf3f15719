# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .test_retainers import RetainerCommon

WARNING = (
    "Work drawn from this retainer exceeds what was paid for its periods by %s: "
    "a period invoice's payment may have been undone."
)


@tagged("post_install", "-at_install")
class TestRetainerLedger(RetainerCommon):
    """The ledger never raises: the draw follows the date an invoice is
    posted with, and figures that do not add up are a warning."""

    def _draws_of(self, invoice):
        return invoice.invoice_line_ids.filtered(lambda line: line.quantity < 0)

    def _new_quotation(self, user):
        """What a salesperson sees opening a new quotation for the customer."""
        quotation = Form(self.env["sale.order"].with_user(user))
        quotation.partner_id = self.customer
        with quotation.order_line.new() as line:
            line.product_id = self.work
        return quotation.save()

    def _unreconcile_payment(self, invoice, user):
        """Click the payment widget's "Unreconcile" on ``invoice``."""
        invoice = invoice.with_user(user)
        partial_id = invoice.invoice_payments_widget["content"][0]["partial_id"]
        invoice.js_remove_outstanding_partial(partial_id)
        self.assertEqual(invoice.payment_state, "not_paid")

    def test_work_drafted_at_the_end_of_a_period_draws_from_the_period_it_is_posted_in(self):
        retainer = self._retainer(unused="lost")
        self._run("2026-12-26")
        january = self._period_invoices(retainer)
        self._pay(january, "2026-12-30")
        self._run("2027-01-25")  # February's invoice, not paid yet

        # drafted on 31 January: January's paid balance covers it
        _order, invoice = self._work(6, "2027-01-31", user=self.seller, post=False)
        self.assertEqual(self._draws_of(invoice).mapped("price_subtotal"), [-600.0])
        self.assertEqual(invoice.amount_total, 0.0)

        # posted on 2 February: January's balance is lost, February is unpaid
        with freeze_time("2027-02-02"):
            invoice.with_user(self.seller).action_post()
            self.assertEqual(invoice.invoice_date.isoformat(), "2027-02-02")
            self.assertFalse(self._draws_of(invoice), "nothing paid is usable on the day it is posted")
            self.assertEqual(invoice.amount_total, 600.0)

            agreement = Form(retainer.with_user(self.manager))
            self.assertEqual(
                (agreement.balance, agreement.consumed, agreement.expired, agreement.overdrawn),
                (0.0, 0.0, 1000.0, 0.0),
            )
            self.assertFalse(agreement.ledger_warning)
            quotation = self._new_quotation(self.seller)
            self.assertEqual(quotation.muzza_customer_retainer_id, retainer)
            self.assertEqual(quotation.muzza_retainer_balance, 0.0)

            # once February is paid, the next work draws from February
            self._pay(self._period_invoices(retainer) - january, "2027-02-02")
            _order, invoice = self._work(4, "2027-02-02", user=self.seller)
            self.assertEqual(
                self._draws_of(invoice).name, "Drawn from retainer %s (paid period 2)" % retainer.name
            )
            retainer.invalidate_recordset()
            self.assertEqual((retainer.balance, retainer.consumed, retainer.overdrawn), (600.0, 400.0, 0.0))

    def test_a_draft_edited_before_posting_draws_its_final_amount(self):
        retainer = self._retainer()
        self._run("2026-12-26")
        self._pay(self._period_invoices(retainer), "2026-12-30")
        _order, invoice = self._work(3, "2027-01-05", user=self.seller, post=False)
        self.assertEqual(self._draws_of(invoice).mapped("price_subtotal"), [-300.0])

        work_line = invoice.invoice_line_ids.filtered(lambda line: line.product_id == self.work)
        with freeze_time("2027-01-08"):
            work_line.with_user(self.seller).quantity = 12
        with freeze_time("2027-01-09"):
            invoice.with_user(self.seller).action_post()
            self.assertEqual(self._draws_of(invoice).mapped("price_subtotal"), [-1000.0])
            self.assertEqual(invoice.amount_total, 200.0, "only the excess over the paid month is billed")
            retainer.invalidate_recordset()
            self.assertEqual((retainer.balance, retainer.consumed, retainer.overdrawn), (0.0, 1000.0, 0.0))

    def test_a_payment_undone_after_work_drew_on_it_is_a_warning_not_an_error(self):
        retainer = self._retainer()
        self._run("2026-12-26")
        january = self._period_invoices(retainer)
        self._pay(january, "2026-12-30")
        _order, invoice = self._work(6, "2027-01-10", user=self.seller)
        self.assertEqual(invoice.amount_total, 0.0)

        with freeze_time("2027-01-15"):
            self._unreconcile_payment(january, self.seller)

            # the manager sees the figures and what does not add up
            agreement = Form(retainer.with_user(self.manager))
            self.assertEqual(
                (agreement.invoiced, agreement.consumed, agreement.balance, agreement.overdrawn),
                (1000.0, 600.0, 0.0, 600.0),
            )
            self.assertEqual(agreement.ledger_warning, WARNING % "$\N{NO-BREAK SPACE}600.00")

            # the salesperson opens the agreement, the customer and a new quotation
            self.assertEqual(Form(retainer.with_user(self.seller)).balance, 0.0)
            self.assertEqual(self.customer.with_user(self.seller).muzza_retainer_ids.mapped("balance"), [0.0])
            quotation = self._new_quotation(self.seller)
            self.assertEqual(quotation.muzza_retainer_balance, 0.0)

            # new work draws nothing from an unpaid period, and is billed in full
            _order, invoice = self._work(2, "2027-01-15", user=self.seller)
            self.assertEqual(invoice.amount_total, 200.0)

        # paid again, the figures add up again
        self._pay(january, "2027-01-20")
        with freeze_time("2027-01-21"):
            retainer.invalidate_recordset()  # the figures as a new request reads them
            agreement = Form(retainer.with_user(self.manager))
            self.assertEqual((agreement.balance, agreement.overdrawn), (400.0, 0.0))
            self.assertFalse(agreement.ledger_warning)

    def test_work_past_the_budget_is_refused_at_posting_even_when_it_draws_from_the_retainer(self):
        retainer = self._retainer(budget=2500.0)
        self._run("2026-12-26")
        self._pay(self._period_invoices(retainer), "2026-12-30")
        with freeze_time("2027-01-05"):
            order = (
                self.env["sale.order"]
                .with_user(self.seller)
                .create(
                    {
                        "partner_id": self.customer.id,
                        "order_line": [Command.create({"product_id": self.work.id, "product_uom_qty": 10})],
                    }
                )
            )
            order.action_confirm()  # covered by the paid month
        self._run("2027-01-25")  # February's invoice: 2,000 committed
        with freeze_time("2027-01-28"):
            order.order_line.with_user(self.seller).product_uom_qty = 30  # more work, agreed later
            invoice = order.with_user(self.seller)._create_invoices()
            self.assertEqual(self._draws_of(invoice).mapped("price_subtotal"), [-1000.0])
            with self.assertRaisesRegex(UserError, "past its budget"):
                invoice.with_user(self.seller).action_post()
            self.assertEqual(invoice.state, "draft")
            invoice.with_user(self.manager).action_post()
            self.assertEqual((invoice.state, invoice.amount_total), ("posted", 2000.0))

    def test_a_credit_note_gives_back_what_its_invoice_counted(self):
        retainer = self._retainer(budget=5000.0)
        self._run("2026-12-26")
        january = self._period_invoices(retainer)
        self._pay(january, "2026-12-30")
        # 1,200.00 of work: 1,000.00 drawn from January, 200.00 billed
        _order, work = self._work(12, "2027-01-10", user=self.seller)
        self.assertEqual(work.amount_untaxed, 200.0)
        with freeze_time("2027-01-11"):
            retainer.invalidate_recordset()
            self.assertEqual((retainer.balance, retainer.consumed, retainer.committed), (0.0, 1000.0, 1200.0))

        # the work invoice is credited in full: the draw is back, nothing billed
        with freeze_time("2027-01-12"):
            refund = work._reverse_moves([{"invoice_date": "2027-01-12"}])
            refund.action_post()
            retainer.invalidate_recordset()
            self.assertEqual((retainer.balance, retainer.consumed, retainer.committed), (1000.0, 0.0, 1000.0))
            _order, again = self._work(3, "2027-01-12", user=self.seller)
            self.assertEqual(again.amount_total, 0.0, "drawn from what the credit note gave back")

        # January's invoice, paid, is credited: no credit, nothing invoiced
        with freeze_time("2027-01-15"):
            january._reverse_moves([{"invoice_date": "2027-01-15"}]).action_post()
            retainer.invalidate_recordset()
            self.assertEqual((retainer.invoiced, retainer.balance, retainer.overdrawn), (0.0, 0.0, 300.0))
            self.assertEqual(retainer.committed, 0.0)

    def test_a_list_of_agreements_shows_each_its_own_figures(self):
        """Read together (the list of agreements) or one by one (the form),
        each agreement's figures are its own customer's."""
        first = self._retainer(budget=9000.0)
        other_customer = self.customer.copy({"name": "Other Steady Client Ltd"})
        second = self._retainer(partner_id=other_customer.id, date_start="2027-01-15", unused="lost")
        self._run("2026-12-26")
        self._pay(self._period_invoices(first), "2026-12-30")
        _order, work = self._work(4, "2027-01-10")  # the first customer's: 400.00 drawn
        self._run("2027-01-10")  # the second agreement's first period, not paid
        with freeze_time("2027-01-16"):
            order = self.env["sale.order"].create(
                {
                    "partner_id": other_customer.id,
                    "order_line": [Command.create({"product_id": self.work.id, "product_uom_qty": 5})],
                }
            )
            order.action_confirm()
            order._create_invoices().action_post()  # 500.00 billed: nothing paid to draw from
            work._reverse_moves([{"invoice_date": "2027-01-16"}]).action_post()
            names = ["balance", "consumed", "invoiced", "committed", "budget_left", "overdrawn"]
            self.env.invalidate_all()
            together = {values["id"]: values for values in (first | second).read(names)}
            for retainer, expected in (
                (first, (1000.0, 0.0, 1000.0, 1000.0, 8000.0, 0.0)),
                (second, (0.0, 0.0, 1000.0, 1500.0, 0.0, 0.0)),
            ):
                self.env.invalidate_all()
                alone = retainer.read(names)[0]
                self.assertEqual(together[retainer.id], alone)
                self.assertEqual(tuple(alone[name] for name in names), expected)
