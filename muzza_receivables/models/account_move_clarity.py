# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import models
from odoo.exceptions import UserError


class AccountMove(models.Model):
    """The clarity check: an invoice says everything a customer needs to pay
    it on time before it is posted or sent (warn or block, per company)."""

    _inherit = "account.move"

    def _post(self, soft=True):
        if not self._muzza_issued_by_module():
            self.filtered(
                lambda m: m.move_type == "out_invoice" and not m.muzza_fee_origin_id
            )._muzza_check_clarity()
        return super()._post(soft=soft)

    def _muzza_issue(self, by=None):
        # What the module issues by itself (a deposit the customer may have
        # paid already, a period the agreement bills, a cadence invoice) is
        # never held back: nobody who triggered it could fix what is
        # missing, and money may have been taken. The gaps are noted on the
        # invoice for accounting, as in "warn" mode.
        super(AccountMove, self.with_context(muzza_issued=True))._muzza_issue(by=by)
        return self

    def _muzza_issued_by_module(self):
        # only the module's own code, in sudo, says so: a context key alone
        # is anyone's to send over RPC
        return bool(self.env.su and self.env.context.get("muzza_issued"))

    def action_post(self):
        res = super().action_post()
        warnings = self.filtered(lambda m: m.state == "posted")._muzza_clarity_warnings()
        if warnings and not res:
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {
                    "title": self.env._("Posted, but not everything a customer needs to pay is on it"),
                    "message": "\n".join(warnings),
                    "type": "warning",
                    "sticky": True,
                    "next": {"type": "ir.actions.client", "tag": "soft_reload"},
                },
            }
        return res

    def action_send_and_print(self):
        # the clarity check applies when sending as well as when posting
        self.filtered(
            lambda m: m.move_type == "out_invoice" and not m.muzza_fee_origin_id
        )._muzza_check_clarity()
        return super().action_send_and_print()

    def _muzza_clarity_gaps(self, paying_companies=None):
        """What this customer invoice lacks to be paid on time, in words.

        Odoo always resolves an exact due date at posting (the invoice date
        defaults to the posting day), so the due date needs no check here.

        :param set paying_companies: ids of the companies with an online
            payment provider (see :meth:`_muzza_paying_companies`)
        """
        self.ensure_one()
        if paying_companies is None:
            paying_companies = self._muzza_paying_companies()
        gaps = []
        if self.commercial_partner_id.muzza_requires_po and not (self.ref or "").strip():
            gaps.append(self.env._("the customer's purchase-order number (Customer Reference)"))
        if not self.partner_id.email:
            gaps.append(self.env._("an invoice address with an e-mail address"))
        if not self.partner_bank_id and self.company_id.id not in paying_companies:
            gaps.append(
                self.env._("a way to pay (a bank account on the invoice or an online payment provider)")
            )
        if not (self.muzza_fee_terms or self._muzza_policy()):
            gaps.append(self.env._("late-payment terms (a late-fee policy on the customer or the company)"))
        return gaps

    def _muzza_paying_companies(self):
        """Ids of this recordset's companies that have an online payment provider."""
        return set(self.company_id._muzza_paying().ids)

    def _muzza_check_clarity(self):
        """Refuse to post or send in "block" mode, listing what is missing."""
        blocking_moves = self.filtered(lambda m: m.company_id.muzza_clarity_mode == "block")
        paying = blocking_moves._muzza_paying_companies()
        blocking = []
        for move in blocking_moves:
            gaps = move._muzza_clarity_gaps(paying)
            if gaps:
                blocking.append("%s: %s" % (move.partner_id.display_name, "; ".join(gaps)))
        if blocking:
            raise UserError(
                self.env._(
                    "These invoices cannot be posted until they say everything the customer needs "
                    "to pay on time. Missing:\n%s",
                    "\n".join("- " + line for line in blocking),
                )
            )

    def _muzza_clarity_warnings(self):
        """In "warn" mode, note the gaps on each posted invoice; return them."""
        moves = self.filtered(
            lambda m: (
                m.move_type == "out_invoice"
                and not m.muzza_fee_origin_id
                and (m.company_id.muzza_clarity_mode == "warn" or self._muzza_issued_by_module())
            )
        )
        paying = moves._muzza_paying_companies()
        lines = []
        for move in moves:
            gaps = move._muzza_clarity_gaps(paying)
            if gaps:
                move.message_post(
                    body=self.env._("Posted without: %s", "; ".join(gaps)),
                    message_type="comment",
                    subtype_xmlid="mail.mt_note",
                )
                lines.append("%s — %s" % (move.name, "; ".join(gaps)))
        return lines
