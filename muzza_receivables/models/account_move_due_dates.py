# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import api, fields, models


class AccountMove(models.Model):
    """No ambiguity: the invoice states its exact due date, or each
    instalment's date and amount, in the customer's language."""

    _inherit = "account.move"

    muzza_due_sentence = fields.Text(
        string="Exact Due Dates",
        compute="_compute_muzza_due_sentence",
        help="The due date (or each instalment's date and amount) printed on the invoice, "
        "in the customer's language.",
    )

    @api.depends("invoice_date_due", "amount_total", "partner_id.lang", "line_ids.date_maturity")
    def _compute_muzza_due_sentence(self):
        Wording = self.env["muzza.wording"]
        for move in self:
            if move.move_type != "out_invoice":
                move.muzza_due_sentence = False
                continue
            move.muzza_due_sentence = move._muzza_due_sentence(Wording._lang_of(move.partner_id))

    def _muzza_due_sentence(self, lang):
        """ "Due on 15 December 2026", or one line per instalment."""
        self.ensure_one()
        Wording = self.env["muzza.wording"]
        env = self.with_context(lang=lang).env
        terms = self.line_ids.filtered(lambda line: line.display_type == "payment_term").sorted(
            lambda line: (line.date_maturity or fields.Date.today(), line.id)
        )
        if len(terms) > 1:
            count = len(terms)
            return "\n".join(
                env._(
                    "Instalment %(number)s of %(count)s: %(amount)s due on %(date)s",
                    number=index,
                    count=count,
                    amount=Wording._format_amount(abs(line.amount_currency), self.currency_id, lang),
                    date=Wording._format_date(line.date_maturity, lang),
                )
                for index, line in enumerate(terms, start=1)
            )
        due = self.invoice_date_due
        if not due:
            return False
        return env._("Due on %(date)s", date=Wording._format_date(due, lang))
