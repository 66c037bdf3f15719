# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What the review of the payment reminders (issue 15) found, each proven
here as the user who could do it."""

import datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError, ValidationError
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

    # ------------------------------------------------------------------
    # Send Now: only the customer's open invoices, only the company's levels
    # ------------------------------------------------------------------

    def _wizard(self, user, moves, level, partner=None, company=None):
        return (
            self.env["muzza.reminder.send"]
            .with_user(user)
            # both companies selected in the switcher
            .with_context(allowed_company_ids=(self.company | self.company_b).ids)
            .create(
                {
                    "partner_id": (partner or self.customer).id,
                    "company_id": (company or self.company).id,
                    "move_ids": [Command.set(moves.ids)],
                    "level_id": level.id,
                }
            )
        )

    def test_send_now_refuses_a_level_of_another_company(self):
        """A level of company B sent on company A's invoices marked them at
        B's level: A's own levels then no longer went out (a 30-day level of
        B silenced A's 7 and 15 days)."""
        move = self.invoice(self.customer, 500, "2026-11-01", "2026-11-20")
        level_b = self.levels_b.sorted("days")[-1]
        with freeze_time("2026-11-27 10:00:00"), self.assertRaises(UserError), mute_logger("odoo.models"):
            self._wizard(self.billing, move, level_b).action_send()
        self.assertFalse(move.muzza_reminder_level_id)
        self.assertFalse(self.sent(self.customer))

    def test_send_now_refuses_invoices_of_another_customer(self):
        """The wizard's domain is only the form's: by RPC, another customer's
        invoice was listed (amount and number) in this customer's reminder
        and counted as reminded."""
        mine = self.invoice(self.customer, 500, "2026-11-01", "2026-11-20")
        theirs = self.invoice(self.cliente, 900, "2026-11-01", "2026-11-20")
        level = self.levels.filtered(lambda lvl: lvl.days == 7)
        with freeze_time("2026-11-27 10:00:00"), self.assertRaises(UserError), mute_logger("odoo.models"):
            self._wizard(self.billing, mine | theirs, level).action_send()
        self.assertFalse(theirs.muzza_reminder_level_id)
        self.assertFalse(self.sent(self.customer))

    # ------------------------------------------------------------------
    # Send Now states the due date the run states (instalments)
    # ------------------------------------------------------------------

    def test_send_now_states_the_open_instalment_due_date(self):
        """An invoice in two instalments (half at 30 days, half at 60): 10
        days after the first instalment, the run reminds of it at "7 days
        late" with its date; Send Now took Odoo's ``invoice_date_due`` (the
        last instalment's), proposed a level before the due date and stated
        the wrong date."""
        term = self.env["account.payment.term"].create(
            {
                "name": "Half at 30, half at 60",
                "line_ids": [
                    Command.create({"value": "percent", "value_amount": 50, "nb_days": 30}),
                    Command.create({"value": "percent", "value_amount": 50, "nb_days": 60}),
                ],
            }
        )
        move = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.customer.id,
                "invoice_date": "2026-11-01",
                "invoice_payment_term_id": term.id,
                "invoice_line_ids": [
                    Command.create({"name": "Work", "quantity": 1, "price_unit": 1000, "tax_ids": []})
                ],
            }
        )
        move.action_post()
        self.assertEqual(str(move.invoice_date_due), "2026-12-31")
        with freeze_time("2026-12-11 10:00:00"):
            action = move.with_user(self.seller).action_muzza_send_reminder()
            wizard = self.env["muzza.reminder.send"].with_user(self.seller).browse(action["res_id"])
            self.assertEqual(wizard.level_id.days, 7)
            self.assertEqual(str(wizard.reminder_id.line_ids.due_date), "2026-12-01")
            self.assertIn("December 1, 2026", wizard.preview)
            self.assertNotIn("December 31, 2026", wizard.preview)

    # ------------------------------------------------------------------
    # scale: deciding does not cost a query per customer
    # ------------------------------------------------------------------

    def _decide_queries(self, count, day):
        partners = self.env["res.partner"].create(
            [
                {
                    "name": "Scale %s %s" % (day, i),
                    "email": "scale%s%s@example.com" % (day, i),
                    "tz": "UTC",
                    "child_ids": [
                        Command.create({"name": "AP", "type": "invoice", "email": "ap%s@x.com" % i})
                    ],
                }
                for i in range(count)
            ]
        )
        for partner in partners:
            self.invoice(partner, 100, "2026-10-01", "2026-10-20")
        self.env.flush_all()
        self.env.invalidate_all()
        with freeze_time("%s 10:00:00" % day):
            files = self.env["muzza.reminder.customer"]
            files._muzza_open_files(self.company)
            files = files.search([("partner_id", "in", partners.ids)])
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            files._muzza_decide(D_(day))
            return self.cr.sql_log_count - before

    def test_deciding_costs_the_same_queries_for_more_customers(self):
        self._decide_queries(1, "2026-11-02")  # caches warm
        small = self._decide_queries(3, "2026-11-03")
        large = self._decide_queries(15, "2026-11-04")
        self.assertEqual(small, large)


def D_(text):
    return datetime.date.fromisoformat(text)
