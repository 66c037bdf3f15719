# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from .account_move_retainer import ODOO_UPDATES

# what Odoo writes on the down-payment lines an invoice deducts, as whoever
# posts, resets or cancels the invoice
ODOO_UPDATED_FIELDS = frozenset({"price_unit", "tax_id", "name"})


class SaleOrderLine(models.Model):
    """A retainer's order lines are the agreement's: the product line sets
    what each period bills, the down-payment lines are the periods the
    work draws from. Only the agreement's own code writes them, and Odoo
    when an invoice that deducts a period is posted, reset or cancelled
    (it re-prices and renames the period's line, as whoever does it, often
    a salesperson who cannot write another's order: done in sudo, for
    those fields of those lines only)."""

    _inherit = "sale.order.line"

    muzza_retainer_number = fields.Integer(
        string="Retainer Period",
        copy=False,
        readonly=True,
        help="On a retainer's order: the period (1 for the first) this down payment prepays.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        order_ids = {vals.get("order_id") for vals in vals_list if vals.get("order_id")}
        if self.env["sale.order"].sudo().browse(order_ids).filtered("muzza_retainer_id"):
            self._muzza_refuse_retainer_line_change()
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su and self.sudo().order_id.filtered("muzza_retainer_id"):
            if set(vals) <= ODOO_UPDATED_FIELDS and self._muzza_updated_by_odoo():
                return super(SaleOrderLine, self.sudo()).write(vals)
            self._muzza_refuse_retainer_line_change()
        return super().write(vals)

    def _muzza_updated_by_odoo(self):
        """Whether these lines are the down-payment lines of the invoices
        Odoo is posting, resetting or cancelling right now (a mark out of
        reach of a client's context)."""
        move_ids = ODOO_UPDATES.get()
        if not move_ids:
            return False
        deducted = self.env["account.move"].sudo().browse(move_ids).line_ids.sale_line_ids
        return all(line.is_downpayment for line in self.sudo()) and set(self.ids) <= set(deducted.ids)

    def _muzza_refuse_retainer_line_change(self):
        if self.env["muzza.retainer"]._by_the_system():
            return
        raise UserError(
            self.env._(
                "A retainer's order bills what its agreement says: its lines are set by the agreement "
                "and are not changed on the order."
            )
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
