# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_amount


class StockPicking(models.Model):
    _inherit = "stock.picking"

    muzza_deposit_hold = fields.Boolean(
        string="Waiting for Deposit",
        compute="_compute_muzza_deposit_hold",
        search="_search_muzza_deposit_hold",
        help="This transfer takes goods to the customer of an order whose work waits for its deposit: "
        "it cannot be validated until the deposit is paid, or a receivables manager starts the work "
        "without it.",
    )

    @api.depends(
        "sale_id.muzza_deposit_blocks_work",
        "sale_id.muzza_deposit_state",
        "location_dest_id.usage",
        "state",
    )
    def _compute_muzza_deposit_hold(self):
        held = self._muzza_held()
        for picking in self:
            picking.muzza_deposit_hold = picking in held

    def _search_muzza_deposit_hold(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Operation not supported"))
        held = self._search(self._muzza_hold_domain())
        return [("id", "in" if (operator == "=") == value else "not in", held)]

    @api.model
    def _muzza_hold_domain(self):
        """Transfers that take goods to the customer of an order whose work
        waits for its deposit (the order's rule: see
        ``sale.order._muzza_work_waits_domain``). Picking and packing inside
        the warehouse go on; only what leaves for the customer waits."""
        return [
            ("state", "not in", ("done", "cancel")),
            ("location_dest_id.usage", "=", "customer"),
            ("sale_id", "any", self.env["sale.order"]._muzza_work_waits_domain()),
        ]

    def _muzza_held(self):
        # whoever validates (a storekeeper may not read sales orders) is held
        held = set(self.sudo().filtered_domain(self._muzza_hold_domain())._ids)
        return self.filtered(lambda p: p.id in held)

    def _muzza_check_deposit_hold(self):
        held = self._muzza_held()
        if not held:
            return
        lines = []
        for order in held.sale_id.sudo():
            lines.append(
                "- %s (%s): %s"
                % (
                    ", ".join(held.filtered(lambda p, o=order: p.sale_id.id == o.id).mapped("name")),
                    order.name,
                    format_amount(self.env, order.muzza_deposit_amount, order.currency_id),
                )
            )
        raise UserError(
            self.env._(
                "These deliveries wait for their order's deposit and cannot be validated until it is "
                "paid (a receivables manager may start the work without it, from the order):\n%s",
                "\n".join(lines),
            )
        )

    def button_validate(self):
        # before any wizard (backorder, immediate transfer) opens
        self._muzza_check_deposit_hold()
        return super().button_validate()

    def _action_done(self):
        # every other way of validating a transfer goes through here
        self._muzza_check_deposit_hold()
        return super()._action_done()
