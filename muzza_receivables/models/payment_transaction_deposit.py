# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import Command, models


class PaymentTransaction(models.Model):
    """Deposits paid online when the customer signs the quotation."""

    _inherit = "payment.transaction"

    def _post_process(self):
        # the deposit invoice made when the payment confirmed the order is
        # e-mailed once the payment is recorded on it: the customer who just
        # paid reads that it is paid (or, the payment failing, that it is due)
        res = super(PaymentTransaction, self.with_context(muzza_processing_payment=True))._post_process()
        for tx in self.filtered(lambda t: t.state in ("done", "cancel", "error") and t.sale_order_ids):
            deposits = tx.sale_order_ids._muzza_deposit_invoices() & tx.invoice_ids
            deposits.filtered(lambda m: not m.is_move_sent).sudo()._muzza_send_by_email()
        return res

    def _invoice_sale_orders(self):
        # Odoo sets the transaction's invoices to those it creates for the
        # orders; the deposit invoice made when the payment confirmed the
        # order stays among them, so the payment settles it
        res = super()._invoice_sale_orders()
        for tx in self.filtered("sale_order_ids"):
            deposits = tx.sale_order_ids._muzza_deposit_invoices().filtered(
                lambda m: m.payment_state in ("not_paid", "partial")
            )
            if deposits - tx.invoice_ids:
                tx.invoice_ids = [Command.link(move.id) for move in deposits - tx.invoice_ids]
        return res
