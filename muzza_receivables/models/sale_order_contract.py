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
        the contract template's terms; without a template, the payment term
        with the date it gives and the late-fee terms (other features add
        theirs). It takes the place of Odoo's "Payment terms: 30 Days"."""
        self.ensure_one()
        template = self.muzza_contract_template_id
        lang = self.env["muzza.wording"]._lang_of(self.partner_id)
        first = self._muzza_first_invoice_date()
        policy = self._muzza_late_fee_policy()
        example = self._muzza_fee_example_amount()
        if template:
            return template._terms_lines(
                lang,
                self.currency_id,
                example,
                first,
                policy=policy,
                payment_term=self._muzza_terms_payment_term(),
            )
        if not (self.payment_term_id or policy):
            return []
        Template = self.env["muzza.contract.template"]
        rule, due = Template._due_rule_line(self.payment_term_id, lang, self.currency_id, first)
        lines = [rule]
        if policy:
            lines.append(Template._fee_terms_line(policy, lang, self.currency_id, example, due))
        return lines

    def _muzza_terms_payment_term(self):
        """The payment term the printed terms state: the contract
        template's (other features may name another)."""
        self.ensure_one()
        return self.muzza_contract_template_id.payment_term_id

    def _muzza_fee_example_amount(self):
        """The amount the late-fee figures of the terms are quoted on: the
        order total when one invoice bills it; None (the rate alone) when it
        is billed in several invoices, whose amounts are not known yet, so
        that no figure is quoted that no invoice will carry."""
        self.ensure_one()
        if self.muzza_contract_template_id.invoice_trigger in ("delivery", "cadence"):
            return None
        return self.amount_total

    def _muzza_first_invoice_date(self):
        """The date the terms count from: the order date, in the user's time
        zone (today for a quotation not saved yet)."""
        self.ensure_one()
        if self.date_order:
            return fields.Date.to_date(fields.Datetime.context_timestamp(self, self.date_order))
        return fields.Date.context_today(self)

    def _muzza_late_fee_policy(self):
        """The late-fee policy the order's invoices will follow: the contract
        template's, else the customer's, else the company's."""
        self.ensure_one()
        customer = self.partner_id.commercial_partner_id.with_company(self.company_id)
        return (
            self.muzza_contract_template_id.late_fee_policy_id
            or customer.muzza_late_fee_policy_id
            or self.company_id.muzza_late_fee_policy_id
        )
