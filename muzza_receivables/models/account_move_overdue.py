# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import api, fields, models

from ..logic.dates import days_overdue


class AccountMove(models.Model):
    """The overdue list: how late each open customer invoice is."""

    _inherit = "account.move"

    muzza_days_overdue = fields.Integer(
        string="Days Overdue",
        compute="_compute_muzza_days_overdue",
        help="Whole days since the due date for a posted customer invoice that "
        "is not fully paid, measured at today's date in your time zone.",
    )

    @api.depends("invoice_date_due", "state", "payment_state", "move_type")
    @api.depends_context("tz")
    def _compute_muzza_days_overdue(self):
        today = fields.Date.context_today(self)
        for move in self:
            if (
                move.move_type == "out_invoice"
                and move.state == "posted"
                and move.payment_state in ("not_paid", "partial")
            ):
                move.muzza_days_overdue = days_overdue(move.invoice_date_due, today)
            else:
                move.muzza_days_overdue = 0
