# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.mail.tests.common import mail_new_test_user

from ..logic.money import to_decimal
from ..models.account_move_late_fee import AccountMove


def interest(amount, yearly_percent, days):
    """Independent simple interest, rounded to the cent."""
    value = Decimal(str(amount)) * Decimal(str(yearly_percent)) / 100 * days / 365
    return float(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


@tagged("post_install", "-at_install")
class LateFeeCase(AccountTestInvoicingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.policy = cls.env["muzza.late.fee.policy"].create(
            {
                "name": "1.5 % per month after 5 days",
                "kind": "interest",
                "rate": 1.5,
                "rate_period": "month",
                "grace_days": 5,
            }
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Slow Payer Ltd", "email": "ap@slowpayer.example.com", "lang": "en_US"}
        )
        cls.customer.with_company(cls.env.company).muzza_late_fee_policy_id = cls.policy
        cls.pay_30 = cls.env.ref("account.account_payment_term_30days")
        cls.env.company.write(
            {
                "muzza_fee_invoice_cycle": "monthly",
                "muzza_fee_invoice_day": 1,
                "muzza_fee_invoice_minimum": 0.0,
            }
        )

    def _invoice(self, amount=1250.0, invoice_date="2026-11-15", partner=None, post=True, **values):
        move = self.init_invoice(
            "out_invoice",
            partner=partner or self.customer,
            invoice_date=invoice_date,
            amounts=[amount],
            taxes=self.env["account.tax"],
        )
        move.write({"invoice_payment_term_id": self.pay_30.id, **values})
        if post:
            move.action_post()
        return move

    def _pay(self, move, amount, day):
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=move.ids
        ).create({"payment_date": day, "amount": amount})._create_payments()

    def _run_cron(self, day):
        """Run the scheduled action on ``day``; it commits after each invoice
        (recorded here, since a test cannot commit)."""
        commits = []
        with freeze_time(day), patch.object(self.env.cr, "commit", lambda: commits.append(day)):
            done = self.env["account.move"]._cron_charge_late_fees()
        self.assertGreaterEqual(len(commits), done, "one commit per invoice handled")
        return done


@tagged("post_install", "-at_install", "muzza_once_without_stock")
class TestLateFeePolicy(LateFeeCase):
    def test_bad_values_are_refused_with_a_clear_message_and_nothing_is_written(self):
        Policy = self.env["muzza.late.fee.policy"]
        before = Policy.search_count([])
        cases = [
            ({"rate": -1.0}, "Rates and percentages cannot be negative."),
            ({"grace_days": -2}, "Grace days cannot be negative."),
            (
                {"min_amount": 50.0, "max_amount": 10.0},
                "The maximum fee cannot be lower than the minimum fee.",
            ),
            ({"rate": 0.0}, "The policy would never charge anything"),
        ]
        for values, message in cases:
            with self.assertRaises(ValidationError) as error:
                Policy.create({"name": "Bad", "kind": "interest", "rate": 1.0, **values})
            self.assertIn(message, str(error.exception))
        self.assertEqual(Policy.search_count([]), before)
        with self.assertRaises(ValidationError):
            self.policy.write({"rate": 2.0, "grace_days": -1})
        self.assertEqual(self.policy.rate, 1.5, "nothing half-written")

    def test_statutory_preset_is_reference_rate_plus_eight_points_and_40_compensation(self):
        with Form(self.env["muzza.late.fee.policy"]) as form:
            form.name = "Ley 3/2004"
            form.preset = "es_ley_3_2004"
            form.reference_rate = 2.15
        policy = form.record
        self.assertEqual(
            (policy.kind, policy.rate_period, policy.rate, policy.compensation_amount),
            ("interest", "year", 10.15, 40.0),
        )
        policy.reference_rate = 2.4
        self.assertAlmostEqual(policy.rate, 10.4)
        self.assertEqual(policy.compensation_currency_id.name, "EUR", "the law says 40 EUR")

    @freeze_time("2026-12-10")
    def test_statutory_compensation_is_40_euros_at_the_invoice_date_rate(self):
        self.assertEqual(self.env.company.currency_id.name, "USD")
        # 1 USD = 0.80 EUR on the invoice date; 0.50 EUR by the time it is posted
        eur = self.setup_other_currency(
            "EUR", rates=[("2026-01-01", 0.9), ("2026-11-15", 0.8), ("2026-12-01", 0.5)]
        )
        statutory = self.env["muzza.late.fee.policy"].create(
            {"name": "Directive 2011/7/EU", "preset": "eu_2011_7", "reference_rate": 2.15}
        )
        self.customer.with_company(self.env.company).muzza_late_fee_policy_id = statutory

        in_dollars = self._invoice(1000.0)
        self.assertEqual(to_decimal(in_dollars.muzza_fee_terms["compensation"]), Decimal("50.00"))
        self.assertIn(
            "A fixed compensation of $\N{NO-BREAK SPACE}50.00 for recovery costs is added.",
            in_dollars.muzza_fee_sentence,
        )
        in_euros = self._invoice(1000.0, currency_id=eur.id)
        self.assertEqual(to_decimal(in_euros.muzza_fee_terms["compensation"]), Decimal("40.00"))
        self.assertIn("A fixed compensation of 40.00\N{NO-BREAK SPACE}€", in_euros.muzza_fee_sentence)
        # ... and the fee charged on the late dollar invoice adds those 50.00, not 40 dollars
        self.assertEqual(
            in_dollars._muzza_fee_to_charge(date(2026, 12, 16)),
            Decimal("50.00") + Decimal(str(interest(1000, 10.15, 1))),
        )


@tagged("post_install", "-at_install", "muzza_once_without_stock")
class TestInvoicePosting(LateFeeCase):
    def test_terms_are_frozen_at_posting(self):
        invoice = self._invoice()
        self.assertEqual(invoice.muzza_fee_policy_id, self.policy)
        self.assertEqual(invoice.muzza_fee_terms["rate"], "1.5")
        self.assertEqual(invoice.muzza_fee_pay_by, date(2026, 12, 20))
        printed = invoice.muzza_fee_sentence
        self.policy.write({"rate": 3.0, "grace_days": 0})
        invoice.invalidate_recordset()
        self.assertEqual(invoice.muzza_fee_terms["rate"], "1.5")
        self.assertEqual(invoice.muzza_fee_sentence, printed)
        # a new invoice takes the new terms
        self.assertEqual(self._invoice().muzza_fee_terms["rate"], "3.0")

    def test_the_late_fee_sentence_states_the_exact_date_and_amount(self):
        invoice = self._invoice(1250.0)
        self.assertEqual(invoice.muzza_due_sentence, "Due on December 15, 2026")
        self.assertEqual(
            invoice.muzza_fee_sentence,
            "If not paid by December 20, 2026 (due date plus 5 days' grace), interest of 1.5 % per month "
            "will be charged on the amount due: $\N{NO-BREAK SPACE}18.75 for each month of delay.",
        )

    def test_instalments_each_state_their_date_and_amount(self):
        term = self.env["account.payment.term"].create(
            {
                "name": "30 % now, rest in 60 days",
                "line_ids": [
                    Command.create({"value": "percent", "value_amount": 30.0, "nb_days": 0}),
                    Command.create({"value": "percent", "value_amount": 70.0, "nb_days": 60}),
                ],
            }
        )
        invoice = self._invoice(1000.0, invoice_payment_term_id=term.id)
        self.assertEqual(
            invoice.muzza_due_sentence.split("\n"),
            [
                "Instalment 1 of 2: $\N{NO-BREAK SPACE}300.00 due on November 15, 2026",
                "Instalment 2 of 2: $\N{NO-BREAK SPACE}700.00 due on January 14, 2027",
            ],
        )

    def test_invoice_without_required_po_number_cannot_be_posted(self):
        self.customer.muzza_requires_po = True
        contact = self.env["res.partner"].create({"name": "Ana", "parent_id": self.customer.id})
        self.assertTrue(contact.muzza_requires_po, "contacts inherit it from their company")
        invoice = self._invoice(partner=contact, post=False)
        with self.assertRaises(UserError) as error:
            invoice.action_post()
        self.assertIn("purchase-order number", str(error.exception))
        self.assertEqual(invoice.state, "draft")
        self.assertFalse(invoice.muzza_fee_terms, "nothing half-written")
        invoice.ref = "PO-4711"
        invoice.action_post()
        self.assertEqual(invoice.state, "posted")

    def test_clarity_check_blocks_or_warns_as_the_company_says(self):
        nobody = self.env["res.partner"].create({"name": "No Email SL"})
        self.env.company.muzza_clarity_mode = "block"
        invoice = self._invoice(partner=nobody, post=False)
        with self.assertRaises(UserError) as error:
            invoice.action_post()
        message = str(error.exception)
        self.assertIn("an invoice address with an e-mail address", message)
        self.assertIn("late-payment terms", message)
        self.assertEqual(invoice.state, "draft")
        self.env.company.muzza_clarity_mode = "warn"
        action = invoice.action_post()
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(action["params"]["type"], "warning")
        self.assertIn("an invoice address with an e-mail address", action["params"]["message"])
        self.assertIn("Posted without", invoice.message_ids[0].body)
        # ... and the same check stops it from being sent once the company blocks
        self.env.company.muzza_clarity_mode = "block"
        with self.assertRaises(UserError) as error:
            invoice.action_send_and_print()
        self.assertIn("an invoice address with an e-mail address", str(error.exception))
        self.assertFalse(invoice.is_move_sent)


@tagged("post_install", "-at_install", "muzza_once_without_stock")
class TestLateFeeCharging(LateFeeCase):
    def _fees(self, invoice):
        return invoice.muzza_fee_move_ids.sorted("id")

    def test_interest_is_invoiced_once_a_month_and_when_paid(self):
        invoice = self._invoice(1250.0)  # due 2026-12-15, fee-free until 2026-12-20
        self.assertEqual(invoice.muzza_fee_next_on, date(2027, 1, 1), "the first invoicing day after")
        self.assertEqual(self._run_cron("2026-12-20"), 0, "nothing is late within the grace days")
        self.assertEqual(self._run_cron("2026-12-28"), 0, "interest accrues, it is not invoiced daily")
        with freeze_time("2026-12-28"):
            invoice.invalidate_recordset(["muzza_fee_accrued", "muzza_fee_accrued_sentence"])
            self.assertAlmostEqual(invoice.muzza_fee_accrued, interest(1250, 18, 8))
            self.assertEqual(
                invoice.muzza_fee_accrued_sentence,
                "Late fees accrued through December 28, 2026 and not yet invoiced: $\N{NO-BREAK SPACE}4.93.",
            )
        self._run_cron("2027-01-01")  # 12 days of delay
        self._run_cron("2027-01-01")  # the same day again: nothing more
        self._run_cron("2027-01-19")  # not an invoicing day
        fees = self._fees(invoice)
        self.assertEqual(len(fees), 1)
        self.assertAlmostEqual(fees.amount_total, interest(1250, 18, 12))
        self.assertEqual(fees.state, "posted")
        self.assertEqual(fees.muzza_fee_origin_id, invoice)
        self.assertEqual(invoice.muzza_fee_charged_through, date(2027, 1, 1))
        self.assertEqual(invoice.muzza_fee_next_on, date(2027, 2, 1))
        # a partial payment on 2027-01-31 lowers the interest from the next day
        with freeze_time("2027-01-31"):
            self._pay(invoice, 1000.0, "2027-01-31")
        self._run_cron("2027-02-01")
        expected_total = interest(1250, 18, 42) + interest(250, 18, 1)
        charged = sum(self._fees(invoice).mapped("amount_total"))
        self.assertEqual(len(self._fees(invoice)), 2)
        self.assertAlmostEqual(charged, expected_total, delta=0.01)
        self.assertAlmostEqual(invoice.muzza_fee_charged_amount, charged)
        # paid in full on 2027-03-10, the March run missed: the payment
        # invoices the rest at once, then nothing is ever charged again
        with freeze_time("2027-03-10"):
            self._pay(invoice, 250.0, "2027-03-10")
        self._run_cron("2027-03-15")
        self._run_cron("2027-04-01")
        self._run_cron("2027-05-01")
        total = interest(1250, 18, 42) + interest(250, 18, 38)
        self.assertAlmostEqual(sum(self._fees(invoice).mapped("amount_total")), total, delta=0.01)
        self.assertTrue(invoice.muzza_fee_done)
        self.assertEqual(len(self._fees(invoice)), 3, "one per monthly cycle, and the final one")

    def test_interest_below_the_minimum_waits_for_the_next_cycle_unless_final(self):
        self.env.company.muzza_fee_invoice_minimum = 20.0
        invoice = self._invoice(1250.0)
        self._run_cron("2027-01-01")  # 12 days: 7.40, below the minimum
        self.assertFalse(self._fees(invoice))
        self.assertEqual(self._run_cron("2027-01-02"), 0, "it waits for the next cycle, not the next day")
        self._run_cron("2027-02-01")  # 43 days: 26.50
        self.assertEqual(len(self._fees(invoice)), 1)
        self.assertAlmostEqual(self._fees(invoice).amount_total, interest(1250, 18, 43))
        with freeze_time("2027-02-05"):
            self._pay(invoice, 1250.0, "2027-02-05")
        self._run_cron("2027-02-06")
        fees = self._fees(invoice)
        self.assertEqual(len(fees), 2, "the final fee is invoiced even below the minimum")
        final = interest(1250, 18, 47) - interest(1250, 18, 43)
        self.assertAlmostEqual(fees[1].amount_total, final, delta=0.01)
        self.assertTrue(invoice.muzza_fee_done)

    def test_interest_invoiced_only_when_paid_if_the_company_says_so(self):
        self.env.company.muzza_fee_invoice_cycle = "paid"
        invoice = self._invoice(1250.0)
        self.assertFalse(invoice.muzza_fee_next_on)
        for day in ("2027-01-01", "2027-02-01", "2027-03-01"):
            self.assertEqual(self._run_cron(day), 0)
        with freeze_time("2027-03-10"):
            self._pay(invoice, 1250.0, "2027-03-10")
        self._run_cron("2027-03-11")
        self._run_cron("2027-04-01")
        self.assertEqual(len(self._fees(invoice)), 1)
        self.assertAlmostEqual(self._fees(invoice).amount_total, interest(1250, 18, 80))

    def test_changing_the_cycle_moves_the_next_invoicing_day(self):
        invoice = self._invoice(1250.0)
        with freeze_time("2026-12-01"):
            self.env.company.muzza_fee_invoice_day = 15
        self.assertEqual(invoice.muzza_fee_next_on, date(2026, 12, 15))
        with freeze_time("2026-12-01"):
            self.env.company.muzza_fee_invoice_cycle = "paid"
        self.assertFalse(invoice.muzza_fee_next_on)
        with self.assertRaises(ValidationError):
            self.env.company.muzza_fee_invoice_day = 32

    def test_a_skipped_run_is_caught_up_and_pieces_add_up(self):
        # a reminder may invoice what accrued so far on any day: the pieces
        # still add up to the whole
        daily = self._invoice(2000.0)
        weekly = self._invoice(2000.0)
        start = date(2026, 12, 20)
        for offset in range(1, 29):
            day = start + timedelta(days=offset)
            with freeze_time(day):
                self.env["account.move"].browse(daily.id)._muzza_charge_late_fee(day, on_cycle=True)
                if offset % 7 == 0:
                    self.env["account.move"].browse(weekly.id)._muzza_charge_late_fee(day, on_cycle=True)
        self.assertEqual(len(daily.muzza_fee_move_ids), 28)
        self.assertEqual(len(weekly.muzza_fee_move_ids), 4)
        self.assertAlmostEqual(daily.muzza_fee_charged_amount, interest(2000, 18, 28))
        self.assertAlmostEqual(weekly.muzza_fee_charged_amount, interest(2000, 18, 28))

    def test_batches_take_each_invoice_once_a_day(self):
        invoices = self._invoice(1000.0) | self._invoice(2000.0) | self._invoice(3000.0)
        with freeze_time("2027-01-19"), patch.object(self.env.cr, "commit", lambda: None):
            Move = self.env["account.move"]
            self.assertEqual(Move._cron_charge_late_fees(batch_size=2), 2)
            self.assertEqual(
                Move._cron_charge_late_fees(batch_size=2), 1, "the rest, not the first two again"
            )
            self.assertEqual(Move._cron_charge_late_fees(batch_size=2), 0, "a re-triggered run ends")
        self.assertEqual([len(inv.muzza_fee_move_ids) for inv in invoices], [1, 1, 1])
        # on the next invoicing day each invoice is taken again
        self.assertEqual(self._run_cron("2027-01-20"), 0)
        self.assertEqual(self._run_cron("2027-02-01"), 3)

    def test_a_crash_half_way_loses_nothing_and_charges_nothing_twice(self):
        first, second = self._invoice(1000.0), self._invoice(3000.0)
        original = AccountMove._muzza_create_fee_invoice

        def crash_on_second(move, amount, today):
            if move == second:
                raise RuntimeError("worker killed")
            return original(move, amount, today)

        logger = "odoo.addons.muzza_receivables.models.muzza_cron_batch"
        with (
            patch.object(AccountMove, "_muzza_create_fee_invoice", crash_on_second),
            self.assertLogs(logger, level="ERROR") as logs,
        ):
            self._run_cron("2027-01-19")
        self.assertIn("Charging the late fee failed for %s" % second.name, logs.output[0])
        self.assertIn("Charging the late fee failed: worker killed", second.message_ids[0].body)
        self.assertEqual(len(first.muzza_fee_move_ids), 1)
        self.assertFalse(second.muzza_fee_move_ids)
        self.assertFalse(second.muzza_fee_charged_through, "the failed invoice's progress rolled back")
        self._run_cron("2027-01-19")
        self.assertFalse(second.muzza_fee_move_ids, "a failed invoice is tried again on a later day")
        self._run_cron("2027-01-20")
        self.assertEqual(len(first.muzza_fee_move_ids), 1, "not charged twice")
        self.assertAlmostEqual(second.muzza_fee_move_ids.amount_total, interest(3000, 18, 31))

    def test_fixed_fee_with_compensation_is_charged_once(self):
        policy = self.env["muzza.late.fee.policy"].create(
            {"name": "Fixed", "kind": "fixed", "fixed_amount": 25.0, "compensation_amount": 40.0}
        )
        invoice = self._invoice(500.0, muzza_fee_policy_id=policy.id)
        self._run_cron("2026-12-16")
        self._run_cron("2027-02-16")
        self.assertEqual(len(invoice.muzza_fee_move_ids), 1)
        self.assertAlmostEqual(invoice.muzza_fee_move_ids.amount_total, 65.0)
        self.assertTrue(invoice.muzza_fee_done)

    def test_fee_invoice_is_sent_to_the_customer(self):
        invoice = self._invoice(1250.0)
        self._run_cron("2027-01-19")
        fee = invoice.muzza_fee_move_ids
        self.assertTrue(fee.is_move_sent)
        mail = self.env["mail.mail"].search([("model", "=", "account.move"), ("res_id", "=", fee.id)])
        self.assertTrue(mail, "queued, not sent inline")
        self.assertIn(self.customer, mail.recipient_ids)
        self.assertTrue(fee.message_main_attachment_id, "the PDF is attached")
        self.assertIn("Late-payment fee for invoice %s" % invoice.name, fee.invoice_line_ids.name)
        self.assertTrue(any(fee.name in (m.body or "") for m in invoice.message_ids), "logged on the invoice")

    def test_only_managers_waive_and_waiving_stops_and_credits_fees(self):
        invoice = self._invoice(1250.0)
        self._run_cron("2027-01-19")
        clerk = mail_new_test_user(
            self.env, login="muzza_clerk", groups="base.group_user,account.group_account_invoice"
        )
        manager = mail_new_test_user(
            self.env,
            login="muzza_manager",
            groups="base.group_user,account.group_account_manager,muzza_receivables.group_receivables_manager",
        )
        with self.assertRaises(AccessError):
            self.env["muzza.late.fee.waive"].with_user(clerk).create({"move_id": invoice.id, "reason": "x"})
        wizard = (
            self.env["muzza.late.fee.waive"]
            .with_user(manager)
            .create({"move_id": invoice.id, "reason": "Goods arrived late"})
        )
        wizard.action_waive()
        self.assertTrue(invoice.muzza_fee_waived)
        self.assertEqual(invoice.muzza_fee_waive_reason, "Goods arrived late")
        self.assertEqual(invoice.muzza_fee_move_ids.payment_state, "reversed")
        self._run_cron("2027-03-19")
        self.assertEqual(len(invoice.muzza_fee_move_ids), 1, "no fee after the waiver")
        self.assertIn("Goods arrived late", invoice.message_ids[0].body)


@tagged("post_install", "-at_install", "muzza_once_without_stock")
class TestLateFeeDecisions(LateFeeCase):
    """The fee record is the module's, and waiving is a manager's decision,
    whatever the path."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.seller = mail_new_test_user(
            cls.env, login="muzza_fee_seller", groups="base.group_user,sales_team.group_sale_salesman"
        )
        cls.billing = mail_new_test_user(
            cls.env, login="muzza_fee_billing", groups="base.group_user,account.group_account_invoice"
        )
        cls.manager = mail_new_test_user(
            cls.env,
            login="muzza_fee_manager",
            groups="base.group_user,account.group_account_invoice,muzza_receivables.group_receivables_manager",
        )

    def test_only_a_manager_waives_and_nobody_rewrites_the_fee_record(self):
        invoice = self._invoice(1250.0)
        self._run_cron("2027-01-19")
        charged = invoice.muzza_fee_charged_amount
        as_billing = invoice.with_user(self.billing)
        for values in (
            {"muzza_fee_waived": True, "muzza_fee_waive_reason": "asked nicely"},
            {"muzza_fee_done": True},
            {"muzza_fee_charged_amount": 0.0},
            {"muzza_fee_terms": False},
            {"muzza_fee_next_on": False},
        ):
            with self.subTest(values=values), self.assertRaises(UserError):
                as_billing.write(values)
        with self.assertRaises(UserError):
            as_billing.write({"muzza_fee_policy_id": False})
        with self.assertRaises(UserError):
            self.env["account.move"].with_user(self.billing).create(
                {"move_type": "out_invoice", "partner_id": self.customer.id, "muzza_fee_waived": True}
            )
        self.env["ir.model.data"].create(
            {"module": "__import__", "name": "late_invoice", "model": "account.move", "res_id": invoice.id}
        )
        result = (
            self.env["account.move"]
            .with_user(self.billing)
            .load(
                ["id", "muzza_fee_waived", "muzza_fee_waive_reason"],
                [["__import__.late_invoice", "1", "x"]],
            )
        )
        self.assertFalse(result["ids"], "an import is refused too")
        self.assertIn("Only receivables managers can waive late fees.", result["messages"][0]["message"])
        with self.assertRaises(UserError):
            self.env["muzza.late.fee.waive"].with_user(self.seller).create(
                {"move_id": invoice.id, "reason": "x"}
            )
        self.assertFalse(invoice.muzza_fee_waived)
        self.assertEqual(invoice.muzza_fee_charged_amount, charged, "nothing was written")
        # a manager waives by any path; without a reason it is refused
        with self.assertRaises(UserError):
            invoice.with_user(self.manager).write({"muzza_fee_waived": True})
        invoice.with_user(self.manager).write(
            {"muzza_fee_waived": True, "muzza_fee_waive_reason": "Goods late"}
        )
        self.assertTrue(invoice.muzza_fee_done)
        self.assertIn("Late fees waived by %s: Goods late" % self.manager.name, invoice.message_ids[0].body)
        self._run_cron("2027-02-01")
        self.assertEqual(invoice.muzza_fee_charged_amount, charged, "no fee after the waiver")
