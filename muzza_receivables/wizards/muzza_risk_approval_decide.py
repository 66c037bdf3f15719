# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import datetime

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

DEFAULT_DAYS = 30


class MuzzaRiskApprovalDecide(models.TransientModel):
    """A receivables manager grants or refuses an approval to confirm a sale
    at high payment risk, with a reason; granted, for an amount and until a
    date. Who, when and why are kept on the approval and the order."""

    _name = "muzza.risk.approval.decide"
    _description = "Grant or Refuse an Approval to Confirm a Sale at Risk"

    approval_id = fields.Many2one("muzza.risk.approval", required=True, readonly=True, ondelete="cascade")
    order_id = fields.Many2one(related="approval_id.order_id")
    currency_id = fields.Many2one(related="approval_id.currency_id")
    decision = fields.Selection([("grant", "Grant"), ("refuse", "Refuse")], required=True, default="grant")
    amount = fields.Monetary(
        string="Amount Approved",
        help="The order can be confirmed while its total stays within this amount.",
    )
    expiry_date = fields.Date(string="Counts Until")
    reason = fields.Text(required=True)

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        approval = self.env["muzza.risk.approval"].browse(values.get("approval_id"))
        if approval:
            values.setdefault("amount", approval.order_id.sudo().amount_total)
            values.setdefault(
                "expiry_date", fields.Date.context_today(self) + datetime.timedelta(days=DEFAULT_DAYS)
            )
        return values

    def action_decide(self):
        self.ensure_one()
        approval = self.approval_id
        approval._muzza_check_manager()
        reason = (self.reason or "").strip()
        if not reason:
            raise ValidationError(self.env._("Say why the approval is granted or refused."))
        if approval.state != "requested":
            raise UserError(self.env._("This approval was decided already; ask for a new one on the order."))
        order = approval.order_id.sudo()
        wording = self.env["muzza.wording"]
        lang = self.env.lang or "en_US"
        values = {
            "state": "granted" if self.decision == "grant" else "refused",
            "approver_id": self.env.uid,
            "decided_on": fields.Datetime.now(),
            "reason": reason,
        }
        if self.decision == "grant":
            today = fields.Date.context_today(self)
            if not self.expiry_date or self.expiry_date < today:
                raise ValidationError(self.env._("An approval counts until a date, today or later."))
            if approval.currency_id.compare_amounts(self.amount, order.amount_total) < 0:
                raise ValidationError(
                    self.env._(
                        "Approve at least the order's total (%(total)s): an approval below it would not "
                        "let the order be confirmed.",
                        total=wording._format_amount(order.amount_total, approval.currency_id, lang),
                    )
                )
            values.update(amount=self.amount, expiry_date=self.expiry_date)
            body = self.env._(
                "Approved by %(user)s for up to %(amount)s, until %(date)s: %(reason)s",
                user=self.env.user.name,
                amount=wording._format_amount(self.amount, approval.currency_id, lang),
                date=wording._format_date(self.expiry_date, lang),
                reason=reason,
            )
        else:
            body = self.env._("Refused by %(user)s: %(reason)s", user=self.env.user.name, reason=reason)
        approval.sudo().write(values)
        approval.sudo().activity_ids.action_feedback(feedback=reason)
        approval.message_post(body=body, subtype_xmlid="mail.mt_note")
        order.message_post(body=body, subtype_xmlid="mail.mt_note")
        return {"type": "ir.actions.act_window_close"}
