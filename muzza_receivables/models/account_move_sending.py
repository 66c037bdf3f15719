# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import models


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

    def _muzza_send_by_email(self):
        """E-mail these posted invoices with their PDF (the invoice e-mail
        template), through the mail queue; note it on those whose customer
        has no e-mail address. Used by every invoice the module issues on
        its own: late fees, cadence, deposits and retainer periods."""
        for move in self:
            if not move.partner_id.email:
                move.message_post(body=self.env._("Not sent: the customer has no e-mail address."))
                continue
            self.env["account.move.send"]._generate_and_send_invoices(
                move, sending_methods={"email"}, allow_raising=False, allow_fallback_pdf=True
            )
