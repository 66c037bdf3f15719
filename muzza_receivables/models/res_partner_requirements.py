# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import api, fields, models


class ResPartner(models.Model):
    """What the customer requires on its invoices: its purchase-order
    number, and the contact they are addressed to."""

    _inherit = "res.partner"

    muzza_requires_po = fields.Boolean(
        string="Requires a PO Number",
        help="Customer invoices cannot be posted without the customer's purchase-order "
        "number in their Customer Reference.",
    )
    muzza_invoice_address_id = fields.Many2one(
        "res.partner",
        string="Invoices Go To",
        compute="_compute_muzza_invoice_address_id",
        help="The contact of type Invoice among this customer's contacts: invoices and sales orders "
        "are addressed to it. Add or change a contact of type Invoice (Contacts & Addresses) to "
        "change it; without one, invoices go to the customer itself.",
    )

    @api.depends("commercial_partner_id", "child_ids.type", "child_ids.active")
    def _compute_muzza_invoice_address_id(self):
        for partner in self:
            customer = partner._origin.commercial_partner_id
            partner.muzza_invoice_address_id = customer._muzza_invoice_address() if customer else False

    def _muzza_invoice_address(self):
        """The contact invoices to this customer are addressed to: its
        contact of type Invoice, as sales orders take it (Odoo's
        ``address_get``), else the customer itself."""
        self.ensure_one()
        customer = self.commercial_partner_id
        return self.browse(customer.address_get(["invoice"])["invoice"])

    @api.model
    def _commercial_fields(self):
        # contacts share what their company requires to pay
        return super()._commercial_fields() + ["muzza_requires_po"]
