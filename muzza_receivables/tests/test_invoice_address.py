# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import logging
import os

from lxml import etree

from odoo import Command
from odoo.modules.migration import load_script
from odoo.tests import Form, tagged

from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.mail.tests.common import mail_new_test_user

MIGRATION = os.path.join(os.path.dirname(__file__), "..", "migrations", "18.0.1.1.0", "post-migration.py")


@tagged("post_install", "-at_install")
class TestInvoiceAddress(AccountTestInvoicingCommon):
    """Invoices go to Odoo's invoice address (the customer's contact of type
    Invoice) from the moment they are created; posting never readdresses
    them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.biller = mail_new_test_user(
            cls.env,
            login="muzza_address_biller",
            groups="base.group_user,account.group_account_invoice",
            company_id=cls.env.company.id,
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Alhambra SL", "is_company": True, "email": "info@alhambra.example.com"}
        )
        cls.ana = cls.env["res.partner"].create(
            {"name": "Ana (sales)", "parent_id": cls.customer.id, "email": "ana@alhambra.example.com"}
        )
        cls.accounts = cls.env["res.partner"].create(
            {
                "name": "Lucía (accounts payable)",
                "parent_id": cls.customer.id,
                "type": "invoice",
                "email": "ap@alhambra.example.com",
            }
        )
        cls.product = cls.env["product.product"].create(
            {"name": "Design hour", "type": "service", "list_price": 100.0, "invoice_policy": "order"}
        )

    def _new_invoice_form(self, user=None):
        Move = self.env["account.move"].with_user(user or self.biller)
        return Form(Move.with_context(default_move_type="out_invoice"))

    def test_a_customer_invoice_is_addressed_to_the_invoice_address_when_created(self):
        # in the form, the user sees it as soon as they pick the customer
        form = self._new_invoice_form()
        form.partner_id = self.customer
        self.assertEqual(form.partner_id, self.accounts)
        with form.invoice_line_ids.new() as line:
            line.product_id = self.product
        invoice = form.save()
        self.assertEqual(invoice.partner_id, self.accounts)
        self.assertEqual(invoice.commercial_partner_id, self.customer)

        # the same through the ORM, for the user's own imports and RPC
        invoice = (
            self.env["account.move"]
            .with_user(self.biller)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": self.customer.id,
                    "invoice_line_ids": [Command.create({"product_id": self.product.id})],
                }
            )
        )
        self.assertEqual(invoice.partner_id, self.accounts)

        # a contact the user chooses on purpose is kept
        form = self._new_invoice_form()
        form.partner_id = self.ana
        self.assertEqual(form.partner_id, self.ana)

        # and a customer without an invoice address keeps its invoices
        plain = self.env["res.partner"].create({"name": "Harbor Lights", "is_company": True})
        form = self._new_invoice_form()
        form.partner_id = plain
        self.assertEqual(form.partner_id, plain)

    def test_posting_never_changes_the_customer_of_the_invoice(self):
        invoice = self.init_invoice("out_invoice", partner=self.ana, amounts=[100.0])
        invoice.with_user(self.biller).action_post()
        self.assertEqual(invoice.partner_id, self.ana, "posted to whom the user addressed it")

        # an invoice created before the customer had an invoice address
        plain = self.env["res.partner"].create(
            {"name": "Harbor Lights", "is_company": True, "email": "h@x.example"}
        )
        draft = self.init_invoice("out_invoice", partner=plain, amounts=[100.0])
        self.env["res.partner"].create({"name": "AP", "parent_id": plain.id, "type": "invoice"})
        draft.with_user(self.biller).action_post()
        self.assertEqual(draft.partner_id, plain)

    def test_invoices_of_a_sales_order_go_to_the_order_invoice_address(self):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.ana.id,
                "order_line": [Command.create({"product_id": self.product.id, "product_uom_qty": 2})],
            }
        )
        self.assertEqual(order.partner_invoice_id, self.accounts, "Odoo's own invoice address")
        order.action_confirm()
        self.assertEqual(order._create_invoices().partner_id, self.accounts)

        # the salesperson chose the customer itself on this order: kept
        other = order.copy({"partner_invoice_id": self.customer.id})
        other.action_confirm()
        self.assertEqual(other._create_invoices().partner_id, self.customer)

    def test_the_contact_form_shows_where_invoices_go(self):
        partner = self.customer.with_user(self.biller)
        self.assertEqual(partner.muzza_invoice_address_id, self.accounts)
        self.assertEqual(self.ana.muzza_invoice_address_id, self.accounts, "the same for its contacts")
        plain = self.env["res.partner"].create({"name": "Harbor Lights", "is_company": True})
        self.assertEqual(plain.muzza_invoice_address_id, plain, "without one, the customer itself")

        arch = etree.fromstring(partner.get_views([(False, "form")])["views"]["form"]["arch"])
        (field,) = arch.xpath(
            "//group[@name='muzza_invoice_requirements']//field[@name='muzza_invoice_address_id']"
        )
        self.assertEqual(field.get("readonly"), "1")
        hint = arch.xpath("//group[@name='muzza_invoice_requirements']//div[hasclass('text-muted')]")
        self.assertIn("The contact of type Invoice", hint[0].text)
        self.assertFalse(arch.xpath("//field[@name='muzza_billing_contact_id']"))

        # the automatic-payment consent is signed by that contact by default
        action = partner.action_muzza_record_autopay_consent()
        self.assertEqual(action["context"]["default_signed_by_id"], self.accounts.id)

    def test_the_clarity_check_asks_for_an_invoice_address_with_an_email(self):
        nobody = self.env["res.partner"].create({"name": "No Email SL", "is_company": True})
        invoice = self.init_invoice("out_invoice", partner=nobody, amounts=[100.0])
        self.assertIn("an invoice address with an e-mail address", invoice._muzza_clarity_gaps())

    def test_the_migration_makes_billing_contacts_invoice_addresses(self):
        cr = self.env.cr
        self.env.flush_all()
        cr.execute("ALTER TABLE res_partner ADD COLUMN muzza_billing_contact_id int4")
        # Ana was Alhambra's billing contact (copied to its contacts, a commercial field)
        cr.execute(
            "UPDATE res_partner SET muzza_billing_contact_id = %s WHERE commercial_partner_id = %s",
            (self.ana.id, self.customer.id),
        )
        self.accounts.type = "contact"
        # a customer whose billing contact is someone else's contact
        harbor = self.env["res.partner"].create({"name": "Harbor Lights", "is_company": True})
        self.env.flush_all()
        cr.execute(
            "UPDATE res_partner SET muzza_billing_contact_id = %s WHERE id = %s", (self.ana.id, harbor.id)
        )
        self.env.invalidate_all()

        # (level by number: Odoo names its level 25 "INFO" too)
        with self.assertLogs("odoo.addons.muzza_receivables.migrations", level=logging.INFO) as logs:
            load_script(MIGRATION, "muzza_receivables_post_migration").migrate(cr, "18.0.1.0.0")
        self.env.invalidate_all()
        self.assertEqual((self.ana.parent_id, self.ana.type), (self.customer, "invoice"))
        self.assertEqual(self.customer.muzza_invoice_address_id, self.ana)
        self.assertEqual(harbor.muzza_invoice_address_id, harbor, "left alone")
        self.assertEqual(harbor.child_ids, self.env["res.partner"])
        output = "\n".join(logs.output)
        self.assertIn("Alhambra SL (id %s): its billing contact Ana (sales)" % self.customer.id, output)
        self.assertIn("is now its contact of type Invoice", output)
        self.assertIn(
            "Harbor Lights (id %s): its billing contact (id %s) is not one of its contacts"
            % (harbor.id, self.ana.id),
            output,
        )

        # new invoices go to it
        invoice = self.env["account.move"].create(
            {"move_type": "out_invoice", "partner_id": self.customer.id}
        )
        self.assertEqual(invoice.partner_id, self.ana)
