# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import models


class AccountMove(models.Model):
    """Retainers: posting work past a retainer's budget needs a manager."""

    _inherit = "account.move"

    def _post(self, soft=True):
        self.filtered(
            lambda m: m.move_type == "out_invoice" and not m.muzza_fee_origin_id
        )._muzza_check_retainer_budget()
        return super()._post(soft=soft)

    def _muzza_check_retainer_budget(self):
        """Posting work past a retainer's budget needs a manager's approval
        (on the order, or by posting it themselves)."""
        if self.env.user.has_group("muzza_receivables.group_receivables_manager"):
            return
        Retainer = self.env["muzza.retainer"]
        Wording = self.env["muzza.wording"]
        for move in self:
            orders = move.invoice_line_ids.sale_line_ids.order_id
            if orders.filtered("muzza_retainer_id") or orders.filtered("muzza_budget_approved_by"):
                continue
            retainer = Retainer._running_for(move.commercial_partner_id, move.company_id)
            if retainer:
                what = self.env._("Posting %s", Wording._document_label(move))
                retainer._check_cap(move.amount_untaxed, what)
