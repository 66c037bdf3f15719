# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import api, fields, models
from odoo.tools import SQL


class AccountMove(models.Model):
    """Payment reminders on the invoice: the last level it was reminded at,
    the reminders that named it, its disputes and promises to pay."""

    _inherit = "account.move"

    muzza_reminder_level_id = fields.Many2one(
        "muzza.reminder.level",
        string="Reminded At",
        readonly=True,
        copy=False,
        help="The highest reminder level sent for this invoice: each level goes out once.",
    )
    muzza_reminder_line_ids = fields.One2many(
        "muzza.reminder.line", "move_id", string="Reminders", readonly=True, copy=False
    )
    muzza_reminder_count = fields.Integer(compute="_compute_muzza_reminder_count", string="Reminders Sent")
    muzza_dispute_ids = fields.One2many("muzza.reminder.dispute", "move_id", string="Disputes", copy=False)
    muzza_disputed = fields.Boolean(
        string="Disputed", compute="_compute_muzza_disputed", search="_search_muzza_disputed"
    )
    muzza_promise_ids = fields.Many2many(
        "muzza.reminder.promise",
        "account_move_muzza_reminder_promise_rel",
        "move_id",
        "muzza_reminder_promise_id",
        string="Promises to Pay",
        copy=False,
        readonly=True,
    )

    def init(self):
        res = super().init()
        # the reminders read a customer's open invoices, set after set: without
        # this, each set scans every journal entry
        self.env.cr.execute(
            """
            CREATE INDEX IF NOT EXISTS account_move_muzza_open_invoice_idx
                ON account_move (commercial_partner_id, company_id)
             WHERE move_type = 'out_invoice' AND state = 'posted' AND payment_state IN ('not_paid', 'partial')
            """
        )
        return res

    @api.depends("muzza_reminder_line_ids.reminder_id.state")
    def _compute_muzza_reminder_count(self):
        for move in self:
            move.muzza_reminder_count = len(
                move.muzza_reminder_line_ids.reminder_id.filtered(lambda r: r.state in ("sent", "bounced"))
            )

    @api.depends("muzza_dispute_ids.state")
    def _compute_muzza_disputed(self):
        for move in self:
            move.muzza_disputed = any(dispute.state == "open" for dispute in move.muzza_dispute_ids)

    def _search_muzza_disputed(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise NotImplementedError()
        positive = (operator == "=") == value
        return [("muzza_dispute_ids", "any" if positive else "not any", [("state", "=", "open")])]

    @api.model
    def _muzza_mark_reminded(self, by_level):
        """``{level id: [invoice ids]}``: these invoices were reminded at
        these levels (one query per level; the level is the module's own
        mark, nothing depends on it)."""
        self.flush_model(["muzza_reminder_level_id"])
        for level_id, move_ids in by_level.items():
            self.env.cr.execute(
                SQL(
                    "UPDATE account_move SET muzza_reminder_level_id = %s WHERE id = ANY(%s)",
                    level_id,
                    move_ids,
                )
            )
        self.invalidate_model(["muzza_reminder_level_id"])

    def _muzza_unmark_reminded(self, level):
        """Give back ``level`` (a reminder that did not go out): each invoice
        is reminded at the highest level it really was."""
        for move in self:
            if move.muzza_reminder_level_id != level:
                continue
            sent = move.muzza_reminder_line_ids.filtered(
                lambda line: line.counted and line.level_id != level
            ).level_id.sorted("days")
            move.sudo().write({"muzza_reminder_level_id": sent[-1:].id})

    def action_muzza_reminders(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Reminders"),
            "res_model": "muzza.reminder",
            "view_mode": "list,form",
            "domain": [("line_ids.move_id", "=", self.id)],
        }

    def action_muzza_send_reminder(self):
        """Send now: show the exact message first."""
        return self.env["muzza.reminder.send"]._muzza_open(self.commercial_partner_id, self.company_id, self)

    def action_muzza_dispute(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Dispute"),
            "res_model": "muzza.reminder.dispute",
            "view_mode": "form",
            "target": "new",
            "context": {"default_move_id": self.id, "default_source": "salesperson"},
        }
