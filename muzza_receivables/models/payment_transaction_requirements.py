# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import api, models


class PaymentTransaction(models.Model):
    """What the customer requires on its invoices: no payment is taken for a
    quotation that could not then be confirmed and invoiced."""

    _inherit = "payment.transaction"

    @api.model_create_multi
    def create(self, vals_list):
        transactions = super().create(vals_list)
        transactions.sale_order_ids.sudo()._muzza_check_reference_before_payment()
        return transactions
