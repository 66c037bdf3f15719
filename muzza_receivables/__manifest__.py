# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Muzza Receivables",
    "summary": "Get paid on time: clear terms, exact invoices, late fees, reminders and aging",
    "version": "18.0.1.0.0",
    "category": "Accounting/Accounting",
    "website": "https://github.com/muzza/muzza_receivables",
    "author": "Muzza Receivables",
    "license": "LGPL-3",
    "depends": [
        "account",
        "account_payment",
        "mail",
        "portal",
        "sale_management",
    ],
    "external_dependencies": {
        "python": ["phonenumbers"],
    },
    "data": [
        "security/muzza_receivables_security.xml",
        "security/ir.model.access.csv",
        "data/product_data.xml",
        "data/ir_cron_data.xml",
        "data/mail_template_data.xml",
        "views/muzza_late_fee_policy_views.xml",
        "views/muzza_contract_template_views.xml",
        "views/muzza_autopay_consent_views.xml",
        "views/sale_order_views.xml",
        "wizards/muzza_late_fee_waive_views.xml",
        "views/account_move_views.xml",
        "views/account_move_form_views.xml",
        "views/res_partner_views.xml",
        "reports/report_invoice.xml",
        "reports/report_saleorder.xml",
        "views/res_config_settings_views.xml",
        "views/portal_templates.xml",
        "views/muzza_receivables_menus.xml",
    ],
    "demo": [
        "data/muzza_receivables_demo.xml",
    ],
}
