# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import api, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    muzza_late_fee_policy_id = fields.Many2one(
        "muzza.late.fee.policy",
        string="Late-Fee Policy",
        company_dependent=True,
        domain="[('company_id', '=', current_company_id)]",
        help="Late-payment terms printed on and charged for this customer's invoices; "
        "empty means the company's default.",
    )
    muzza_contract_template_id = fields.Many2one(
        "muzza.contract.template",
        string="Contract Terms",
        company_dependent=True,
        domain="[('company_id', '=', current_company_id)]",
        help="Default contract payment-term template of this customer's quotations.",
    )
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

    muzza_autopay_consent_ids = fields.One2many(
        "muzza.autopay.consent",
        "partner_id",
        string="Automatic Payment Consents",
        context={"active_test": False},
    )
    muzza_autopay_consent_id = fields.Many2one(
        "muzza.autopay.consent",
        string="Automatic Payment",
        compute="_compute_muzza_autopay_consent_id",
        help="The consent in force in the current company: the customer's invoices are charged "
        "on their due dates with the saved payment method.",
    )
    muzza_autopay_offered = fields.Boolean(
        related="muzza_contract_template_id.autopay_offered", string="Automatic Payment Offered"
    )

    muzza_retainer_ids = fields.One2many("muzza.retainer", "partner_id", string="Retainers")

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

    @api.depends("muzza_autopay_consent_ids.active", "commercial_partner_id")
    @api.depends_context("company")
    def _compute_muzza_autopay_consent_id(self):
        consents = self.env["muzza.autopay.consent"]._active_for(self, self.env.company)
        for partner in self:
            partner.muzza_autopay_consent_id = consents.get(partner.commercial_partner_id, False)

    def action_muzza_record_autopay_consent(self):
        self.ensure_one()
        partner = self.commercial_partner_id
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Record Automatic-Payment Consent"),
            "res_model": "muzza.autopay.consent",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_partner_id": partner.id,
                "default_signed_by_id": partner._muzza_invoice_address().id,
                "default_channel": "backend",
            },
        }

    @api.model
    def _commercial_fields(self):
        # contacts share what their company requires to pay
        return super()._commercial_fields() + ["muzza_requires_po"]
