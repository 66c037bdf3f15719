# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import SUPERUSER_ID, models


class AccountMove(models.Model):
    """How the invoices the module issues by itself reach the customer."""

    _inherit = "account.move"

    def _get_mail_template(self):
        # customer invoices (late-fee invoices too) go out with the e-mail
        # their company chose in Settings › Receivables: by default the
        # module's, which states the exact due dates and late-payment terms;
        # Odoo's own (and the administrator's edits of it) when chosen.
        if self and all(move.move_type == "out_invoice" for move in self):
            template = self.company_id.muzza_invoice_mail_template_id
            if len(template) == 1:
                return template
        return super()._get_mail_template()

    def _muzza_issue(self, by=None):
        """Post and e-mail invoices the module issues by itself (deposits,
        retainer periods, cadence and late-fee invoices).

        They are issued on the company's behalf, whoever triggered them: no
        accounting rights and no e-mail address are needed (the e-mail goes
        out from the company), and the chatter names the person (or the
        scheduled action) that triggered it.

        :param by: the user who triggered it (default: the current user)
        """
        if not self:
            return self
        who = by or self.env.user
        moves = self.sudo()
        moves.action_post()
        later = self.env.context.get("muzza_send_after_payment")
        if not later:
            moves._muzza_send_by_email()
        if later:
            # paid already (online, when signing): e-mailed once the payment
            # is recorded on it, so that it reads as paid, not as due
            note = self.env._(
                "Issued automatically, on the company's behalf, when %(user)s acted; e-mailed once "
                "its payment is recorded.",
                user=who.name,
            )
        elif self.env.context.get("cron_id") or who._is_superuser():
            note = self.env._("Issued and sent automatically by a scheduled action.")
        else:
            note = self.env._(
                "Issued and sent automatically, on the company's behalf, when %(user)s acted.", user=who.name
            )
        for move in moves:
            move.message_post(body=note, subtype_xmlid="mail.mt_note")
        return self

    def _muzza_send_by_email(self):
        """E-mail these posted invoices with their PDF (the invoice e-mail
        template), through the mail queue, from the company (OdooBot writes
        the message, so the sender needs no e-mail address of their own);
        note it on those whose customer has no e-mail address."""
        for move in self:
            if not move.partner_id.email:
                move.message_post(body=self.env._("Not sent: the customer has no e-mail address."))
                continue
            self.env["account.move.send"].with_user(SUPERUSER_ID).with_company(
                move.company_id
            )._generate_and_send_invoices(
                move.with_user(SUPERUSER_ID).with_company(move.company_id),
                sending_methods={"email"},
                allow_raising=False,
                allow_fallback_pdf=True,
            )
