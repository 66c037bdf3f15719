# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import api, fields, models


class SaleOrder(models.Model):
    """Contract terms: the quotation's payment-term template sets its Odoo
    payment term, its invoices' late-fee policy and the printed "Payment
    terms" section the customer accepts."""

    _inherit = "sale.order"

    muzza_contract_template_id = fields.Many2one(
        "muzza.contract.template",
        string="Contract Terms",
        compute="_compute_muzza_contract_template_id",
        store=True,
        readonly=False,
        precompute=True,
        check_company=True,
        domain="[('company_id', '=', company_id)]",
        help="Sets the payment terms, how invoices are sent and paid, and the late-fee terms printed "
        "on the quotation. Defaults to the customer's template.",
    )

    @api.depends("partner_id", "company_id", "muzza_retainer_id")
    def _compute_muzza_contract_template_id(self):
        for order in self:
            if order.muzza_retainer_id:
                # a retainer's own order follows its agreement, not the
                # customer's contract (no cadence, no deposit of its own)
                order.muzza_contract_template_id = False
                continue
            partner = order.partner_id.commercial_partner_id.with_company(order.company_id)
            order.muzza_contract_template_id = partner.muzza_contract_template_id

    @api.depends("muzza_contract_template_id")
    def _compute_payment_term_id(self):
        res = super()._compute_payment_term_id()
        for order in self:
            if order.muzza_contract_template_id:
                order.payment_term_id = order.muzza_contract_template_id.payment_term_id
        return res

    def _prepare_invoice(self):
        values = super()._prepare_invoice()
        template = self.muzza_contract_template_id
        if template.late_fee_policy_id:
            values["muzza_fee_policy_id"] = template.late_fee_policy_id.id
        return values

    def _muzza_terms_lines(self):
        """The printed "Payment terms" section, in the customer's language:
        the contract template's terms (other features add theirs)."""
        self.ensure_one()
        template = self.muzza_contract_template_id
        if not template:
            return []
        lang = self.env["muzza.wording"]._lang_of(self.partner_id)
        first = (
            fields.Date.to_date(fields.Datetime.context_timestamp(self, self.date_order))
            if self.date_order
            else (fields.Date.context_today(self))
        )
        return template._terms_lines(lang, self.currency_id, self.amount_total, first)
