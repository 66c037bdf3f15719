# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import models


class SaleAdvancePaymentInv(models.TransientModel):
    """Deposits are Odoo down payments carrying the deposit product, so the
    final invoices deduct them as usual."""

    _inherit = "sale.advance.payment.inv"

    def _prepare_base_downpayment_line_values(self, order):
        values = super()._prepare_base_downpayment_line_values(order)
        if self.env.context.get("muzza_deposit"):
            values["product_id"] = self.env.ref("muzza_receivables.product_deposit").id
            values["name"] = self._get_down_payment_description(order)
        return values

    def _get_down_payment_description(self, order):
        if not self.env.context.get("muzza_deposit"):
            return super()._get_down_payment_description(order)
        env = self.with_context(lang=order.partner_id.lang or self.env.lang).env
        return env._("Deposit for %(order)s", order=order.name)
