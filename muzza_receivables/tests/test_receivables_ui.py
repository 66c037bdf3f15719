# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from freezegun import freeze_time
from lxml import etree

from odoo.tests import HttpCase, tagged

from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.mail.tests.common import mail_new_test_user


@tagged("post_install", "-at_install", "muzza_once_without_stock")
class TestReceivablesUi(AccountTestInvoicingCommon, HttpCase):
    """What administrators and accountants see in the web client."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.biller = mail_new_test_user(
            cls.env,
            login="muzza_ui_biller",
            password="muzza_ui_biller",
            groups="base.group_user,account.group_account_invoice",
            company_id=cls.env.company.id,
        )
        cls.env["res.lang"]._activate_lang("es_ES")
        cls.env["ir.module.module"]._load_module_terms(["muzza_receivables"], ["es_ES"], overwrite=True)

    def _settings_app(self, lang):
        views = self.env["res.config.settings"].with_context(lang=lang).get_views([(False, "form")])
        arch = etree.fromstring(views["views"]["form"]["arch"])
        apps = arch.xpath("//app[@name='muzza_receivables']")
        self.assertEqual(len(apps), 1, "Settings has one Receivables section")
        return apps[0]

    def test_settings_page_has_a_receivables_section(self):
        app = self._settings_app("en_US")
        self.assertEqual(app.get("string"), "Receivables")
        self.assertEqual(
            [b.get("title") for b in app.xpath("./block")],
            [
                "Getting Paid",
                "Customer Risk",
                "Deposits and Retainers",
                "Invoicing",
                "Late Payment",
                "Following Up",
            ],
        )
        buttons = {b.get("string") for b in app.xpath(".//button")}
        self.assertEqual(
            buttons,
            {
                "Payment Terms",
                "Bank Journals",
                "Payment Providers",
                "Contract Templates",
                "Retainers",
                "Late-Fee Policies",
                "Overdue Invoices",
                "Warning Signs",
                "Reminder Levels",
            },
        )
        self.assertTrue(app.xpath(".//field[@name='muzza_late_fee_policy_id']"))
        self.assertTrue(app.xpath(".//field[@name='muzza_clarity_mode']"))
        self.assertTrue(app.xpath(".//field[@name='muzza_deposit_who']"))

    def test_settings_and_menus_read_in_spanish(self):
        app = self._settings_app("es_ES")
        self.assertEqual(app.get("string"), "Cobros")
        self.assertEqual(
            [b.get("title") for b in app.xpath("./block")],
            [
                "Cobrar",
                "Riesgo de clientes",
                "Depósitos e igualas",
                "Facturación",
                "Retrasos en el pago",
                "Seguimiento",
            ],
        )
        menu = self.env.ref("muzza_receivables.menu_receivables_root").with_context(lang="es_ES")
        self.assertEqual(menu.name, "Cobros")
        action = self.env.ref("muzza_receivables.action_overdue_invoices").with_context(lang="es_ES")
        self.assertEqual(action.name, "Facturas vencidas")
        fields = self.env["account.move"].with_context(lang="es_ES").fields_get(["muzza_days_overdue"])
        self.assertEqual(fields["muzza_days_overdue"]["string"], "Días de retraso")

    def test_accountant_opens_overdue_invoices_in_the_web_client(self):
        partner = self.env["res.partner"].create({"name": "Slow Payer SA"})
        with freeze_time("2026-03-01"):
            invoice = self.init_invoice(
                "out_invoice",
                partner=partner,
                invoice_date="2026-01-10",
                amounts=[250.0],
                taxes=self.env["account.tax"],
            )
            invoice.invoice_payment_term_id = self.env.ref("account.account_payment_term_30days")
            invoice.action_post()
        self.authenticate("muzza_ui_biller", "muzza_ui_biller")

        page = self.url_open("/odoo/overdue-invoices")
        self.assertEqual(page.status_code, 200)

        action = self.make_jsonrpc_request("/web/action/load", {"action_id": "overdue-invoices"})
        self.assertEqual(action["xml_id"], "muzza_receivables.action_overdue_invoices")
        self.assertEqual(action["name"], "Overdue Invoices")

        # What the list shows: the action's domain and its default "Overdue"
        # filter, as the web client sends them, at a date past the due date.
        with freeze_time("2026-03-01"):
            result = self.make_jsonrpc_request(
                "/web/dataset/call_kw/account.move/web_search_read",
                {
                    "model": "account.move",
                    "method": "web_search_read",
                    "args": [],
                    "kwargs": {
                        "domain": [
                            ("move_type", "=", "out_invoice"),
                            ("invoice_date_due", "<", "2026-03-01"),
                            ("state", "=", "posted"),
                            ("payment_state", "in", ("not_paid", "partial")),
                            ("partner_id", "=", partner.id),
                        ],
                        "specification": {
                            "name": {},
                            "muzza_days_overdue": {},
                            "amount_residual_signed": {},
                        },
                        "context": {"tz": "UTC"},
                    },
                },
            )
        self.assertEqual(result["length"], 1)
        row = result["records"][0]
        self.assertEqual(row["name"], invoice.name)
        self.assertEqual(row["muzza_days_overdue"], 20)
        self.assertAlmostEqual(row["amount_residual_signed"], 250.0)
