# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.mail.tests.common import mail_new_test_user

from .test_reminders import ReminderCase


@tagged("post_install", "-at_install", "muzza_once_without_stock")
class TestReminderRoles(ReminderCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.billing = mail_new_test_user(
            cls.env,
            login="muzza_rem_billing",
            groups="base.group_user,account.group_account_invoice",
            company_id=cls.company.id,
        )
        cls.manager = mail_new_test_user(
            cls.env,
            login="muzza_rem_manager",
            groups="base.group_user,account.group_account_invoice,muzza_receivables.group_receivables_manager",
            company_id=cls.company.id,
        )
        cls.employee = mail_new_test_user(
            cls.env, login="muzza_rem_employee", groups="base.group_user", company_id=cls.company.id
        )
        cls.portal = mail_new_test_user(
            cls.env, login="muzza_rem_portal", groups="base.group_portal", company_id=cls.company.id
        )

    def test_only_a_receivables_manager_excludes_a_customer(self):
        file = self.env["muzza.reminder.customer"]._muzza_file(self.customer, self.company)
        for user in (self.seller, self.billing):
            with self.assertRaises(AccessError):
                self.env["muzza.reminder.exclude"].with_user(user).create(
                    {"partner_id": self.customer.id, "reason": "Friend of the boss"}
                ).action_exclude()
            with self.assertRaises(AccessError), mute_logger("odoo.models"):
                file.with_user(user).write({"excluded": True})
            with self.assertRaises(AccessError):
                file.with_user(user)._muzza_set_excluded(True, "Friend of the boss")
        self.assertFalse(file.excluded)
        with self.assertRaises(UserError):
            file.with_user(self.manager)._muzza_set_excluded(True, "  ")
        self.env["muzza.reminder.exclude"].with_user(self.manager).create(
            {"partner_id": self.customer.id, "reason": "Payment plan agreed"}
        ).action_exclude()
        self.assertTrue(file.excluded)
        self.assertEqual(file.excluded_by_id, self.manager)
        self.assertEqual(
            self.customer.with_user(self.seller).muzza_reminder_excluded_reason, "Payment plan agreed"
        )
        self.invoice(self.customer, 100, "2026-11-01", "2026-11-20")
        self.run_cron("2026-12-01 10:00:00")
        held = self.env["muzza.reminder"].search([("partner_id", "=", self.customer.id)])
        self.assertEqual((held.state, held.hold_reason), ("held", "excluded"))
        self.assertFalse(self.env["mail.mail"].search([("recipient_ids", "in", self.customer.ids)]))

    def test_the_log_cannot_be_rewritten(self):
        self.invoice(self.customer, 100, "2026-11-01", "2026-11-20")
        self.run_cron("2026-12-01 10:00:00")
        reminder = self.sent(self.customer)
        self.assertTrue(reminder)
        for user in (self.seller, self.billing, self.manager):
            self.assertTrue(reminder.with_user(user).body_html)
            with self.assertRaises(AccessError), mute_logger("odoo.models"):
                reminder.with_user(user).write({"state": "held"})
            with self.assertRaises(AccessError), mute_logger("odoo.models"):
                reminder.with_user(user).unlink()
            with self.assertRaises(AccessError), mute_logger("odoo.models"):
                reminder.line_ids.with_user(user).write({"counted": False})
        for user in (self.employee, self.portal):
            with self.assertRaises(AccessError), mute_logger("odoo.models"):
                reminder.with_user(user).read(["body_html"])
        with self.assertRaises(UserError):
            reminder.copy()

    def test_levels_are_set_by_managers(self):
        level = self.levels[0]
        for user in (self.seller, self.billing):
            with self.assertRaises(AccessError), mute_logger("odoo.models"):
                level.with_user(user).write({"days": -5})
        level.with_user(self.manager).write({"days": -5})
        self.assertEqual(level.days, -5)
        with self.assertRaises(ValidationError), mute_logger("odoo.sql_db"):
            level.with_user(self.manager).write({"send_email": False, "activity": False, "letter": False})

    @freeze_time("2026-11-24 10:00:00")
    def test_a_promise_is_within_the_limit_and_not_rewritten(self):
        move = self.invoice(self.customer, 100, "2026-11-01", "2026-11-20")
        Promise = self.env["muzza.reminder.promise"].with_user(self.seller)
        with self.assertRaises(ValidationError):
            Promise.create(
                {"partner_id": self.customer.id, "move_ids": move.ids, "promised_date": "2027-01-31"}
            )
        with self.assertRaises(ValidationError):
            Promise.create(
                {"partner_id": self.customer.id, "move_ids": move.ids, "promised_date": "2026-11-20"}
            )
        promise = Promise.create(
            {
                "partner_id": self.customer.id,
                "move_ids": move.ids,
                "promised_date": "2026-12-10",
                # not the salesperson's to set
                "state": "kept",
                "source": "customer",
            }
        )
        self.assertEqual((promise.state, promise.source), ("open", "salesperson"))
        self.assertEqual(str(promise.paused_until), "2026-12-13")
        with self.assertRaises(ValidationError):
            promise.write({"state": "kept"})
        with self.assertRaises(ValidationError):
            promise.copy()

    def test_send_now_shows_the_exact_message_and_counts_the_level(self):
        move = self.invoice(self.customer, 321, "2026-11-01", "2026-11-20")
        with freeze_time("2026-11-24 10:00:00"):
            with self.assertRaises(AccessError):
                move.with_user(self.employee).action_muzza_send_reminder()
            action = move.with_user(self.billing).action_muzza_send_reminder()
            wizard = self.env["muzza.reminder.send"].browse(action["res_id"]).with_user(self.billing)
            self.assertEqual(wizard.level_id.days, 0)  # 4 days late: the on-the-due-date level
            preview = wizard.preview
            self.assertIn("November 20, 2026", preview)
            self.assertIn("321.00", preview)
            wizard.action_send()
        reminder = self.sent(self.customer)
        self.assertEqual(reminder.body_html, preview)
        self.assertTrue(reminder.manual)
        self.assertEqual(reminder.sent_by_id, self.billing)
        self.assertEqual(move.muzza_reminder_level_id.days, 0)
        # the scheduled action does not send that level again, the next one comes on its day
        self.run_cron("2026-11-25 10:00:00")
        self.assertEqual(len(self.sent(self.customer)), 1)
        self.run_cron("2026-11-27 10:00:00")
        self.assertEqual(self.sent(self.customer).level_id.mapped("days"), [0, 7])

    def test_serious_levels_and_broken_promises_count_on_the_risk(self):
        move = self.invoice(self.customer, 500, "2026-10-01", "2026-10-31")
        self.run_cron("2026-12-01 10:00:00")  # 31 days late: the final notice
        Profile = self.env["muzza.risk.profile"]
        today = self.sent(self.customer).date
        notices = Profile._muzza_final_notices(
            self.company, self.customer.ids, today.replace(year=2025), today
        )
        self.assertEqual(notices, {self.customer.id: 1})
        with freeze_time("2026-12-01 10:00:00"):
            self.env["muzza.reminder.promise"].create(
                {"partner_id": self.customer.id, "move_ids": move.ids, "promised_date": "2026-12-04"}
            )
        self.run_cron("2026-12-08 10:00:00")  # 4 December + 3 days of grace have passed
        promise = move.muzza_promise_ids
        self.assertEqual(promise.state, "broken")
        broken = Profile._muzza_broken_promises(
            self.company, self.customer.ids, today.replace(year=2025), promise.broken_on
        )
        self.assertEqual(broken, {self.customer.id: 1})
