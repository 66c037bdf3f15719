# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What a hostile review of the "Money and control" change found: each test
fails on the reviewed code and passes once its finding is fixed. Each test
says what the user does, and what should happen."""

from contextlib import suppress
from itertools import count

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.mail.tests.common import mail_new_test_user

from .test_late_fees import LateFeeCase, interest
from .test_retainers import RetainerCommon

REFUSED = (AccessError, UserError)

CUSTOMERS = count(1)


@tagged("post_install", "-at_install")
class DepositReviewCase(AccountTestInvoicingCommon):
    """New clients pay 30 % of the order, and the work waits for it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.env.company.write(
            {
                "muzza_deposit_who": "new_clients",
                "muzza_deposit_kind": "percentage",
                "muzza_deposit_value": 30.0,
                "muzza_deposit_minimum": 0.0,
                "muzza_deposit_blocks_work": True,
            }
        )
        cls.product = cls.env["product.product"].create(
            {"name": "Design hour", "type": "service", "list_price": 100.0, "invoice_policy": "order"}
        )
        cls.product.taxes_id = [Command.clear()]
        cls.seller = mail_new_test_user(
            cls.env, login="review_seller", groups="base.group_user,sales_team.group_sale_salesman"
        )
        cls.biller = mail_new_test_user(
            cls.env, login="review_biller", groups="base.group_user,account.group_account_invoice"
        )

    def _customer(self):
        number = next(CUSTOMERS)
        return self.env["res.partner"].create(
            {"name": "New Client %s" % number, "email": "ap%s@new.example.com" % number}
        )

    def _quotation(self, user=None, hours=10, product=None, **values):
        user = user or self.seller
        return (
            self.env["sale.order"]
            .with_user(user)
            .create(
                {
                    "partner_id": self._customer().id,
                    "user_id": user.id,
                    "order_line": [
                        Command.create({"product_id": (product or self.product).id, "product_uom_qty": hours})
                    ],
                    **values,
                }
            )
        )

    def _pay(self, invoice):
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({})._create_payments()

    def _assert_work_waits(self, order):
        order = order.with_env(self.env)
        order.invalidate_recordset()
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.muzza_deposit_amount, 300.0, "the deposit the rule asks for")
        self.assertEqual(order._muzza_work_waits(), order, "the work still waits for the deposit")
        with self.assertRaisesRegex(UserError, "waits for their deposit"):
            order._create_invoices()


