# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import datetime
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command
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
