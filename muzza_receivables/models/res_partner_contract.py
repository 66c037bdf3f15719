# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import fields, models


class ResPartner(models.Model):
    """Contract templates: the customer's default one."""

    _inherit = "res.partner"

    muzza_contract_template_id = fields.Many2one(
        "muzza.contract.template",
        string="Contract Terms",
        company_dependent=True,
        domain="[('company_id', '=', current_company_id)]",
        help="Default contract payment-term template of this customer's quotations.",
    )
