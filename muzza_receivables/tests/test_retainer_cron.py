# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from unittest.mock import patch

from odoo.tests import tagged
from odoo.tools import mute_logger

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
