# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import models
from odoo.exceptions import UserError


class AccountMove(models.Model):
    """What the customer requires on its invoices: its purchase-order number,
    and the contact they are addressed to."""

    _inherit = "account.move"

    def _post(self, soft=True):
        invoices = self.filtered(lambda m: m.move_type == "out_invoice" and not m.muzza_fee_origin_id)
        invoices._muzza_apply_billing_contact()
        invoices._muzza_check_required_references()
        return super()._post(soft=soft)

    def _muzza_apply_billing_contact(self):
        for move in self:
            contact = move.commercial_partner_id.muzza_billing_contact_id
            if contact and move.partner_id == move.commercial_partner_id and contact != move.partner_id:
                move.partner_id = contact

    def _muzza_check_required_references(self):
        missing = self.filtered(
            lambda m: m.commercial_partner_id.muzza_requires_po and not (m.ref or "").strip()
        )
        if missing:
            Wording = self.env["muzza.wording"]
            raise UserError(
                self.env._(
                    "These customers require their purchase-order number on every invoice; "
                    "enter it in the Customer Reference field before posting:\n%s",
                    "\n".join(
                        "- %s (%s)" % (Wording._document_label(m), m.partner_id.display_name) for m in missing
                    ),
                )
            )
