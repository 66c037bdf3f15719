# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import api, fields, models


class ResPartner(models.Model):
    """Automatic payment: the customer's consent in force."""

    _inherit = "res.partner"

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
