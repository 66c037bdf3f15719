# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools.misc import format_amount


class MuzzaBudgetApproval(models.TransientModel):
    """A receivables manager lets an order go past the customer's retainer
    budget, and says why; who, when, why and the order's untaxed amount
    approved are kept on the order. An order grown past the amount approved
    needs a new approval."""

    _name = "muzza.budget.approval"
    _description = "Approve Going Past a Retainer Budget"

    order_id = fields.Many2one("sale.order", required=True, readonly=True)
    retainer_id = fields.Many2one(related="order_id.muzza_customer_retainer_id", string="Retainer")
    currency_id = fields.Many2one(related="retainer_id.currency_id")
    budget = fields.Monetary(related="retainer_id.budget")
    budget_left = fields.Monetary(related="retainer_id.budget_left")
    order_currency_id = fields.Many2one(related="order_id.currency_id", string="Order Currency")
    amount = fields.Monetary(
        related="order_id.amount_untaxed",
        string="Order Amount (untaxed)",
        currency_field="order_currency_id",
        help="What the approval covers: an order that grows past it needs a new approval.",
    )
    reason = fields.Text(required=True)

    def action_approve(self):
        self.ensure_one()
        if not self.env.user.has_group("muzza_receivables.group_receivables_manager"):
            raise AccessError(
                self.env._("Only receivables managers can approve going past a retainer budget.")
            )
        order = self.order_id
        reason = (self.reason or "").strip()
        if not reason:
            raise UserError(self.env._("Say why %s may go past the retainer budget.", order.name))
        if order.muzza_budget_approval_covers:
            raise UserError(
                self.env._(
                    "Going past the retainer budget is already approved on %(order)s for its amount "
                    "(%(amount)s).",
                    order=order.name,
                    amount=format_amount(self.env, order.muzza_budget_approved_amount, order.currency_id),
                )
            )
        if not order.muzza_customer_retainer_id:
            raise UserError(self.env._("%s does not draw from a retainer.", order.name))
        order.sudo().write(
            {
                "muzza_budget_approved_by": self.env.user.id,
                "muzza_budget_approved_on": fields.Datetime.now(),
                "muzza_budget_approval_reason": reason,
                "muzza_budget_approved_amount": order.amount_untaxed,
            }
        )
        order.message_post(
            body=self.env._(
                "Going past the budget of retainer %(name)s, for an order of %(amount)s (untaxed), "
                "approved by %(user)s: %(reason)s",
                name=order.muzza_customer_retainer_id.name,
                amount=format_amount(self.env, order.amount_untaxed, order.currency_id),
                user=self.env.user.name,
                reason=reason,
            ),
            subtype_xmlid="mail.mt_note",
        )
        return {"type": "ir.actions.act_window_close"}
