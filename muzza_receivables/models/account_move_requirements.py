# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import Command, api, models
from odoo.exceptions import UserError


class AccountMove(models.Model):
    """What the customer requires on its invoices: its purchase-order number,
    and the address they go to (Odoo's contact of type Invoice)."""

    _inherit = "account.move"

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._muzza_address_to_invoice_address(vals)
        return super().create(vals_list)

    def copy(self, default=None):
        # a copy (a duplicate, a credit note) keeps the address the user chose
        return super(AccountMove, self.with_context(muzza_keep_address=True)).copy(default=default)

    @api.onchange("partner_id")
    def _onchange_muzza_invoice_address(self):
        # the user sees the invoice address as soon as they pick the customer
        partner = self.partner_id
        if partner and self.is_sale_document() and partner == partner.commercial_partner_id:
            address = partner._muzza_invoice_address()
            if address != partner:
                self.partner_id = address

    @api.model
    def _muzza_address_to_invoice_address(self, vals):
        """A customer invoice (or credit note) created for a customer that has
        a contact of type Invoice is addressed to that contact, as Odoo's
        sales orders do, when it is created: never later behind the user's
        back. A contact chosen on purpose is kept, and so is the invoice
        address of the sales orders an invoice is made from."""
        if self.env.context.get("muzza_keep_address"):
            return
        move_type = vals.get("move_type") or self.env.context.get("default_move_type") or "entry"
        partner_id = vals.get("partner_id") or self.env.context.get("default_partner_id")
        if move_type not in self.get_sale_types() or not partner_id or self._muzza_from_sale_order(vals):
            return
        partner = self.env["res.partner"].browse(partner_id)
        if partner != partner.commercial_partner_id:
            return
        address = partner._muzza_invoice_address()
        if address != partner:
            vals["partner_id"] = address.id

    @api.model
    def _muzza_from_sale_order(self, vals):
        """Whether these invoice values come from sales orders (their lines
        invoice order lines): the order already chose the invoice address."""
        commands = [*(vals.get("invoice_line_ids") or []), *(vals.get("line_ids") or [])]
        return any(
            isinstance(command, (list, tuple))
            and command[0] == Command.CREATE
            and command[2].get("sale_line_ids")
            for command in commands
        )

    def _post(self, soft=True):
        self.filtered(
            lambda m: m.move_type == "out_invoice" and not m.muzza_fee_origin_id
        )._muzza_check_required_references()
        return super()._post(soft=soft)

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
