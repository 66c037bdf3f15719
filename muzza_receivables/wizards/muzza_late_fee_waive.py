# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError


class MuzzaLateFeeWaive(models.TransientModel):
    _name = "muzza.late.fee.waive"
    _description = "Waive Late Fees"

    move_id = fields.Many2one("account.move", string="Invoice", required=True, readonly=True)
    reason = fields.Text(required=True)
    cancel_open_fees = fields.Boolean(
        string="Credit Unpaid Fee Invoices",
        default=True,
        help="Also issue credit notes for the late-fee invoices of this invoice that are not paid yet.",
    )
    open_fee_move_ids = fields.Many2many("account.move", compute="_compute_open_fee_move_ids")

    @api.depends("move_id")
    def _compute_open_fee_move_ids(self):
        for wizard in self:
            wizard.open_fee_move_ids = wizard.move_id.muzza_fee_move_ids.filtered(
                lambda m: m.state == "posted" and m.payment_state in ("not_paid", "partial")
            )

    def action_waive(self):
        self.ensure_one()
        if not self.env.user.has_group("muzza_receivables.group_receivables_manager"):
            raise AccessError(self.env._("Only receivables managers can waive late fees."))
        move = self.move_id
        if move.muzza_fee_waived:
            raise UserError(self.env._("Late fees on %s are already waived.", move.name))
        if not self.reason.strip():
            raise UserError(self.env._("Say why the late fees are waived."))
        credited = self.env["account.move"]
        if self.cancel_open_fees and self.open_fee_move_ids:
            credited = self.open_fee_move_ids._reverse_moves(
                [
                    {
                        "ref": self.env._("Late fee waived: %s", self.reason.strip()),
                        "invoice_date": fields.Date.context_today(self),
                    }
                    for _fee in self.open_fee_move_ids
                ],
                cancel=True,
            )
        # who, when and why are recorded by the invoice itself, by any path
        if credited:
            move.message_post(
                body=self.env._(
                    "Unpaid late-fee invoices credited: %(credit_notes)s.",
                    credit_notes=", ".join(credited.mapped("name")),
                ),
                subtype_xmlid="mail.mt_note",
            )
        move.write({"muzza_fee_waived": True, "muzza_fee_waive_reason": self.reason.strip()})
        return {"type": "ir.actions.act_window_close"}
