# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo.http import request, route

from odoo.addons.sale.controllers.portal import CustomerPortal


class MuzzaRiskPortal(CustomerPortal):
    @route()
    def portal_quote_accept(self, order_id, access_token=None, name=None, signature=None):
        # the customer accepts: a quotation its risk holds for a manager's
        # approval keeps the signature and waits, and nothing of the risk is
        # said (see sale.order.action_confirm in sale_order_risk.py)
        request.update_context(muzza_customer_accepts=True)
        return super().portal_quote_accept(
            order_id, access_token=access_token, name=name, signature=signature
        )
