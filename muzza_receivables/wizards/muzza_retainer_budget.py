# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from decimal import Decimal

from odoo import fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools.misc import format_amount

from ..logic.money import to_decimal
from ..logic.retainers import budget_status


class MuzzaRetainerBudget(models.TransientModel):
    """A receivables manager changes a running agreement's budget, and says
    why; who, when and why are logged on the agreement."""

    _name = "muzza.retainer.budget"
    _description = "Change a Retainer's Budget"

    retainer_id = fields.Many2one("muzza.retainer", required=True, readonly=True)
    currency_id = fields.Many2one(related="retainer_id.currency_id")
    current_budget = fields.Monetary(related="retainer_id.budget", string="Current Budget")
    committed = fields.Monetary(related="retainer_id.committed")
    budget = fields.Monetary(string="New Budget", help="Empty for no budget cap.")
    reason = fields.Text(required=True)

    def action_apply(self):
        self.ensure_one()
        if not self.env.user.has_group("muzza_receivables.group_receivables_manager"):
            raise AccessError(self.env._("Only receivables managers can set or change a retainer's budget."))
        retainer = self.retainer_id
        reason = (self.reason or "").strip()
        if not reason:
            raise UserError(self.env._("Say why the budget of %s changes.", retainer.name))
        if self.budget < 0:
            raise UserError(self.env._("A budget cannot be negative."))
        if retainer.state != "running":
            raise UserError(self.env._("Only a running agreement's budget is changed here."))
        old = retainer.budget
        retainer.sudo().write({"budget": self.budget})
        # warned again when the new budget is nearly used, not before
        ratio = Decimal(str(retainer.company_id.muzza_retainer_warn_percent)) / 100
        if budget_status(self.budget, to_decimal(retainer.committed), ratio) == "ok":
            retainer.sudo().budget_warned = False
        retainer.message_post(
            body=self.env._(
                "Budget changed from %(old)s to %(new)s by %(user)s: %(reason)s",
                old=self._amount_label(old),
                new=self._amount_label(self.budget),
                user=self.env.user.name,
                reason=reason,
            ),
            subtype_xmlid="mail.mt_note",
        )
        return {"type": "ir.actions.act_window_close"}

    def _amount_label(self, amount):
        if not amount:
            return self.env._("no budget")
        return format_amount(self.env, amount, self.currency_id)
