# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import datetime
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.mail.tests.common import mail_new_test_user

from .common import run_cron_like_odoo

D = datetime.date
TODAY = "2026-11-24"


class RiskCase(AccountTestInvoicingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.Sign = cls.env["muzza.risk.sign"]
        cls.company.muzza_risk_revet_months = 12
        cls.signs = cls.Sign.search([("company_id", "=", cls.company.id)])
        if not cls.signs:  # a test company: the main company's signs, as a new company gets them
            cls.Sign._muzza_copy_to(cls.company)
            cls.signs = cls.Sign.search([("company_id", "=", cls.company.id)])
        cls.sign_contract = cls.signs.filtered(lambda s: s.weight == 25)[0]
        cls.sign_price = cls.signs.filtered(lambda s: s.weight == 10)[0]
        cls.seller = mail_new_test_user(
            cls.env,
            login="muzza_risk_seller",
            groups="base.group_user,base.group_partner_manager,sales_team.group_sale_salesman",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.billing = mail_new_test_user(
            cls.env,
            login="muzza_risk_billing",
            groups="base.group_user,account.group_account_invoice",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.manager = mail_new_test_user(
            cls.env,
            login="muzza_risk_manager",
            groups="base.group_user,sales_team.group_sale_salesman,muzza_receivables.group_receivables_manager",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.client = cls.env["res.partner"].create(
            {"name": "Risky Client SL", "is_company": True, "user_id": cls.seller.id}
        )

    def last_history(self, profile):
        return self.env["muzza.risk.history"].search([("profile_id", "=", profile.id)], limit=1)

    def file(self, partner=None, company=None):
        return self.env["muzza.risk.profile"]._muzza_for(partner or self.client, company or self.company)

    @classmethod
    def _invoice(cls, partner, amount, date, due, company=None):
        move = cls.init_invoice("out_invoice", partner, date, amounts=[amount], taxes=[], company=company)
        move.write({"invoice_payment_term_id": False, "invoice_date_due": due})
        move.action_post()
        return move

    @classmethod
    def _pay(cls, invoice, amount, date):
        cls.env["account.payment.register"].with_company(invoice.company_id).with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create(
            {"amount": amount, "payment_date": date, "payment_difference_handling": "open"}
        )._create_payments()


@tagged("post_install", "-at_install")
class TestRiskChecklist(RiskCase):
    def test_a_salesperson_ticks_signs_and_watches_score_level_and_why(self):
        client = self.client.with_user(self.seller)
        self.assertEqual((client.muzza_risk_score, client.muzza_risk_level), (0, "low"))
        client.write(
            {
                "muzza_risk_flag_ids": [
                    Command.create(
                        {"sign_id": self.sign_contract.id, "note": "Wants to start on a handshake"}
                    )
                ]
            }
        )
        client.invalidate_recordset()
        self.assertEqual((client.muzza_risk_score, client.muzza_risk_level), (25, "medium"))
        self.assertEqual(client.muzza_risk_factors, "+25: warning sign: %s" % self.sign_contract.name)
        self.assertIn("Medium payment risk (score 25)", client.muzza_risk_warning)
        flag = client.muzza_risk_flag_ids
        self.assertEqual((flag.create_uid, flag.company_id), (self.seller, self.company))
        profile = self.file()
        note = profile.message_ids.filtered(lambda m: "Warning sign ticked" in (m.body or ""))
        self.assertEqual(note.author_id, self.seller.partner_id)
        self.assertIn("handshake", note.body)
        self.assertEqual(
            self.last_history(profile).mapped(lambda h: (h.score, h.level, h.user_id)),
            [(25, "medium", self.seller)],
        )

        client.write({"muzza_risk_flag_ids": [Command.create({"sign_id": self.sign_price.id})]})
        client.invalidate_recordset()
        self.assertEqual(client.muzza_risk_score, 35)
        # searchable by level, for the current company
        Partner = self.env["res.partner"].with_user(self.seller)
        self.assertIn(self.client, Partner.search([("muzza_risk_level", "=", "medium")]))
        self.assertNotIn(self.client, Partner.search([("muzza_risk_level", "=", "low")]))
        self.assertIn(self.client, Partner.search([("muzza_risk_score", ">=", 35)]))
        # a contact of the client shows its company's risk
        contact = self.env["res.partner"].create({"name": "Ana", "parent_id": self.client.id})
        self.assertEqual(contact.with_user(self.seller).muzza_risk_level, "medium")

        client.write({"muzza_risk_flag_ids": [Command.clear()]})
        client.invalidate_recordset()
        self.assertEqual((client.muzza_risk_score, client.muzza_risk_level), (0, "low"))
        self.assertTrue(profile.message_ids.filtered(lambda m: "unticked" in (m.body or "")))

    def test_billing_reads_it_and_nobody_writes_the_signals_or_the_level_by_hand(self):
        self.env["muzza.risk.flag"].create({"partner_id": self.client.id, "sign_id": self.sign_contract.id})
        profile = self.file()
        self.assertEqual(self.client.with_user(self.billing).muzza_risk_level, "medium")
        with self.assertRaises(AccessError):
            self.env["muzza.risk.flag"].with_user(self.billing).create(
                {"partner_id": self.client.id, "sign_id": self.sign_price.id}
            )
        for user in (self.seller, self.billing, self.manager):
            for vals in (
                {"level": "low"},
                {"score": 0},
                {"late_count": 0},
                {"override_level": "low"},
                {"vetted_on": TODAY},
            ):
                with self.subTest(user=user.login, vals=vals), self.assertRaises(AccessError):
                    profile.with_user(user).write(vals)
            with self.assertRaises(AccessError):
                self.env["muzza.risk.profile"].with_user(user).create(
                    {"partner_id": self.partner_a.id, "company_id": self.company.id}
                )
            with self.assertRaises(AccessError):
                self.last_history(profile).with_user(user).write({"level": "low"})
        self.assertEqual(profile.level, "medium")

    def test_only_a_manager_overrides_with_a_reason_until_a_date(self):
        profile = self.file()
        with self.assertRaises(AccessError):
            profile.with_user(self.seller)._muzza_set_override("low", "Known for years", False)
        with self.assertRaises(AccessError):
            self.env["muzza.risk.override"].with_user(self.seller).create(
                {"profile_id": profile.id, "level": "low", "reason": "x"}
            )
        with self.assertRaises(AccessError):
            profile.with_user(self.seller).action_muzza_override()
        with self.assertRaises(ValidationError):
            profile.with_user(self.manager)._muzza_set_override("blocked", " ", False)
        with freeze_time(TODAY):
            wizard = (
                self.env["muzza.risk.override"]
                .with_user(self.manager)
                .create(
                    {
                        "profile_id": profile.id,
                        "level": "blocked",
                        "reason": "Court case",
                        "until": "2026-12-31",
                    }
                )
            )
            wizard.action_apply()
        self.assertEqual(
            (profile.level, profile.override_by, profile.override_reason),
            ("blocked", self.manager, "Court case"),
        )
        self.assertEqual(self.last_history(profile).reason, "Level set by hand: Court case")
        self.assertIn("Set by %s: Court case" % self.manager.name, self.client.muzza_risk_warning)
        # past its expiry, the nightly run gives the computed level back
        run_cron_like_odoo(self.env, "muzza_receivables.ir_cron_risk_signals", "2027-01-01")
        profile.invalidate_recordset()
        self.assertEqual(profile.level, "low")
        self.assertEqual(profile.override_level, "blocked")  # on record, no longer applied

    def test_vetting_by_a_manager_and_an_activity_when_it_is_due_again(self):
        profile = self.file()
        with self.assertRaises(AccessError):
            profile.with_user(self.seller).action_muzza_vet()
        sales_manager = mail_new_test_user(
            self.env,
            login="muzza_risk_sales_manager",
            groups="base.group_user,sales_team.group_sale_manager",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        with freeze_time("2025-11-20"):
            self.client.with_user(sales_manager).action_muzza_risk_vet()
        self.assertEqual((profile.vetted_on, profile.vetted_by), (D(2025, 11, 20), sales_manager))
        self.assertEqual(profile.revet_on, D(2026, 11, 20))
        with freeze_time(TODAY):
            self.assertIn(profile, self.env["muzza.risk.profile"].search([("vetting_due", "=", True)]))
        for day in (TODAY, "2026-11-25"):
            run_cron_like_odoo(self.env, "muzza_receivables.ir_cron_risk_signals", day)
        activities = self.client.activity_ids.filtered(lambda a: a.summary == "Vet this customer again")
        self.assertEqual(len(activities), 1)
        self.assertEqual(activities.user_id, self.seller)

    def test_the_manager_applies_the_suggested_credit_limit(self):
        for month in range(1, 7):
            invoice = self._invoice(self.client, 1000.0, "2026-%02d-01" % month, "2026-%02d-28" % month)
            self._pay(invoice, 1000.0, "2026-%02d-20" % month)
        with freeze_time(TODAY):
            self.client.with_user(self.seller).action_muzza_risk_recompute()
        profile = self.file()
        # 6,000 in 12 months, 500 a month: two months less the score (15:
        # no address, no VAT number), 850, rounded down to 800
        self.assertEqual(
            (profile.sales_12m, profile.score, profile.suggested_credit_limit), (6000.0, 15, 800.0)
        )
        with self.assertRaises(AccessError):
            profile.with_user(self.seller).action_muzza_apply_credit_limit()
        profile.with_user(self.manager).action_muzza_apply_credit_limit()
        self.assertEqual(self.client.with_company(self.company).credit_limit, 800.0)
        # the signal reads Odoo's limit where the company uses credit limits
        self.company.account_use_credit_limit = True
        with freeze_time(TODAY):
            self.client.action_muzza_risk_recompute()
        self.assertEqual(profile.credit_limit, 800.0)
        self.assertEqual(self.file(self.partner_b).credit_limit, 0.0)  # none of its own, no default
        self.assertTrue(profile.message_ids.filtered(lambda m: "Credit limit set to" in (m.body or "")))

    def test_thresholds_are_checked(self):
        with self.assertRaises(ValidationError):
            self.company.write({"muzza_risk_medium_score": 60, "muzza_risk_high_score": 50})
        self.env["muzza.risk.flag"].create({"partner_id": self.client.id, "sign_id": self.sign_contract.id})
        self.assertEqual(self.file().level, "medium")
        self.company.write({"muzza_risk_medium_score": 30})
        self.assertEqual(self.file().level, "low")
        self.assertEqual(self.last_history(self.file()).reason, "Risk thresholds changed")

    def test_a_portal_user_and_other_employees_see_none_of_it(self):
        portal = mail_new_test_user(self.env, login="muzza_risk_portal", groups="base.group_portal")
        employee = mail_new_test_user(self.env, login="muzza_risk_employee", groups="base.group_user")
        self.env["muzza.risk.flag"].create({"partner_id": self.client.id, "sign_id": self.sign_contract.id})
        for user in (portal, employee):
            for field in (
                "muzza_risk_level",
                "muzza_risk_score",
                "muzza_risk_factors",
                "muzza_risk_flag_ids",
            ):
                with self.subTest(user=user.login, field=field), self.assertRaises(AccessError):
                    self.client.with_user(user).read([field])
            for model in ("muzza.risk.profile", "muzza.risk.flag", "muzza.risk.sign", "muzza.risk.history"):
                with self.subTest(user=user.login, model=model), self.assertRaises(AccessError):
                    self.env[model].with_user(user).search([])

    def test_a_sign_weighing_more_or_archived_scores_its_customers_again(self):
        self.env["muzza.risk.flag"].create({"partner_id": self.client.id, "sign_id": self.sign_price.id})
        self.assertEqual(self.file().score, 10)
        self.sign_price.weight = 30
        self.assertEqual((self.file().score, self.file().level), (30, "medium"))
        self.assertEqual(self.last_history(self.file()).reason, "Warning signs changed")
        self.sign_price.active = False
        self.assertEqual((self.file().score, self.file().level), (0, "low"))


@tagged("post_install", "-at_install")
class TestRiskSignals(RiskCase):
    """The signals the nightly run derives equal a calculation written here
    from the invoices, in each company."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other = cls.setup_other_company(name="Risk Other Co")["company"]
        c = cls.client
        c.write({"phone": "+34 600 12", "street": False})
        # paid in the last 12 months: on time, late (10 and 30 days), and one
        # paid before the window
        on_time = cls._invoice(c, 1000.0, "2026-03-01", "2026-03-31")
        cls._pay(on_time, 1000.0, "2026-03-30")
        late10 = cls._invoice(c, 1000.0, "2026-04-01", "2026-04-30")
        cls._pay(late10, 1000.0, "2026-05-10")
        late30 = cls._invoice(c, 3000.0, "2026-05-01", "2026-05-31")
        cls._pay(late30, 3000.0, "2026-06-30")
        old = cls._invoice(c, 500.0, "2025-01-01", "2025-01-31")
        cls._pay(old, 500.0, "2025-03-01")
        # open: 400 overdue 54 days (part paid), 700 not due yet
        part = cls._invoice(c, 600.0, "2026-09-01", "2026-10-01")
        cls._pay(part, 200.0, "2026-10-15")
        cls._invoice(c, 700.0, "2026-11-20", "2026-12-20")
        # a late-fee invoice charged
        fee = cls._invoice(c, 15.0, "2026-10-05", "2026-10-05")
        fee.sudo().muzza_fee_origin_id = part
        # in the other company: nothing late
        cls._invoice(c, 900.0, "2026-11-01", "2026-12-01", company=cls.other)
        cls.bystander = cls.env["res.partner"].create(
            {
                "name": "Good Payer",
                "is_company": True,
                "vat": "BE0477472701",
                "country_id": cls.env.ref("base.be").id,
            }
        )
        paid = cls._invoice(cls.bystander, 100.0, "2026-10-01", "2026-10-31")
        cls._pay(paid, 100.0, "2026-10-20")

    def expected(self, partner, company, today):
        """The signals, from the invoices, the long way."""
        since = today - datetime.timedelta(days=364)
        invoices = self.env["account.move"].search(
            [
                ("commercial_partner_id", "=", partner.id),
                ("company_id", "=", company.id),
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
            ]
        )
        paid = late = 0
        weighted = amount = 0.0
        overdue = open_amount = 0.0
        oldest = 0
        for invoice in invoices:
            lines = invoice.line_ids.filtered(lambda line: line.account_id.account_type == "asset_receivable")
            if invoice.payment_state in ("paid", "in_payment"):
                paid_on = max((lines.matched_credit_ids).mapped("max_date"))
                if since <= paid_on <= today:
                    paid += 1
                    days = (paid_on - invoice.invoice_date_due).days
                    late += days > 0
                    amount += invoice.amount_total_signed
                    weighted += invoice.amount_total_signed * max(days, 0)
            for line in lines:
                open_amount += line.amount_residual
                if line.amount_residual > 0 and line.date_maturity < today:
                    overdue += line.amount_residual
                    oldest = max(oldest, (today - line.date_maturity).days)
        return {
            "paid_count": paid,
            "late_count": late,
            "avg_days_late": round(weighted / amount, 1) if amount else 0.0,
            "overdue_amount": overdue,
            "oldest_overdue_days": oldest,
            "open_amount": open_amount,
        }

    def test_the_nightly_run_equals_the_invoices_in_each_company(self):
        run_cron_like_odoo(self.env, "muzza_receivables.ir_cron_risk_signals", TODAY)
        today = D(2026, 11, 24)
        for partner, company in (
            (self.client, self.company),
            (self.client, self.other),
            (self.bystander, self.company),
        ):
            with self.subTest(partner=partner.name, company=company.name):
                profile = self.env["muzza.risk.profile"].search(
                    [("partner_id", "=", partner.id), ("company_id", "=", company.id)]
                )
                self.assertTrue(profile)
                got = {key: profile[key] for key in self.expected(partner, company, today)}
                self.assertEqual(got, self.expected(partner, company, today))
                self.assertEqual(profile.signals_on, today)
        profile = self.file()
        # 3 paid (on time, 10 and 30 days late), 2 late; (1000x10 + 3000x30) / 5000 = 20 days
        self.assertEqual((profile.paid_count, profile.late_count, profile.avg_days_late), (3, 2, 20.0))
        self.assertEqual((profile.overdue_amount, profile.oldest_overdue_days), (415.0, 54))
        self.assertEqual(profile.fee_invoices, 1)
        self.assertTrue(profile.phone_invalid and profile.no_vat and profile.no_address)
        other = self.file(company=self.other)
        self.assertEqual((other.paid_count, other.overdue_amount, other.score), (0, 0.0, 5 + 5 + 10))
        self.assertFalse(self.file(self.bystander).vat_invalid)
        self.assertEqual(
            profile.factors.split("\n"),
            [
                "+23: $\xa0415.00 overdue now, the oldest for 54 days",
                # 20 x 2/3 x 2/5 + 15 x 20/30 = 15.3
                "+15: 2 of 3 invoices paid late in the last 12 months (average 20 days)",
                "+10: no full address (street, city and country)",
                "+5: a phone number that cannot be valid for its country",
                "+5: a company without VAT number",
                "+4: late-fee invoices charged in the last 12 months: 1",
            ],
        )
        self.assertEqual(profile.score, 62)
        self.assertEqual(profile.level, "high")

    def test_twice_the_same_night_changes_nothing_and_another_company_sees_only_its_own(self):
        run_cron_like_odoo(self.env, "muzza_receivables.ir_cron_risk_signals", TODAY)
        profiles = self.env["muzza.risk.profile"].search([])
        before = profiles.read(["score", "level", "late_count", "overdue_amount", "signals_on"])
        history = self.env["muzza.risk.history"].search_count([])
        _calls, progress, _commits = run_cron_like_odoo(
            self.env, "muzza_receivables.ir_cron_risk_signals", TODAY
        )
        self.assertEqual(progress, [(0, 0)])
        self.assertEqual(
            profiles.read(["score", "level", "late_count", "overdue_amount", "signals_on"]), before
        )
        self.assertEqual(self.env["muzza.risk.history"].search_count([]), history)
        other_user = mail_new_test_user(
            self.env,
            login="muzza_risk_other_seller",
            groups="base.group_user,sales_team.group_sale_salesman",
            company_id=self.other.id,
            company_ids=[Command.set(self.other.ids)],
        )
        seen = self.env["muzza.risk.profile"].with_user(other_user).search([])
        self.assertEqual(seen.company_id, self.other)
        self.assertEqual(self.client.with_user(other_user).with_company(self.other).muzza_risk_level, "low")

    def test_a_vat_number_vies_rejects_counts_where_the_company_checks_it(self):
        be = self.env.ref("base.be")
        self.company.vat_check_vies = True
        with patch("odoo.addons.base_vat.models.res_partner.check_vies", return_value={"valid": False}):
            client = self.env["res.partner"].create(
                {"name": "Ghost BV", "is_company": True, "vat": "BE0477472701", "country_id": be.id}
            )
            self._invoice(client, 100.0, "2026-11-01", "2026-12-01")
            with freeze_time(TODAY):
                client.action_muzza_risk_recompute()
        self.assertTrue(self.file(client).vat_invalid)
        self.assertIn("+10: a VAT number that fails its check", self.file(client).factors)
        self.company.vat_check_vies = False
        self.env.invalidate_all()  # as the next night's run starts afresh
        with freeze_time(TODAY):
            client.action_muzza_risk_recompute()
        self.assertFalse(self.file(client).vat_invalid)

    def test_the_aged_receivables_of_the_risky_customers(self):
        run_cron_like_odoo(self.env, "muzza_receivables.ir_cron_risk_signals", TODAY)
        customers = self.client | self.bystander
        with freeze_time(TODAY):
            report = (
                self.env["muzza.aging.report"]
                .with_user(self.billing)
                .create(
                    {
                        "as_of_date": TODAY,
                        "company_ids": [Command.set(self.company.ids)],
                        "partner_ids": [Command.set(customers.ids)],
                        "hide_zero": False,
                    }
                )
            )
            report._refresh_lines()
            self.assertEqual(report.line_ids.partner_id, self.client)  # the bystander owes nothing
            report.muzza_risk_level = "high"  # the client is at 62
            report._refresh_lines()
            self.assertEqual(report.line_ids.partner_id, self.client)
            self.assertIn("Customers at high risk or above.", report._options_text())
            report.muzza_risk_level = "blocked"
            report._refresh_lines()
            self.assertFalse(report.line_ids)

    def test_an_invoice_credit_notes_alone_settle_was_never_paid(self):
        customer = self.env["res.partner"].create({"name": "Credited Co", "is_company": True})
        cancelled = self._invoice(customer, 500.0, "2026-06-01", "2026-06-30")
        refund = cancelled._reverse_moves([{"invoice_date": "2026-09-01", "date": "2026-09-01"}])
        refund.action_post()  # Odoo matches a credit note with the invoice it reverses
        # credited in part, the rest paid 20 days late: paid, and late
        mixed = self._invoice(customer, 1000.0, "2026-07-01", "2026-07-31")
        part = mixed._reverse_moves([{"invoice_date": "2026-08-10", "date": "2026-08-10"}])
        part.invoice_line_ids.price_unit = 400.0
        part.action_post()
        self._pay(mixed, 600.0, "2026-08-20")
        self.assertEqual(cancelled.payment_state, "reversed")
        with freeze_time(TODAY):
            customer.action_muzza_risk_recompute()
        profile = self.file(customer)
        self.assertEqual((profile.paid_count, profile.late_count, profile.avg_days_late), (1, 1, 20.0))

    def test_the_vat_check_is_base_vats(self):
        Profile = self.env["muzza.risk.profile"]
        rules = {
            "codes": {code.lower() for code in self.env["res.country"].search([]).mapped("code")},
            "europe": self.env.ref("base.europe").country_ids,
        }
        Partner = self.env["res.partner"]
        be, es, us = self.env.ref("base.be"), self.env.ref("base.es"), self.env.ref("base.us")
        for vat, country in (
            ("BE0477472701", be),
            ("BE0477472702", be),
            ("0477472701", be),
            ("ESA12345674", es),
            ("ESX1234567Z", es),
            ("A12345674", es),
            ("12-3456789", us),
            ("XX123", False),
            ("FR123", False),
            ("EU123456789", us),
        ):
            with self.subTest(vat=vat, country=country and country.code):
                country = country or self.env["res.country"]
                expected = Partner._run_vat_test(vat, country, True) is False
                self.assertEqual(Profile._muzza_vat_fails(vat, country, rules), expected)

    def test_a_customer_that_fails_is_marked_and_the_others_are_done(self):
        Profile = self.registry["muzza.risk.profile"]
        original = Profile._muzza_recompute_signals
        broken = self.client

        def flaky(records, today=None):
            if broken in records.partner_id:
                raise ValueError("broken customer")
            return original(records, today)

        with (
            patch.object(Profile, "_muzza_recompute_signals", flaky),
            mute_logger("odoo.addons.muzza_receivables.models.muzza_cron_batch"),
        ):
            run_cron_like_odoo(self.env, "muzza_receivables.ir_cron_risk_signals", TODAY)
        failed = self.file()
        self.assertEqual((failed.signals_on, failed.paid_count), (D(2026, 11, 24), 0))
        self.assertTrue(failed.message_ids.filtered(lambda m: "broken customer" in (m.body or "")))
        other = self.file(self.bystander)
        self.assertEqual((other.signals_on, other.paid_count), (D(2026, 11, 24), 1))
        # the next night, it is done like the others
        run_cron_like_odoo(self.env, "muzza_receivables.ir_cron_risk_signals", "2026-11-25")
        self.assertEqual(self.file().paid_count, 3)
