# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from datetime import date
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.account.tests.common import AccountTestInvoicingCommon

from ..models.account_move_late_fee import AccountMove
from ..models.sale_order_cadence import SaleOrder as CadenceOrder
from .common import batch_size, run_cron_like_odoo

BATCH_LOGGER = "odoo.addons.muzza_receivables.models.muzza_cron_batch"


@tagged("post_install", "-at_install")
class TestScheduledActionsReachEveryRecord(AccountTestInvoicingCommon):
    """Each scheduled action, run the way Odoo's cron worker runs it, reaches
    every record past its first batch, handles each once a day, and leaves a
    record that always fails for a later day without stopping the others."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.policy = cls.env["muzza.late.fee.policy"].create(
            {"name": "1.5 % a month", "kind": "interest", "rate": 1.5, "rate_period": "month"}
        )
        cls.env.company.write(
            {
                "muzza_late_fee_policy_id": cls.policy.id,
                "muzza_fee_invoice_cycle": "monthly",
                "muzza_fee_invoice_day": 1,
                "muzza_pileup_days": 30,
            }
        )
        cls.customers = cls.env["res.partner"].create(
            [{"name": "Customer %s" % n, "email": "c%s@example.com" % n} for n in range(6)]
        )
        cls.service = cls.env["product.product"].create(
            {"name": "Hour", "type": "service", "list_price": 100.0, "invoice_policy": "delivery"}
        )
        cls.service.taxes_id = [Command.clear()]
        cls.template = cls.env["muzza.contract.template"].create(
            {
                "name": "Weekly",
                "payment_term_id": cls.env.ref("account.account_payment_term_30days").id,
                "invoice_trigger": "cadence",
                "cadence_interval": 1,
                "cadence_unit": "week",
            }
        )

    def _late_invoices(self, company=None):
        moves = self.env["account.move"]
        for customer in self.customers:
            move = self.init_invoice(
                "out_invoice",
                partner=customer,
                invoice_date="2026-11-15",
                amounts=[1000.0],
                taxes=self.env["account.tax"],
                company=company,
            )
            move.invoice_payment_term_id = self.env.ref("account.account_payment_term_30days")
            move.action_post()
            moves |= move
        return moves

    def _orders(self, company=None, template=None):
        with freeze_time("2026-11-23 09:00:00"):
            orders = (
                self.env["sale.order"]
                .with_company(company or self.env.company)
                .create(
                    [
                        {
                            "partner_id": customer.id,
                            "company_id": (company or self.env.company).id,
                            "muzza_contract_template_id": template.id if template else False,
                            "order_line": [
                                Command.create({"product_id": self.service.id, "product_uom_qty": 10})
                            ],
                        }
                        for customer in self.customers
                    ]
                )
            )
            orders.action_confirm()
        for order in orders:
            order.order_line.qty_delivered = 3
        return orders

    def test_late_fees_reach_every_invoice_and_a_failing_one_waits_for_a_later_day(self):
        Move = self.env["account.move"]
        with freeze_time("2027-01-19"):
            others = Move.sudo().search_count(
                Move._muzza_fee_candidates_domain(date(2027, 1, 19))
            )  # demo data
        moves = self._late_invoices()
        failing = moves[-1]
        original = AccountMove._muzza_charge_late_fee

        def charge(move, today, on_cycle=None):
            if move == failing:
                raise RuntimeError("the printer is on fire")
            return original(move, today, on_cycle=on_cycle)

        with (
            batch_size(self.env, 2),
            patch.object(AccountMove, "_muzza_charge_late_fee", charge),
            mute_logger(BATCH_LOGGER),
        ):
            calls, progress, _commits = run_cron_like_odoo(
                self.env, "muzza_receivables.ir_cron_charge_late_fees", "2027-01-19"
            )
            self.assertGreater(calls, 2, "Odoo calls it again while work remains")
            self.assertEqual(
                sum(done for done, _remaining in progress), 5 + others, "failures are not progress"
            )
            self.assertEqual(progress[-1][1], 0, "nothing left at the end")
            self.assertEqual([len(m.muzza_fee_move_ids) for m in moves], [1, 1, 1, 1, 1, 0])
            self.assertIn("Charging the late fee failed: the printer is on fire", failing.message_ids[0].body)
            # the same day again: nothing more, the failure is not retried
            run_cron_like_odoo(self.env, "muzza_receivables.ir_cron_charge_late_fees", "2027-01-19")
            self.assertEqual([len(m.muzza_fee_move_ids) for m in moves], [1, 1, 1, 1, 1, 0])
        # a later day, fixed: it is charged
        run_cron_like_odoo(self.env, "muzza_receivables.ir_cron_charge_late_fees", "2027-01-20")
        self.assertEqual(len(failing.muzza_fee_move_ids), 1)
        self.assertEqual([len(m.muzza_fee_move_ids) for m in moves[:-1]], [1, 1, 1, 1, 1])

    def test_cadence_reaches_every_order_and_a_failing_one_waits(self):
        orders = self._orders(template=self.template)
        failing = orders[0]
        original = CadenceOrder._muzza_invoice_cadence

        def invoice(order, today):
            if order == failing:
                raise RuntimeError("no journal today")
            return original(order, today)

        with (
            batch_size(self.env, 2),
            patch.object(CadenceOrder, "_muzza_invoice_cadence", invoice),
            mute_logger(BATCH_LOGGER),
        ):
            run_cron_like_odoo(self.env, "muzza_receivables.ir_cron_cadence_invoicing", "2026-11-30")
            run_cron_like_odoo(self.env, "muzza_receivables.ir_cron_cadence_invoicing", "2026-11-30")
        self.assertEqual([len(o.invoice_ids) for o in orders], [0, 1, 1, 1, 1, 1])
        self.assertIn("failed: no journal today", failing.message_ids[0].body)
        run_cron_like_odoo(self.env, "muzza_receivables.ir_cron_cadence_invoicing", "2026-12-01")
        self.assertEqual([len(o.invoice_ids) for o in orders], [1] * 6, "retried the next day, once")

    def test_uninvoiced_work_alerts_reach_every_order_once(self):
        orders = self._orders()
        with batch_size(self.env, 2):
            run_cron_like_odoo(self.env, "muzza_receivables.ir_cron_uninvoiced_work", "2027-01-05")
            run_cron_like_odoo(self.env, "muzza_receivables.ir_cron_uninvoiced_work", "2027-01-06")
        self.assertEqual([len(o.activity_ids) for o in orders], [1] * 6)


@tagged("post_install", "-at_install")
class TestScheduledActionsPerCompany(AccountTestInvoicingCommon):
    """Each company's settings apply to its own records, in every scheduled
    action, whichever company the action runs in."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company_a = cls.env.company
        cls.company_b = cls.company_data_2["company"] if hasattr(cls, "company_data_2") else None
        if not cls.company_b:
            cls.company_data_2 = cls.setup_other_company()
            cls.company_b = cls.company_data_2["company"]
        cls.env.user.company_ids |= cls.company_b
        Policy = cls.env["muzza.late.fee.policy"]
        cls.policy_a = Policy.create(
            {"name": "A", "kind": "interest", "rate": 1.5, "company_id": cls.company_a.id}
        )
        cls.policy_b = Policy.create(
            {"name": "B", "kind": "interest", "rate": 1.5, "company_id": cls.company_b.id}
        )
        cls.company_a.write(
            {
                "muzza_late_fee_policy_id": cls.policy_a.id,
                "muzza_fee_invoice_cycle": "monthly",
                "muzza_pileup_days": 30,
            }
        )
        cls.company_b.write(
            {
                "muzza_late_fee_policy_id": cls.policy_b.id,
                "muzza_fee_invoice_cycle": "paid",
                "muzza_pileup_days": 10,
                "muzza_cadence_post": False,
            }
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Shared Customer", "email": "ap@shared.example.com"}
        )
        cls.service = cls.env["product.product"].create(
            {
                "name": "Hour",
                "type": "service",
                "list_price": 100.0,
                "invoice_policy": "delivery",
                "company_id": False,
            }
        )
        cls.service.taxes_id = [Command.clear()]

    def _invoice(self, company):
        move = self.init_invoice(
            "out_invoice",
            partner=self.customer,
            invoice_date="2026-11-15",
            amounts=[1000.0],
            taxes=self.env["account.tax"],
            company=company,
        )
        move.invoice_payment_term_id = self.env.ref("account.account_payment_term_30days")
        move.action_post()
        return move

    def _order(self, company, template=False):
        with freeze_time("2026-11-23 09:00:00"):
            order = (
                self.env["sale.order"]
                .with_company(company)
                .create(
                    {
                        "partner_id": self.customer.id,
                        "company_id": company.id,
                        "muzza_contract_template_id": template and template.id,
                        "order_line": [
                            Command.create({"product_id": self.service.id, "product_uom_qty": 10})
                        ],
                    }
                )
            )
            order.action_confirm()
        order.order_line.qty_delivered = 3
        return order

    def test_late_fees_follow_each_company_cycle(self):
        in_a, in_b = self._invoice(self.company_a), self._invoice(self.company_b)
        self.assertEqual(str(in_a.muzza_fee_next_on), "2027-01-01")
        self.assertFalse(in_b.muzza_fee_next_on, "company B invoices interest only when paid")
        run_cron_like_odoo(self.env, "muzza_receivables.ir_cron_charge_late_fees", "2027-01-01")
        self.assertEqual((len(in_a.muzza_fee_move_ids), len(in_b.muzza_fee_move_ids)), (1, 0))
        self.assertEqual(in_a.muzza_fee_move_ids.company_id, self.company_a)

    def test_uninvoiced_work_follows_each_company_limit(self):
        in_a, in_b = self._order(self.company_a), self._order(self.company_b)
        run_cron_like_odoo(self.env, "muzza_receivables.ir_cron_uninvoiced_work", "2026-12-08")  # 15 days
        self.assertEqual((len(in_a.activity_ids), len(in_b.activity_ids)), (0, 1))
        # the search filter reads each order's company too
        found = self.env["sale.order"].with_context(
            allowed_company_ids=[self.company_a.id, self.company_b.id]
        )
        with freeze_time("2026-12-08"):
            self.assertEqual(
                found.search([("muzza_work_piling_up", "=", True), ("id", "in", (in_a | in_b).ids)]), in_b
            )

    def test_cadence_invoices_follow_each_company_setting(self):
        templates = {
            company: self.env["muzza.contract.template"].create(
                {
                    "name": "Weekly",
                    "company_id": company.id,
                    "payment_term_id": self.env.ref("account.account_payment_term_30days").id,
                    "invoice_trigger": "cadence",
                    "cadence_interval": 1,
                    "cadence_unit": "week",
                }
            )
            for company in (self.company_a, self.company_b)
        }
        in_a = self._order(self.company_a, templates[self.company_a])
        in_b = self._order(self.company_b, templates[self.company_b])
        run_cron_like_odoo(self.env, "muzza_receivables.ir_cron_cadence_invoicing", "2026-11-30")
        self.assertEqual(in_a.invoice_ids.state, "posted")
        self.assertEqual(in_b.invoice_ids.state, "draft", "company B reviews its cadence invoices")
        self.assertEqual(in_b.invoice_ids.company_id, self.company_b)