@tagged("post_install", "-at_install")
class TestReviewDepositControls(DepositReviewCase):
    """Dropping a deposit and starting work before it is paid are a
    receivables manager's decisions, by every path."""

    def test_a_salesperson_cannot_release_the_work_by_writing_the_deposit_status(self):
        for user in (self.seller, self.biller):
            with self.subTest(user=user.login):
                order = self._quotation()
                order.action_confirm()
                self._assert_work_waits(order)
                for values in (
                    {"muzza_deposit_state": "paid"},
                    {"muzza_deposit_paid": 300.0, "muzza_deposit_state": "paid"},
                ):
                    with suppress(*REFUSED):
                        order.with_user(user).write(values)
                self._assert_work_waits(order)

    def test_a_salesperson_cannot_drop_the_deposit_by_rewriting_what_the_rule_asked(self):
        order = self._quotation()
        self.assertEqual(order.muzza_deposit_amount, 300.0)
        with suppress(*REFUSED):
            order.write(
                {
                    "muzza_deposit_rule_amount": 0.0,
                    "muzza_deposit_rule_blocks": False,
                    "muzza_deposit_amount": 0.0,
                    "muzza_deposit_blocks_work": False,
                }
            )
        order.action_confirm()
        self._assert_work_waits(order)

    def test_a_salesperson_cannot_create_a_quotation_without_the_deposit(self):
        """RPC ``create`` and import with the deposit columns: the rule's
        deposit is asked all the same, or the creation is refused."""
        for values in ({"muzza_deposit_blocks_work": False}, {"muzza_deposit_amount": 0.0}):
            with self.subTest(values=values):
                try:
                    order = self._quotation(**values)
                except REFUSED:
                    continue
                order.action_confirm()
                self._assert_work_waits(order)
        customer = self._customer()
        result = (
            self.env["sale.order"]
            .with_user(self.seller)
            .load(
                [
                    "partner_id/.id",
                    "order_line/product_id/.id",
                    "order_line/product_uom_qty",
                    "muzza_deposit_blocks_work",
                ],
                [[str(customer.id), str(self.product.id), "10", "0"]],
            )
        )
        if result["ids"]:
            order = self.env["sale.order"].browse(result["ids"])
            self.assertEqual(order.amount_total, 1000.0)
            order.with_user(self.seller).action_confirm()
            self._assert_work_waits(order)

    def test_a_quotation_made_in_the_form_follows_its_lines_and_keeps_its_deposit(self):
        """The web client sends the deposit fields on save: the quotation must
        not come out as 'set by hand', so it follows its lines, and the
        salesperson still cannot drop it."""
        with Form(self.env["sale.order"].with_user(self.seller)) as form:
            form.partner_id = self._customer()
            with form.order_line.new() as line:
                line.product_id = self.product
                line.product_uom_qty = 10
        order = form.record
        self.assertEqual(order.muzza_deposit_amount, 300.0)
        self.assertFalse(order.muzza_deposit_manual, "nobody changed the deposit by hand")
        with self.assertRaises(AccessError), Form(order) as edit:
            edit.muzza_deposit_amount = 0.0
        order.invalidate_recordset()
        self.assertEqual(order.muzza_deposit_amount, 300.0)
        with Form(order) as edit, edit.order_line.edit(0) as line:
            line.product_uom_qty = 20
        self.assertEqual(order.muzza_deposit_amount, 600.0, "30 % of the new total")

    def test_a_salesperson_cannot_drop_the_deposit_through_the_retainer_link(self):
        """``muzza_retainer_id`` marks a retainer's own order (no deposit of
        its own); written on an ordinary quotation, it drops the deposit."""
        other = self.env["res.partner"].create({"name": "Someone With A Retainer", "is_company": True})
        retainer = self.env["muzza.retainer"].create(
            {"partner_id": other.id, "amount": 1000.0, "period": "month", "date_start": "2026-11-01"}
        )
        order = self._quotation()
        with suppress(*REFUSED):
            order.write({"muzza_retainer_id": retainer.id})
        order.action_confirm()
        with suppress(*REFUSED):
            order.write({"muzza_retainer_id": False})
        self._assert_work_waits(order)

    def test_a_deposit_set_by_hand_never_bills_more_than_the_order(self):
        """A typo (5,000 for 500) on a 1,000.00 quotation: refused, never a
        5,000.00 deposit invoice posted and e-mailed to the customer."""
        order = self._quotation()
        with suppress(*REFUSED):
            order.write({"muzza_deposit_amount": 5000.0})
        order.action_confirm()
        deposit = order.with_env(self.env)._muzza_deposit_invoices()
        self.assertLessEqual(deposit.amount_total, order.amount_total)

    def test_asking_for_full_payment_online_is_not_cut_down_to_the_deposit(self):
        """The salesperson asks the customer to pay everything when signing:
        the deposit must not lower that to 30 %."""
        order = self._quotation()
        order.write({"require_payment": True, "prepayment_percent": 1.0})
        self.assertEqual(order.prepayment_percent, 1.0)
        self.assertEqual(order._get_prepayment_required_amount(), order.amount_total)


