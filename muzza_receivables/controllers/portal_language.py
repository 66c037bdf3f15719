# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

from odoo.addons.account_payment.controllers.portal import PortalAccount
from odoo.addons.sale.controllers.portal import CustomerPortal as SalePortal


class MuzzaCustomerLanguage:
    """One language per page, the customer's: a Spanish customer's quotation
    or invoice opened from an English browser reads in Spanish throughout,
    the module's sentences (written in the customer's language) and Odoo's
    page around them alike."""

    def _muzza_customer_language(self, model, record_id, access_token):
        try:
            record = self._document_check_access(model, record_id, access_token=access_token)
        except (AccessError, MissingError):
            return  # Odoo's route answers (it redirects)
        lang = record.partner_id.lang
        if lang and lang != request.env.lang and request.env["res.lang"]._lang_get(lang).active:
            request.update_context(lang=lang)


class MuzzaSalePortal(MuzzaCustomerLanguage, SalePortal):
    @http.route()
    def portal_order_page(self, order_id, report_type=None, access_token=None, **kw):
        self._muzza_customer_language("sale.order", order_id, access_token)
        return super().portal_order_page(order_id, report_type=report_type, access_token=access_token, **kw)


class MuzzaInvoicePortal(MuzzaCustomerLanguage, PortalAccount):
    @http.route()
    def portal_my_invoice_detail(self, invoice_id, access_token=None, report_type=None, download=False, **kw):
        self._muzza_customer_language("account.move", invoice_id, access_token)
        return super().portal_my_invoice_detail(
            invoice_id, access_token=access_token, report_type=report_type, download=download, **kw
        )
