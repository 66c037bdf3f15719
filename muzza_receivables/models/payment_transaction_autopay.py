# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import models


class PaymentTransaction(models.Model):
    _inherit = "payment.transaction"

    def _muzza_report_autopay_failures(self, txs):
        attempts = self.env["muzza.autopay.attempt"].sudo().search([("transaction_id", "in", txs.ids)])
        for attempt in attempts:
            attempt._report_failure(
                (attempt.transaction_id.state_message or "").rstrip(". ")
                or self.env._("the provider gave no reason")
            )

    def _set_canceled(self, state_message=None, extra_allowed_states=()):
        txs = super()._set_canceled(state_message=state_message, extra_allowed_states=extra_allowed_states)
        self._muzza_report_autopay_failures(txs)
        return txs

    def _set_error(self, state_message, extra_allowed_states=()):
        txs = super()._set_error(state_message, extra_allowed_states=extra_allowed_states)
        self._muzza_report_autopay_failures(txs)
        return txs
