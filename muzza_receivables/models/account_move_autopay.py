# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import api, fields, models


class AccountMove(models.Model):
    """Automatic payment: when the customer's saved method is charged, as
    printed on the invoice, and the charges made."""

    _name = "account.move"
    _inherit = ["account.move", "muzza.cron.marked"]  # noqa: RUF012

    muzza_autopay_attempt_ids = fields.One2many(
        "muzza.autopay.attempt", "move_id", string="Automatic Charges", readonly=True
    )
    muzza_autopay_checked_on = fields.Date(
        string="Automatic Payment Checked On",
        copy=False,
        readonly=True,
        help="Last day the automatic-payment action handled this invoice; it takes each invoice once a day.",
    )
    muzza_autopay_sentence = fields.Text(
        string="Automatic Payment",
        compute="_compute_muzza_autopay_sentence",
        help="When and with what the customer's saved payment method will be charged, "
        "as printed on the invoice.",
    )

    def _muzza_cron_marks(self):
        return super()._muzza_cron_marks() | {"muzza_autopay_checked_on"}

    @api.depends("state", "line_ids.date_maturity", "line_ids.amount_residual_currency", "partner_id.lang")
    @api.depends_context("tz")
    def _compute_muzza_autopay_sentence(self):
        self.muzza_autopay_sentence = False
        invoices = self.filtered(lambda m: m.move_type == "out_invoice" and m.state == "posted")
        Consent = self.env["muzza.autopay.consent"]
        today = fields.Date.context_today(self)
        for company in invoices.company_id:
            in_company = invoices.filtered(lambda m, c=company: m.company_id == c)
            consents = Consent._active_for(in_company.commercial_partner_id, company)
            for move in in_company:
                consent = consents.get(move.commercial_partner_id)
                if consent:
                    move.muzza_autopay_sentence = move._muzza_autopay_sentence(consent, today)

    def _muzza_autopay_sentence(self, consent, today):
        """ "Paid automatically: 120.00 € will be charged to … on …", one
        line per charge to come, in the customer's language."""
        self.ensure_one()
        Wording = self.env["muzza.wording"]
        lang = Wording._lang_of(self.partner_id)
        env = self.with_context(lang=lang).env
        return (
            "\n".join(
                env._(
                    "Paid automatically: %(amount)s will be charged to %(method)s on %(date)s, "
                    "as agreed on %(agreed)s.",
                    amount=Wording._format_amount(amount, self.currency_id, lang),
                    method=consent._method_label(),
                    date=Wording._format_date(due, lang),
                    agreed=Wording._format_date(consent._consent_day(), lang),
                )
                for due, amount in consent._upcoming(self, today)
            )
            or False
        )
