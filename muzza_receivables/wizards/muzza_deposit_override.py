# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import fields, models
from odoo.exceptions import AccessError, UserError


class MuzzaDepositOverride(models.TransientModel):
    _name = "muzza.deposit.override"
    _description = "Start Work Without the Deposit"

    order_id = fields.Many2one("sale.order", required=True, readonly=True)
    deposit_amount = fields.Monetary(related="order_id.muzza_deposit_amount")
    currency_id = fields.Many2one(related="order_id.currency_id")
    reason = fields.Text(required=True)

    def action_override(self):
        self.ensure_one()
        if not self.env.user.has_group("muzza_receivables.group_receivables_manager"):
            raise AccessError(self.env._("Only receivables managers can start work without the deposit."))
        reason = (self.reason or "").strip()
        if not reason:
            raise UserError(self.env._("Say why the work starts before the deposit is paid."))
        order = self.order_id
        if order.muzza_deposit_state not in ("to_invoice", "waiting"):
            raise UserError(self.env._("%s is not waiting for its deposit.", order.name))
        # who, when and why are recorded by the order itself, by any path
        order.sudo().write({"muzza_deposit_override_reason": reason})
        return True
