# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import api, fields, models


class AccountMove(models.Model):
    """What an invoice tells its customer first, in the same words on the
    PDF, the portal and the e-mail: what it is for (a deposit, a retainer
    period, a late fee) and where it stands (overdue since when, what was
    charged). Each feature adds its lines through ``_muzza_intro_lines``."""

    _inherit = "account.move"

    muzza_intro_sentence = fields.Text(
        string="What the Invoice Says First",
        compute="_compute_muzza_intro_sentence",
        help="What the invoice is for and where it stands, as the customer reads it on the invoice and "
        "in its e-mail, in the customer's language.",
    )

    @api.depends(
        "move_type",
        "state",
        "payment_state",
        "invoice_date_due",
        "partner_id.lang",
        "invoice_line_ids.sale_line_ids",
        "muzza_fee_origin_id",
        "muzza_fee_charged_amount",
    )
    @api.depends_context("tz")
    def _compute_muzza_intro_sentence(self):
        Wording = self.env["muzza.wording"]
        for move in self:
            lines = []
            if move.move_type == "out_invoice":
                lines = move._muzza_intro_lines(Wording._lang_of(move.partner_id))
            move.muzza_intro_sentence = "\n".join(lines) or False

    def _muzza_intro_lines(self, lang):
        """The sentences that open this customer invoice, in ``lang``; each
        feature extends it with its own (calling ``super()``)."""
        self.ensure_one()
        return []
