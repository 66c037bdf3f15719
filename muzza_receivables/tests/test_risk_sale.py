# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import datetime

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.mail.tests.common import mail_new_test_user

from .test_invoice_report import visible_text

SALESMAN = "base.group_user,sales_team.group_sale_salesman"


@tagged("post_install", "-at_install")
class TestRiskSale(AccountTestInvoicingCommon):
    """What a customer's payment risk does to a sale, as a salesperson sees
    it: a warning from medium, a deposit and a manager's approval at high,
    nothing confirmed when blocked, by any path."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company.write(
            {
                "muzza_deposit_who": "risk",
                "muzza_deposit_risk_level": "high",
                "muzza_deposit_kind": "percentage",
                "muzza_deposit_value": 30.0,
                "muzza_deposit_minimum": 0.0,
                "muzza_deposit_blocks_work": True,
            }
        )
        cls.signs = cls.env["muzza.risk.sign"].create(
            [
                {"name": name, "weight": 25, "company_id": cls.company.id}
                for name in (
                    "Ambiguous answers",
                    "Focus on price alone",
                    "Refuses a contract",
                    "Bad references",
                )
            ]
        )
        cls.product = cls.env["product.product"].create(
            {"name": "Design hour", "type": "service", "list_price": 100.0, "invoice_policy": "order"}
        )
        cls.product.taxes_id = [Command.clear()]
        cls.customer = cls.env["res.partner"].create(
            {"name": "Shady Newcomer Ltd", "email": "ap@shady.example.com", "lang": "en_US"}
        )
        cls.seller = mail_new_test_user(cls.env, login="muzza_risk_seller", groups=SALESMAN)
        cls.manager = mail_new_test_user(
            cls.env,
            login="muzza_risk_manager",
            groups="base.group_user,sales_team.group_sale_salesman,account.group_account_invoice,"
            "muzza_receivables.group_receivables_manager",
        )
        cls.billing = mail_new_test_user(
            cls.env, login="muzza_risk_billing", groups="base.group_user,account.group_account_invoice"
        )
        cls.portal = mail_new_test_user(cls.env, login="muzza_risk_portal", groups="base.group_portal")

    def _quotation(self, partner=None, hours=10, user=None, company=None):
        env = self.env(user=user) if user else self.env
        values = {
            "partner_id": (partner or self.customer).id,
            "order_line": [Command.create({"product_id": self.product.id, "product_uom_qty": hours})],
        }
        if company:
            values["company_id"] = company.id
        return env["sale.order"].create(values)

    def _tick(self, count, partner=None, user=None):
        """Tick warning signs until ``count`` are ticked on the customer."""
        env = self.env(user=user or self.seller)
        partner = partner or self.customer
        ticked = self.env["muzza.risk.flag"].search([("partner_id", "=", partner.id)]).sign_id
        for sign in self.signs[:count] - ticked:
            env["muzza.risk.flag"].create({"partner_id": partner.id, "sign_id": sign.id})

    def _grant(self, order, amount=None, until=None, reason="Known to our director"):
        approval = order.muzza_risk_approval_ids.filtered(lambda a: a.state == "requested")
        wizard = (
            self.env["muzza.risk.approval.decide"]
            .with_user(self.manager)
            .create(
                {
                    "approval_id": approval.id,
                    "decision": "grant",
                    "amount": amount if amount is not None else order.amount_total,
                    "expiry_date": until or fields.Date.today() + datetime.timedelta(days=10),
                    "reason": reason,
                }
            )
        )
        wizard.action_decide()
        return approval

    # ------------------------------------------------------------------------

    def test_signs_ticked_by_a_salesperson_bring_the_warning_deposit_and_approval(self):
        order = self._quotation(user=self.seller)
        self.assertFalse(order.muzza_risk_warning)
        self.assertEqual(order.muzza_deposit_amount, 0.0)

        self._tick(1)  # 25 points: medium
        order.invalidate_recordset()
        self.assertEqual(order.muzza_risk_level, "medium")
        self.assertIn("Shady Newcomer Ltd: Medium payment risk (score 25).", order.muzza_risk_warning)
        self.assertEqual(order.muzza_deposit_amount, 0.0, "no deposit below high")
        self.assertFalse(order.muzza_risk_hold)

        self._tick(2)  # 50 points: high
        order.invalidate_recordset()
        self.assertEqual(order.muzza_risk_level, "high")
        self.assertIn("Confirming needs a receivables manager's approval", order.muzza_risk_warning)
        self.assertEqual(order.muzza_deposit_rule_amount, 300.0, "the deposit rule follows the level")
        self.assertEqual(order.muzza_deposit_amount, 300.0)
        self.assertEqual(order.muzza_risk_hold, "approval")

        with self.assertRaises(UserError) as refusal:
            order.action_confirm()
        message = str(refusal.exception)
        self.assertIn("+25: warning sign: Ambiguous answers", message, "it says why")
        self.assertIn("of at least", message, "and what would lift it")
        self.assertIn("paid online", message)
        self.assertEqual(order.state, "draft")

        order.action_muzza_request_risk_approval()
        approval = order.muzza_risk_approval_ids
        self.assertEqual(approval.state, "requested")
        self.assertEqual(approval.requested_by, self.seller)
        self.assertIn(self.manager, approval.sudo().activity_ids.user_id, "the managers are asked")
        with self.assertRaises(UserError):
            order.action_muzza_request_risk_approval()  # once is enough

        approval = self._grant(order.with_env(self.env))
        self.assertEqual(approval.state, "granted")
        self.assertEqual(approval.approver_id, self.manager)
        self.assertTrue(approval.decided_on)
        self.assertEqual(approval.reason, "Known to our director")
        self.assertFalse(approval.activity_ids, "the managers' activities are done")
        self.assertIn("Known to our director", visible_text(approval.message_ids[:1].body))
        self.assertTrue(any("Known to our director" in (m.body or "") for m in order.sudo().message_ids))

        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_a_salesperson_cannot_grant_by_any_path(self):
        self._tick(2)
        order = self._quotation(user=self.seller)
        order.action_muzza_request_risk_approval()
        approval = order.muzza_risk_approval_ids
        Decide = self.env["muzza.risk.approval.decide"].with_user(self.seller)
        with self.assertRaises(AccessError):
            Decide.create({"approval_id": approval.id, "decision": "grant", "reason": "me", "amount": 1000})
        with self.assertRaises(AccessError):
            approval.action_muzza_grant()
        with self.assertRaises(AccessError):
            approval.write({"state": "granted", "amount": 1000.0, "expiry_date": "2099-01-01"})
        with self.assertRaises(AccessError):
            self.env["muzza.risk.approval"].with_user(self.seller).create(
                {
                    "order_id": order.id,
                    "company_id": self.company.id,
                    "partner_id": self.customer.id,
                    "currency_id": order.currency_id.id,
                    "state": "granted",
                    "amount": 1000.0,
                    "expiry_date": "2099-01-01",
                }
            )
        with self.assertRaises(AccessError):
            # nor the wizard's own action, run on a wizard made by someone else
            wizard = (
                self.env["muzza.risk.approval.decide"]
                .with_user(self.manager)
                .create({"approval_id": approval.id, "decision": "grant", "reason": "ok"})
            )
            wizard.with_user(self.seller).action_decide()
        # billing users read it, and nothing more
        self.assertEqual(approval.with_user(self.billing).state, "requested")
        with self.assertRaises(AccessError):
            approval.with_user(self.billing).write({"state": "granted"})
        with self.assertRaises(UserError):
            order.with_user(self.seller).action_confirm()

    def test_an_approval_counts_only_within_its_amount_its_date_and_its_order(self):
        self._tick(2)
        order = self._quotation(user=self.seller)
        order.action_muzza_request_risk_approval()
        today = fields.Date.today()
        self._grant(order.with_env(self.env), until=today + datetime.timedelta(days=5))
        self.assertTrue(order.muzza_risk_approval_ids.counts)

        # duplicated: the copy has no approval
        copy = order.copy()
        self.assertFalse(copy.sudo().muzza_risk_approval_ids)
        with self.assertRaises(UserError):
            copy.with_user(self.seller).action_confirm()

        # grown past the amount approved
        order.write({"order_line": [Command.create({"product_id": self.product.id, "product_uom_qty": 1})]})
        with self.assertRaises(UserError) as refusal:
            order.action_confirm()
        self.assertIn("less than the order's total", str(refusal.exception))
        order.order_line[-1].unlink()

        # past its expiry
        with freeze_time(today + datetime.timedelta(days=6)):
            order.invalidate_recordset()
            with self.assertRaises(UserError) as refusal:
                order.action_confirm()
            self.assertIn("expired on", str(refusal.exception))
        order.invalidate_recordset()
        order.with_user(self.seller).action_confirm()
        self.assertEqual(order.state, "sale")

    def test_a_blocked_customer_is_confirmed_by_no_path(self):
        order = self._quotation(user=self.seller)
        self._tick(4)  # 100 points: blocked
        order.invalidate_recordset()
        self.assertEqual(order.muzza_risk_hold, "blocked")
        with self.assertRaises(UserError) as refusal:
            order.with_user(self.seller).action_confirm()
        self.assertIn("cannot be confirmed", str(refusal.exception))
        self.assertIn("Override Level", str(refusal.exception))
        with self.assertRaises(UserError):
            order.with_user(self.seller).action_muzza_request_risk_approval()
        for attempt in (
            lambda: order.sudo().action_confirm(),
            lambda: order.with_user(self.manager).write({"state": "sale"}),
            lambda: order.sudo()._action_confirm(),
            lambda: order.copy({"state": "sale"}),
        ):
            with self.assertRaises(UserError), self.env.cr.savepoint():
                attempt()
            self.assertEqual(order.state, "draft")
        result = (
            self.env["sale.order"]
            .with_user(self.manager)
            .load(["id", "state"], [[order.get_external_id()[order.id] or self._xmlid(order), "sale"]])
        )
        self.assertFalse(result["ids"], result["messages"])
        self.assertEqual(order.state, "draft")
        # no money is taken for it
        with self.assertRaises(UserError):
            order.sudo()._get_default_payment_link_values()
        self.assertFalse(order.sudo()._has_to_be_paid())
        self.assertFalse(order.sudo()._has_to_be_signed())

    def _xmlid(self, record):
        self.env["ir.model.data"].create(
            {"module": "__test__", "name": "order_%s" % record.id, "model": record._name, "res_id": record.id}
        )
        return "__test__.order_%s" % record.id

    def test_a_lower_level_set_by_a_manager_lifts_the_block(self):
        self._tick(4)
        order = self._quotation(user=self.seller)
        profile = self.env["muzza.risk.profile"]._muzza_for(self.customer, self.company)
        profile.with_user(self.manager)._muzza_set_override(
            "medium", "Paid everything upfront for years", False
        )
        order.invalidate_recordset()
        self.assertFalse(order.muzza_risk_hold)
        self.assertEqual(order.muzza_deposit_amount, 0.0, "the deposit follows the level down")
        order.with_user(self.seller).action_confirm()
        self.assertEqual(order.state, "sale")

    def test_a_higher_level_set_by_a_manager_says_who_and_why(self):
        order = self._quotation(user=self.seller)
        profile = self.env["muzza.risk.profile"]._muzza_for(self.customer, self.company)
        profile.with_user(self.manager)._muzza_set_override("blocked", "Court case pending", False)
        order.invalidate_recordset()
        with self.assertRaises(UserError) as refusal:
            order.with_user(self.seller).action_confirm()
        self.assertIn("Set by %s: Court case pending" % self.manager.name, str(refusal.exception))

    def test_a_level_in_one_company_does_not_touch_another(self):
        company_b = self.setup_other_company(name="Risk Co B")["company"]
        self._tick(4)
        self.seller.write({"company_ids": [Command.link(company_b.id)]})
        order_b = self._quotation(company=company_b)
        self.assertEqual(order_b.muzza_risk_level, "low")
        self.assertFalse(order_b.muzza_risk_hold)
        order_b.action_confirm()
        self.assertEqual(order_b.state, "sale")
        self.assertEqual(self._quotation().muzza_risk_hold, "blocked")

    def test_a_contract_names_shorter_payment_terms_at_high_risk(self):
        usual = self.env.ref("account.account_payment_term_30days")
        short = self.env.ref("account.account_payment_term_immediate")
        template = self.env["muzza.contract.template"].create(
            {
                "name": "Standard",
                "payment_term_id": usual.id,
                "muzza_high_risk_payment_term_id": short.id,
                "invoice_trigger": "confirmation",
                "company_id": self.company.id,
            }
        )
        order = self._quotation()
        order.muzza_contract_template_id = template
        self.assertEqual(order.payment_term_id, usual)
        self.assertNotIn("replace", " ".join(order._muzza_terms_lines()))
        self._tick(2)
        order.invalidate_recordset()
        self.assertEqual(order.payment_term_id, short, "the quotation takes the shorter terms")
        terms = " ".join(order._muzza_terms_lines())
        self.assertIn(short.name, terms)
        self.assertIn("replace the contract's usual terms", terms)
        self.assertNotIn("risk", terms)

    def test_the_invoice_form_warns_from_medium(self):
        invoice = self.init_invoice("out_invoice", partner=self.customer, amounts=[100.0])
        self.assertFalse(invoice.muzza_risk_warning)
        self._tick(1)
        invoice.invalidate_recordset()
        self.assertIn("Medium payment risk", invoice.with_user(self.billing).muzza_risk_warning)

    def test_portal_users_and_the_customers_documents_show_none_of_it(self):
        self._tick(2)
        order = self._quotation()
        order.action_muzza_request_risk_approval()
        self.portal.partner_id.write({"parent_id": False})
        order.sudo().write({"partner_id": self.portal.partner_id.id})
        self.env["muzza.risk.flag"].with_user(self.seller).create(
            {"partner_id": self.portal.partner_id.id, "sign_id": self.signs[0].id}
        )
        self.env["muzza.risk.flag"].with_user(self.seller).create(
            {"partner_id": self.portal.partner_id.id, "sign_id": self.signs[1].id}
        )
        as_portal = order.with_user(self.portal)
        for name in ("muzza_risk_warning", "muzza_risk_level", "muzza_risk_hold", "muzza_risk_approval_ids"):
            with self.assertRaises(AccessError):
                as_portal.read([name])
        with self.assertRaises(AccessError):
            self.env["muzza.risk.approval"].with_user(self.portal).search([])
        with self.assertRaises(AccessError):
            self.portal.partner_id.with_user(self.portal).read(["muzza_risk_level"])
        html = self.env["ir.actions.report"]._render_qweb_html("sale.report_saleorder", order.ids)[0]
        text = visible_text(html.decode())
        self.assertIn(order.name, text)
        for word in ("payment risk", "Risk", "approval", "warning sign", "Ambiguous", "Focus on price"):
            self.assertNotIn(word, text)


@tagged("post_install", "-at_install")
class TestRiskSaleOnline(AccountTestInvoicingCommon):
    """Paid online: a high-risk order paid in full is confirmed (the money
    is in); a blocked customer's quotation takes no money."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Provider = cls.env["payment.provider"].sudo()
        provider = Provider.search([("code", "=", "demo"), ("company_id", "=", cls.env.company.id)], limit=1)
        if not provider:
            provider = Provider.search([("code", "=", "demo")], limit=1).copy(
                {"company_id": cls.env.company.id}
            )
        provider.write({"state": "test"})
        cls.provider = provider
        cls.signs = cls.env["muzza.risk.sign"].create(
            [{"name": "Sign %s" % n, "weight": 25, "company_id": cls.env.company.id} for n in range(4)]
        )
        cls.product = cls.env["product.product"].create(
            {"name": "Design hour", "type": "service", "list_price": 100.0, "invoice_policy": "order"}
        )
        cls.product.taxes_id = [Command.clear()]
        cls.customer = cls.env["res.partner"].create(
            {"name": "Online Risky", "email": "ap@risky.example.com"}
        )
        cls.seller = mail_new_test_user(cls.env, login="muzza_risk_online_seller", groups=SALESMAN)

    def _quotation(self):
        return self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "require_payment": True,
                "prepayment_percent": 0.3,
                "order_line": [Command.create({"product_id": self.product.id, "product_uom_qty": 10})],
            }
        )

    def _tick(self, count):
        for sign in self.signs[:count]:
            self.env["muzza.risk.flag"].with_user(self.seller).create(
                {"partner_id": self.customer.id, "sign_id": sign.id}
            )

    def _transaction(self, order, amount):
        return (
            self.env["payment.transaction"]
            .sudo()
            .create(
                {
                    "provider_id": self.provider.id,
                    "payment_method_id": self.env.ref("payment_demo.payment_method_demo").id,
                    "amount": amount,
                    "currency_id": order.currency_id.id,
                    "partner_id": order.partner_invoice_id.id,
                    "sale_order_ids": [Command.set(order.ids)],
                    "operation": "online_direct",
                }
            )
        )

    def test_a_high_risk_order_paid_in_full_online_is_not_held(self):
        order = self._quotation()
        self._tick(2)
        order.invalidate_recordset()
        self.assertEqual(order._get_prepayment_required_amount(), 1000.0, "only the whole order confirms it")
        # and its terms say so, not that a deposit is what is paid online
        terms = " ".join(order._muzza_terms_lines()).replace("\xa0", " ")
        self.assertIn("is paid online when you accept this quotation", terms)
        self.assertIn("The whole order, ", terms)
        self.assertNotIn("A deposit of", terms)
        part = self._transaction(order, 300.0)
        part._set_done()
        part._post_process()
        self.assertEqual(order.state, "draft", "a part paid does not confirm it")
        rest = self._transaction(order, 700.0)
        rest._set_done()
        rest._post_process()
        self.assertEqual(order.state, "sale", "paid in full: the money is in")

    def test_a_blocked_customer_pays_no_quotation(self):
        order = self._quotation()
        self._tick(4)
        with self.assertRaises(UserError) as refusal:
            self._transaction(order, 1000.0)
        self.assertNotIn("risk", str(refusal.exception), "the customer reads it")
        self.assertFalse(order.sudo().transaction_ids)
