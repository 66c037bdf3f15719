# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from lxml import etree

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import Form, HttpCase, tagged

from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.mail.tests.common import mail_new_test_user


@tagged("post_install", "-at_install")
class TestEachRoleDoesItsJob(AccountTestInvoicingCommon):
    """Each role, with only its own groups, does its everyday work."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.write(
            {
                "muzza_deposit_who": "new_clients",
                "muzza_deposit_kind": "percentage",
                "muzza_deposit_value": 30.0,
                "muzza_deposit_minimum": 0.0,
                "muzza_deposit_blocks_work": True,
                "email": "billing@company.example.com",
            }
        )
        cls.product = cls.env["product.product"].create(
            {"name": "Design hour", "type": "service", "list_price": 100.0, "invoice_policy": "order"}
        )
        cls.product.taxes_id = [Command.clear()]
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Requires PO SL",
                "is_company": True,
                "email": "ap@po.example.com",
                "muzza_requires_po": True,
            }
        )
        # a salesperson as Odoo makes one: own documents, and contact creation
        cls.seller = mail_new_test_user(
            cls.env,
            login="muzza_roles_seller",
            groups="base.group_user,base.group_partner_manager,sales_team.group_sale_salesman",
        )
        cls.seller.email = False  # many salespeople have none; they need none

    def _quotation(self, user=None, **values):
        return (
            self.env["sale.order"]
            .with_user(user or self.seller)
            .create(
                {
                    "partner_id": self.customer.id,
                    "user_id": (user or self.seller).id,
                    "order_line": [Command.create({"product_id": self.product.id, "product_uom_qty": 10})],
                    **values,
                }
            )
        )

    def test_a_quotation_whose_invoices_are_automatic_asks_for_the_po_number_first(self):
        order = self._quotation()
        self.assertEqual(order.muzza_deposit_amount, 300.0)
        self.assertTrue(order.muzza_reference_missing, "the form warns the salesperson")
        for action in ("action_quotation_send", "action_confirm"):
            with self.subTest(action=action), self.assertRaisesRegex(UserError, "purchase-order number"):
                getattr(order, action)()
        self.assertEqual(order.state, "draft")
        self.assertFalse(order.invoice_ids, "nothing half-done: no deposit invoice")
        self.assertFalse(order.sudo()._has_to_be_signed(), "the customer cannot accept it online yet")
        self.assertFalse(order.sudo()._has_to_be_paid())
        order.client_order_ref = "PO-2026-118"
        self.assertFalse(order.muzza_reference_missing)
        order.action_confirm()
        deposit = order.sudo()._muzza_deposit_invoices()
        self.assertEqual(deposit.state, "posted")
        self.assertEqual(deposit.ref, "PO-2026-118", "Odoo carries the reference to the invoice")

    def test_a_quotation_invoiced_by_hand_does_not_ask_for_it(self):
        self.customer.muzza_requires_po = True
        paying = self.env["res.partner"].create({"name": "Paid Before SL", "muzza_requires_po": True})
        paid = self.init_invoice("out_invoice", partner=paying, amounts=[10.0], post=False)
        paid.ref = "PO-1"
        paid.action_post()
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=paid.ids
        ).create({})._create_payments()
        order = self._quotation(partner_id=paying.id)
        self.assertFalse(order.muzza_deposit_amount, "a paying client pays no deposit")
        self.assertFalse(order.muzza_reference_missing)
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_a_salesperson_sees_what_the_customer_requires_and_agreed_to(self):
        template = self.env["muzza.contract.template"].create(
            {"name": "Monthly", "payment_term_id": self.env.ref("account.account_payment_term_30days").id}
        )
        arch = etree.fromstring(
            self.env["res.partner"]
            .with_user(self.seller)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        group = arch.xpath("//group[@name='muzza_getting_paid_sales']")
        self.assertTrue(group, "on the Sales & Purchase tab")
        fields = {node.get("name"): node.get("readonly") for node in group[0].iter("field")}
        self.assertEqual(fields["muzza_requires_po"], "1")
        self.assertEqual(fields["muzza_late_fee_policy_id"], "1")
        self.assertNotEqual(fields["muzza_contract_template_id"], "1", "the salesperson chooses the contract")
        with Form(self.customer.with_user(self.seller)) as form:
            self.assertTrue(form.muzza_requires_po)
            form.muzza_contract_template_id = template
        self.assertEqual(self.customer.muzza_contract_template_id, template)
        # an accountant reads the same on the Invoicing tab, not twice
        accountant = mail_new_test_user(
            self.env, login="muzza_roles_accountant", groups="base.group_user,account.group_account_manager"
        )
        arch = etree.fromstring(
            self.env["res.partner"]
            .with_user(accountant)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        self.assertFalse(arch.xpath("//group[@name='muzza_getting_paid_sales']"))
        self.assertTrue(arch.xpath("//group[@name='muzza_invoice_requirements']"))

    def test_a_salesperson_starts_a_retainer(self):
        customer = self.env["res.partner"].create(
            {"name": "Retained Ltd", "is_company": True, "email": "r@x.example"}
        )
        retainer = (
            self.env["muzza.retainer"]
            .with_user(self.seller)
            .create(
                {
                    "partner_id": customer.id,
                    "amount": 1000.0,
                    "period": "month",
                    "date_start": "2027-01-01",
                }
            )
        )
        self.assertNotEqual(retainer.name, "/")
        retainer.with_user(self.seller).action_start()
        self.assertEqual(retainer.state, "running")
        order = retainer.sudo().sale_order_id
        self.assertEqual(order.state, "sale")
        self.assertFalse(order.muzza_deposit_amount, "a retainer's order asks no deposit of its own")
        self.assertFalse(order.muzza_contract_template_id)
        self.assertFalse(order.invoice_ids)

    def test_a_sales_manager_confirms_and_invoices_once_the_deposit_is_paid(self):
        manager = mail_new_test_user(
            self.env,
            login="muzza_roles_sales_manager",
            groups="base.group_user,base.group_partner_manager,sales_team.group_sale_manager",
        )
        manager.email = False
        order = self._quotation(user=manager, client_order_ref="PO-7")
        order.with_user(manager).action_confirm()
        deposit = order.sudo()._muzza_deposit_invoices()
        self.assertEqual((deposit.state, deposit.ref), ("posted", "PO-7"))
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=deposit.ids
        ).create({})._create_payments()
        wizard = (
            self.env["sale.advance.payment.inv"]
            .with_user(manager)
            .with_context(active_model="sale.order", active_ids=order.ids)
            .create({"advance_payment_method": "delivered"})
        )
        wizard.create_invoices()
        final = order.sudo().invoice_ids - deposit
        self.assertEqual(final.amount_total, 700.0, "the deposit is deducted")
        self.assertEqual(final.ref, "PO-7")


@tagged("post_install", "-at_install")
class TestThePortalUser(AccountTestInvoicingCommon, HttpCase):
    """A portal user is not asked to sign a quotation that cannot be invoiced
    yet, and is told why."""

    def test_a_portal_user_is_told_its_po_number_is_needed_before_it_can_accept(self):
        self.env.company.write(
            {
                "muzza_deposit_who": "all",
                "muzza_deposit_kind": "percentage",
                "muzza_deposit_value": 30.0,
                "portal_confirmation_sign": True,
            }
        )
        customer = self.env["res.partner"].create(
            {"name": "Needs PO SL", "is_company": True, "muzza_requires_po": True, "lang": "en_US"}
        )
        contact = self.env["res.partner"].create(
            {"name": "Ana Buyer", "parent_id": customer.id, "email": "ana@needs-po.example.com"}
        )
        mail_new_test_user(
            self.env, login="muzza_portal_ana", groups="base.group_portal", partner_id=contact.id
        )
        # a service: where the stock app is installed a consumable would
        # need a warehouse, which pytest-odoo does not give test companies
        service = self.env["product.product"].create(
            {"name": "Consulting day", "type": "service", "list_price": 1000.0}
        )
        order = self.env["sale.order"].create(
            {
                "partner_id": customer.id,
                "order_line": [Command.create({"product_id": service.id, "product_uom_qty": 2})],
            }
        )
        # sending the quotation makes the customer a follower, which is how
        # its contacts reach it from their portal
        order.sudo().write({"state": "sent"})
        order.message_subscribe(partner_ids=customer.ids)
        self.env.flush_all()
        self.authenticate("muzza_portal_ana", "muzza_portal_ana")
        page = self.url_open("/my/orders/%s" % order.id)
        self.assertEqual(page.status_code, 200)
        text = " ".join(page.content.decode().split())
        self.assertIn("Your purchase-order number is needed on every invoice", text)
        self.assertNotIn("Sign & Pay", text)
        self.assertNotIn("Accept & Sign", text)
        order.client_order_ref = "PO-ANA-1"
        self.env.flush_all()
        text = " ".join(self.url_open("/my/orders/%s" % order.id).content.decode().split())
        self.assertNotIn("Your purchase-order number is needed", text)
        self.assertTrue("Sign & Pay" in text or "Accept & Sign" in text, "now it can be accepted")

    def test_a_spanish_customer_reads_the_deposit_share_with_its_decimal_comma(self):
        self.env.company.write(
            {
                "muzza_deposit_who": "all",
                "muzza_deposit_kind": "fixed",
                "muzza_deposit_value": 500.0,
                # paid without a signature: the payment dialog is on the page
                "portal_confirmation_sign": False,
                "portal_confirmation_pay": True,
            }
        )
        self.env.ref("base.lang_es").active = True
        customer = self.env["res.partner"].create({"name": "Cliente SL", "is_company": True, "lang": "es_ES"})
        contact = self.env["res.partner"].create(
            {"name": "Eva", "parent_id": customer.id, "email": "eva@cliente.example.com", "lang": "es_ES"}
        )
        mail_new_test_user(
            self.env, login="muzza_portal_eva", groups="base.group_portal", partner_id=contact.id
        )
        service = self.env["product.product"].create(
            {"name": "Consulting day", "type": "service", "list_price": 1500.0, "taxes_id": [Command.clear()]}
        )
        order = self.env["sale.order"].create(
            {"partner_id": customer.id, "order_line": [Command.create({"product_id": service.id})]}
        )
        self.assertTrue(order.require_payment, "the deposit is asked online")
        order.sudo().write({"state": "sent"})
        order.message_subscribe(partner_ids=customer.ids)
        self.env.flush_all()
        self.authenticate("muzza_portal_eva", "muzza_portal_eva")
        text = " ".join(self.url_open("/my/orders/%s" % order.id).content.decode().split())
        # 500 of 1,500: a third, with two decimals and the Spanish comma
        self.assertIn("33,33", text)
        self.assertNotIn("33.33", text)
