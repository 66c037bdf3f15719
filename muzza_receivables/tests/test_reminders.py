# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import datetime
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged

from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.mail.tests.common import mail_new_test_user

D = datetime.date


class ReminderCase(AccountTestInvoicingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company.partner_id.tz = "UTC"
        cls.company.email = "billing@company.example.com"
        cls.Level = cls.env["muzza.reminder.level"]
        cls.levels = cls.Level.search([("company_id", "=", cls.company.id)])
        if not cls.levels:
            cls.Level._muzza_copy_to(cls.company)
            cls.levels = cls.Level.search([("company_id", "=", cls.company.id)])
        cls.env["res.lang"]._activate_lang("es_ES")
        cls.seller = mail_new_test_user(
            cls.env,
            login="muzza_rem_seller",
            groups="base.group_user,sales_team.group_sale_salesman",
            company_id=cls.company.id,
            email="seller@company.example.com",
        )
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Harbor Lights",
                "is_company": True,
                "email": "ap@harbor.example.com",
                "lang": "en_US",
                "tz": "UTC",
                "user_id": cls.seller.id,
            }
        )
        cls.cliente = cls.env["res.partner"].create(
            {
                "name": "Faro Azul",
                "is_company": True,
                "email": "pagos@faro.example.com",
                "lang": "es_ES",
                "tz": "America/Mexico_City",
            }
        )

    @classmethod
    def invoice(cls, partner, amount, invoice_date, due_date, post=True):
        move = cls.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "invoice_date": invoice_date,
                "invoice_date_due": due_date,
                "invoice_line_ids": [
                    Command.create({"name": "Work", "quantity": 1, "price_unit": amount, "tax_ids": []})
                ],
            }
        )
        if post:
            move.action_post()
        return move

    def run_cron(self, at):
        with freeze_time(at), patch.object(self.env.cr, "commit", lambda: None):
            self.env["muzza.reminder"]._cron_send_reminders()
            self.env["muzza.reminder"]._cron_send_reminders()

    def sent(self, partner):
        return self.env["muzza.reminder"].search(
            [("partner_id", "=", partner.id), ("state", "=", "sent")], order="id"
        )


@tagged("post_install", "-at_install", "muzza_once_without_stock")
class TestReminderRun(ReminderCase):
    def test_levels_go_out_once_each_on_working_days(self):
        move = self.invoice(self.customer, 1000, "2026-11-10", "2026-12-10")
        days = {}
        day = D(2026, 12, 1)
        while day <= D(2027, 1, 20):
            before = set(self.sent(self.customer).ids)
            self.run_cron("%s 10:00:00" % day)
            new = self.sent(self.customer).filtered(lambda r, before=before: r.id not in before)
            if new:
                days[day] = new.level_id.mapped("days")
            day += datetime.timedelta(days=1)
        self.assertEqual(
            days,
            {
                D(2026, 12, 7): [-3],
                D(2026, 12, 10): [0],
                D(2026, 12, 17): [7],
                D(2026, 12, 25): [15],
                # 30 days late is a Saturday: the next working day
                D(2027, 1, 11): [30],
            },
        )
        reminders = self.sent(self.customer)
        self.assertEqual(reminders.line_ids.move_id, move)
        mails = self.env["mail.mail"].search([("mail_message_id", "in", reminders.message_id.ids)])
        self.assertEqual(len(mails), 5)
        first = mails.filtered(lambda m: m.mail_message_id == reminders[0].message_id)
        self.assertIn("December 10, 2026", first.body_html)
        self.assertIn("1,000.00", first.body_html)
        self.assertIn(move.name, first.body_html)
        self.assertEqual(first.recipient_ids, self.customer)
        self.assertTrue(first.attachment_ids.filtered(lambda a: a.name.startswith("Statement")))

    def test_catch_up_sends_the_highest_level_only(self):
        self.invoice(self.customer, 500, "2026-10-01", "2026-10-31")
        self.run_cron("2026-12-02 10:00:00")
        self.assertEqual(self.sent(self.customer).level_id.mapped("days"), [30])
        self.run_cron("2026-12-03 10:00:00")
        self.assertEqual(len(self.sent(self.customer)), 1)

    def test_one_message_per_customer_and_level(self):
        first = self.invoice(self.customer, 100, "2026-11-01", "2026-11-25")
        second = self.invoice(self.customer, 200, "2026-11-02", "2026-11-24")
        self.run_cron("2026-12-03 10:00:00")
        reminders = self.sent(self.customer)
        self.assertEqual(len(reminders), 1)
        self.assertEqual(reminders.line_ids.move_id, first | second)

    def test_spanish_customer_in_her_time_zone(self):
        move = self.invoice(self.cliente, 1234.5, "2026-11-01", "2026-11-20")
        # 10:00 UTC is 4:00 in Mexico City: outside the window
        self.run_cron("2026-12-01 10:00:00")
        self.assertFalse(self.sent(self.cliente))
        self.run_cron("2026-12-01 16:00:00")
        reminder = self.sent(self.cliente)
        self.assertEqual(reminder.lang, "es_ES")
        mail = self.env["mail.mail"].search([("mail_message_id", "=", reminder.message_id.id)])
        self.assertIn("20 de noviembre de 2026", mail.body_html)
        self.assertIn(move.name, mail.body_html)

    def test_paid_invoice_is_not_reminded(self):
        move = self.invoice(self.customer, 100, "2026-11-01", "2026-11-20")
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=move.ids
        ).create({"payment_date": "2026-11-25"})._create_payments()
        self.run_cron("2026-12-01 10:00:00")
        self.assertFalse(self.env["muzza.reminder"].search([("partner_id", "=", self.customer.id)]))

    def test_money_on_account_holds_and_asks_to_match(self):
        self.invoice(self.customer, 100, "2026-11-01", "2026-11-20")
        payment = self.env["account.payment"].create(
            {
                "partner_id": self.customer.id,
                "amount": 100,
                "payment_type": "inbound",
                "partner_type": "customer",
                "date": "2026-11-25",
            }
        )
        payment.action_post()
        self.run_cron("2026-12-01 10:00:00")
        self.run_cron("2026-12-02 10:00:00")
        held = self.env["muzza.reminder"].search([("partner_id", "=", self.customer.id)])
        self.assertEqual(held.mapped("state"), ["held"])
        self.assertEqual(held.hold_reason, "on_account")
        activity = self.customer.activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref("muzza_receivables.mail_activity_reminder_match")
        )
        self.assertEqual(len(activity), 1)