@tagged("post_install", "-at_install")
class TestReviewDepositMoney(DepositReviewCase):
    """Deposit + the invoices that follow bill exactly the order."""

    def test_a_deposit_under_a_tax_included_price_is_deducted_in_full(self):
        tax = self.env["account.tax"].create(
            {
                "name": "VAT 21 % included",
                "amount": 21.0,
                "type_tax_use": "sale",
                "price_include_override": "tax_included",
                "company_id": self.env.company.id,
            }
        )
        product = self.env["product.product"].create(
            {
                "name": "Workshop hour",
                "type": "service",
                "list_price": 121.0,
                "invoice_policy": "order",
                "taxes_id": [Command.set(tax.ids)],
            }
        )
        order = self._quotation(user=self.env.user, product=product)  # 10 x 121 = 1,210.00 tax included
        self.assertEqual(order.amount_total, 1210.0)
        order.action_confirm()
        deposit = order._muzza_deposit_lines().invoice_lines.move_id
        self.assertEqual(deposit.amount_total, 363.0)
        self._pay(deposit)
        final = order._create_invoices(final=True)
        final.action_post()
        self.assertEqual(final.amount_total, 1210.0 - 363.0)
        self.assertEqual(deposit.amount_total + final.amount_total, order.amount_total)

    def test_a_final_invoice_settles_what_is_left_of_the_deposit(self):
        """The work ends under the ordered quantity and the user makes the
        final invoice ("Deduct down payments"): as Odoo does with a down
        payment, what the deposit holds beyond the work is deducted, so the
        customer gets it back (a credit note), never keeps paying for work
        that was not done."""
        product = self.env["product.product"].create(
            {"name": "Delivered hour", "type": "service", "list_price": 100.0, "invoice_policy": "delivery"}
        )
        product.taxes_id = [Command.clear()]
        order = self._quotation(user=self.env.user, product=product)  # 1,000.00, deposit 300.00
        order.action_confirm()
        deposit = order._muzza_deposit_lines().invoice_lines.move_id
        self._pay(deposit)
        order.order_line.filtered("product_id").qty_delivered = 2  # 200.00 of work, the job is over
        self.env["sale.advance.payment.inv"].with_context(
            active_model="sale.order", active_ids=order.ids
        ).create({"advance_payment_method": "delivered", "deduct_down_payments": True}).create_invoices()
        (order.invoice_ids - deposit).action_post()
        posted = order.invoice_ids.filtered(lambda m: m.state == "posted")
        billed = sum(posted.filtered(lambda m: m.move_type == "out_invoice").mapped("amount_total")) - sum(
            posted.filtered(lambda m: m.move_type == "out_refund").mapped("amount_total")
        )
        self.assertEqual(billed, 200.0, "the customer pays for the work delivered, not the whole deposit")


