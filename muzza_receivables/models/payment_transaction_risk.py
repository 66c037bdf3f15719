# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import api, models


class PaymentTransaction(models.Model):
    """A customer's payment risk: no payment is taken for a quotation of a
    blocked customer, which could not then be confirmed."""

    _inherit = "payment.transaction"

    @api.model_create_multi
    def create(self, vals_list):
        transactions = super().create(vals_list)
        transactions.sale_order_ids.sudo()._muzza_check_risk_before_payment()
        return transactions
