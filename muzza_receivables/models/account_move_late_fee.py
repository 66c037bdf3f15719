# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from datetime import timedelta
from decimal import Decimal

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.osv import expression
from odoo.tools.misc import format_amount, format_date

from ..logic.late_fees import (
    FeeTerms,
    balance_before,
    fee_difference,
    fee_finished,
    fee_invoice_due,
    fee_to_charge,
    next_fee_day,
    pay_by_date,
)
from ..logic.money import to_decimal

# What the module keeps on a late invoice: the frozen terms and what was
# charged. Only the module writes them (in sudo); anyone else is refused.
FEE_RECORD = frozenset(
    {
        "muzza_fee_terms",
        "muzza_fee_pay_by",
        "muzza_fee_charged_amount",
        "muzza_fee_charged_through",
        "muzza_fee_next_on",
        "muzza_fee_done",
        "muzza_fee_origin_id",
        "muzza_fee_interest",
        # the scheduled action's daily mark: a date in the future would stop
        # the fees as a waiver does, without a manager, a reason or a trace
        "muzza_fee_checked_on",
    }
)
# Waiving the fees is a receivables manager's decision, with a reason.
FEE_WAIVER = frozenset({"muzza_fee_waived", "muzza_fee_waive_reason"})


class AccountMove(models.Model):
    """Late fees: the terms frozen at posting, the sentence printed on the
    invoice, and the scheduled action that charges them."""

    _inherit = "account.move"

    muzza_fee_policy_id = fields.Many2one(
        "muzza.late.fee.policy",
        string="Late-Fee Policy",
        check_company=True,
        copy=False,
        help="Set from the customer (or the company default) when the invoice is posted.",
    )
    muzza_fee_terms = fields.Json(
        string="Frozen Late-Fee Terms",
        copy=False,
        readonly=True,
        help="The late-payment terms as printed when the invoice was posted; what is "
        "charged follows these even if the policy changes later.",
    )
    muzza_fee_pay_by = fields.Date(
        string="Pay Without Fee By", copy=False, readonly=True, index="btree_not_null"
    )
    muzza_fee_charged_amount = fields.Monetary(
        string="Late Fees Charged", copy=False, readonly=True, currency_field="currency_id"
    )
    muzza_fee_charged_through = fields.Date(string="Fees Charged Through", copy=False, readonly=True)
    muzza_fee_next_on = fields.Date(
        string="Next Fee Invoice On",
        copy=False,
        readonly=True,
        index="btree_not_null",
        help="When the fee accrued by then is next invoiced, on the company's cycle; the payment of "
        "the late invoice also invoices it.",
    )
    muzza_fee_interest = fields.Boolean(
        string="Interest Accrues",
        copy=False,
        readonly=True,
        help="The frozen terms charge interest day by day (not a one-off fee): if a payment is undone, "
        "the fee runs again.",
    )
    muzza_fee_done = fields.Boolean(
        string="Late Fees Settled",
        copy=False,
        readonly=True,
        help="Paid, waived or charged in full: nothing more to charge.",
    )
    muzza_fee_checked_on = fields.Date(
        string="Late Fees Checked On",
        copy=False,
        readonly=True,
        help="Last day the late-fee action handled this invoice (charged or not); "
        "it takes each invoice once a day.",
    )
    muzza_fee_waived = fields.Boolean(string="Late Fees Waived", copy=False, readonly=True, tracking=True)
    muzza_fee_waive_reason = fields.Text(string="Waiver Reason", copy=False, readonly=True)
    muzza_fee_origin_id = fields.Many2one(
        "account.move",
        string="Late Fee For",
        copy=False,
        readonly=True,
        index="btree_not_null",
        help="The invoice paid late that this late-fee invoice charges for.",
    )
    muzza_fee_move_ids = fields.One2many(
        "account.move", "muzza_fee_origin_id", string="Late-Fee Invoices", readonly=True
    )
    muzza_fee_accrued = fields.Monetary(
        string="Accrued, Not Yet Charged",
        compute="_compute_muzza_fee_accrued",
        currency_field="currency_id",
    )
    muzza_fee_accrued_sentence = fields.Text(
        string="Late Fees Accrued",
        compute="_compute_muzza_fee_accrued",
        help="What the customer reads on the invoice and the portal: the late fees accrued so far "
        "and not yet invoiced.",
    )
    muzza_fee_sentence = fields.Text(
        string="Late-Payment Terms",
        compute="_compute_muzza_fee_sentence",
        help="The sentence printed on the invoice, in the customer's language.",
    )

    @api.depends(
        "muzza_fee_terms",
        "muzza_fee_charged_amount",
        "amount_residual",
        "muzza_fee_waived",
        "partner_id.lang",
    )
    @api.depends_context("tz")
    def _compute_muzza_fee_accrued(self):
        today = fields.Date.context_today(self)
        Wording = self.env["muzza.wording"]
        for move in self:
            move.muzza_fee_accrued_sentence = False
            if not move.muzza_fee_terms or move.muzza_fee_waived or move.state != "posted":
                move.muzza_fee_accrued = 0.0
                continue
            accrued = move._muzza_fee_to_charge(today)
            move.muzza_fee_accrued = float(accrued)
            if accrued > 0:
                lang = Wording._lang_of(move.partner_id)
                move.muzza_fee_accrued_sentence = move.with_context(lang=lang).env._(
                    "Late fees accrued through %(date)s and not yet invoiced: %(amount)s.",
                    date=Wording._format_date(today, lang),
                    amount=Wording._format_amount(accrued, move.currency_id, lang),
                )

    @api.depends(
        "muzza_fee_terms",
        "muzza_fee_policy_id",
        "invoice_date_due",
        "invoice_payment_term_id",
        "amount_total",
        "payment_state",
        "partner_id.lang",
    )
    @api.depends_context("tz")
    def _compute_muzza_fee_sentence(self):
        Wording = self.env["muzza.wording"]
        for move in self:
            if move.move_type != "out_invoice":
                move.muzza_fee_sentence = False
                continue
            move.muzza_fee_sentence = move._muzza_fee_sentence(Wording._lang_of(move.partner_id))

    def _muzza_intro_lines(self, lang):
        lines = super()._muzza_intro_lines(lang)
        Wording = self.env["muzza.wording"]
        env = self.with_context(lang=lang).env
        if self.muzza_fee_origin_id:
            origin = self.muzza_fee_origin_id.sudo()
            earlier = origin.muzza_fee_move_ids.filtered(
                lambda m: m.state == "posted" and m.invoice_date and m.id < self.id
            )
            start = max(
                [m.invoice_date for m in earlier] + [origin.muzza_fee_pay_by or origin.invoice_date_due]
            )
            lines.append(
                env._(
                    "This invoice charges the late-payment fee of invoice %(invoice)s, due on %(due)s, "
                    "for the delay from %(start)s through %(end)s.",
                    invoice=origin.name,
                    due=Wording._format_date(origin.invoice_date_due, lang),
                    start=Wording._format_date(start + timedelta(days=1), lang),
                    end=Wording._format_date(self.invoice_date or fields.Date.context_today(self), lang),
                )
            )
            return lines
        if (
            self.state != "posted"
            or self.payment_state not in ("not_paid", "partial")
            or not self.invoice_date_due
        ):
            return lines
        days = self.muzza_days_overdue
        if days <= 0:
            return lines
        lines.append(
            env._(
                "This invoice was due on %(due)s and has been overdue for %(days)s days.",
                due=Wording._format_date(self.invoice_date_due, lang),
                days=days,
            )
        )
        if self.muzza_fee_charged_amount:
            lines.append(
                env._(
                    "Late fees invoiced so far: %(amount)s.",
                    amount=Wording._format_amount(self.muzza_fee_charged_amount, self.currency_id, lang),
                )
            )
        if self.muzza_fee_accrued_sentence:
            lines.append(self.with_context(lang=lang).muzza_fee_accrued_sentence)
        return lines

    # ------------------------------------------------------------------------
    # the fee record and the waiver hold on the server, by any path
    # ------------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            for vals in vals_list:
                self._muzza_check_fee_values(vals)
        return super().create(vals_list)

    def write(self, vals):
        if self.env.su or not (FEE_RECORD | FEE_WAIVER | {"muzza_fee_policy_id"}) & set(vals):
            return super().write(vals)
        self._muzza_check_fee_values(vals)
        if "muzza_fee_policy_id" in vals and self.filtered("muzza_fee_terms"):
            raise UserError(
                self.env._(
                    "The late-fee terms of a posted invoice were frozen when it was posted and cannot change."
                )
            )
        if "muzza_fee_waived" in vals and not vals["muzza_fee_waived"]:
            waived = self.filtered("muzza_fee_waived")
            res = super(AccountMove, self.sudo()).write({**vals, "muzza_fee_waive_reason": False})
            waived.sudo().write(
                {"muzza_fee_done": False, "muzza_fee_next_on": fields.Date.context_today(self)}
            )
            for move in waived:
                move.message_post(
                    body=self.env._(
                        "Late fees charged again from now on, by %(user)s.", user=self.env.user.name
                    ),
                    subtype_xmlid="mail.mt_note",
                )
            return res
        if not vals.get("muzza_fee_waived"):
            return super().write(vals)
        reason = (vals.get("muzza_fee_waive_reason") or "").strip()
        if not reason:
            raise UserError(self.env._("Say why the late fees are waived."))
        res = super(AccountMove, self.sudo()).write(
            {**vals, "muzza_fee_waive_reason": reason, "muzza_fee_done": True}
        )
        for move in self:
            move.message_post(
                body=self.env._(
                    "Late fees waived by %(user)s: %(reason)s", user=self.env.user.name, reason=reason
                ),
                subtype_xmlid="mail.mt_note",
            )
        return res

    @api.model
    def _muzza_check_fee_values(self, vals):
        if FEE_RECORD & set(vals):
            raise UserError(
                self.env._(
                    "The late-fee terms and charges of an invoice are kept by the module; "
                    "they cannot be written by hand."
                )
            )
        if FEE_WAIVER & set(vals) and not self.env.user.has_group(
            "muzza_receivables.group_receivables_manager"
        ):
            raise AccessError(self.env._("Only receivables managers can waive late fees."))

    # ------------------------------------------------------------------------
    # posting freezes the terms
    # ------------------------------------------------------------------------

    def _post(self, soft=True):
        invoices = self.filtered(lambda m: m.move_type == "out_invoice" and not m.muzza_fee_origin_id)
        posted = super()._post(soft=soft)
        posted.filtered(lambda m: m in invoices)._muzza_freeze_fee_terms()
        return posted

    def _muzza_policy(self):
        self.ensure_one()
        partner = self.commercial_partner_id.with_company(self.company_id)
        return partner.muzza_late_fee_policy_id or self.company_id.muzza_late_fee_policy_id

    def _muzza_freeze_fee_terms(self):
        for move in self:
            policy = move.muzza_fee_policy_id or move._muzza_policy()
            if not policy or move.muzza_fee_terms:
                continue
            # amounts stated in another currency (the statutory 40 EUR) are
            # converted at the rate of the invoice date
            terms = policy._fee_terms(currency=move.currency_id, date=move.invoice_date)
            due = move.invoice_date_due or move.invoice_date
            pay_by = pay_by_date(due, terms.grace_days)
            move.sudo().write(
                {
                    "muzza_fee_policy_id": policy.id,
                    "muzza_fee_terms": terms.as_dict(),
                    "muzza_fee_pay_by": pay_by,
                    "muzza_fee_next_on": move._muzza_next_fee_day(terms, pay_by),
                    "muzza_fee_interest": terms.kind == "interest",
                }
            )

    def button_draft(self):
        # Reset to draft: the terms are frozen again at the next posting,
        # unless fees were already charged on them.
        res = super().button_draft()
        self.filtered(lambda m: not m.muzza_fee_charged_amount).sudo().write(
            {
                "muzza_fee_terms": False,
                "muzza_fee_pay_by": False,
                "muzza_fee_policy_id": False,
                "muzza_fee_next_on": False,
                "muzza_fee_interest": False,
            }
        )
        return res

    # ------------------------------------------------------------------------
    # fee arithmetic on this invoice (delegated to logic.late_fees)
    # ------------------------------------------------------------------------

    def _muzza_terms(self):
        self.ensure_one()
        return FeeTerms.from_dict(self.muzza_fee_terms) if self.muzza_fee_terms else None

    def _muzza_payments(self):
        """(date, amount in the invoice currency) of everything that paid this
        invoice: payments, credit notes, any reconciled counterpart."""
        self.ensure_one()
        payments = []
        for line in self.line_ids.filtered(lambda line: line.account_type == "asset_receivable"):
            for partial in line.matched_credit_ids:
                payments.append((partial.credit_move_id.date, to_decimal(partial.debit_amount_currency)))
        return payments

    def _muzza_fee_to_charge(self, day):
        self.ensure_one()
        terms = self._muzza_terms()
        if not terms or self.muzza_fee_waived:
            return Decimal(0)
        return fee_to_charge(
            terms,
            to_decimal(self.amount_total),
            self.invoice_date_due or self.invoice_date,
            self._muzza_payments(),
            day,
            to_decimal(self.currency_id.rounding),
            to_decimal(self.muzza_fee_charged_amount),
        )

    def _muzza_fee_sentence(self, lang):
        """The late-payment terms as one plain paragraph, from the frozen
        terms (or, before posting, the policy that will apply). A late-fee
        invoice has none: no fee is ever charged on it."""
        self.ensure_one()
        if self.muzza_fee_origin_id:
            return False
        terms = self._muzza_terms()
        if not terms:
            policy = self._muzza_policy()
            if not policy:
                return False
            terms = policy._fee_terms(currency=self.currency_id, date=self.invoice_date)
        due = self.invoice_date_due or self.invoice_date
        if not due:
            return False
        if self.muzza_fee_waived:
            return self.with_context(lang=lang).env._("The late fees of this invoice were waived.")
        total = to_decimal(self.amount_total)
        amount_due, as_of = total, None
        if self.state == "posted" and self.payment_state in ("not_paid", "partial"):
            # what is still due: the fee is worked out on what is unpaid on
            # the first day of delay; and past its pay-by date the invoice
            # reads what applies now
            today = fields.Date.context_today(self)
            first_late_day = pay_by_date(due, terms.grace_days) + timedelta(days=1)
            counted_to = min(today + timedelta(days=1), first_late_day)
            amount_due = balance_before(counted_to, total, self._muzza_payments())
            as_of = today
        return self.env["muzza.late.fee.policy"]._muzza_sentence(
            terms, due, amount_due, self.currency_id, lang, as_of=as_of, invoice_total=total
        )

    # ------------------------------------------------------------------------
    # charging: the scheduled action
    # ------------------------------------------------------------------------

    def _muzza_next_fee_day(self, terms, after):
        """The next day this invoice's fee may be invoiced after ``after``,
        on its company's cycle (None: only when the invoice is paid)."""
        self.ensure_one()
        company = self.company_id
        return next_fee_day(terms.kind, company.muzza_fee_invoice_cycle, company.muzza_fee_invoice_day, after)

    @api.model
    def _muzza_reschedule_fees(self, companies):
        """The companies' invoicing cycle changed: the late invoices waiting
        for their next fee follow the new one."""
        today = fields.Date.context_today(self)
        moves = self.search(
            [
                ("company_id", "in", companies.ids),
                ("muzza_fee_terms", "!=", False),
                ("muzza_fee_done", "=", False),
                ("muzza_fee_waived", "=", False),
            ]
        )
        for move in moves:
            after = max(move.muzza_fee_checked_on or move.muzza_fee_pay_by, move.muzza_fee_pay_by)
            move.muzza_fee_next_on = move._muzza_next_fee_day(move._muzza_terms(), min(after, today))

    def _muzza_fee_candidates_domain(self, today):
        """Late invoices whose fee may be invoiced today: their cycle's day
        has come, or they were just paid (the final fee); and interest
        settled when an invoice was paid whose payment was since undone."""
        return expression.AND(
            [
                [
                    ("move_type", "=", "out_invoice"),
                    ("state", "=", "posted"),
                    ("muzza_fee_pay_by", "<", today),
                    ("muzza_fee_waived", "=", False),
                ],
                expression.OR(
                    [
                        [
                            ("muzza_fee_done", "=", False),
                            "|",
                            ("muzza_fee_next_on", "<=", today),
                            ("payment_state", "in", ("paid", "in_payment", "reversed")),
                        ],
                        [
                            ("muzza_fee_done", "=", True),
                            ("muzza_fee_interest", "=", True),
                            ("payment_state", "in", ("not_paid", "partial")),
                        ],
                    ]
                ),
            ]
        )

    @api.model
    def _cron_charge_late_fees(self, batch_size=None):
        """Invoice the fees of late invoices on the company's cycle, one
        batch a run (see ``muzza.cron.batch``). The fee is cumulative, so a
        repeated run charges nothing and a run after a gap charges the whole
        gap."""
        return self.env["muzza.cron.batch"]._run(
            "account.move",
            self._muzza_fee_candidates_domain(fields.Date.context_today(self)),
            lambda move, today: move._muzza_charge_late_fee(today),
            "muzza_fee_checked_on",
            self.env._("Charging the late fee"),
            batch_size=batch_size,
        )

    def _muzza_charge_late_fee(self, today, on_cycle=None):
        """Invoice this invoice's fee accrued through ``today`` if it is due
        now; return the fee invoice (if any).

        :param bool on_cycle: whether an invoicing day has come; by default,
            the company's cycle says (``muzza_fee_next_on``). A reminder that
            charges the fees accrued so far passes True.
        """
        self.ensure_one()
        if self.state != "posted" or self.muzza_fee_waived or not self.muzza_fee_terms:
            return self.browse()
        terms = self._muzza_terms()
        if self.payment_state == "reversed":
            # cancelled by a credit note: the customer never owed it
            self.sudo().write({"muzza_fee_done": True, "muzza_fee_next_on": False})
            return self.browse()
        final = self.payment_state in ("paid", "in_payment")
        reopened = self.muzza_fee_done and not final
        if self.muzza_fee_done and not reopened:
            return self.browse()
        if on_cycle is None:
            on_cycle = reopened or bool(self.muzza_fee_next_on and self.muzza_fee_next_on <= today)
        difference = self._muzza_fee_difference(today)
        values = {"muzza_fee_next_on": self._muzza_next_fee_day(terms, today), "muzza_fee_done": False}
        fee_move = self.browse()
        if difference < 0:
            # charged for days that, as the payments now show, were paid
            fee_move = self._muzza_credit_fee(-difference, today)
            values["muzza_fee_charged_amount"] = self.muzza_fee_charged_amount + float(difference)
        else:
            minimum = self.company_id.currency_id._convert(
                self.company_id.muzza_fee_invoice_minimum, self.currency_id, self.company_id, today
            )
            if fee_invoice_due(terms.kind, difference, to_decimal(minimum), final, on_cycle):
                fee_move = self._muzza_create_fee_invoice(difference, today)
                values["muzza_fee_charged_amount"] = self.muzza_fee_charged_amount + float(difference)
                values["muzza_fee_charged_through"] = today
        charged = to_decimal(values.get("muzza_fee_charged_amount", self.muzza_fee_charged_amount))
        values["muzza_fee_done"] = fee_finished(terms.kind, final, charged)
        self.sudo().write(values)
        return fee_move

    def _muzza_fee_difference(self, day):
        """The fee owed through ``day`` less what was charged (negative: to
        give back)."""
        self.ensure_one()
        return fee_difference(
            self._muzza_terms(),
            to_decimal(self.amount_total),
            self.invoice_date_due or self.invoice_date,
            self._muzza_payments(),
            day,
            to_decimal(self.currency_id.rounding),
            to_decimal(self.muzza_fee_charged_amount),
        )

    def _muzza_credit_fee(self, amount, today):
        """Give ``amount`` of fees back: a credit note of the last fee
        invoice, for that amount, issued and sent like the fee invoices."""
        self.ensure_one()
        last = self.muzza_fee_move_ids.filtered(
            lambda m: m.move_type == "out_invoice" and m.state == "posted"
        ).sorted("id")[-1:]
        Wording = self.env["muzza.wording"]
        lang = Wording._lang_of(self.partner_id)
        env = self.with_context(lang=lang).env
        credit = self.sudo().create(
            {
                "move_type": "out_refund",
                "company_id": self.company_id.id,
                "partner_id": self.partner_id.id,
                "currency_id": self.currency_id.id,
                "invoice_date": today,
                "invoice_user_id": self.invoice_user_id.id,
                "ref": self.ref,
                "invoice_origin": self.name,
                # a credit note of the last fee invoice (not a fee invoice itself)
                "reversed_entry_id": last.id,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": self.muzza_fee_policy_id.product_id.id,
                            "name": env._(
                                "Late-payment fee for invoice %(invoice)s given back: paid on %(date)s, "
                                "as recorded since",
                                invoice=self.name,
                                date=Wording._format_date(max(d for d, _a in self._muzza_payments()), lang),
                            ),
                            "quantity": 1,
                            "price_unit": float(amount),
                            "tax_ids": [Command.clear()],
                            **(
                                {"account_id": last.invoice_line_ids[:1].account_id.id}
                                if last.invoice_line_ids
                                else {}
                            ),
                        }
                    )
                ],
            }
        )
        credit.with_context(mail_notify_force_send=False)._muzza_issue()
        self.message_post(
            body=self.env._(
                "Late fees of %(amount)s given back: the payments recorded since show fewer days late. "
                "%(credit)s",
                amount=format_amount(self.env, float(amount), self.currency_id),
                credit=credit._get_html_link(),
            )
        )
        return credit

    def _muzza_create_fee_invoice(self, amount, today):
        self.ensure_one()
        policy = self.muzza_fee_policy_id
        Wording = self.env["muzza.wording"]
        lang = Wording._lang_of(self.partner_id)
        env = self.with_context(lang=lang).env
        label = env._(
            "Late-payment fee for invoice %(invoice)s (due %(due)s), charged through %(date)s",
            invoice=self.name,
            due=Wording._format_date(self.invoice_date_due, lang),
            date=Wording._format_date(today, lang),
        )
        line = {
            "product_id": policy.product_id.id,
            "name": label,
            "quantity": 1,
            "price_unit": float(amount),
            "tax_ids": [Command.clear()],
        }
        if policy.account_id:
            line["account_id"] = policy.account_id.id
        fee_move = self.sudo().create(
            {
                "move_type": "out_invoice",
                "company_id": self.company_id.id,
                "partner_id": self.partner_id.id,
                "currency_id": self.currency_id.id,
                "invoice_date": today,
                "invoice_payment_term_id": self.env.ref("account.account_payment_term_immediate").id,
                "invoice_user_id": self.invoice_user_id.id,
                "ref": self.ref,
                "invoice_origin": self.name,
                "muzza_fee_origin_id": self.id,
                "invoice_line_ids": [Command.create(line)],
            }
        )
        fee_move.with_context(mail_notify_force_send=False)._muzza_issue()
        self.message_post(
            body=self.env._(
                "Late fee of %(amount)s charged through %(date)s: %(fee)s",
                amount=format_amount(self.env, float(amount), self.currency_id),
                date=format_date(self.env, today),
                fee=fee_move._get_html_link(),
            )
        )
        return fee_move