@tagged("post_install", "-at_install", "muzza_once_without_stock")
class TestReviewLateFees(LateFeeCase):
    """Fees accrue day by day and are charged on the cycle: never a day
    skipped, never a day charged that was not late; only a receivables
    manager waives them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.billing = mail_new_test_user(
            cls.env, login="review_fee_billing", groups="base.group_user,account.group_account_invoice"
        )

    def _fee_billed(self, invoice):
        fees = self.env["account.move"].search(
            [("muzza_fee_origin_id", "=", invoice.id), ("state", "=", "posted")]
        )
        credits = self.env["account.move"].search(
            [
                ("reversed_entry_id", "in", fees.ids),
                ("state", "=", "posted"),
                ("move_type", "=", "out_refund"),
            ]
        )
        return round(sum(fees.mapped("amount_total")) - sum(credits.mapped("amount_total")), 2)

    def test_a_billing_user_cannot_stop_the_fees_by_marking_the_invoice_checked(self):
        """Writing the action's "checked on" date into the future is a
        waiver without a manager, a reason or a trace."""
        invoice = self._invoice(1250.0)  # due 2026-12-15, pay by 2026-12-20
        with suppress(*REFUSED):
            invoice.with_user(self.billing).write({"muzza_fee_checked_on": "2099-12-31"})
        self._run_cron("2027-01-19")
        self.assertGreater(invoice.muzza_fee_charged_amount, 0.0, "the fee is charged on the cycle")

    def test_a_payment_undone_after_the_final_fee_lets_the_fee_run_again(self):
        invoice = self._invoice(1250.0)  # due 2026-12-15, pay by 2026-12-20
        self._pay(invoice, 1250.0, "2027-01-10")
        self._run_cron("2027-01-11")
        self.assertEqual(self._fee_billed(invoice), interest(1250.0, 18, 21), "21 days late")
        # the payment was a bounced cheque: undone
        invoice.line_ids.filtered(
            lambda line: line.account_type == "asset_receivable"
        ).remove_move_reconcile()
        self.assertEqual(invoice.payment_state, "not_paid")
        self._run_cron("2027-03-02")
        self.assertEqual(
            self._fee_billed(invoice),
            interest(1250.0, 18, 72),
            "still unpaid: 72 days late (December 21 to March 2), none skipped",
        )

    def test_a_payment_dated_earlier_than_the_fees_charged_gives_back_the_difference(self):
        """The bank statement shows the customer paid on January 5, but it
        is recorded after the February fee invoice (through February 1): the
        customer owes 16 days of interest, not 43."""
        invoice = self._invoice(1250.0)  # due 2026-12-15, pay by 2026-12-20
        self._run_cron("2027-02-01")
        self.assertEqual(self._fee_billed(invoice), interest(1250.0, 18, 43))
        with freeze_time("2027-02-03"):
            self._pay(invoice, 1250.0, "2027-01-05")
        self._run_cron("2027-02-04")
        self.assertEqual(self._fee_billed(invoice), interest(1250.0, 18, 16))


@tagged("post_install", "-at_install")
class TestReviewRetainers(RetainerCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesperson = mail_new_test_user(
            cls.env, login="review_ret_salesperson", groups="base.group_user,sales_team.group_sale_salesman"
        )

    def _order(self, hours, user=None):
        user = user or self.salesperson
        return (
            self.env["sale.order"]
            .with_user(user)
            .create(
                {
                    "partner_id": self.customer.id,
                    "user_id": user.id,
                    "order_line": [Command.create({"product_id": self.work.id, "product_uom_qty": hours})],
                }
            )
        )

    def test_a_salesperson_cannot_skip_the_budget_through_the_retainer_link(self):
        """Going past the budget needs a manager: marking one's own order as
        a retainer's own order must not skip the check."""
        retainer = self._retainer(budget=1500.0)
        order = self._order(30)  # 3,000.00 of work, past the 1,500.00 budget
        with self.assertRaisesRegex(UserError, "past its budget"):
            order.action_confirm()
        with suppress(*REFUSED):
            order.write({"muzza_retainer_id": retainer.id})
        with self.assertRaises(UserError):
            order.action_confirm()
        self.assertEqual(order.state, "draft")

    def test_an_approval_covers_the_amount_approved_not_any_amount(self):
        """The manager approved 3,000.00 of work past the budget; the
        salesperson then makes it 30,000.00 before confirming."""
        self._retainer(budget=1500.0)
        order = self._order(30)
        self._approve_over_budget(order, self.manager, "Workshop of 30 hours agreed with the client")
        order.write({"order_line": [Command.update(order.order_line.id, {"product_uom_qty": 300})]})
        self.assertEqual(order.amount_untaxed, 30000.0)
        with self.assertRaisesRegex(UserError, "past its budget"):
            order.action_confirm()

    def test_a_credited_work_invoice_no_longer_counts_against_the_budget(self):
        self._retainer(budget=3000.0)
        with freeze_time("2027-01-10"):
            _order, invoice = self._work(20, "2027-01-10")  # 2,000.00 committed
        self.assertEqual(invoice.state, "posted")
        invoice._reverse_moves([{"invoice_date": "2027-01-12"}], cancel=True)  # billed by mistake
        self.assertEqual(invoice.payment_state, "reversed")
        with freeze_time("2027-01-15"):
            again = self._order(20)
            try:
                again.action_confirm()  # 2,000.00 within the 3,000.00 budget
            except UserError as error:
                self.fail("refused although the only work billed was credited: %s" % error)
        self.assertEqual(again.state, "sale")

    def test_the_retainer_list_reads_its_figures_without_a_query_per_agreement(self):
        """The list of agreements shows Balance and Budget Left: computing
        them must not search the customer's invoices once per agreement."""
        Retainer = self.env["muzza.retainer"]
        first = self._retainer()

        def queries(retainers):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            retainers.with_env(self.env).read(["balance", "budget_left", "committed"])
            return self.env.cr.sql_log_count - before

        queries(first)  # warm the caches that are not the agreement's
        one = queries(first)
        many = first | Retainer.concat(*(self._retainer() for _i in range(9)))
        self.assertLessEqual(queries(many), one + 5, "ten agreements cost about what one does")


