# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import models


class SaleAdvancePaymentInv(models.TransientModel):
    """Deposits and retainer periods are Odoo down payments carrying the
    deposit or retainer product, so invoices deduct them as usual."""

    _inherit = "sale.advance.payment.inv"

    def _prepare_base_downpayment_line_values(self, order):
        values = super()._prepare_base_downpayment_line_values(order)
        if self.env.context.get("muzza_deposit"):
            values["product_id"] = self.env.ref("muzza_receivables.product_deposit").id
            values["name"] = self._get_down_payment_description(order)
        elif self.env.context.get("muzza_retainer_number"):
            values["product_id"] = order.muzza_retainer_id.product_id.id
            values["name"] = self._get_down_payment_description(order)
            values["muzza_retainer_number"] = self.env.context["muzza_retainer_number"]
        return values

    def _get_down_payment_description(self, order):
        ctx = self.env.context
        if ctx.get("muzza_retainer_number") and ctx.get("muzza_retainer_label"):
            return ctx["muzza_retainer_label"]
        if not ctx.get("muzza_deposit"):
            return super()._get_down_payment_description(order)
        env = self.with_context(lang=order.partner_id.lang or self.env.lang).env
        return env._("Deposit for %(order)s", order=order.name)
