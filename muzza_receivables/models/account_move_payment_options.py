# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import api, fields, models


class AccountMove(models.Model):
    """Make paying easy: the invoice lists every way to pay of its contract
    (bank transfer with the account and reference, online providers, the
    template's instructions)."""

    _inherit = "account.move"

    muzza_pay_sentence = fields.Text(
        string="How to Pay",
        compute="_compute_muzza_pay_sentence",
        help="The ways to pay printed on the invoice, from its contract terms, in the customer's language.",
    )
    muzza_pay_sentence_email = fields.Text(
        string="How to Pay (E-mail)",
        compute="_compute_muzza_pay_sentence",
        help="The same ways to pay, worded for the invoice's e-mail (its link; the QR code is on the PDF).",
    )

    @api.depends(
        "partner_id.lang",
        "payment_reference",
        "partner_bank_id",
        "invoice_line_ids.sale_line_ids",
        "muzza_autopay_sentence",
    )
    def _compute_muzza_pay_sentence(self):
        Wording = self.env["muzza.wording"]
        for move in self:
            if move.move_type != "out_invoice":
                move.muzza_pay_sentence = move.muzza_pay_sentence_email = False
                continue
            lang = Wording._lang_of(move.partner_id)
            move.muzza_pay_sentence = move._muzza_pay_sentence(lang)
            move.muzza_pay_sentence_email = move._muzza_pay_sentence(lang, in_email=True)

    def _muzza_online_providers(self):
        """The providers the invoice offers: its contract's, else those the
        portal offers (the company's enabled ones)."""
        self.ensure_one()
        template = self._muzza_contract_template()
        if template.payment_provider_ids:
            return template.payment_provider_ids
        return (
            self.env["payment.provider"]
            .sudo()
            .search([("state", "in", ("enabled", "test")), ("company_id", "=", self.company_id.id)])
        )

    def _muzza_contract_template(self):
        """The contract terms the invoice is issued under: its sales order's,
        else the customer's default."""
        self.ensure_one()
        return (
            self.invoice_line_ids.sale_line_ids.order_id.muzza_contract_template_id[:1]
            or self.commercial_partner_id.with_company(self.company_id).muzza_contract_template_id
        )

    def _muzza_pay_sentence(self, lang, in_email=False):
        """How to pay this invoice, in the words of its contract terms (for
        its e-mail with ``in_email``)."""
        self.ensure_one()
        if self.muzza_autopay_sentence:
            # charged automatically: the invoice says when and with what, and
            # invites no other payment
            return False
        template = self._muzza_contract_template()
        reference = self.payment_reference or (self.name if self.name != "/" else None)
        banks = self.partner_bank_id or None
        if template:
            lines = template._ways_to_pay_lines(
                lang,
                banks=banks,
                reference=reference,
                providers=self._muzza_online_providers(),
                in_email=in_email,
            )
            if template.autopay_offered:
                lines.append(template._autopay_offer_sentence(lang))
        else:
            lines = self.env["muzza.contract.template"]._muzza_ways_to_pay(
                lang,
                self.company_id,
                banks=banks,
                providers=self._muzza_online_providers(),
                reference=reference,
                in_email=in_email,
            )
        return "\n".join(lines) or False