@tagged("post_install", "-at_install")
class TestReviewRetainerCredits(RetainerCommon):
    """Credit notes on a retainer's invoices: what was credited is given
    back, never counted twice."""

    def _paid_first_period(self):
        retainer = self._retainer()
        self._run("2026-12-25")
        first = self._period_invoices(retainer)
        self.assertEqual(first.amount_total, 1000.0)
        self._pay(first, "2026-12-30")
        return retainer, first

    def _figures(self, retainer, day):
        with freeze_time(day):
            retainer.invalidate_recordset(retainer._FIGURES)
            return retainer.balance, retainer.consumed, retainer.invoiced

    def test_a_credited_work_invoice_gives_its_draw_back(self):
        retainer, _first = self._paid_first_period()
        _order, work = self._work(3, "2027-01-10")  # 300.00 drawn from January
        self.assertEqual(work.amount_total, 0.0, "all drawn from the retainer")
        self.assertEqual(self._figures(retainer, "2027-01-11")[:2], (700.0, 300.0))
        work._reverse_moves([{"invoice_date": "2027-01-12"}], cancel=True)  # invoiced by mistake
        self.assertEqual(
            self._figures(retainer, "2027-01-13")[:2], (1000.0, 0.0), "the 300.00 is back in the balance"
        )

    def test_a_credited_period_invoice_is_no_longer_a_credit_nor_invoiced(self):
        retainer = self._retainer()
        self._run("2026-12-25")
        first = self._period_invoices(retainer)
        first._reverse_moves([{"invoice_date": "2026-12-27"}], cancel=True)  # issued by mistake
        self.assertEqual(first.payment_state, "reversed")
        balance, _consumed, invoiced = self._figures(retainer, "2027-01-05")
        self.assertEqual((balance, invoiced), (0.0, 0.0), "nothing was paid nor is owed for January")


