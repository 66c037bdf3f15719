# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import logging
from decimal import Decimal

from odoo import Command, api, fields, models
from odoo.tools.misc import format_amount

from ..logic.autopay import CHARGE, OVER_LIMIT, charge_decision

_logger = logging.getLogger(__name__)


class MuzzaAutopayAttempt(models.Model):
    """One automatic charge of one invoice, made or refused.

    The (invoice, amount) pair is unique in the database: the scheduled
    action records the attempt and commits it before asking the provider, so
    the same amount is never charged twice on the same invoice.
    """

    _name = "muzza.autopay.attempt"
    _description = "Automatic Payment Attempt"
    _order = "create_date desc, id desc"
    _check_company_auto = True

    move_id = fields.Many2one(
        "account.move", string="Invoice", required=True, index=True, ondelete="cascade", readonly=True
    )
    consent_id = fields.Many2one(
        "muzza.autopay.consent",
        required=True,
        index=True,
        ondelete="restrict",
        readonly=True,
        context={"active_test": False},
    )
    partner_id = fields.Many2one(related="move_id.commercial_partner_id", string="Customer", store=True)
    company_id = fields.Many2one(related="move_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="move_id.currency_id", store=True)
    amount = fields.Monetary(required=True, readonly=True)
    due_date = fields.Date(
        string="For the Instalment Due",
        required=True,
        readonly=True,
        help="The last due date the charge covers: two equal instalments of one invoice are two charges.",
    )
    transaction_id = fields.Many2one("payment.transaction", readonly=True, index=True)
    refused_over_limit = fields.Boolean(string="Above the Limit", readonly=True)
    state = fields.Selection(
        [
            ("pending", "Sent, awaiting the provider"),
            ("done", "Charged"),
            ("failed", "Failed"),
            ("over_limit", "Not charged: above the agreed limit"),
        ],
        compute="_compute_state",
        store=True,
        index=True,
    )
    message = fields.Char(compute="_compute_state", store=True, string="Provider's Message")

    _sql_constraints = (
        (
            "one_attempt_per_amount",
            "UNIQUE(move_id, due_date, amount)",
            "This amount has already been charged automatically for this instalment of the invoice.",
        ),
    )

    @api.depends("transaction_id.state", "transaction_id.state_message", "refused_over_limit")
    def _compute_state(self):
        for attempt in self:
            tx = attempt.transaction_id
            attempt.message = tx.state_message or False
            if attempt.refused_over_limit:
                attempt.state = "over_limit"
            elif tx.state == "done":
                attempt.state = "done"
            elif tx.state in ("cancel", "error"):
                attempt.state = "failed"
            else:
                attempt.state = "pending"

    # ------------------------------------------------------------------------
    # making the charge
    # ------------------------------------------------------------------------

    @api.model
    def _prepare(self, move, today):
        """Record today's attempt on ``move``, with its draft transaction.

        Returns the attempt to send, or an empty recordset when nothing is to
        be charged (nothing due, already tried, or above the limit, which is
        recorded and reported instead). Marks the invoice as handled today.
        Attempts and transactions are the system's records: written in sudo.
        """
        self = self.sudo()  # noqa: PLW0642
        move.sudo().muzza_autopay_checked_on = today
        partner = move.commercial_partner_id
        consent = self.env["muzza.autopay.consent"]._active_for(partner, move.company_id).get(partner)
        if not consent:
            return self.browse()
        key = consent._charge_key(move, today)
        decision = charge_decision(
            key,
            consent._limit_in(move.currency_id, today),
            [(a.due_date, Decimal(str(a.amount))) for a in move.muzza_autopay_attempt_ids],
        )
        if decision not in (CHARGE, OVER_LIMIT):
            return self.browse()
        due_date, amount = key
        attempt = self.create(
            {
                "move_id": move.id,
                "consent_id": consent.id,
                "amount": float(amount),
                "due_date": due_date,
                "refused_over_limit": decision == OVER_LIMIT,
            }
        )
        if decision == OVER_LIMIT:
            attempt._report_failure(
                self.env._(
                    "%(amount)s is due, above the %(limit)s per charge the customer agreed to",
                    amount=format_amount(self.env, float(amount), move.currency_id),
                    limit=format_amount(self.env, consent.max_amount, consent.currency_id),
                )
            )
            return self.browse()
        token = consent.token_id
        attempt.transaction_id = (
            self.env["payment.transaction"]
            .sudo()
            .create(
                {
                    "provider_id": token.provider_id.id,
                    "payment_method_id": token.payment_method_id.id,
                    "amount": float(amount),
                    "currency_id": move.currency_id.id,
                    "partner_id": move.partner_id.id,
                    "token_id": token.id,
                    "operation": "offline",
                    "invoice_ids": [Command.set(move.ids)],
                }
            )
        )
        return attempt

    def _send(self):
        """Ask the provider to charge; a failure is reported on the invoice."""
        for attempt in self:
            tx = attempt.transaction_id
            try:
                with self.env.cr.savepoint():
                    tx._send_payment_request()
            except Exception as error:  # the provider refused or could not be reached
                _logger.warning("Automatic payment %s failed: %s", tx.reference, error, exc_info=True)
                tx._set_error(self.env._("The payment request could not be sent: %s", error))
            if tx.state == "done":
                try:
                    with self.env.cr.savepoint():
                        tx._post_process()  # the payment and its reconciliation, now
                except Exception:
                    # Odoo's own post-processing action retries it
                    _logger.exception("Post-processing of %s failed", tx.reference)
        return True

    def _report_failure(self, reason):
        """Tell the people following the invoice; the reminders carry on."""
        for attempt in self:
            move = attempt.move_id
            summary = self.env._("Automatic payment failed")
            note = self.env._(
                "Automatic payment of %(amount)s with %(method)s was not made (%(reason)s). "
                "The invoice stays open and the usual reminders apply.",
                amount=format_amount(self.env, attempt.amount, attempt.currency_id),
                method=attempt.consent_id._method_label(),
                reason=reason,
            )
            move.message_post(body=note, subtype_xmlid="mail.mt_note")
            user = move.invoice_user_id or move.partner_id.user_id or move.commercial_partner_id.user_id
            move.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=summary,
                note=note,
                user_id=(user or move.create_uid or self.env.user).id,
            )
