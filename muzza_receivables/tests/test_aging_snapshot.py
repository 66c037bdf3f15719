# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.mail.tests.common import mail_new_test_user

from .common import run_cron_like_odoo
from .test_aging import AgingDataCase, D


@tagged("post_install", "-at_install", "muzza_once_without_stock")
class TestAgingHistory(AgingDataCase):
    """The month-end snapshots: taken once by the scheduled action, equal
    to the report at that date, and never rewritten afterwards."""

    def _snapshots(self, month_end):
        return self.env["muzza.aging.snapshot"].search(
            [("date", "=", month_end), ("partner_id", "in", (self.c1 | self.c2 | self.c3).ids)]
        )

    def test_the_month_end_is_recorded_once_as_it_stood(self):
        calls, progress, _commits = run_cron_like_odoo(
            self.env, "muzza_receivables.ir_cron_aging_snapshot", "2026-04-02 01:00:00"
        )
        snapshots = self._snapshots(D(2026, 3, 31))
        companies = self.env.company | self.other["company"]
        customers = snapshots.partner_id.ids
        summary = self.env["muzza.aging"]._summary(D(2026, 3, 31), companies, partner_ids=customers)
        self.assertEqual(
            {(s.partner_id.id, s.company_id.id): [s["bucket_%s" % i] for i in range(6)] for s in snapshots},
            {(r["partner_id"], r["company_id"]): r["buckets"] for r in summary},
        )
        self.assertEqual(len(snapshots), 3)
        self.assertEqual(snapshots.filtered(lambda s: s.partner_id == self.c1).total, 230.0)
        # again the same day, then the next: nothing more
        run_cron_like_odoo(self.env, "muzza_receivables.ir_cron_aging_snapshot", "2026-04-02 05:00:00")
        run_cron_like_odoo(self.env, "muzza_receivables.ir_cron_aging_snapshot", "2026-04-03 01:00:00")
        self.assertEqual(self._snapshots(D(2026, 3, 31)), snapshots)
        self.assertGreaterEqual(calls, 1)
        self.assertEqual(progress[-1][1], 0, "nothing left")

        # the 200 paid on 15 February is unreconciled: the report at 31 March
        # now shows the invoice open and the payment unapplied, and the
        # history stays as it stood
        self.c1_lines_paid_in_february().remove_move_reconcile()
        redone = self.env["muzza.aging"]._summary(D(2026, 3, 31), self.env.company, partner_ids=self.c1.ids)
        self.assertEqual(redone[0]["buckets"], [0.0, 450.0, -300.0, 0.0, 0.0, 80.0])
        kept = self._snapshots(D(2026, 3, 31)).filtered(lambda s: s.partner_id == self.c1)
        self.assertEqual([kept["bucket_%s" % i] for i in range(6)], [0.0, 250.0, -100.0, 0.0, 0.0, 80.0])

    def c1_lines_paid_in_february(self):
        """The receivable lines of the 200 paid on 15 February."""
        return self.env["account.move.line"].search(
            [
                ("partner_id", "=", self.c1.id),
                ("account_id.account_type", "=", "asset_receivable"),
                ("date", "=", "2026-02-15"),
                ("parent_state", "=", "posted"),
            ]
        )

    def test_nobody_rewrites_the_history(self):
        run_cron_like_odoo(self.env, "muzza_receivables.ir_cron_aging_snapshot", "2026-04-02 01:00:00")
        snapshot = self._snapshots(D(2026, 3, 31))[:1]
        accountant = mail_new_test_user(
            self.env,
            login="muzza_history_accountant",
            groups="base.group_user,account.group_account_invoice",
            company_ids=[Command.set((self.env.company | self.other["company"]).ids)],
        )
        self.assertTrue(snapshot.with_user(accountant).read(["total"]))
        # refused (AccessError is a UserError)
        with self.assertRaises(UserError):
            snapshot.with_user(accountant).write({"total": 0.0})
        with self.assertRaises(UserError):
            snapshot.with_user(accountant).unlink()
        with self.assertRaises(UserError):
            snapshot.write({"total": 0.0})  # not even an administrator
        with self.assertRaises(UserError):
            self.env.company.write({"muzza_aging_snapshot_checked_on": "2027-01-01"})
