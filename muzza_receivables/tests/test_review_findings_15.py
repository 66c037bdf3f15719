# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What the review of the payment reminders (issue 15) found, each proven
here as the user who could do it."""

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.mail.tests.common import mail_new_test_user

from .test_reminders import ReminderCase


@tagged("post_install", "-at_install", "muzza_once_without_stock")
class TestReviewFindings15(ReminderCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.setup_other_company(name="Reminders Company B")["company"]
        cls.Level._muzza_copy_to(cls.company_b)
        cls.levels_b = cls.Level.search([("company_id", "=", cls.company_b.id)])
        cls.billing = mail_new_test_user(
            cls.env,
            login="muzza_rev15_billing",
            groups="base.group_user,account.group_account_invoice",
            company_id=cls.company.id,
            company_ids=[Command.set((cls.company | cls.company_b).ids)],
        )

    # ------------------------------------------------------------------
    # promises: the limit holds whatever the fields sent
    # ------------------------------------------------------------------

    def test_a_promise_cannot_move_its_own_start_past_the_limit(self):
        """``made_on`` is the day the limit counts from: a salesperson (or an
        RPC call) sending it in the future promised a date months away,
        pausing the customer's reminders far beyond the company's limit."""
        move = self.invoice(self.customer, 300, "2026-11-01", "2026-11-20")
        with freeze_time("2026-12-01 10:00:00"):
            Promise = self.env["muzza.reminder.promise"].with_user(self.seller)
            with self.assertRaises(ValidationError), mute_logger("odoo.models"):
                Promise.create(
                    {
                        "partner_id": self.customer.id,
                        "move_ids": [Command.set(move.ids)],
                        "made_on": "2027-06-01",
                        "promised_date": "2027-06-20",
                    }
                )
            # nor one in the past, broken at once and counted on the risk
            promise = Promise.create(
                {
                    "partner_id": self.customer.id,
                    "move_ids": [Command.set(move.ids)],
                    "made_on": "2026-01-01",
                    "promised_date": "2026-12-10",
                }
            )
            self.assertEqual(str(promise.made_on), "2026-12-01")
