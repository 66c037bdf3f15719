# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import api, fields, models


class MuzzaRiskSign(models.Model):
    """A warning sign of a bad payer, as sales staff see it ("ambiguous
    answers", "focuses only on price"): ticked on a customer, it adds its
    weight to the customer's risk score. Each company keeps its own list;
    a new company starts from the main company's."""

    _name = "muzza.risk.sign"
    _description = "Warning sign of a bad payer"
    _order = "sequence, id"

    name = fields.Char(string="Warning Sign", required=True, translate=True)
    description = fields.Text(
        translate=True, help="What the salesperson looks for, in their words, when deciding to tick it."
    )
    weight = fields.Integer(
        default=10, required=True, help="Points it adds to the customer's risk score (0 to 100)."
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )

    _sql_constraints = [  # noqa: RUF012
        (
            "weight_range",
            "CHECK (weight >= 0 AND weight <= 100)",
            "A warning sign weighs 0 to 100 points.",
        ),
    ]

    def write(self, vals):
        res = super().write(vals)
        if {"weight", "active"} & set(vals):
            # the customers who have it ticked are scored again at once
            profiles = self.env["muzza.risk.flag"].sudo().search([("sign_id", "in", self.ids)]).profile_id
            profiles._muzza_refresh_levels(self.env._("Warning signs changed"))
        return res

    @api.model
    def _muzza_copy_to(self, companies):
        """Give ``companies`` the main company's warning signs (with their
        translations), unless they have their own already."""
        template = self.env.ref("base.main_company", raise_if_not_found=False)
        if not template:
            return
        signs = self.sudo().with_context(active_test=False).search([("company_id", "=", template.id)])
        for company in companies - template:
            if (
                not self.sudo()
                .with_context(active_test=False)
                .search_count([("company_id", "=", company.id)])
            ):
                for sign in signs:
                    sign.copy({"company_id": company.id})
