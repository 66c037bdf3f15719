# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from types import SimpleNamespace

from freezegun import freeze_time
from lxml import etree

from odoo import fields
from odoo.tests import TransactionCase, tagged
from odoo.tools.safe_eval import safe_eval

from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.mail.tests.common import mail_new_test_user


@tagged("post_install", "-at_install", "muzza_once_without_stock")
class TestOverdueInvoices(AccountTestInvoicingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pay_30 = cls.env.ref("account.account_payment_term_30days")
        cls.customer = cls.env["res.partner"].create({"name": "Late Payer Ltd"})

    def _invoice(self, invoice_date, move_type="out_invoice", post=True, amount=1000.0):
        move = self.init_invoice(
            move_type,
            partner=self.customer,
            invoice_date=invoice_date,
            amounts=[amount],
            taxes=self.env["account.tax"],
        )
        move.invoice_payment_term_id = self.pay_30
        if post:
            move.action_post()
        return move

    def _overdue_action_records(self):
        """Records the "Overdue Invoices" menu shows, as the web client would
        compute them: the action's domain plus its default search filter."""
        action = self.env.ref("muzza_receivables.action_overdue_invoices")
        context = safe_eval(action.context)
        self.assertTrue(context.get("search_default_late"), "the Overdue filter is on by default")
        search_view = self.env["account.move"].get_view(action.search_view_id.id, "search")
        late = etree.fromstring(search_view["arch"]).xpath("//filter[@name='late']")
        self.assertEqual(len(late), 1, "core search view still has the 'late' filter")
        # The web client evaluates these with the browser's clock; here the
        # (possibly frozen) server clock plays that part.
        eval_ctx = {
            "time": SimpleNamespace(strftime=lambda fmt: fields.Date.today().strftime(fmt)),
            "context_today": fields.Date.today,
            "uid": self.env.uid,
        }
        domain = safe_eval(action.domain, eval_ctx) + safe_eval(late[0].get("domain"), eval_ctx)
        return self.env["account.move"].search(domain)

    def test_days_overdue_counts_from_the_day_after_the_due_date(self):
        invoice = self._invoice("2026-01-10")
        self.assertEqual(str(invoice.invoice_date_due), "2026-02-09")
        with freeze_time("2026-02-09"):
            invoice.invalidate_recordset(["muzza_days_overdue"])
            self.assertEqual(invoice.muzza_days_overdue, 0, "not overdue on the due date")
        with freeze_time("2026-02-10"):
            invoice.invalidate_recordset(["muzza_days_overdue"])
            self.assertEqual(invoice.muzza_days_overdue, 1)
        with freeze_time("2026-05-10"):
            invoice.invalidate_recordset(["muzza_days_overdue"])
            self.assertEqual(invoice.muzza_days_overdue, 90)

    def test_days_overdue_is_zero_once_paid_and_for_drafts_and_credit_notes(self):
        invoice = self._invoice("2026-01-10")
        draft = self._invoice("2026-01-10", post=False)
        refund = self._invoice("2026-01-10", move_type="out_refund")
        with freeze_time("2026-03-01"):
            (invoice | draft | refund).invalidate_recordset(["muzza_days_overdue"])
            self.assertEqual(invoice.muzza_days_overdue, 20)
            self.assertEqual(draft.muzza_days_overdue, 0)
            self.assertEqual(refund.muzza_days_overdue, 0)
            self.env["account.payment.register"].with_context(
                active_model="account.move", active_ids=invoice.ids
            ).create({"payment_date": "2026-03-01"})._create_payments()
            self.assertIn(invoice.payment_state, ("paid", "in_payment"))
            invoice.invalidate_recordset(["muzza_days_overdue"])
            self.assertEqual(invoice.muzza_days_overdue, 0)

    def test_partially_paid_invoice_stays_overdue(self):
        invoice = self._invoice("2026-01-10")
        with freeze_time("2026-03-01"):
            self.env["account.payment.register"].with_context(
                active_model="account.move", active_ids=invoice.ids
            ).create({"payment_date": "2026-03-01", "amount": 400.0})._create_payments()
            self.assertEqual(invoice.payment_state, "partial")
            invoice.invalidate_recordset(["muzza_days_overdue"])
            self.assertEqual(invoice.muzza_days_overdue, 20)
            self.assertIn(invoice, self._overdue_action_records())

    def test_overdue_menu_lists_only_late_unpaid_customer_invoices(self):
        with freeze_time("2026-03-01"):
            late = self._invoice("2026-01-10")
            not_due = self._invoice("2026-02-20")
            draft = self._invoice("2026-01-10", post=False)
            paid = self._invoice("2026-01-10")
            self.env["account.payment.register"].with_context(
                active_model="account.move", active_ids=paid.ids
            ).create({"payment_date": "2026-02-01"})._create_payments()
            bill = self.init_invoice(
                "in_invoice", partner=self.customer, invoice_date="2026-01-10", amounts=[50.0], post=True
            )
            shown = self._overdue_action_records()
        self.assertIn(late, shown)
        for other in (not_due, draft, paid, bill):
            self.assertNotIn(other, shown)

    def test_overdue_menu_is_for_billing_staff_not_for_salespeople(self):
        root = self.env.ref("muzza_receivables.menu_receivables_root")
        overdue = self.env.ref("muzza_receivables.menu_overdue_invoices")
        invoicing = self.env.ref("account.menu_finance")
        biller = mail_new_test_user(
            self.env, login="muzza_biller", groups="base.group_user,account.group_account_invoice"
        )
        seller = mail_new_test_user(
            self.env, login="muzza_seller", groups="base.group_user,sales_team.group_sale_salesman"
        )
        # The menu tree the web client draws for each of them.
        menus = self.env["ir.ui.menu"].with_user(biller).load_menus(debug=False)
        self.assertIn(root.id, menus[invoicing.id]["children"], "Invoicing > Receivables")
        piling_up = self.env.ref("muzza_receivables.menu_orders_work_piling_up")
        retainers = self.env.ref("muzza_receivables.menu_muzza_retainer")
        consents = self.env.ref("muzza_receivables.menu_muzza_autopay_consent")
        charges = self.env.ref("muzza_receivables.menu_muzza_autopay_attempt")
        risk = self.env.ref("muzza_receivables.menu_muzza_risk_profile")
        approvals = self.env.ref("muzza_receivables.menu_muzza_risk_approval")
        reminders = self.env.ref("muzza_receivables.menu_muzza_reminder")
        promises = self.env.ref("muzza_receivables.menu_muzza_reminder_promise")
        disputes = self.env.ref("muzza_receivables.menu_muzza_reminder_dispute")
        self.assertEqual(
            menus[root.id]["children"],
            [
                overdue.id,
                reminders.id,
                promises.id,
                disputes.id,
                piling_up.id,
                retainers.id,
                consents.id,
                risk.id,
                charges.id,
                approvals.id,
            ],
            "Receivables > Overdue Invoices, Payment Reminders, Promises to Pay, Disputes, Uninvoiced "
            "Work Piling Up, Retainers, Automatic Payment Consents, Customer Risk, Automatic Charges, "
            "Sales Approvals at Risk",
        )
        self.assertEqual(menus[overdue.id]["name"], "Overdue Invoices")
        self.assertEqual(
            menus[overdue.id]["action"],
            "ir.actions.act_window,%d" % self.env.ref("muzza_receivables.action_overdue_invoices").id,
        )
        menus = self.env["ir.ui.menu"].with_user(seller).load_menus(debug=False)
        self.assertNotIn(root.id, menus)
        self.assertNotIn(overdue.id, menus)


@tagged("post_install", "-at_install")
class TestOverdueDemoData(TransactionCase):
    def test_demo_data_shows_overdue_customers_in_english_and_spanish(self):
        harbor_75 = self.env.ref("muzza_receivables.demo_invoice_harbor_75", raise_if_not_found=False)
        if not harbor_75:
            self.skipTest("the database was installed without demo data")
        today = fields.Date.context_today(self.env["account.move"])
        demo = {
            "demo_invoice_harbor_75": 45,
            "demo_invoice_harbor_40": 10,
            "demo_invoice_alhambra_60": 45,
            "demo_invoice_alhambra_5": 0,
        }
        for xmlid, days in demo.items():
            invoice = self.env.ref("muzza_receivables." + xmlid)
            self.assertEqual(invoice.state, "posted", xmlid)
            expected = days if invoice.create_date.date() == today else None
            if expected is not None:
                # dates are relative to the install day, so exact counts only hold on it
                self.assertEqual(invoice.muzza_days_overdue, expected, xmlid)
            self.assertEqual(invoice.muzza_days_overdue, max((today - invoice.invoice_date_due).days, 0))
        alhambra = self.env.ref("muzza_receivables.demo_partner_alhambra")
        self.assertEqual(alhambra.lang, "es_ES")
        # late-fee terms frozen at posting, the Spanish customer's statutory
        statutory = self.env.ref("muzza_receivables.demo_invoice_alhambra_60")
        self.assertEqual(statutory.muzza_fee_policy_id.preset, "es_ley_3_2004")
        self.assertEqual(
            statutory.partner_id, self.env.ref("muzza_receivables.demo_partner_alhambra_billing")
        )
        # 45 days late: what applies now, not what would happen
        self.assertIn("se devengan intereses del 10,15 % anual", statutory.muzza_fee_sentence)
        self.assertEqual(harbor_75.muzza_fee_terms["rate"], "1.5")
        quotation = self.env.ref("muzza_receivables.demo_quotation_harbor")
        self.assertEqual(quotation.muzza_contract_template_id.name, "Design work, invoiced fortnightly")
        self.assertTrue(
            quotation._muzza_terms_lines()[0].startswith("We invoice the work delivered every 2 weeks")
        )
        self.assertTrue(self.env["res.lang"]._lang_get("es_ES").active)