@tagged("post_install", "-at_install")
class TestReviewDepositCompanies(DepositReviewCase):
    """Nothing crosses companies: whether a customer is new to company A
    does not depend on what they paid company B, nor on which companies the
    salesperson has switched on."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.setup_other_company(name="Company B")["company"]
        cls.seller.write({"company_ids": [Command.link(cls.company_b.id)]})

    def test_a_payment_to_another_company_does_not_make_a_client_known(self):
        customer = self._customer()
        paid_to_b = self.init_invoice(
            "out_invoice", partner=customer, amounts=[50.0], company=self.company_b, post=True
        )
        self.env["account.payment.register"].with_company(self.company_b).with_context(
            active_model="account.move", active_ids=paid_to_b.ids
        ).create({})._create_payments()
        self.assertIn(paid_to_b.payment_state, ("paid", "in_payment"))
        deposits = {}
        for companies in ([self.env.company], [self.env.company, self.company_b]):
            Order = (
                self.env["sale.order"]
                .with_user(self.seller)
                .with_context(allowed_company_ids=[company.id for company in companies])
            )
            order = Order.create(
                {
                    "partner_id": customer.id,
                    "company_id": self.env.company.id,
                    "order_line": [Command.create({"product_id": self.product.id, "product_uom_qty": 10})],
                }
            )
            deposits[len(companies)] = order.muzza_deposit_amount
        self.assertEqual(deposits, {1: 300.0, 2: 300.0}, "new to company A, whoever looks")


@tagged("post_install", "-at_install")
class TestReviewDepositEdges(DepositReviewCase):
    def test_a_deposit_with_a_fixed_tax_is_deducted_in_full(self):
        """A fixed tax (an eco-contribution) next to VAT: Odoo bills the
        deposit's share of the fixed tax on a line of its own; the later
        invoices must deduct it too."""
        vat = self.env["account.tax"].create(
            {"name": "VAT 21 %", "amount": 21.0, "type_tax_use": "sale", "company_id": self.env.company.id}
        )
        eco = self.env["account.tax"].create(
            {
                "name": "Eco 10",
                "amount": 10.0,
                "amount_type": "fixed",
                "type_tax_use": "sale",
                "sequence": 1,
                "company_id": self.env.company.id,
            }
        )
        fridge = self.env["product.product"].create(
            {
                "name": "Fridge installation",
                # a service: the same taxes, and no warehouse needed where
                # the stock app is installed (pytest-odoo gives test
                # companies none)
                "type": "service",
                "list_price": 100.0,
                "invoice_policy": "order",
                "taxes_id": [Command.set((eco | vat).ids)],
            }
        )
        order = self._quotation(user=self.env.user, product=fridge)
        self.assertEqual(order.amount_total, 1310.0)  # 1,000 + 100 eco + 210 VAT
        order.action_confirm()
        deposit = order._muzza_deposit_invoices()
        self.assertEqual(deposit.amount_total, 393.0)
        self._pay(deposit)
        final = order._create_invoices(final=True)
        final.action_post()
        self.assertEqual(deposit.amount_total + final.amount_total, order.amount_total)

    def test_a_quotation_with_a_negative_total_can_be_made_for_a_new_client(self):
        """A credit quotation (a rebate, a return) for a new client: no
        deposit to ask, and certainly no traceback."""
        order = self._quotation(
            user=self.env.user,
            order_line=[
                Command.create({"product_id": self.product.id, "product_uom_qty": 1, "price_unit": -100.0})
            ],
        )
        self.assertEqual(order.amount_total, -100.0)
        self.assertEqual(order.muzza_deposit_amount, 0.0)


@tagged("post_install", "-at_install", "muzza_once_without_stock")
class TestReviewLateFeeEdges(LateFeeCase):
    def test_an_invoice_cancelled_by_a_credit_note_is_not_charged_a_late_fee(self):
        """The invoice was issued by mistake and reversed in full: the
        customer never owed it, so no interest invoice follows."""
        invoice = self._invoice(1250.0)  # due 2026-12-15, pay by 2026-12-20
        with freeze_time("2026-12-28"):
            invoice._reverse_moves([{"invoice_date": "2026-12-28"}], cancel=True)
        self.assertEqual(invoice.payment_state, "reversed")
        self._run_cron("2026-12-29")
        self.assertFalse(invoice.muzza_fee_move_ids, "no fee invoice for a cancelled invoice")


@tagged("post_install", "-at_install", "muzza_once_without_stock")
class TestReviewInvoiceAddress(AccountTestInvoicingCommon):
    def test_duplicating_an_invoice_keeps_its_customer(self):
        """The user addressed the invoice to the company itself on purpose;
        duplicating it must not readdress the copy behind their back."""
        biller = mail_new_test_user(
            self.env, login="review_address_biller", groups="base.group_user,account.group_account_invoice"
        )
        customer = self.env["res.partner"].create(
            {"name": "Alhambra SL", "is_company": True, "email": "info@alhambra.example.com"}
        )
        self.env["res.partner"].create(
            {"name": "Accounts payable", "parent_id": customer.id, "type": "invoice", "email": "ap@a.example"}
        )
        invoice = self.init_invoice("out_invoice", partner=customer, amounts=[100.0])
        invoice.with_user(biller).partner_id = customer
        self.assertEqual(invoice.partner_id, customer)
        self.assertEqual(invoice.with_user(biller).copy().partner_id, customer)


@tagged("post_install", "-at_install")
class TestReviewRetainerLanguage(RetainerCommon):
    """A Spanish customer's retainer invoices read in Spanish throughout,
    whoever (or whichever scheduled action) issues them."""

    def test_the_period_and_draw_lines_are_in_the_customer_language(self):
        self.env["res.lang"]._activate_lang("es_ES")
        self.env["ir.module.module"]._load_module_terms(["muzza_receivables"], ["es_ES"], overwrite=True)
        self.customer.lang = "es_ES"
        retainer = self._retainer()
        self._run("2026-12-25")
        first = self._period_invoices(retainer)
        self.assertEqual(
            first.invoice_line_ids.name,
            "Iguala %s, periodo desde el 1 de enero de 2027" % retainer.name,
        )
        self._pay(first, "2026-12-30")
        _order, work = self._work(3, "2027-01-10")
        draw = work.invoice_line_ids.filtered(lambda line: line.quantity < 0)
        self.assertEqual(draw.name, "Descontado de la iguala %s (periodo pagado 1)" % retainer.name)
