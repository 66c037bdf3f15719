# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The judge's simulation of the payment reminders (issue 15).

Time moves forward day by day over two months (December 2026 and January
2027), the scheduled action runs twice a day (09:00 and 15:00 UTC), over ten
customers: invoices due, partly paid, paid, paid but not matched, promised
(kept and broken), disputed, excluded, bouncing; in English and Spanish, in
UTC and in Mexico City (UTC-6: 09:00 UTC is 03:00 there, outside the sending
window). What each customer must receive is written below by hand, from the
rules (levels 3 days before, on, 7, 15 and 30 days after the earliest open
due date; Monday to Friday; the highest level reached, never one sent), and
compared with the reminders and the mail queue. Then the same two months run
again twice a day, with a crash half-way, and with two workers: nothing
changes, nothing goes out twice.
"""

import datetime
import html
from collections import Counter
from contextlib import contextmanager
from unittest.mock import patch

import pytz
from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.mail.tests.common import mail_new_test_user

D = datetime.date
DAY = datetime.timedelta(days=1)
START, END = D(2026, 12, 1), D(2027, 1, 31)
# every event happens in December: the variants of the run stop there
DECEMBER_END = D(2026, 12, 31)
TIMES = ("09:00", "15:00")

# The customers: language, time zone, and whether their invoices go to a
# contact of type Invoice.
CUSTOMERS = {
    "due": ("Harbor Lights", "en_US", "UTC"),
    "late": ("Faro Azul", "es_ES", "America/Mexico_City"),
    "partial": ("Partial Pay Ltd", "en_US", "UTC"),
    "paid": ("Pagos Puntuales", "es_ES", "UTC"),
    "unmatched": ("Unmatched Inc", "en_US", "America/Mexico_City"),
    "kept": ("Keeps Word LLC", "en_US", "UTC"),
    "broken": ("Promesas Rotas", "es_ES", "America/Mexico_City"),
    "disputed": ("Disputes Co", "en_US", "UTC"),
    "excluded": ("Excluido SA", "es_ES", "UTC"),
    "bouncing": ("Bouncy Corp", "en_US", "America/Mexico_City"),
}

# The invoices: customer, amount, invoice date, due date.
INVOICES = {
    "A1": ("due", 1000.0, D(2026, 11, 10), D(2026, 12, 10)),
    "A2": ("due", 500.0, D(2026, 11, 3), D(2026, 12, 3)),
    "B1": ("late", 1234.5, D(2026, 11, 1), D(2026, 11, 20)),
    "C1": ("partial", 2000.0, D(2026, 11, 15), D(2026, 12, 15)),
    "D1": ("paid", 300.0, D(2026, 11, 20), D(2026, 12, 4)),
    "D2": ("paid", 400.0, D(2026, 11, 25), D(2026, 12, 9)),
    "E1": ("unmatched", 600.0, D(2026, 11, 5), D(2026, 12, 5)),
    "E2": ("unmatched", 900.0, D(2026, 11, 10), D(2026, 12, 10)),
    "F1": ("kept", 700.0, D(2026, 11, 16), D(2026, 12, 16)),
    "G1": ("broken", 1500.0, D(2026, 11, 2), D(2026, 12, 2)),
    "H1": ("disputed", 800.0, D(2026, 11, 12), D(2026, 12, 12)),
    "H2": ("disputed", 250.0, D(2026, 11, 12), D(2026, 12, 12)),
    "I1": ("excluded", 450.0, D(2026, 11, 1), D(2026, 12, 1)),
    "J1": ("bouncing", 950.0, D(2026, 11, 20), D(2026, 12, 21)),
}

# What the customer reads, in their language.
WORDS = {
    "en_US": {"pay": "Pay online", "statement": "Statement"},
    "es_ES": {"pay": "Pagar en línea", "statement": "Extracto"},
}

# What each customer receives: (their local day, level days, {invoice: amount
# due}). Worked out by hand from the rules; the events that change it are in
# ``events`` below.
EXPECTED = {
    "due": [
        # A2's "3 days before" fell on Monday 30/11, before the first run
        (D(2026, 12, 1), -3, {"A2": 500.0}),
        (D(2026, 12, 3), 0, {"A2": 500.0}),
        (D(2026, 12, 7), -3, {"A1": 1000.0}),
        # two levels reached the same day: two messages, one per level
        (D(2026, 12, 10), 0, {"A1": 1000.0}),
        (D(2026, 12, 10), 7, {"A2": 500.0}),
        (D(2026, 12, 17), 7, {"A1": 1000.0}),
        (D(2026, 12, 18), 15, {"A2": 500.0}),
        (D(2026, 12, 25), 15, {"A1": 1000.0}),
        # 30 days late on Saturday 2/1 and 9/1: the next Monday
        (D(2027, 1, 4), 30, {"A2": 500.0}),
        (D(2027, 1, 11), 30, {"A1": 1000.0}),
    ],
    "late": [
        # already 11 days late at the first run: catch up with "7 days", once
        (D(2026, 12, 1), 7, {"B1": 1234.5}),
        (D(2026, 12, 7), 15, {"B1": 1234.5}),
        (D(2026, 12, 21), 30, {"B1": 1234.5}),
    ],
    "partial": [
        (D(2026, 12, 14), -3, {"C1": 2000.0}),
        (D(2026, 12, 15), 0, {"C1": 2000.0}),
        # 800 paid on 16/12: the rest
        (D(2026, 12, 22), 7, {"C1": 1200.0}),
        (D(2026, 12, 30), 15, {"C1": 1200.0}),
        (D(2027, 1, 14), 30, {"C1": 1200.0}),
    ],
    "paid": [
        # D1 paid on 2/12, D2 on 5/12 before its first level
        (D(2026, 12, 1), -3, {"D1": 300.0}),
    ],
    "unmatched": [
        # 600 received on 1/12 and not matched: held until matched on 9/12
        (D(2026, 12, 9), -3, {"E2": 900.0}),
        (D(2026, 12, 10), 0, {"E2": 900.0}),
        (D(2026, 12, 17), 7, {"E2": 900.0}),
        (D(2026, 12, 25), 15, {"E2": 900.0}),
        (D(2027, 1, 11), 30, {"E2": 900.0}),
    ],
    "kept": [
        (D(2026, 12, 14), -3, {"F1": 700.0}),
        (D(2026, 12, 16), 0, {"F1": 700.0}),
        # promised on 17/12 to pay by 28/12, paid on 28/12
    ],
    "broken": [
        (D(2026, 12, 1), -3, {"G1": 1500.0}),
        (D(2026, 12, 2), 0, {"G1": 1500.0}),
        # promised on 3/12 to pay by 11/12 (+3 days' grace): broken on 15/12
        (D(2026, 12, 15), 7, {"G1": 1500.0}),
        (D(2026, 12, 17), 15, {"G1": 1500.0}),
        (D(2027, 1, 1), 30, {"G1": 1500.0}),
    ],
    "disputed": [
        (D(2026, 12, 9), -3, {"H1": 800.0, "H2": 250.0}),
        # H1 disputed on 10/12
        (D(2026, 12, 14), 0, {"H2": 250.0}),
        (D(2026, 12, 21), 7, {"H2": 250.0}),
        # resolved on 22/12: H1 resumes with the highest level it reached
        (D(2026, 12, 22), 7, {"H1": 800.0}),
        (D(2026, 12, 28), 15, {"H1": 800.0, "H2": 250.0}),
        (D(2027, 1, 11), 30, {"H1": 800.0, "H2": 250.0}),
    ],
    "excluded": [],
    "bouncing": [
        # bounced on 19/12; held on 21/12 and 22/12; address fixed on 23/12
        (D(2026, 12, 18), -3, {"J1": 950.0}),
        (D(2026, 12, 23), 0, {"J1": 950.0}),
        (D(2026, 12, 28), 7, {"J1": 950.0}),
        (D(2027, 1, 5), 15, {"J1": 950.0}),
        (D(2027, 1, 20), 30, {"J1": 950.0}),
    ],
}


def expected_until(end):
    return {key: [row for row in rows if row[0] <= end] for key, rows in EXPECTED.items()}


class Crash(BaseException):
    """The worker dies: not an error the code could catch."""


@tagged("post_install", "-at_install", "muzza_once_without_stock")
class TestReminderSimulation(AccountTestInvoicingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company.partner_id.tz = "UTC"
        cls.company.email = "billing@company.example.com"
        Level = cls.env["muzza.reminder.level"]
        if not Level.search([("company_id", "=", cls.company.id)]):
            Level._muzza_copy_to(cls.company)
        cls.levels = {level.days: level for level in Level.search([("company_id", "=", cls.company.id)])}
        assert sorted(cls.levels) == [-3, 0, 7, 15, 30], sorted(cls.levels)
        cls.env["res.lang"]._activate_lang("es_ES")
        cls.env["ir.module.module"]._load_module_terms(["muzza_receivables"], ["es_ES"], overwrite=True)
        cls.seller_en = mail_new_test_user(
            cls.env,
            login="muzza_sim_seller_en",
            name="Sally Seller",
            groups="base.group_user,sales_team.group_sale_salesman",
            email="sally@company.example.com",
            lang="en_US",
        )
        cls.seller_es = mail_new_test_user(
            cls.env,
            login="muzza_sim_seller_es",
            name="Vero Vendedora",
            groups="base.group_user,sales_team.group_sale_salesman",
            email="vero@company.example.com",
            lang="es_ES",
        )
        cls.accountant = mail_new_test_user(
            cls.env,
            login="muzza_sim_accountant",
            name="Andy Accountant",
            groups="base.group_user,account.group_account_invoice",
            email="andy@company.example.com",
        )
        cls.manager = mail_new_test_user(
            cls.env,
            login="muzza_sim_manager",
            name="Mara Manager",
            groups="base.group_user,account.group_account_invoice,"
            "muzza_receivables.group_receivables_manager",
        )
        cls.company.muzza_reminder_accountant_id = cls.accountant
        cls.customers = {}
        for key, (name, lang, tz) in CUSTOMERS.items():
            cls.customers[key] = cls.env["res.partner"].create(
                {
                    "name": name,
                    "is_company": True,
                    "email": "%s@customers.example.com" % key,
                    "lang": lang,
                    "tz": tz,
                    # Faro Azul has no salesperson: its invoices' one writes
                    "user_id": False
                    if key == "late"
                    else (cls.seller_es if lang == "es_ES" else cls.seller_en).id,
                }
            )
        # two customers whose invoices go to a contact of type Invoice
        cls.contacts = {key: partner for key, partner in cls.customers.items()}
        for key, name in (("due", "Harbor Accounts Payable"), ("bouncing", "Bouncy Billing")):
            cls.contacts[key] = cls.env["res.partner"].create(
                {
                    "name": name,
                    "type": "invoice",
                    "parent_id": cls.customers[key].id,
                    "email": "billing@%s.example.com" % key,
                    "lang": cls.customers[key].lang,
                }
            )
        cls.moves = {}
        with freeze_time("2026-11-28 12:00:00"):
            for key, (customer, amount, invoice_date, due_date) in INVOICES.items():
                cls.moves[key] = cls.env["account.move"].create(
                    {
                        "move_type": "out_invoice",
                        "partner_id": cls.customers[customer].id,
                        "invoice_date": invoice_date,
                        "invoice_date_due": due_date,
                        # the customer's salesperson (Faro Azul has none: Vero)
                        "invoice_user_id": (cls.customers[customer].user_id or cls.seller_es).id,
                        "invoice_line_ids": [
                            Command.create(
                                {"name": "Work", "quantity": 1, "price_unit": amount, "tax_ids": []}
                            )
                        ],
                    }
                )
            cls.env["account.move"].union(*cls.moves.values()).action_post()
            cls.env["muzza.reminder.customer"]._muzza_file(cls.customers["excluded"], cls.company).with_user(
                cls.manager
            )._muzza_set_excluded(True, "Pays by a framework agreement")
        for key, (_customer, _amount, _invoice_date, due_date) in INVOICES.items():
            assert cls.moves[key].invoice_date_due == due_date, key
        cls.key_of_move = {move: key for key, move in cls.moves.items()}
        cls.key_of_partner = {partner: key for key, partner in cls.customers.items()}

    # ------------------------------------------------------------------
    # what happens in those two months (at 07:00 UTC, before the runs)
    # ------------------------------------------------------------------

    def events(self):
        return {
            D(2026, 12, 1): [self.receive_unmatched_payment],
            D(2026, 12, 2): [lambda: self.pay("D1")],
            D(2026, 12, 3): [lambda: self.promise("broken", "G1", D(2026, 12, 11))],
            D(2026, 12, 5): [lambda: self.pay("D2")],
            D(2026, 12, 9): [self.match_unmatched_payment],
            D(2026, 12, 10): [self.dispute],
            D(2026, 12, 16): [lambda: self.pay("C1", 800.0)],
            D(2026, 12, 17): [lambda: self.promise("kept", "F1", D(2026, 12, 28))],
            D(2026, 12, 19): [self.bounce],
            D(2026, 12, 22): [self.resolve_dispute],
            D(2026, 12, 23): [self.fix_address],
            D(2026, 12, 28): [lambda: self.pay("F1")],
        }

    def pay(self, key, amount=None):
        move = self.moves[key]
        values = {"payment_date": fields_today()}
        if amount:
            values["amount"] = amount
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=move.ids
        ).create(values)._create_payments()

    def receive_unmatched_payment(self):
        self.unmatched_payment = self.env["account.payment"].create(
            {
                "partner_id": self.customers["unmatched"].id,
                "amount": 600.0,
                "payment_type": "inbound",
                "partner_type": "customer",
                "date": fields_today(),
            }
        )
        self.unmatched_payment.action_post()

    def match_unmatched_payment(self):
        line = self.unmatched_payment.move_id.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        )
        self.moves["E1"].js_assign_outstanding_line(line.id)
        self.assertIn(self.moves["E1"].payment_state, ("paid", "in_payment"))

    def promise(self, customer, move_key, promised_date):
        seller = self.customers[customer].user_id
        self.env["muzza.reminder.promise"].with_user(seller).create(
            {
                "partner_id": self.customers[customer].id,
                "move_ids": [Command.set(self.moves[move_key].ids)],
                "promised_date": promised_date,
            }
        )

    def dispute(self):
        self.env["muzza.reminder.dispute"].with_user(self.seller_en).create(
            {"move_id": self.moves["H1"].id, "reason": "Half of the work is missing"}
        )

    def resolve_dispute(self):
        dispute = self.env["muzza.reminder.dispute"].search([("move_id", "=", self.moves["H1"].id)])
        dispute.with_user(self.seller_en).action_resolve("Delivered on 21/12")

    def bounce(self):
        contact = self.contacts["bouncing"]
        contact._message_receive_bounce(contact.email, contact)

    def fix_address(self):
        self.contacts["bouncing"].email = "accounts@bouncy.example.com"

    # ------------------------------------------------------------------
    # the simulation
    # ------------------------------------------------------------------

    @contextmanager
    def commits(self):
        """``cr.commit`` as on a live server, within the test's transaction:
        each commit is a savepoint a crash rolls back to."""
        cr = self.env.cr

        def commit():
            cr.flush()
            cr.execute("RELEASE SAVEPOINT muzza_sim_commit")
            cr.execute("SAVEPOINT muzza_sim_commit")

        cr.flush()
        cr.execute("SAVEPOINT muzza_sim_commit")
        try:
            with patch.object(cr, "commit", commit):
                yield
        finally:
            cr.execute("RELEASE SAVEPOINT muzza_sim_commit")

    def crashed(self):
        """The worker died: what it had not committed is lost."""
        cr = self.env.cr
        cr.execute("ROLLBACK TO SAVEPOINT muzza_sim_commit")
        cr.precommit.clear()
        cr.postcommit.clear()
        self.env.clear()

    def run_cron(self, at, calls=1):
        """The scheduled action at ``at`` (UTC), run ``calls`` times (Odoo
        runs it again while there is progress). A worker that crashes is
        followed by another one at once."""
        with freeze_time(at), self.commits():
            done = 0
            while done < calls:
                try:
                    self.env["muzza.reminder"]._cron_send_reminders()
                except Crash:
                    self.crashed()
                    continue
                done += 1

    def simulate(self, times=TIMES, calls=1, end=END):
        events = self.events()
        day = START
        while day <= end:
            with freeze_time("%s 07:00:00" % day):
                for event in events.get(day, []):
                    event()
            for time in times:
                self.run_cron("%s %s:00" % (day, time), calls=calls)
            day += DAY
        return self.observed()

    def reminders(self):
        return self.env["muzza.reminder"].search(
            [
                ("partner_id", "in", [partner.id for partner in self.customers.values()]),
                ("state", "in", ("sent", "bounced")),
            ],
            order="date, id",
        )

    def observed(self):
        """``{customer: [(day, level days, {invoice: amount due})]}``, as the
        reminders sent say."""
        result = {key: [] for key in CUSTOMERS}
        for reminder in self.reminders():
            result[self.key_of_partner[reminder.partner_id]].append(
                (
                    reminder.date,
                    reminder.level_id.days,
                    {self.key_of_move[line.move_id]: line.amount_due for line in reminder._muzza_lines()},
                )
            )
        for rows in result.values():
            rows.sort(key=lambda row: (row[0], row[1]))
        return result

    def mail_body(self, reminder):
        mail = self.env["mail.mail"].search([("mail_message_id", "=", reminder.message_id.id)])
        return html.unescape(str(mail.body_html))

    def assertNothingTwice(self):
        lines = self.reminders().line_ids.filtered("counted")
        twice = [
            pair for pair, n in Counter((line.move_id, line.level_id) for line in lines).items() if n > 1
        ]
        self.assertFalse(twice, "an invoice was reminded twice at a level")
        mails = self.env["mail.mail"].search([("mail_message_id", "in", self.reminders().message_id.ids)])
        self.assertEqual(len(mails), len(self.reminders()), "one e-mail per reminder")

    # ------------------------------------------------------------------
    # the tests
    # ------------------------------------------------------------------

    def test_two_months_every_customer_gets_exactly_the_expected_messages(self):
        mails_before = self.env["mail.mail"].search([]).ids
        observed = self.simulate()
        self.assertEqual(observed, EXPECTED)
        self.assertNothingTwice()
        Wording = self.env["muzza.wording"]
        for reminder in self.reminders():
            key = self.key_of_partner[reminder.partner_id]
            contact = self.contacts[key]
            lang = CUSTOMERS[key][1]
            seller = self.seller_es if key == "late" else self.customers[key].user_id
            self.assertEqual(reminder.lang, lang)
            self.assertEqual(reminder.recipient_id, contact)
            self.assertEqual(reminder.user_id, seller)
            # it went out the day it was decided, in the customer's time zone
            local = pytz.utc.localize(reminder.sent_on).astimezone(pytz.timezone(CUSTOMERS[key][2]))
            self.assertEqual(local.date(), reminder.date)
            self.assertTrue(8 <= local.hour < 18, "sent at %s local time" % local)
            self.assertLess(reminder.date.weekday(), 5)
            mail = self.env["mail.mail"].search([("mail_message_id", "=", reminder.message_id.id)])
            self.assertEqual(len(mail), 1)
            self.assertEqual(mail.recipient_ids, contact)
            self.assertEqual(mail.author_id, seller.partner_id)
            self.assertIn(seller.email, mail.email_from)
            body = html.unescape(str(mail.body_html))
            named = reminder._muzza_lines().move_id
            for line in reminder._muzza_lines():
                move_key = self.key_of_move[line.move_id]
                self.assertIn(line.move_id.name, body)
                self.assertIn(Wording._format_date(INVOICES[move_key][3], lang), body)
                self.assertIn(Wording._format_amount(line.amount_due, line.currency_id, lang), body)
            # nothing about the customer's other invoices
            for other in self.moves.values():
                if other.commercial_partner_id == reminder.partner_id and other not in named:
                    self.assertNotIn(other.name, body)
            # in the customer's language: the e-mail and its statement
            self.assertIn(WORDS[lang]["pay"], body)
            statement = mail.attachment_ids.filtered(
                lambda a, lang=lang, reminder=reminder: (
                    a.name
                    == "%s %s %s.pdf" % (WORDS[lang]["statement"], reminder.partner_id.name, reminder.date)
                )
            )
            self.assertEqual(len(statement), 1, "the statement of open items is attached")
            self.assertEqual(statement.mimetype, "application/pdf")

        # in Spanish, dates and amounts as the customer reads them
        late = self.reminders().filtered(lambda r: r.partner_id == self.customers["late"])[0]
        body = self.mail_body(late)
        self.assertIn("20 de noviembre de 2026", body)
        self.assertIn("1.234,50", body)

        # nothing else went to the customers: their mails are the reminders'
        contacts = self.env["res.partner"].union(*self.contacts.values(), *self.customers.values())
        to_customers = self.env["mail.mail"].search(
            [("id", "not in", mails_before), ("recipient_ids", "in", contacts.ids)]
        )
        self.assertEqual(to_customers.mail_message_id, self.reminders().message_id)

        # the bounced reminder is marked so; the address was asked for
        bouncing = self.reminders().filtered(lambda r: r.partner_id == self.customers["bouncing"])
        self.assertEqual(bouncing.mapped("state"), ["bounced", "sent", "sent", "sent", "sent"])
        self.assertEqual(bouncing[0].email_to, "billing@bouncing.example.com")
        self.assertEqual(set(bouncing[1:].mapped("email_to")), {"accounts@bouncy.example.com"})
        held = self.env["muzza.reminder"].search(
            [("partner_id", "=", self.customers["bouncing"].id), ("state", "=", "held")]
        )
        self.assertEqual(held.mapped("hold_reason"), ["bounced"], "held once, not every day")
        self.assertEqual(held.date, D(2026, 12, 21))
        address = self.env.ref("muzza_receivables.mail_activity_reminder_address")
        activity = self.customers["bouncing"].activity_ids.filtered(lambda a: a.activity_type_id == address)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.seller_en)

        # money on account: held, and the accountant was asked to match it
        held = self.env["muzza.reminder"].search(
            [("partner_id", "=", self.customers["unmatched"].id), ("state", "=", "held")]
        )
        self.assertEqual(set(held.mapped("hold_reason")), {"on_account"})
        self.assertEqual(sorted(set(held.mapped("date"))), [D(2026, 12, 2), D(2026, 12, 7)])
        match = self.env.ref("muzza_receivables.mail_activity_reminder_match")
        activity = self.customers["unmatched"].activity_ids.filtered(lambda a: a.activity_type_id == match)
        self.assertEqual(activity.user_id, self.accountant)

        # excluded: held, never sent
        held = self.env["muzza.reminder"].search([("partner_id", "=", self.customers["excluded"].id)])
        self.assertEqual(set(held.mapped("state")), {"held"})
        self.assertEqual(set(held.mapped("hold_reason")), {"excluded"})

        # disputed: the salesperson was asked to resolve it, the invoice waited
        held = self.env["muzza.reminder"].search(
            [("partner_id", "=", self.customers["disputed"].id), ("state", "=", "held")]
        )
        self.assertEqual(set(held.mapped("hold_reason")), {"dispute"})
        self.assertEqual(held.line_ids.move_id, self.moves["H1"])

        # promises: one kept, one broken; the broken one counts on the risk
        # and the next reminder says so, once
        Promise = self.env["muzza.reminder.promise"]
        kept = Promise.search([("partner_id", "=", self.customers["kept"].id)])
        broken = Promise.search([("partner_id", "=", self.customers["broken"].id)])
        self.assertEqual((kept.state, broken.state), ("kept", "broken"))
        self.assertEqual(broken.broken_on, D(2026, 12, 15))
        self.assertTrue(broken.mentioned)
        risk = self.env["muzza.risk.profile"]._muzza_broken_promises(
            self.company, self.customers["broken"].ids + self.customers["kept"].ids, D(2026, 1, 1), END
        )
        self.assertEqual(risk, {self.customers["broken"].id: 1})
        reminders = self.reminders().filtered(lambda r: r.partner_id == self.customers["broken"])
        self.assertEqual(reminders.mapped("broken_promise_id"), broken)
        self.assertEqual(reminders.filtered("broken_promise_id").date, D(2026, 12, 15))
        sentence = Wording._format_date(D(2026, 12, 11), "es_ES")
        for reminder in reminders:
            body = self.mail_body(reminder)
            if reminder.broken_promise_id:
                self.assertIn(sentence, body)
                self.assertIn(Wording._format_date(D(2026, 12, 3), "es_ES"), body)
            else:
                self.assertNotIn(sentence, body)

    def test_running_more_often_changes_nothing(self):
        """Twice at each time, and at two more times of the day (23:30 UTC
        is 17:30 in Mexico City): the same messages, nothing twice."""
        observed = self.simulate(times=("09:00", "15:00", "23:30"), calls=2, end=DECEMBER_END)
        self.assertEqual(observed, expected_until(DECEMBER_END))
        self.assertNothingTwice()

    def test_a_crash_half_way_changes_nothing(self):
        """The worker dies while deciding (after the reminders were
        created, before the set was committed) and while sending (after the
        e-mail was posted, before the reminder was marked sent): the next
        run does the work once."""
        Customer = type(self.env["muzza.reminder.customer"])
        Reminder = type(self.env["muzza.reminder"])
        decide_in, post_email = Customer._muzza_decide_in, Reminder._muzza_post_email
        crashes = Counter()

        def crashing_decide_in(files, company, levels, today):
            result = decide_in(files, company, levels, today)
            if (
                self.customers["broken"] in files.partner_id
                and today == D(2026, 12, 15)
                and not crashes["decide"]
            ):
                crashes["decide"] += 1
                raise Crash()
            return result

        def crashing_post_email(reminder, subject, body, *args, **kwargs):
            message = post_email(reminder, subject, body, *args, **kwargs)
            if (
                reminder.partner_id == self.customers["due"]
                and reminder.date == D(2026, 12, 10)
                and not crashes["post"]
            ):
                crashes["post"] += 1
                raise Crash()
            return message

        with (
            patch.object(Customer, "_muzza_decide_in", crashing_decide_in),
            patch.object(Reminder, "_muzza_post_email", crashing_post_email),
        ):
            observed = self.simulate(end=D(2026, 12, 18))
        self.assertEqual(crashes, {"decide": 1, "post": 1})
        self.assertEqual(observed, expected_until(D(2026, 12, 18)))
        self.assertNothingTwice()

    def test_a_customer_that_fails_waits_a_day_and_nothing_is_lost(self):
        """Deciding fails for one customer on a day (an error, not a crash):
        the others are decided, that customer the next day, with the level
        it reached; a reminder that fails to go out goes the next day."""
        Customer = type(self.env["muzza.reminder.customer"])
        Reminder = type(self.env["muzza.reminder"])
        decide_in, post_email = Customer._muzza_decide_in, Reminder._muzza_post_email

        def failing_decide_in(files, company, levels, today):
            if self.customers["partial"] in files.partner_id and today == D(2026, 12, 22):
                raise ValueError("the database hiccupped")
            return decide_in(files, company, levels, today)

        def failing_post_email(reminder, subject, body, *args, **kwargs):
            if reminder.partner_id == self.customers["disputed"] and fields_today() == D(2026, 12, 28):
                raise ValueError("the mail server hiccupped")
            return post_email(reminder, subject, body, *args, **kwargs)

        with (
            patch.object(Customer, "_muzza_decide_in", failing_decide_in),
            patch.object(Reminder, "_muzza_post_email", failing_post_email),
            self.assertLogs("odoo.addons.muzza_receivables.models.muzza_cron_batch", "WARNING") as logs,
        ):
            observed = self.simulate(end=D(2026, 12, 29))
        expected = expected_until(D(2026, 12, 29))
        expected["partial"] = [
            (D(2026, 12, 23), days, amounts) if day == D(2026, 12, 22) else (day, days, amounts)
            for day, days, amounts in expected["partial"]
        ]
        # each failure was logged, once (the set halved down to the customer)
        self.assertEqual(len([line for line in logs.output if line.startswith("ERROR")]), 2, logs.output)
        self.assertEqual(observed, expected)
        self.assertNothingTwice()
        late = self.reminders().filtered(
            lambda r: r.partner_id == self.customers["disputed"] and r.date == D(2026, 12, 28)
        )
        self.assertEqual(late.sent_on.date(), D(2026, 12, 29))

    def test_two_workers_change_nothing(self):
        """A second worker holds half of the customers and half of the
        reminders when the first one looks at them: the first skips them,
        the next run takes them, nothing goes out twice."""
        Batch = type(self.env["muzza.cron.batch"])
        lock_set, lock = Batch._lock_set, Batch._lock
        seen = set()

        def busy_lock_set(batch, records):
            locked = lock_set(batch, records)
            held = locked.filtered(lambda r: r.id % 2 and ("set", r.id, fields_today()) not in seen)
            for record in held:
                seen.add(("set", record.id, fields_today()))
            return locked - held

        def busy_lock(batch, record):
            key = ("one", record.id)
            if record.id % 2 == 0 and key not in seen:
                seen.add(key)
                return False
            return lock(batch, record)

        with patch.object(Batch, "_lock_set", busy_lock_set), patch.object(Batch, "_lock", busy_lock):
            observed = self.simulate(calls=3, end=DECEMBER_END)
        self.assertTrue(any(key[0] == "set" for key in seen) and any(key[0] == "one" for key in seen))
        self.assertEqual(observed, expected_until(DECEMBER_END))
        self.assertNothingTwice()


def fields_today():
    return datetime.datetime.now(datetime.UTC).date()
