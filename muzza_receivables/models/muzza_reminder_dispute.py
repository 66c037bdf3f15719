# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError

from .muzza_reminder_promise import SOURCES


class MuzzaReminderDispute(models.Model):
    """A customer disputes an invoice: its reminders pause, the salesperson
    gets an activity, and resolving the dispute resumes them."""

    _name = "muzza.reminder.dispute"
    _inherit = ["mail.thread"]  # noqa: RUF012
    _description = "Receivables: disputed invoice"
    _order = "create_date desc, id desc"

    move_id = fields.Many2one(
        "account.move",
        string="Invoice",
        required=True,
        index=True,
        ondelete="cascade",
        domain="[('move_type', '=', 'out_invoice'), ('state', '=', 'posted')]",
    )
    partner_id = fields.Many2one(related="move_id.commercial_partner_id", store=True, string="Customer")
    company_id = fields.Many2one(related="move_id.company_id", store=True, index=True)
    reason = fields.Text(required=True)
    source = fields.Selection(
        SOURCES,
        default="salesperson",
        required=True,
        readonly=True,
    )
    opened_by_id = fields.Many2one("res.users", readonly=True, default=lambda self: self.env.user)
    state = fields.Selection(
        [("open", "Open"), ("resolved", "Resolved")],
        default="open",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
    )
    resolution = fields.Text(readonly=True, tracking=True)
    resolved_by_id = fields.Many2one("res.users", readonly=True)
    resolved_on = fields.Datetime(readonly=True)

    def init(self):
        self.env.cr.execute(
            "CREATE UNIQUE INDEX IF NOT EXISTS muzza_reminder_dispute_one_open "
            "ON muzza_reminder_dispute (move_id) WHERE state = 'open'"
        )

    @api.depends("move_id")
    def _compute_display_name(self):
        for dispute in self:
            dispute.display_name = self.env._("Dispute on %(invoice)s", invoice=dispute.move_id.name or "")

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not self.env.su:
                for key in ("state", "resolution", "resolved_by_id", "resolved_on", "opened_by_id", "source"):
                    vals.pop(key, None)
            if not (vals.get("reason") or "").strip():
                raise ValidationError(self.env._("Say what the customer disputes."))
        disputes = super().create(vals_list)
        for dispute in disputes:
            move = dispute.move_id
            if move.move_type != "out_invoice" or move.state != "posted":
                raise ValidationError(self.env._("Only a posted customer invoice can be disputed."))
            if self.search_count(
                [("move_id", "=", move.id), ("state", "=", "open"), ("id", "!=", dispute.id)]
            ):
                raise ValidationError(
                    self.env._("Invoice %(invoice)s is disputed already.", invoice=move.name)
                )
            dispute._muzza_announce()
        return disputes

    def write(self, vals):
        if not self.env.su and set(vals) & {
            "state",
            "resolution",
            "resolved_by_id",
            "resolved_on",
            "move_id",
            "source",
            "opened_by_id",
        }:
            raise ValidationError(self.env._("Resolve a dispute with its Resolve button."))
        return super().write(vals)

    def copy_data(self, default=None):
        raise ValidationError(self.env._("Record a new dispute instead of copying one."))

    def _muzza_announce(self):
        self.ensure_one()
        move = self.move_id.sudo()
        user = (
            move.invoice_user_id
            or move.partner_id.commercial_partner_id.user_id
            or self.env.ref("base.user_root")
        )
        note = self.env._(
            "Disputed: %(reason)s. Its reminders wait until the dispute is resolved.", reason=self.reason
        )
        move.message_post(body=note, subtype_xmlid="mail.mt_note", author_id=self.env.user.partner_id.id)
        move.activity_schedule(
            "muzza_receivables.mail_activity_reminder_dispute",
            user_id=user.id,
            note=note,
        )

    def action_resolve(self, resolution=None):
        """Resolve the dispute: the invoice's reminders resume."""
        if not (
            self.env.user.has_group("account.group_account_invoice")
            or self.env.user.has_group("muzza_receivables.group_receivables_manager")
            or self.env.user.has_group("sales_team.group_sale_salesman")
        ):
            raise AccessError(self.env._("Only sales and accounting staff resolve a dispute."))
        resolution = resolution or self.env.context.get("muzza_resolution")
        for dispute in self.filtered(lambda d: d.state == "open"):
            dispute.sudo().write(
                {
                    "state": "resolved",
                    "resolution": resolution,
                    "resolved_by_id": self.env.user.id,
                    "resolved_on": fields.Datetime.now(),
                }
            )
            move = dispute.move_id.sudo()
            move.message_post(
                author_id=self.env.user.partner_id.id,
                body=self.env._(
                    "Dispute resolved by %(user)s%(resolution)s. Its reminders resume.",
                    user=self.env.user.name,
                    resolution=(": %s" % resolution) if resolution else "",
                ),
                subtype_xmlid="mail.mt_note",
            )
            move.activity_feedback(["muzza_receivables.mail_activity_reminder_dispute"])
        return True
