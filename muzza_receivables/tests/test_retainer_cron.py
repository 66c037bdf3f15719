# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.mail.tests.common import mail_new_test_user

from .common import batch_size, run_cron_like_odoo
from .test_invoice_report import visible_text
from .test_retainers import RetainerCommon

CRON = "muzza_receivables.ir_cron_retainer_invoicing"


@tagged("post_install", "-at_install")
class TestRetainerInvoicingAction(RetainerCommon):
    """The retainer scheduled action reaches every running agreement, batch
    after batch, whatever one of them does."""

    def test_every_agreement_is_invoiced_once_and_a_failing_one_is_retried_another_day(self):
        customers = self.env["res.partner"].create(
            [
                {"name": "Retainer client %s" % n, "email": "c%s@example.com" % n, "is_company": True}
                for n in range(6)
            ]
        )
        retainers = self.env["muzza.retainer"]
        for customer in customers:
            retainers |= self._retainer(partner_id=customer.id)
        failing = retainers[2]
        Retainer = type(self.env["muzza.retainer"])
        invoice_due_periods = Retainer._invoice_due_periods
        tried = []
        broken = [True]

        def flaky_invoice_due_periods(retainer, today):
            tried.append((retainer.id, today.isoformat()))
            if retainer == failing and broken[0]:
                raise ValueError("The retainer product has no income account")
            return invoice_due_periods(retainer, today)

        def run(day):
            with (
                batch_size(self.env, 2),
                patch.object(Retainer, "_invoice_due_periods", flaky_invoice_due_periods),
                mute_logger("odoo.addons.muzza_receivables.models.muzza_cron_batch"),
            ):
                return run_cron_like_odoo(self.env, CRON, day)

        def invoice_counts():
            return [len(self._period_invoices(retainer)) for retainer in retainers]

        calls, progress, _commits = run("2026-12-26")
        self.assertGreaterEqual(calls, 3, "six agreements, two a batch: Odoo runs the action again")
        self.assertEqual(progress[-1][1], 0, "nothing left at the end")
        self.assertEqual(invoice_counts(), [1, 1, 0, 1, 1, 1], "every other agreement gets its invoice")
        self.assertEqual(tried.count((failing.id, "2026-12-26")), 1)
        note = failing.message_ids.filtered(lambda m: "failed" in visible_text(m.body or ""))
        self.assertEqual(
            visible_text(note.body),
            "Invoicing the retainer's next period failed: The retainer product has no income account. "
            "The scheduled action tries again on a later day.",
        )

        # the same day again: nothing is retried nor issued twice
        tried.clear()
        run("2026-12-26")
        self.assertEqual(tried, [])
        self.assertEqual(invoice_counts(), [1, 1, 0, 1, 1, 1])

        # a later day, once the cause is mended: the failing one gets its
        # invoice, the others nothing more
        broken[0] = False
        run("2026-12-27")
        self.assertIn((failing.id, "2026-12-27"), tried)
        self.assertEqual(invoice_counts(), [1] * 6)
        run("2026-12-27")
        self.assertEqual(invoice_counts(), [1] * 6)

    def test_nobody_stops_or_replays_an_agreements_invoicing_by_hand(self):
        """The daily mark, the state, the order and the budget warning are
        the agreement's own: a far-future mark would stop its invoicing for
        good, a state or an order set by hand would invoice its periods
        again. Refused to everyone by any path; Start and Close still work
        for whoever may edit the agreement."""
        salesperson = mail_new_test_user(
            self.env,
            login="muzza_ret_cron_salesperson",
            groups="base.group_user,sales_team.group_sale_salesman",
        )
        retainer = self._retainer()
        other_order = self.env["sale.order"].create({"partner_id": self.customer.id})
        refused = "keeps its .* itself"
        for user in (salesperson, self.seller, self.manager):
            with self.subTest(user=user.login):
                as_user = retainer.with_user(user)
                for values in (
                    {"invoicing_checked_on": "2099-12-31"},
                    {"state": "draft"},
                    {"state": "closed"},
                    {"sale_order_id": other_order.id},
                    {"budget_warned": True},
                ):
                    with self.assertRaisesRegex(UserError, refused):
                        as_user.write(values)
                Retainer = self.env["muzza.retainer"].with_user(user)
                values = {"partner_id": self.customer.id, "amount": 500.0, "date_start": "2027-01-01"}
                with self.assertRaisesRegex(UserError, refused):
                    Retainer.create({**values, "invoicing_checked_on": "2099-12-31"})
                with self.assertRaisesRegex(UserError, refused):
                    Retainer.create({**values, "state": "running"})
                result = Retainer.load([".id", "state"], [[str(retainer.id), "draft"]])
                self.assertFalse(result["ids"])
                self.assertRegex(result["messages"][0]["message"], refused)
                # what is not changed passes (an import sending it back)
                as_user.write({"state": "running", "allowance": 12.0})
                copy = as_user.copy({"user_id": user.id})
                self.assertEqual((copy.state, copy.sale_order_id), ("draft", other_order.browse()))
                copy.action_start()
                self.assertEqual(copy.state, "running")
                copy.action_close()
                self.assertEqual(copy.state, "closed")
        self.assertEqual((retainer.state, retainer.sale_order_id.muzza_retainer_id), ("running", retainer))
        self.assertFalse(retainer.invoicing_checked_on)
        self._run("2026-12-26")
        self.assertEqual(len(self._period_invoices(retainer)), 1, "invoiced on time")
        self.assertEqual(retainer.invoicing_checked_on.isoformat(), "2026-12-26")
