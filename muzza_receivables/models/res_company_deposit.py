# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import api, fields, models


class ResCompany(models.Model):
    """Deposits: the company's rule (contract templates may set their own)."""

    _inherit = "res.company"

    muzza_deposit_who = fields.Selection(
        [
            ("none", "Nobody"),
            ("new_clients", "New clients (no fully paid invoice yet)"),
            ("risk", "Clients at or above a risk level"),
            ("all", "Every client"),
        ],
        string="Deposit Asked Of",
        default="none",
        required=True,
    )
    muzza_deposit_risk_level = fields.Selection(
        [("medium", "Medium"), ("high", "High"), ("blocked", "Blocked")],
        string="Deposit From Risk Level",
        default="high",
        required=True,
        help="Clients whose payment risk in this company is at this level or above pay a deposit.",
    )
    muzza_deposit_kind = fields.Selection(
        [("percentage", "Percentage of the order"), ("fixed", "Fixed amount")],
        string="Deposit Amount",
        default="percentage",
        required=True,
    )
    muzza_deposit_value = fields.Float(string="Deposit (% or Amount)", default=30.0)
    muzza_deposit_minimum = fields.Monetary(string="Minimum Deposit", currency_field="currency_id")
    muzza_deposit_blocks_work = fields.Boolean(
        string="Work Waits for the Deposit",
        default=True,
        help="Until the deposit is paid, the order's other invoices cannot be created.",
    )

    @api.constrains("muzza_deposit_kind", "muzza_deposit_value", "muzza_deposit_minimum", "muzza_deposit_who")
    def _check_muzza_deposit(self):
        Template = self.env["muzza.contract.template"]
        for company in self.filtered(lambda c: c.muzza_deposit_who != "none"):
            Template._muzza_check_deposit_rule(
                company.muzza_deposit_kind, company.muzza_deposit_value, company.muzza_deposit_minimum
            )

    def _muzza_deposit_rule(self):
        self.ensure_one()
        return {
            "who": self.muzza_deposit_who,
            "kind": self.muzza_deposit_kind,
            "value": self.muzza_deposit_value,
            "minimum": self.muzza_deposit_minimum,
            "currency": self.currency_id,
            "blocks_work": self.muzza_deposit_blocks_work,
            "risk_level": self.muzza_deposit_risk_level,
        }
