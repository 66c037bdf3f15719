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
    muzza_billing_contact_id = fields.Many2one(
        "res.partner",
        string="Billing Contact",
        domain="[('id', 'child_of', commercial_partner_id)]",
        help="The person invoices are addressed and sent to.",
    )

    @api.model
    def _commercial_fields(self):
        # contacts share what their company requires to pay
        return super()._commercial_fields() + ["muzza_requires_po", "muzza_billing_contact_id"]
