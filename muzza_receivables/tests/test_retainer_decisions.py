# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import os
from datetime import datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.modules.migration import load_script
from odoo.tests import Form, tagged

from odoo.addons.mail.tests.common import mail_new_test_user

from .test_invoice_report import visible_text
from .test_retainers import RetainerCommon

MANAGERS_ONLY_BUDGET = "Only receivables managers can set or change a retainer's budget."
MANAGERS_ONLY_APPROVAL = "Only receivables managers can approve going past a retainer budget."


@tagged("post_install", "-at_install")
class TestRetainerManagerDecisions(RetainerCommon):
    """A retainer's budget, and going past it, are a receivables manager's
    decisions: refused to a salesperson and to a billing user by every path
    (the form, create, write, copy, import; RPC calls the same create and
    write), taken by a manager with a reason that the chatter keeps."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesperson = mail_new_test_user(
            cls.env, login="muzza_ret_salesperson", groups="base.group_user,sales_team.group_sale_salesman"
        )
        cls.biller = mail_new_test_user(
            cls.env, login="muzza_ret_biller", groups="base.group_user,account.group_account_invoice"
        )

    def _values(self, **extra):
        return {
            "partner_id": self.customer.id,
            "amount": 1000.0,
            "period": "month",
            "date_start": "2027-01-01",
            **extra,
        }

    def _notes(self, record, text):
        return record.message_ids.filtered(lambda m: text in visible_text(m.body or ""))

    def test_only_a_manager_sets_a_budget_by_any_path(self):
        draft = self.env["muzza.retainer"].with_user(self.manager).create(self._values(budget=5000.0))
        self.assertEqual(draft.budget, 5000.0)
        for user in (self.salesperson, self.biller):
            with self.subTest(user=user.login):
                Retainer = self.env["muzza.retainer"].with_user(user)
                with self.assertRaisesRegex(AccessError, MANAGERS_ONLY_BUDGET):
                    Retainer.create(self._values(budget=5000.0))
                # an agreement without a budget is theirs to draft; the form
                # shows the budget read-only
                agreement = Form(Retainer)
                agreement.partner_id = self.customer
                agreement.amount = 1000.0
                agreement.date_start = datetime(2027, 1, 1).date()
                with self.assertRaisesRegex(AssertionError, "readonly"):
                    agreement.budget = 5000.0
                own = agreement.save()
                with self.assertRaisesRegex(AccessError, MANAGERS_ONLY_BUDGET):
                    own.write({"budget": 100.0})
                with self.assertRaisesRegex(AccessError, MANAGERS_ONLY_BUDGET):
                    draft.with_user(user).write({"budget": 9000.0})
                # a copy does not carry the budget, nor sets another
                self.assertEqual(draft.with_user(user).copy().budget, 0.0)
                with self.assertRaisesRegex(AccessError, MANAGERS_ONLY_BUDGET):
                    draft.with_user(user).copy({"budget": 9000.0})
                # import, of a new agreement or over an existing one
                for fields, row in (
                    (
                        ["partner_id", "amount", "period", "date_start", "budget"],
                        [self.customer.name, "1000", "month", "2027-01-01", "9000"],
                    ),
                    ([".id", "budget"], [str(draft.id), "9000"]),
                ):
                    result = Retainer.load(fields, [row])
                    self.assertFalse(result["ids"])
                    self.assertEqual([m["message"] for m in result["messages"]], [MANAGERS_ONLY_BUDGET])
                # the same figure written again changes nothing, and passes
                draft.with_user(user).write({"budget": 5000.0, "allowance": 10.0})
        self.assertEqual(draft.budget, 5000.0)
        self.assertFalse(
            self.env["muzza.retainer"].search(
                [("partner_id", "=", self.customer.id), ("budget", "!=", 0.0), ("id", "!=", draft.id)]
            ),
            "no other agreement got a budget",
        )

    def test_a_manager_changes_a_running_budget_with_a_reason(self):
        retainer = self._retainer(budget=5000.0)
        for user in (self.salesperson, self.biller):
            with self.subTest(user=user.login):
                with self.assertRaisesRegex(AccessError, MANAGERS_ONLY_BUDGET):
                    retainer.with_user(user).action_change_budget()
                with self.assertRaises(AccessError):
                    self.env["muzza.retainer.budget"].with_user(user).create(
                        {"retainer_id": retainer.id, "budget": 9000.0, "reason": "The client asked"}
                    )
                with self.assertRaisesRegex(AccessError, MANAGERS_ONLY_BUDGET):
                    retainer.with_user(user).write({"budget": 9000.0})
                with self.assertRaisesRegex(AssertionError, "readonly"):
                    Form(retainer.with_user(user)).budget = 9000.0

        # a manager changes it with a reason, not by a plain write
        with self.assertRaisesRegex(UserError, "is changed with Change Budget, which records why"):
            retainer.with_user(self.manager).write({"budget": 9000.0})
        action = retainer.with_user(self.manager).action_change_budget()
        wizard = Form(self.env[action["res_model"]].with_user(self.manager).with_context(**action["context"]))
        self.assertEqual(wizard.budget, 5000.0)
        wizard.budget = 8000.0
        wizard.reason = "Two more months agreed with the client"
        wizard.save().action_apply()
        self.assertEqual(retainer.budget, 8000.0)
        note = self._notes(retainer, "Budget changed")
        self.assertEqual(note.author_id, self.manager.partner_id)
        self.assertEqual(
            visible_text(note.body),
            "Budget changed from $ 5,000.00 to $ 8,000.00 by %s: Two more months agreed with the client"
            % self.manager.name,
        )

    def test_only_a_manager_approves_going_past_the_budget_with_a_reason(self):
        self._retainer(budget=1500.0)
        order = (
            self.env["sale.order"]
            .with_user(self.salesperson)
            .create(
                {
                    "partner_id": self.customer.id,
                    "order_line": [Command.create({"product_id": self.work.id, "product_uom_qty": 30})],
                }
            )
        )
        approval = {"muzza_budget_approved_by": self.salesperson.id}
        for user in (self.salesperson, self.biller):
            with self.subTest(user=user.login):
                as_user = order.with_user(user)
                with self.assertRaisesRegex(AccessError, MANAGERS_ONLY_APPROVAL):
                    as_user.action_muzza_approve_over_budget()
                with self.assertRaises(AccessError):
                    self.env["muzza.budget.approval"].with_user(user).create(
                        {"order_id": order.id, "reason": "The client agreed"}
                    )
                for values in (approval, {"muzza_budget_approval_reason": "The client agreed"}):
                    with self.assertRaisesRegex(AccessError, MANAGERS_ONLY_APPROVAL):
                        as_user.write(values)
                # creating or copying an order with an approval: refused (a
                # billing user creates no order at all)
                with self.assertRaises(AccessError):
                    self.env["sale.order"].with_user(user).create(
                        {"partner_id": self.customer.id, **approval}
                    )
                with self.assertRaises(AccessError):
                    as_user.copy(approval)
                result = (
                    self.env["sale.order"]
                    .with_user(user)
                    .load([".id", "muzza_budget_approved_by"], [[str(order.id), user.name]])
                )
                self.assertFalse(result["ids"])
                self.assertEqual([m["message"] for m in result["messages"]], [MANAGERS_ONLY_APPROVAL])
        self.assertFalse(order.muzza_budget_approved_by)
        with self.assertRaisesRegex(UserError, "past its budget"):
            order.with_user(self.salesperson).action_confirm()

        # a manager approves with a reason, through the button only
        with self.assertRaisesRegex(UserError, "Approve Over Budget, which records why"):
            order.with_user(self.manager).write(approval)
        with freeze_time("2027-01-05 10:30:00"):
            self._approve_over_budget(order, self.manager, "Extra workshop agreed with the client")
        self.assertEqual(order.muzza_budget_approved_by, self.manager)
        self.assertEqual(order.muzza_budget_approved_on, datetime(2027, 1, 5, 10, 30))
        self.assertEqual(order.muzza_budget_approval_reason, "Extra workshop agreed with the client")
        note = self._notes(order, "Going past the budget")
        self.assertEqual(note.author_id, self.manager.partner_id)
        self.assertIn(
            "approved by %s: Extra workshop agreed with the client" % self.manager.name,
            visible_text(note.body),
        )

        # the approval stays on its order: a copy needs its own
        self.assertFalse(order.with_user(self.salesperson).copy().muzza_budget_approved_by)
        order.with_user(self.salesperson).action_confirm()
        self.assertEqual(order.state, "sale")

    def test_only_the_agreement_links_its_own_order(self):
        """``muzza_retainer_id`` marks the order a retainer's periods are
        invoiced on (no deposit, no budget check): only *Start* sets it;
        refused to everyone else, a manager included, by every path."""
        retainer = self._retainer()
        own_order = retainer.sale_order_id
        self.assertEqual(own_order.muzza_retainer_id, retainer, "Start links the agreement's order")
        refused = "linked to a retainer agreement when the agreement starts"
        for user in (self.salesperson, self.biller, self.manager):
            with self.subTest(user=user.login):
                quotation = self.env["sale.order"].create(
                    {"partner_id": self.customer.id, "user_id": user.id}
                )
                Order = self.env["sale.order"].with_user(user)
                with self.assertRaisesRegex(UserError, refused):
                    quotation.with_user(user).write({"muzza_retainer_id": retainer.id})
                with self.assertRaisesRegex(UserError, refused):
                    own_order.with_user(user).write({"muzza_retainer_id": False})
                if user != self.biller:  # a billing user creates no order at all
                    with self.assertRaisesRegex(UserError, refused):
                        Order.create({"partner_id": self.customer.id, "muzza_retainer_id": retainer.id})
                    with self.assertRaisesRegex(UserError, refused):
                        quotation.with_user(user).copy({"muzza_retainer_id": retainer.id})
                    self.assertFalse(own_order.with_user(self.manager).copy().muzza_retainer_id)
                result = Order.load([".id", "muzza_retainer_id/.id"], [[str(quotation.id), str(retainer.id)]])
                self.assertFalse(result["ids"])
                self.assertIn(refused, result["messages"][0]["message"])
                # the same value written again changes nothing, and passes
                quotation.with_user(user).write({"muzza_retainer_id": False, "note": "Checked"})
                self.assertFalse(quotation.muzza_retainer_id)
        self.assertEqual(own_order.muzza_retainer_id, retainer)
        self.assertEqual(self.env["sale.order"].search([("muzza_retainer_id", "=", retainer.id)]), own_order)

    def _confirmed(self, hours, user=None):
        order = (
            self.env["sale.order"]
            .with_user(user or self.seller)
            .create(
                {
                    "partner_id": self.customer.id,
                    "order_line": [Command.create({"product_id": self.work.id, "product_uom_qty": hours})],
                }
            )
        )
        order.action_confirm()
        return order

    @freeze_time("2027-01-10")
    def test_an_approval_covers_its_order_up_to_the_amount_approved_when_posting(self):
        """Approved for 3,000.00 of work past a 1,500.00 budget: the
        approval covers that order's work, up to that amount, and nothing
        invoiced with it."""
        other = self._confirmed(20)  # 2,000.00 of work confirmed before the agreement
        retainer = self._retainer(budget=1500.0)
        approved = (
            self.env["sale.order"]
            .with_user(self.seller)
            .create(
                {
                    "partner_id": self.customer.id,
                    "order_line": [Command.create({"product_id": self.work.id, "product_uom_qty": 30})],
                }
            )
        )
        self._approve_over_budget(approved, self.manager, "Workshop of 30 hours agreed with the client")
        self.assertEqual(approved.muzza_budget_approved_amount, 3000.0)
        self.assertIn(
            "for an order of $ 3,000.00 (untaxed), approved by %s" % self.manager.name,
            visible_text(self._notes(approved, "Going past the budget").body),
        )
        approved.action_confirm()

        # invoiced together with the other order: the other order's 2,000.00 is not approved
        grouped = (approved | other).with_user(self.seller)._create_invoices()
        self.assertEqual((len(grouped), grouped.amount_untaxed), (1, 5000.0))
        with self.assertRaisesRegex(UserError, "past its budget"):
            grouped.with_user(self.seller).action_post()
        self.assertEqual(grouped.state, "draft")
        grouped.unlink()

        # alone, the approved order's work posts
        invoice = approved.with_user(self.seller)._create_invoices()
        invoice.with_user(self.seller).action_post()
        self.assertEqual((invoice.state, invoice.amount_untaxed), ("posted", 3000.0))

        # the order grows after the approval: the rest is not approved
        approved.order_line.with_user(self.seller).product_uom_qty = 300
        more = approved.with_user(self.seller)._create_invoices()
        self.assertEqual(more.amount_untaxed, 27000.0)
        with self.assertRaisesRegex(UserError, "past its budget"):
            more.with_user(self.seller).action_post()
        more.with_user(self.manager).action_post()  # a manager posts it knowingly
        self.assertEqual(more.state, "posted")
        retainer.invalidate_recordset()
        self.assertEqual(retainer.committed, 30000.0)

    def test_a_manager_approves_again_an_order_grown_past_its_approval(self):
        self._retainer(budget=1500.0)
        order = (
            self.env["sale.order"]
            .with_user(self.salesperson)
            .create(
                {
                    "partner_id": self.customer.id,
                    "order_line": [Command.create({"product_id": self.work.id, "product_uom_qty": 30})],
                }
            )
        )
        self._approve_over_budget(order, self.manager, "Workshop of 30 hours agreed with the client")
        self.assertTrue(order.muzza_budget_approval_covers)
        with self.assertRaisesRegex(UserError, "already approved on %s for its amount" % order.name):
            self._approve_over_budget(order, self.manager, "Again")
        order.with_user(self.salesperson).write(
            {"order_line": [Command.update(order.order_line.id, {"product_uom_qty": 40})]}
        )
        self.assertFalse(order.muzza_budget_approval_covers, "the approval no longer covers the order")
        with self.assertRaises(UserError) as refusal:
            order.with_user(self.salesperson).action_confirm()
        self.assertIn(
            "Confirming %s for $ 4,000.00 ($ 3,000.00 was approved) would take retainer" % order.name,
            visible_text(str(refusal.exception)),
        )
        self._approve_over_budget(order, self.manager, "Ten more hours agreed with the client")
        self.assertEqual(order.muzza_budget_approved_amount, 4000.0)
        order.with_user(self.salesperson).action_confirm()
        self.assertEqual(order.state, "sale")

    def test_nobody_changes_what_a_retainer_order_bills(self):
        """The retainer's order bills each period what the agreement says:
        its lines are refused to everyone by hand (its own salesperson, a
        manager), while work that draws from it is still invoiced, posted,
        reset and cancelled by a salesperson who cannot write that order."""
        retainer = self._retainer(user_id=self.salesperson.id)
        self._run("2026-12-26")
        self._pay(self._period_invoices(retainer), "2026-12-30")
        order = retainer.sale_order_id
        product_line = order.order_line.filtered(lambda line: not line.is_downpayment)
        period_line = retainer._period_lines()
        refused = "its lines are set by the agreement"
        for user in (self.salesperson, self.seller, self.biller, self.manager):
            with self.subTest(user=user.login):
                for line, values in (
                    (product_line, {"price_unit": 1.0}),
                    (product_line, {"product_uom_qty": 10}),
                    (product_line, {"discount": 90.0}),
                    (product_line, {"tax_id": [Command.clear()]}),
                    (period_line, {"price_unit": 5000.0}),
                    (period_line, {"tax_id": [Command.clear()]}),
                    (period_line, {"muzza_retainer_number": 2}),
                ):
                    with self.assertRaisesRegex(UserError, refused):
                        line.with_user(user).write(values)
                # a line more (refused, or the order is not theirs to write at all)
                with self.assertRaises(UserError):
                    order.with_user(user).write(
                        {"order_line": [Command.create({"product_id": self.work.id, "price_unit": 500.0})]}
                    )
        self.assertEqual((product_line.price_unit, product_line.product_uom_qty), (1000.0, 1.0))
        self.assertEqual(period_line.price_unit, 1000.0)

        # work drawn from the retainer, by a salesperson who cannot write its order
        _work_order, invoice = self._work(3, "2027-01-10", user=self.seller)
        self.assertEqual((invoice.state, invoice.amount_total), ("posted", 0.0))
        invoice.with_user(self.seller).button_draft()
        invoice.with_user(self.seller).button_cancel()
        self.assertEqual(invoice.state, "cancel")
        self.assertEqual(period_line.price_unit, 1000.0, "the period line keeps its price")

        # the next period bills the agreement's amount
        self._run("2027-01-25")
        february = self._period_invoices(retainer)[-1]
        self.assertEqual(february.amount_untaxed, 1000.0)

    def test_a_started_agreement_keeps_its_terms(self):
        """Its dates, period, amount, customer and product are agreed while
        it is a draft (the form shows them read-only once started): moving
        its start back a year would invoice a year of periods at once."""
        draft = self.env["muzza.retainer"].with_user(self.salesperson).create(self._values())
        draft.write({"amount": 1200.0, "date_start": "2027-02-01"})
        self.assertEqual(draft.amount, 1200.0)
        retainer = self._retainer()
        for user in (self.salesperson, self.biller, self.manager):
            with self.subTest(user=user.login):
                for values in (
                    {"date_start": "2026-01-01"},
                    {"period": "quarter"},
                    {"amount": 100.0},
                    {"partner_id": self.env["res.partner"].create({"name": "Else", "is_company": True}).id},
                    {"product_id": self.work.id},
                ):
                    with self.assertRaisesRegex(UserError, "has started: what it bills by was agreed"):
                        retainer.with_user(user).write(values)
                # the same terms again, and what the form lets them change, pass
                retainer.with_user(user).write(
                    {
                        "date_start": "2027-01-01",
                        "amount": 1000.0,
                        "date_end": "2027-12-31",
                        "carry_periods": 2,
                    }
                )
        self.assertEqual((retainer.date_start.isoformat(), retainer.amount), ("2027-01-01", 1000.0))

    def test_an_approval_given_before_the_upgrade_covers_its_order_as_it_is(self):
        self._retainer(budget=1500.0)
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "user_id": self.salesperson.id,
                "order_line": [Command.create({"product_id": self.work.id, "product_uom_qty": 30})],
            }
        )
        self._approve_over_budget(order, self.manager, "Workshop agreed with the client")
        order.flush_recordset()
        self.env.cr.execute(
            "UPDATE sale_order SET muzza_budget_approved_amount = NULL WHERE id = %s", [order.id]
        )
        order.invalidate_recordset()
        self.assertFalse(order.muzza_budget_approval_covers, "as an approval given before 18.0.1.1.0")
        migration = os.path.join(
            os.path.dirname(__file__), "..", "migrations", "18.0.1.1.0", "post-migration.py"
        )
        load_script(migration, "muzza_receivables_post_migration").over_budget_approved_amounts(self.env)
        order.invalidate_recordset()
        self.assertEqual(order.muzza_budget_approved_amount, 3000.0)
        order.with_user(self.salesperson).action_confirm()
        self.assertEqual(order.state, "sale")
