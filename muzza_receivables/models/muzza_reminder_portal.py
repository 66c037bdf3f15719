# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import api, fields, models
from odoo.tools import str2bool

from ..logic.reminder_portal import OPEN, PENDING, invoice_status, totals_by_currency


class MuzzaReminder(models.Model):
    """The customer's side of a reminder (``/muzza/reminder/<id>``): its
    invoices as they stand now, what is left to pay, and the invoices a
    promise or a dispute from the customer may name. Everything here reads in
    sudo: the controller has checked the reminder's access token."""

    _inherit = "muzza.reminder"

    def _muzza_portal_status_labels(self):
        return {
            OPEN: self.env._("Open"),
            PENDING: self.env._("Payment pending"),
            "paid": self.env._("Paid"),
            "credited": self.env._("Credited"),
            "withdrawn": self.env._("Withdrawn"),
        }

    def _muzza_portal_moves(self):
        """``{invoice: status}``, every invoice the reminder named (those
        paid since it went out too), in due date order."""
        self.ensure_one()
        moves = self.sudo().line_ids.move_id.sorted(
            lambda m: (m.invoice_date_due or fields.Date.today(), m.name)
        )
        statuses = {}
        for move in moves:
            pending = move.transaction_ids.filtered(
                lambda tx: (
                    tx.state in ("pending", "authorized") and tx.provider_code not in ("none", "custom")
                )
            )
            statuses[move] = invoice_status(
                move.state,
                move.payment_state,
                move.currency_id.is_zero(move.amount_residual),
                bool(pending),
            )
        return statuses

    def _muzza_portal_open(self):
        """The invoices still open: those the customer pays, promises to pay
        or disputes from the reminder."""
        statuses = self._muzza_portal_moves()
        return self.env["account.move"].sudo().concat(*(m for m, s in statuses.items() if s == OPEN))

    @staticmethod
    def _muzza_next_due(move):
        """The exact date the invoice's next unpaid instalment is due."""
        # as the scheduled action reads it (the earliest open instalment)
        terms = move.line_ids.filtered(
            lambda l: l.display_type == "payment_term" and not l.reconciled and l.amount_residual > 0
        )
        return min(terms.mapped("date_maturity")) if terms else move.invoice_date_due

    def _muzza_portal_values(self, lang):
        """What the reminder's page says, in the customer's language: each
        invoice (number and its own portal link, exact due date, amount due
        now, late fees so far, status), the totals per currency of the open
        ones."""
        self.ensure_one()
        Wording = self.env["muzza.wording"]
        labels = self.with_context(lang=lang)._muzza_portal_status_labels()
        statuses = self._muzza_portal_moves()
        lines = []
        for move, status in statuses.items():
            is_open = status in (OPEN, PENDING)
            # as the e-mail states it: invoiced already, and accrued since
            fee = (move.muzza_fee_charged_amount + move.muzza_fee_accrued) if is_open else 0.0
            lines.append(
                {
                    "move": move,
                    "number": move.name,
                    "url": move.get_portal_url(),
                    "due": Wording._format_date(self._muzza_next_due(move), lang),
                    "amount": Wording._format_amount(move.amount_residual, move.currency_id, lang)
                    if is_open
                    else "",
                    "fee": Wording._format_amount(fee, move.currency_id, lang) if fee else "",
                    "status": status,
                    "status_label": labels[status],
                    "disputed": move.muzza_disputed,
                }
            )
        open_moves = [move for move, status in statuses.items() if status == OPEN]
        currencies = {move.currency_id for move in open_moves}
        totals = totals_by_currency(
            [
                (
                    move.currency_id,
                    move.amount_residual,
                    move.muzza_fee_charged_amount + move.muzza_fee_accrued,
                )
                for move in open_moves
            ],
            {currency: currency.rounding for currency in currencies},
        )
        return {
            "lines": lines,
            "any_fee": any(line["fee"] for line in lines),
            "totals": [
                {
                    "currency": currency,
                    "amount_value": float(due),
                    "amount": Wording._format_amount(due, currency, lang),
                    "fee": Wording._format_amount(fee, currency, lang) if fee else "",
                    "moves": self.env["account.move"]
                    .sudo()
                    .concat(*(m for m in open_moves if m.currency_id == currency)),
                }
                for currency, due, fee in totals
            ],
            "online_payment": str2bool(
                self.env["ir.config_parameter"].sudo().get_param("account_payment.enable_portal_payment")
            ),
        }

    @api.model
    def _muzza_portal_promise_limit(self, company, lang):
        """The last day a customer may promise to pay by, and the sentence
        saying so."""
        today = fields.Date.context_today(self)
        days = company.muzza_reminder_promise_days
        last = fields.Date.add(today, days=days)
        return (
            today,
            last,
            self.with_context(lang=lang).env._(
                "You can promise a date up to %(days)s days ahead: %(date)s at the latest.",
                days=days,
                date=self.env["muzza.wording"]._format_date(last, lang),
            ),
        )
