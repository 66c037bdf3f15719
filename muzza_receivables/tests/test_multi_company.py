# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.mail.tests.common import mail_new_test_user


@tagged("post_install", "-at_install")
class TestRecordsStayInTheirCompany(AccountTestInvoicingCommon):
    """Records of company B are neither visible nor usable from company A."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a = cls.env.company
        cls.company_b = cls.setup_other_company(name="Company B")["company"]
        cls.user_a = mail_new_test_user(
            cls.env,
            login="muzza_mc_user_a",
            groups="base.group_user,sales_team.group_sale_manager,account.group_account_manager",
            company_id=cls.company_a.id,
            company_ids=[Command.set(cls.company_a.ids)],
        )
        term = cls.env.ref("account.account_payment_term_30days")
        cls.policy_b = cls.env["muzza.late.fee.policy"].create(
            {"name": "B policy", "kind": "fixed", "fixed_amount": 10.0, "company_id": cls.company_b.id}
        )
        cls.template_b = cls.env["muzza.contract.template"].create(
            {"name": "B terms", "payment_term_id": term.id, "company_id": cls.company_b.id}
        )
        cls.policy_a = cls.env["muzza.late.fee.policy"].create(
            {"name": "A policy", "kind": "fixed", "fixed_amount": 10.0, "company_id": cls.company_a.id}
        )

    def test_a_user_of_company_a_does_not_see_company_b_records(self):
        for model, record in (
            ("muzza.late.fee.policy", self.policy_b),
            ("muzza.contract.template", self.template_b),
        ):
            with self.subTest(model=model):
                Model = self.env[model].with_user(self.user_a)
                self.assertFalse(Model.search([("id", "=", record.id)]))
                with self.assertRaises(AccessError):
                    Model.browse(record.id).read(["name"])
        self.assertTrue(
            self.env["muzza.late.fee.policy"].with_user(self.user_a).search([("id", "=", self.policy_a.id)])
        )

    def test_company_b_terms_cannot_be_used_on_company_a_documents(self):
        invoice = self.init_invoice("out_invoice", partner=self.partner_a, amounts=[100.0])
        with self.assertRaises(UserError):
            invoice.muzza_fee_policy_id = self.policy_b
        order = self.env["sale.order"].create(
            {"partner_id": self.partner_a.id, "company_id": self.company_a.id}
        )
        with self.assertRaises(UserError):
            order.muzza_contract_template_id = self.template_b
        template_a = self.env["muzza.contract.template"].create(
            {"name": "A terms", "payment_term_id": self.env.ref("account.account_payment_term_30days").id}
        )
        with self.assertRaises(UserError):
            template_a.late_fee_policy_id = self.policy_b
