# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools.misc import format_amount


class SaleOrder(models.Model):
    """Retainers: a retainer's own order, and the customer's other orders
    that draw from it within its budget.

    Going past the budget is a receivables manager's decision, given with
    the *Approve Over Budget* wizard (who, when, why and for how much, on
    the order and in its chatter); the approval fields are written by that
    wizard only, and the approval covers the amount approved, not more.

    ``muzza_retainer_id`` marks a retainer's own order (no deposit, no
    budget check of its own): only the agreement's *Start* sets it.
    """

    _inherit = "sale.order"

    _MUZZA_APPROVAL_FIELDS = (
        "muzza_budget_approved_by",
        "muzza_budget_approved_on",
        "muzza_budget_approval_reason",
        "muzza_budget_approved_amount",
    )

    muzza_retainer_id = fields.Many2one(
        "muzza.retainer",
        string="Retainer Agreement",
        readonly=True,
        copy=False,
        index="btree_not_null",
        check_company=True,
        help="Set on a retainer's own order, which its periods are invoiced on.",
    )
    muzza_customer_retainer_id = fields.Many2one(
        "muzza.retainer",
        string="Drawn From Retainer",
        compute="_compute_muzza_customer_retainer_id",
        help="The customer's running retainer: this order's invoices draw from its paid balance.",
    )
    muzza_retainer_balance = fields.Monetary(
        string="Retainer Balance", compute="_compute_muzza_customer_retainer_id"
    )
    muzza_retainer_budget_left = fields.Monetary(
        string="Retainer Budget Left", compute="_compute_muzza_customer_retainer_id"
    )
    muzza_budget_approved_by = fields.Many2one(
        "res.users", string="Over-Budget Approved By", copy=False, readonly=True
    )
    muzza_budget_approved_on = fields.Datetime(string="Over-Budget Approved On", copy=False, readonly=True)
    muzza_budget_approval_reason = fields.Text(string="Why Over Budget", copy=False, readonly=True)
    muzza_budget_approved_amount = fields.Monetary(
        string="Over-Budget Approved For",
        copy=False,
        readonly=True,
        help="The order's untaxed amount the approval covers: a larger order needs a new approval.",
    )
    muzza_budget_approval_covers = fields.Boolean(
        string="Over-Budget Approval Covers the Order",
        compute="_compute_muzza_budget_approval_covers",
        help="Whether a manager's approval covers the order's untaxed amount as it is now.",
    )

    @api.depends("partner_id", "company_id", "muzza_retainer_id")
    def _compute_muzza_customer_retainer_id(self):
        # whoever reads the order sees the customer's agreement in its company
        Retainer = self.env["muzza.retainer"].sudo()
        for order in self:
            retainer = Retainer
            if not order.muzza_retainer_id and order.partner_id:
                retainer = Retainer._running_for(order.partner_id, order.company_id)
            order.muzza_customer_retainer_id = retainer
            order.muzza_retainer_balance = retainer.balance
            order.muzza_retainer_budget_left = retainer.budget_left

    @api.depends("muzza_budget_approved_by", "muzza_budget_approved_amount", "amount_untaxed")
    def _compute_muzza_budget_approval_covers(self):
        for order in self:
            approved = order.muzza_budget_approved_amount
            order.muzza_budget_approval_covers = bool(
                order.muzza_budget_approved_by
                and order.currency_id.compare_amounts(order.amount_untaxed, approved) <= 0
            )

    @api.depends("partner_id")
    def _compute_require_payment(self):
        res = super()._compute_require_payment()
        # a retainer customer's work is paid from the retainer's prepaid
        # periods: its quotations do not ask for the order again online (a
        # deposit, where the rule asks one, is asked for all the same)
        for order in self.filtered(lambda o: o.state in ("draft", "sent") and o.muzza_customer_retainer_id):
            order.require_payment = False
        return res

    @api.depends("muzza_retainer_id")
    def _compute_invoice_status(self):
        res = super()._compute_invoice_status()
        # a retainer's order is invoiced by its agreement, period by period:
        # it never waits to be invoiced from the order
        for order in self.filtered("muzza_retainer_id"):
            order.invoice_status = "no"
        return res

    @api.model_create_multi
    def create(self, vals_list):
        if any(vals.get(name) for vals in vals_list for name in self._MUZZA_APPROVAL_FIELDS):
            self._muzza_refuse_approval_write()
        if any(vals.get("muzza_retainer_id") for vals in vals_list):
            self._muzza_refuse_retainer_link()
        return super().create(vals_list)

    def write(self, vals):
        touched = [name for name in self._MUZZA_APPROVAL_FIELDS if name in vals]
        # writing them empty where they are empty changes nothing (an import
        # of orders with the column left blank)
        if any(vals[name] or any(order[name] for order in self) for name in touched):
            self._muzza_refuse_approval_write()
        if "muzza_retainer_id" in vals and any(
            order.muzza_retainer_id.id != (vals["muzza_retainer_id"] or False) for order in self
        ):
            self._muzza_refuse_retainer_link()
        return super().write(vals)

    def _muzza_refuse_retainer_link(self):
        """A retainer's own order is linked to its agreement when the
        agreement starts (in sudo): by any other path (write, create, copy,
        import, RPC), by anyone, linking an order or unlinking it is
        refused. Linked, an ordinary quotation would drop its deposit and
        skip the retainer budget; unlinked, a retainer's order would be
        invoiced as an ordinary one."""
        if self.env["muzza.retainer"]._by_the_system():
            return
        raise UserError(
            self.env._(
                "An order is linked to a retainer agreement when the agreement starts, and stays "
                "linked: no order is linked to an agreement, or unlinked from it, by hand."
            )
        )

    def _muzza_refuse_approval_write(self):
        """The over-budget approval is written by its wizard only (in sudo,
        after its own check): by any other path (write, create, copy,
        import, RPC), it is refused."""
        if self.env.su:
            return
        if not self.env.user.has_group("muzza_receivables.group_receivables_manager"):
            raise AccessError(
                self.env._("Only receivables managers can approve going past a retainer budget.")
            )
        raise UserError(
            self.env._(
                "Going past a retainer budget is approved with Approve Over Budget, which records why."
            )
        )

    def action_muzza_approve_over_budget(self):
        self.ensure_one()
        if not self.env.user.has_group("muzza_receivables.group_receivables_manager"):
            raise AccessError(
                self.env._("Only receivables managers can approve going past a retainer budget.")
            )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Approve Over Budget"),
            "res_model": "muzza.budget.approval",
            "view_mode": "form",
            "target": "new",
            "context": {"default_order_id": self.id},
        }

    def _muzza_check_retainer_budget(self):
        """Confirming more work than a retainer's budget allows needs a
        manager's approval: what the order would bill beyond the balance.
        An approval covers the amount approved: an order grown past it is
        checked again."""
        for order in self.filtered(
            lambda o: o.muzza_customer_retainer_id and not o.muzza_budget_approval_covers
        ):
            retainer = order.muzza_customer_retainer_id
            retainer.invalidate_recordset(retainer._FIGURES)
            beyond = max(order.amount_untaxed - retainer.balance, 0.0)
            if order.muzza_budget_approved_by:
                what = self.env._(
                    "Confirming %(order)s for %(amount)s (%(approved)s was approved)",
                    order=order.name,
                    amount=format_amount(self.env, order.amount_untaxed, order.currency_id),
                    approved=format_amount(self.env, order.muzza_budget_approved_amount, order.currency_id),
                )
            else:
                what = self.env._("Confirming %(order)s", order=order.name)
            retainer._check_cap(beyond, what)

    def action_confirm(self):
        self._muzza_check_retainer_budget()
        return super().action_confirm()

    def _create_invoices(self, grouped=False, final=False, date=None):
        if self.filtered("muzza_retainer_id"):
            raise UserError(
                self.env._(
                    "A retainer's order is invoiced period by period by its agreement, not from the order."
                )
            )
        moves = super()._create_invoices(grouped=grouped, final=final, date=date)
        self.env["muzza.retainer"]._draw_for_invoices(moves)
        return moves
