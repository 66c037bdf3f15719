# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import fields, models
from odoo.tools import SQL


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    muzza_retainer_number = fields.Integer(
        string="Retainer Period",
        copy=False,
        readonly=True,
        help="On a retainer's order: the period (1 for the first) this down payment prepays.",
    )

    def _get_downpayment_line_price_unit(self, invoices):
        # a retainer period's price is its own invoice's; the work invoices
        # that draw from it are deductions, as a final invoice's would be
        if self.muzza_retainer_number:
            invoices = set(invoices) | set(
                self.invoice_lines.filtered(lambda line: line.quantity < 0).move_id
            )
        return super()._get_downpayment_line_price_unit(invoices)

    def init(self):
        # each period of a retainer is invoiced once, whatever runs at once
        self.env.cr.execute(
            SQL(
                "CREATE UNIQUE INDEX IF NOT EXISTS sale_order_line_muzza_retainer_period "
                "ON sale_order_line (order_id, muzza_retainer_number) WHERE muzza_retainer_number > 0"
            )
        )

    def _muzza_price_unit_for(self, untaxed, currency):
        """The unit price of a deduction line of this down payment worth
        ``untaxed`` before taxes: the same amount, or with its taxes when
        they are included in the price (so that the line deducts exactly
        ``untaxed`` before taxes)."""
        self.ensure_one()
        included = self.tax_id.filtered(lambda tax: tax.price_include)
        if not included:
            return float(untaxed)
        computed = included.compute_all(
            float(untaxed), currency=currency, quantity=1.0, handle_price_include=False
        )
        return currency.round(computed["total_included"])
