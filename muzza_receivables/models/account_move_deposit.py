# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import models


class AccountMove(models.Model):
    """Deposits: a deposit invoice says what it is for."""

    _inherit = "account.move"

    def _muzza_intro_lines(self, lang):
        lines = super()._muzza_intro_lines(lang)
        deposit = self.env.ref("muzza_receivables.product_deposit", raise_if_not_found=False)
        deposit_lines = self.invoice_line_ids.filtered(
            lambda line: line.quantity > 0 and line.product_id == deposit and line.is_downpayment
        )
        orders = deposit_lines.sudo().sale_line_ids.order_id
        if not orders:
            return lines
        env = self.with_context(lang=lang).env
        names = ", ".join(orders.mapped("name"))
        if any(orders.mapped("muzza_deposit_blocks_work")):
            lines.append(
                env._(
                    "This is the deposit for order %(order)s: the work starts once it is paid, and the "
                    "invoices that follow deduct it.",
                    order=names,
                )
            )
        else:
            lines.append(
                env._(
                    "This is the deposit for order %(order)s: the invoices that follow deduct it.",
                    order=names,
                )
            )
        return lines
