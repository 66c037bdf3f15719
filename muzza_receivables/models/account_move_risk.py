# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import api, fields, models

from ..logic.risk import at_least

INTERNAL = "base.group_user"


class AccountMove(models.Model):
    """A customer's payment risk on its invoices: from medium up, a warning
    on the backend form (never on the customer's documents)."""

    _inherit = "account.move"

    muzza_risk_warning = fields.Text(
        string="Risk Warning", compute="_compute_muzza_risk_warning", groups=INTERNAL
    )

    @api.depends_context("lang")
    @api.depends("commercial_partner_id", "company_id", "move_type")
    def _compute_muzza_risk_warning(self):
        customers = self.filtered(
            lambda m: m.is_sale_document(include_receipts=True) and m.commercial_partner_id
        )
        profiles = {}
        if customers:
            found = (
                self.env["muzza.risk.profile"]
                .sudo()
                .search(
                    [
                        ("partner_id", "in", customers.commercial_partner_id.ids),
                        ("company_id", "in", customers.company_id.ids),
                    ]
                )
            )
            profiles = {(p.partner_id.id, p.company_id.id): p for p in found}
        for move in self:
            profile = profiles.get((move.commercial_partner_id.id, move.company_id.id))
            if move in customers and profile and at_least(profile.level, "medium"):
                move.muzza_risk_warning = profile.with_env(self.env).warning
            else:
                move.muzza_risk_warning = False