@tagged("post_install", "-at_install", "muzza_once_without_stock")
class TestReminderPromiseRecorded(ReminderCase):
    @freeze_time("2026-12-04 10:00:00")
    def test_a_promise_is_recorded_and_noted_on_the_customer(self):
        """Recording a promise failed with a TypeError (its chatter note
        named a placeholder ``source``, which ``env._`` takes for itself),
        and for a salesperson who may not edit the customer, with an
        AccessError on that note."""
        move = self.invoice(self.customer, 100, "2026-11-01", "2026-11-25")
        promise = (
            self.env["muzza.reminder.promise"]
            .with_user(self.seller)
            .create(
                {
                    "partner_id": self.customer.id,
                    "move_ids": [(6, 0, move.ids)],
                    "promised_date": "2026-12-10",
                }
            )
        )
        self.assertEqual(str(promise.paused_until), "2026-12-13")
        self.assertIn(
            "Promise to pay %s by 2026-12-10 (Recorded by the company)" % move.name,
            self.customer.message_ids[0].body,
        )


class TestReminderChatterRights(ReminderCase):
    """Excluding a customer and recording or cancelling a promise to pay
    note it on the customer's chatter: users with exactly their role's groups
    (no "Contact Creation", so no write access on contacts) can do it, and the
    note is theirs."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = mail_new_test_user(
            cls.env,
            login="muzza_rem_manager",
            groups="base.group_user,muzza_receivables.group_receivables_manager",
            company_id=cls.company.id,
        )

    def last_note(self, partner):
        return partner.message_ids.filtered(lambda m: m.subtype_id == self.env.ref("mail.mt_note"))[:1]

    def test_a_receivables_manager_excludes_a_customer(self):
        self.assertFalse(self.manager.has_group("base.group_partner_manager"))
        file = self.env["muzza.reminder.customer"]._muzza_file(self.customer, self.company)
        file.with_user(self.manager)._muzza_set_excluded(True, "Pays by a framework agreement")
        self.assertTrue(file.excluded)
        self.assertEqual(file.excluded_by_id, self.manager)
        note = self.last_note(self.customer)
        self.assertIn("Pays by a framework agreement", note.body)
        self.assertEqual(note.author_id, self.manager.partner_id)
        file.with_user(self.manager)._muzza_set_excluded(False)
        self.assertFalse(file.excluded)
        self.assertEqual(self.last_note(self.customer).author_id, self.manager.partner_id)
        # and a salesperson still cannot
        with self.assertRaises(AccessError):
            file.with_user(self.seller)._muzza_set_excluded(True, "Friend of the boss")
        self.assertFalse(file.excluded)

    def test_a_salesperson_records_and_cancels_a_promise(self):
        self.assertFalse(self.seller.has_group("base.group_partner_manager"))
        move = self.invoice(self.customer, 100, "2026-11-01", "2026-11-20")
        with freeze_time("2026-12-01 10:00:00"):
            promise = (
                self.env["muzza.reminder.promise"]
                .with_user(self.seller)
                .create(
                    {
                        "partner_id": self.customer.id,
                        "move_ids": [Command.set(move.ids)],
                        "promised_date": "2026-12-10",
                    }
                )
            )
            self.assertEqual(promise.paused_until, D(2026, 12, 13))
            note = self.last_note(self.customer)
            self.assertIn(move.name, note.body)
            self.assertEqual(note.author_id, self.seller.partner_id)
            promise.with_user(self.seller).action_cancel()
        self.assertEqual(promise.state, "cancelled")
        self.assertEqual(self.last_note(self.customer).author_id, self.seller.partner_id)


@tagged("post_install", "-at_install", "muzza_once_without_stock")
class TestReminderDeliveryWindow(ReminderCase):
    def test_a_reminder_left_queued_waits_for_the_customers_window(self):
        """A reminder that could not go out when decided (the mail server
        failed) is sent again within the customer's sending window on a
        working day, not at 4:00 in Mexico City nor on a Saturday."""
        self.invoice(self.cliente, 300, "2026-11-01", "2026-11-20")
        Reminder = type(self.env["muzza.reminder"])
        post_email = Reminder._muzza_post_email

        def failing(reminder, subject, body, *args, **kwargs):
            raise ValueError("the mail server hiccupped")

        # Friday 4/12, 10:00 in Mexico City: decided, not sent
        with patch.object(Reminder, "_muzza_post_email", failing), self.assertLogs(level="ERROR"):
            self.run_cron("2026-12-04 16:00:00")
        reminder = self.env["muzza.reminder"].search([("partner_id", "=", self.cliente.id)])
        self.assertEqual(reminder.state, "queued")
        self.assertEqual(reminder.date, D(2026, 12, 4))
        # Saturday at 10:00 there, Monday at 4:00 there: it waits, and the
        # run does not tell Odoo there is more to do now
        progress = []
        Cron = type(self.env["ir.cron"])
        with patch.object(Cron, "_notify_progress", lambda cron, **kw: progress.append(kw)):
            self.run_cron("2026-12-05 16:00:00")
            self.run_cron("2026-12-07 10:00:00")
        self.assertEqual(reminder.state, "queued")
        self.assertEqual({p["remaining"] for p in progress}, {0})
        # Monday at 10:00 there
        self.run_cron("2026-12-07 16:00:00")
        self.assertEqual(reminder.state, "sent")
        self.assertEqual(reminder.sent_on, datetime.datetime(2026, 12, 7, 16, 0))
        self.assertIs(Reminder._muzza_post_email, post_email)


@tagged("post_install", "-at_install", "muzza_once_without_stock")
class TestReminderBounce(ReminderCase):
    def test_a_bounce_is_found_whatever_the_way_the_address_is_written(self):
        """The contact's address is written with a name and capitals
        ("Accounts <AP@Harbor.example.com>"); the bounce names the bare
        address: the reminder is marked bounced all the same, the next ones
        wait and the salesperson is asked to fix the address."""
        self.customer.email = '"Harbor Accounts" <AP@Harbor.example.com>'
        self.invoice(self.customer, 100, "2026-11-01", "2026-11-20")
        self.run_cron("2026-12-01 10:00:00")
        reminder = self.sent(self.customer)
        self.assertEqual(len(reminder), 1)
        self.customer._message_receive_bounce("ap@harbor.example.com", self.customer)
        self.assertEqual(reminder.state, "bounced")
        file = reminder.customer_id
        self.assertEqual(file.bounced_email, "ap@harbor.example.com")
        self.run_cron("2026-12-07 10:00:00")
        held = self.env["muzza.reminder"].search(
            [("partner_id", "=", self.customer.id), ("state", "=", "held")]
        )
        self.assertEqual(held.hold_reason, "bounced")
        address = self.env.ref("muzza_receivables.mail_activity_reminder_address")
        self.assertTrue(self.customer.activity_ids.filtered(lambda a: a.activity_type_id == address))


@tagged("post_install", "-at_install", "muzza_once_without_stock")
class TestReminderSendNowAndRun(ReminderCase):
    def test_a_reminder_sent_by_hand_is_not_sent_again_by_the_run(self):
        """The salesperson sends the "7 days late" reminder by hand (the
        exact message shown first); the scheduled action does not send it
        again, and goes on with the next level on its day."""
        move = self.invoice(self.customer, 640, "2026-11-10", "2026-12-10")
        self.run_cron("2026-12-07 10:00:00")
        self.run_cron("2026-12-10 10:00:00")
        self.assertEqual(self.sent(self.customer).level_id.mapped("days"), [-3, 0])
        with freeze_time("2026-12-17 08:30:00"):
            action = move.with_user(self.seller).action_muzza_send_reminder()
            wizard = self.env["muzza.reminder.send"].with_user(self.seller).browse(action["res_id"])
            self.assertEqual(wizard.level_id.days, 7)
            self.assertIn("December 10, 2026", wizard.preview)
            self.assertIn(move.name, wizard.preview)
            self.assertFalse(wizard.warning)
            wizard.action_send()
        manual = self.sent(self.customer)[-1]
        self.assertTrue(manual.manual)
        self.assertEqual(manual.sent_by_id, self.seller)
        self.assertEqual(move.muzza_reminder_level_id.days, 7)
        day = D(2026, 12, 17)
        while day <= D(2026, 12, 31):
            self.run_cron("%s 10:00:00" % day)
            day += datetime.timedelta(days=1)
        sent = self.sent(self.customer)
        self.assertEqual(sent.level_id.mapped("days"), [-3, 0, 7, 15])
        self.assertEqual(sent.filtered(lambda r: r.level_id.days == 15).date, D(2026, 12, 25))
