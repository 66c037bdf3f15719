# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import str2bool


class SaleOrder(models.Model):
    """What the customer requires on its invoices, asked for on the
    quotation: a customer that requires its purchase-order number gets no
    invoice without it, so a quotation whose invoices the module issues by
    itself (a deposit, a cadence, invoicing on confirmation) asks for the
    customer's reference before it is sent, signed, paid or confirmed.
    Odoo carries it to the invoices (``client_order_ref`` → ``ref``)."""

    _inherit = "sale.order"

    muzza_reference_missing = fields.Boolean(
        string="Customer Reference Missing",
        compute="_compute_muzza_reference_missing",
        help="The customer requires its purchase-order number on every invoice, and this order's "
        "invoices are issued automatically: enter it in Customer Reference before sending or "
        "confirming.",
    )

    @api.depends(
        "partner_id.commercial_partner_id.muzza_requires_po",
        "client_order_ref",
        "muzza_deposit_amount",
        "muzza_contract_template_id.invoice_trigger",
        "state",
    )
    def _compute_muzza_reference_missing(self):
        for order in self:
            order.muzza_reference_missing = bool(
                order.state in ("draft", "sent")
                and order.partner_id.commercial_partner_id.muzza_requires_po
                and not (order.client_order_ref or "").strip()
                and order._muzza_invoices_automatically()
            )

    def _muzza_invoices_automatically(self):
        """Whether invoices of this order are issued without anyone posting
        them by hand: a deposit on confirmation, the contract's cadence or
        confirmation trigger, or Odoo's own invoice after an online payment
        (Settings › Sales › Automatic Invoice)."""
        self.ensure_one()
        trigger = self.muzza_contract_template_id.invoice_trigger
        if self.muzza_deposit_amount > 0 or trigger in ("cadence", "confirmation"):
            return True
        # any payment confirms a quotation (with or without Online payment,
        # a payment link of any amount), and Odoo then invoices it
        return str2bool(self.env["ir.config_parameter"].sudo().get_param("sale.automatic_invoice"))

    def _muzza_check_reference(self):
        missing = self.filtered("muzza_reference_missing")
        if missing:
            raise UserError(
                self.env._(
                    "These customers require their purchase-order number on every invoice, and these "
                    "orders' invoices are issued automatically: enter it in Customer Reference "
                    "first.\n%(orders)s",
                    orders="\n".join(
                        "- %s (%s)" % (order.name, order.partner_id.commercial_partner_id.display_name)
                        for order in missing
                    ),
                )
            )

    def action_quotation_send(self):
        self._muzza_check_reference()
        return super().action_quotation_send()

    def action_confirm(self):
        self._muzza_check_reference()
        return super().action_confirm()

    def _has_to_be_signed(self):
        # the customer cannot accept it online until the reference is on it:
        # nothing is signed or paid that could not then be invoiced
        return super()._has_to_be_signed() and not self.muzza_reference_missing

    def _has_to_be_paid(self):
        return super()._has_to_be_paid() and not self.muzza_reference_missing

    def _get_default_payment_link_values(self):
        # a payment link confirms the quotation it pays: refused while the
        # quotation could not then be invoiced
        self._muzza_check_reference()
        return super()._get_default_payment_link_values()

    def _muzza_check_reference_before_payment(self):
        """No money is taken for a quotation that could not be confirmed:
        whatever path created the payment (the portal's form, a page opened
        before the quotation changed, a payment link, a script)."""
        missing = self.filtered("muzza_reference_missing")
        if missing:
            raise UserError(
                self.env._(
                    "%(order)s cannot be paid yet: %(customer)s requires its purchase-order number on "
                    "every invoice. Please send it to us, so that we add it to the quotation; you can "
                    "then accept and pay it.",
                    order=missing[0].name,
                    customer=missing[0].partner_id.commercial_partner_id.display_name,
                )
            )
