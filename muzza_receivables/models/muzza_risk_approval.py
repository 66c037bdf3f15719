# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import api, fields, models
from odoo.exceptions import AccessError

from ..logic.money import to_decimal
from ..logic.risk import approval_counts
from .muzza_risk_profile import level_selection

MANAGER = "muzza_receivables.group_receivables_manager"


class MuzzaRiskApproval(models.Model):
    """A receivables manager's approval to confirm one quotation of a
    customer at high payment risk: asked for from the order by the
    salesperson, granted or refused with a reason, for an amount (in the
    order's currency) and until a date. It counts only for its own order,
    while not expired, and while the order's total stays within the amount
    approved. Nobody writes it but the module, and the manager through the
    grant/refuse wizard."""

    _name = "muzza.risk.approval"
    _description = "Approval to confirm a sale at high payment risk"
    _inherit = ["mail.thread", "mail.activity.mixin"]  # noqa: RUF012
    _order = "id desc"

    order_id = fields.Many2one("sale.order", required=True, readonly=True, index=True, ondelete="cascade")
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    partner_id = fields.Many2one("res.partner", string="Customer", required=True, readonly=True, index=True)
    currency_id = fields.Many2one("res.currency", string="Order Currency", required=True, readonly=True)
    level = fields.Selection(level_selection, string="Risk Level When Asked", readonly=True)
    amount_requested = fields.Monetary(string="Order Total When Asked", readonly=True)
    requested_by = fields.Many2one("res.users", readonly=True)
    requested_on = fields.Datetime(readonly=True)
    state = fields.Selection(
        [("requested", "Requested"), ("granted", "Granted"), ("refused", "Refused")],
        required=True,
        default="requested",
        readonly=True,
        tracking=True,
        index=True,
    )
    approver_id = fields.Many2one("res.users", string="Decided By", readonly=True, tracking=True)
    decided_on = fields.Datetime(readonly=True)
    reason = fields.Text(readonly=True, tracking=True)
    expiry_date = fields.Date(string="Counts Until", readonly=True, tracking=True)
    amount = fields.Monetary(
        string="Amount Approved",
        readonly=True,
        tracking=True,
        help="The order can be confirmed while its total stays within this amount.",
    )
    counts = fields.Boolean(
        string="Lets the Order Be Confirmed",
        compute="_compute_counts",
        help="Granted, not expired, and the order's total is within the amount approved.",
    )

    @api.depends_context("uid")
    @api.depends(
        "state",
        "expiry_date",
        "amount",
        "order_id.amount_total",
        "order_id.partner_id",
        "order_id.company_id",
        "order_id.currency_id",
    )
    def _compute_counts(self):
        today = fields.Date.context_today(self)
        for approval in self:
            approval.counts = approval._muzza_counts_for(approval.order_id.sudo(), today)

    def _muzza_counts_for(self, order, today):
        """Whether this approval lets ``order`` be confirmed on ``today``."""
        self.ensure_one()
        if (
            self.order_id != order
            # for this customer, company and currency: changing any of them
            # after the approval leaves the order unapproved
            or self.partner_id.commercial_partner_id != order.partner_id.commercial_partner_id
            or self.company_id != order.company_id
            or self.currency_id != order.currency_id
        ):
            return False
        currency = self.currency_id
        return approval_counts(
            self.state,
            self.expiry_date,
            today,
            to_decimal(currency.round(self.amount)),
            to_decimal(currency.round(order.amount_total)),
        )

    @api.depends("order_id", "state")
    def _compute_display_name(self):
        states = dict(self._fields["state"]._description_selection(self.env))
        for approval in self:
            approval.display_name = self.env._(
                "%(order)s: %(state)s",
                order=approval.order_id.sudo().name or "",
                state=states[approval.state],
            )

    # ------------------------------------------------------------------------
    # written by the module only
    # ------------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise AccessError(
                self.env._(
                    "An approval is asked for with Request Approval on the order, not created by hand."
                )
            )
        return super().create(vals_list)

    def write(self, vals):
        own = {name for name in vals if not name.startswith(("message_", "activity_"))}
        if own and not self.env.su:
            raise AccessError(
                self.env._("Only a receivables manager grants or refuses an approval, with Grant or Refuse.")
            )
        return super().write(vals)

    # ------------------------------------------------------------------------
    # the manager's decision
    # ------------------------------------------------------------------------

    def _muzza_check_manager(self):
        if not self.env.user.has_group(MANAGER):
            raise AccessError(self.env._("Only a receivables manager grants or refuses an approval."))

    def _muzza_open_decision(self, decision):
        self.ensure_one()
        self._muzza_check_manager()
        return {
            "type": "ir.actions.act_window",
            "res_model": "muzza.risk.approval.decide",
            "view_mode": "form",
            "target": "new",
            "name": self.env._("Grant the Approval")
            if decision == "grant"
            else self.env._("Refuse the Approval"),
            "context": {"default_approval_id": self.id, "default_decision": decision},
        }

    def action_muzza_grant(self):
        return self._muzza_open_decision("grant")

    def action_muzza_refuse(self):
        return self._muzza_open_decision("refuse")

    @api.model
    def _muzza_managers(self, company):
        """The receivables managers working in ``company``."""
        group = self.env.ref(MANAGER).sudo()
        return group.users.filtered(
            lambda user: not user.share and user.active and company in user.company_ids
        )

    def _muzza_notify_managers(self):
        """An activity for each receivables manager of the company."""
        activity_type = self.env.ref("mail.mail_activity_data_todo")
        wording = self.env["muzza.wording"]
        for approval in self.sudo():
            order = approval.order_id
            for manager in self._muzza_managers(approval.company_id):
                approval.activity_schedule(
                    activity_type_id=activity_type.id,
                    summary=self.env._("Approve the sale %(order)s", order=order.name),
                    note=self.env._(
                        "%(user)s asks to confirm %(order)s for %(customer)s (%(amount)s), at %(level)s "
                        "payment risk.",
                        user=approval.requested_by.name,
                        order=order.name,
                        customer=approval.partner_id.display_name,
                        amount=wording._format_amount(
                            approval.amount_requested, approval.currency_id, self.env.lang or "en_US"
                        ),
                        level=dict(level_selection(self)).get(approval.level, ""),
                    ),
                    user_id=manager.id,
                )
