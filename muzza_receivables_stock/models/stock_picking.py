# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression
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
        domain = [
            ("sale_id.muzza_deposit_blocks_work", "=", True),
            ("sale_id.muzza_deposit_state", "in", ("to_invoice", "waiting")),
            ("location_dest_id.usage", "=", "customer"),
            ("state", "not in", ("done", "cancel")),
        ]
        if (operator == "=") == value:
            return domain
        return ["!", *expression.normalize_domain(domain)]

    def _muzza_held(self):
        """The transfers that take goods to the customer of an order whose
        work waits for its deposit (the order decides: see
        ``sale.order._muzza_work_waits``). Picking and packing inside the
        warehouse go on; only what leaves for the customer waits."""
        pending = self.filtered(
            lambda p: (
                p.sale_id and p.state not in ("done", "cancel") and p.location_dest_id.usage == "customer"
            )
        )
        # whoever validates (a storekeeper may not read sales orders) is held
        waiting = pending.sale_id.sudo()._muzza_work_waits()
        return pending.filtered(lambda p: p.sale_id.id in waiting.ids)

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
