# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import datetime

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..logic.late_fees import (
    STATUTORY_PRESETS,
    FeeTerms,
    fee_cap,
    fee_example,
    pay_by_date,
    statutory_rule,
    terms_problems,
)
from ..logic.money import to_decimal


class MuzzaLateFeePolicy(models.Model):
    _name = "muzza.late.fee.policy"
    _description = "Late-Fee Policy"
    _order = "company_id, sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id", string="Company Currency")
    preset = fields.Selection(
        [
            ("custom", "Custom"),
            ("eu_2011_7", "EU Directive 2011/7/EU"),
            ("es_ley_3_2004", "Spain, Ley 3/2004"),
        ],
        default="custom",
        required=True,
        help="Statutory presets charge interest per year at the reference rate plus 8 points, "
        "and a fixed compensation of 40 EUR per invoice for recovery costs.",
    )
    reference_rate = fields.Float(
        digits=(16, 4),
        help="The reference rate of the central bank (%) for the current half-year; the "
        "statutory rate is this plus 8 points. Update it each January and July.",
    )
    kind = fields.Selection(
        [
            ("fixed", "Fixed amount"),
            ("percent", "Percentage of the overdue amount, once"),
            ("interest", "Interest per period"),
        ],
        required=True,
        compute="_compute_from_preset",
        precompute=True,
        store=True,
        readonly=False,
    )
    fixed_amount = fields.Monetary(currency_field="currency_id")
    percent = fields.Float(string="Percentage", digits=(16, 4))
    rate = fields.Float(
        string="Interest Rate",
        digits=(16, 4),
        compute="_compute_from_preset",
        precompute=True,
        store=True,
        readonly=False,
        help="Simple interest, in % per period, accrued per day on the amount still due.",
    )
    rate_period = fields.Selection(
        [("month", "per month"), ("year", "per year")],
        required=True,
        compute="_compute_from_preset",
        precompute=True,
        store=True,
        readonly=False,
    )
    grace_days = fields.Integer(help="Days after the due date before any fee applies.")
    compensation_amount = fields.Monetary(
        string="Fixed Compensation",
        currency_field="compensation_currency_id",
        compute="_compute_from_preset",
        precompute=True,
        store=True,
        readonly=False,
        help="Added once per late invoice, on top of the fee (40 EUR under Directive 2011/7/EU), "
        "converted into the invoice currency at the invoice date.",
    )
    compensation_currency_id = fields.Many2one(
        "res.currency",
        required=True,
        compute="_compute_from_preset",
        precompute=True,
        store=True,
        readonly=False,
        help="The currency the compensation is stated in: euros under the statutory presets, "
        "whatever the company's currency; otherwise the company's by default.",
    )
    min_amount = fields.Monetary(string="Minimum Fee", currency_field="currency_id")
    max_amount = fields.Monetary(
        string="Maximum Fee", currency_field="currency_id", help="Leave empty for no cap."
    )
    max_percent = fields.Float(
        string="Maximum (% of invoice)", digits=(16, 2), help="Leave empty for no cap."
    )
    product_id = fields.Many2one(
        "product.product",
        string="Fee Product",
        required=True,
        check_company=True,
        default=lambda self: self.env.ref("muzza_receivables.product_late_fee", raise_if_not_found=False),
        help="Product of the late-fee invoice lines; its income account books the fees.",
    )
    account_id = fields.Many2one(
        "account.account",
        string="Income Account",
        check_company=True,
        domain="[('account_type', 'in', ('income', 'income_other'))]",
        help="Leave empty to use the fee product's income account.",
    )

    @api.depends("preset", "reference_rate", "company_id")
    def _compute_from_preset(self):
        for policy in self:
            if policy.preset in STATUTORY_PRESETS:
                rule = statutory_rule(policy.reference_rate)
                policy.kind = rule.kind
                policy.rate_period = rule.rate_period
                policy.rate = float(rule.rate)
                policy.compensation_amount = float(rule.compensation)
                policy.compensation_currency_id = (
                    self.env["res.currency"]
                    .with_context(active_test=False)
                    .search([("name", "=", rule.compensation_currency)], limit=1)
                )
            else:
                policy.kind = policy.kind or "interest"
                policy.rate_period = policy.rate_period or "month"
                policy.rate = policy.rate
                policy.compensation_amount = policy.compensation_amount
                policy.compensation_currency_id = (
                    policy.compensation_currency_id or policy.company_id.currency_id
                )

    @api.constrains(
        "kind",
        "fixed_amount",
        "percent",
        "rate",
        "rate_period",
        "grace_days",
        "compensation_amount",
        "min_amount",
        "max_amount",
        "max_percent",
        "reference_rate",
    )
    def _check_terms(self):
        messages = self._problem_messages()
        for policy in self:
            problems = terms_problems(policy._fee_terms())
            if policy.reference_rate < 0:
                problems.append("negative_rate")
            if problems:
                raise ValidationError(
                    self.env._(
                        "The late-fee policy “%(name)s” is not valid:\n%(problems)s",
                        name=policy.name,
                        problems="\n".join("- " + messages[p] for p in dict.fromkeys(problems)),
                    )
                )

    def _problem_messages(self):
        return {
            "kind": self.env._("Choose what kind of fee the policy charges."),
            "rate_period": self.env._("The interest period must be a month or a year."),
            "negative_grace": self.env._("Grace days cannot be negative."),
            "negative_amount": self.env._(
                "Amounts (fee, compensation, minimum, maximum) cannot be negative."
            ),
            "negative_rate": self.env._("Rates and percentages cannot be negative."),
            "percent_over_100": self.env._("Percentages cannot exceed 100 %."),
            "nothing_charged": self.env._(
                "The policy would never charge anything: set its amount, percentage or rate."
            ),
            "cap_below_minimum": self.env._("The maximum fee cannot be lower than the minimum fee."),
        }

    def _fee_terms(self, currency=None, date=None):
        """The policy as plain :class:`FeeTerms`, its amounts converted into
        ``currency`` (the invoice's; default the company's) at the rate of
        ``date`` (the invoice date; default today): the fee, minimum and
        maximum from the company's currency, the compensation from its own
        (euros under the statutory presets)."""
        self.ensure_one()
        convert = self._amount_converter(currency or self.currency_id, date)
        compensation_currency = self.compensation_currency_id or self.currency_id
        return FeeTerms(
            kind=self.kind,
            grace_days=self.grace_days,
            fixed_amount=convert(self.fixed_amount),
            percent=to_decimal(self.percent),
            rate=to_decimal(self.rate),
            rate_period=self.rate_period,
            compensation=convert(self.compensation_amount, compensation_currency),
            min_amount=convert(self.min_amount),
            max_amount=convert(self.max_amount) if self.max_amount else None,
            max_percent=to_decimal(self.max_percent) if self.max_percent else None,
        )

    def _amount_converter(self, currency, date=None):
        """``convert(amount, from_currency=company's)``: the amount in
        ``currency`` at the rate of ``date`` (default today), rounded."""
        date = date or fields.Date.context_today(self)

        def convert(amount, from_currency=None):
            from_currency = from_currency or self.currency_id
            if from_currency == currency or not amount:
                return to_decimal(amount)
            converted = from_currency._convert(amount, currency, self.company_id, date, round=False)
            return to_decimal(currency.round(converted))

        return convert

    # ------------------------------------------------------------------------
    # wording, shared by invoices, quotations and reminders
    # ------------------------------------------------------------------------

    @api.model
    def _muzza_sentence(self, terms, due, amount_due, currency, lang, as_of=None, invoice_total=None):
        """The late-payment terms as one plain paragraph with exact dates and
        amounts, in ``lang``: the one wording printed on invoices,
        quotations and reminders.

        :param FeeTerms terms: the terms
        :param datetime.date due: the due date they count from
        :param Decimal amount_due: the amount the example figure is for; None
            when the terms cover several invoices of amounts not known yet
            (a quotation billed as a deposit and later invoices): no figure
            that a given invoice would not carry is quoted
        :param datetime.date as_of: the day it is read on, for an invoice
            still unpaid: once its pay-by date has passed, the terms say what
            now applies, not what would happen
        :param Decimal invoice_total: what a cap in % of the invoice is on
            (default: ``amount_due``)
        """
        if invoice_total is None:
            invoice_total = amount_due
        env = self.with_context(lang=lang).env
        Wording = self.env["muzza.wording"]
        pay_by_day = pay_by_date(due, terms.grace_days)
        if as_of and as_of > pay_by_day:
            return self._muzza_late_sentence(terms, pay_by_day, amount_due, currency, lang, invoice_total)
        pay_by = Wording._format_date(pay_by_day, lang)
        example = None
        if amount_due is not None:
            example_fee = fee_example(terms, amount_due, to_decimal(currency.rounding))
            example = Wording._format_amount(example_fee, currency, lang)
        if terms.grace_days:
            when = env._(
                "If not paid by %(date)s (due date plus %(days)s days' grace),",
                date=pay_by,
                days=terms.grace_days,
            )
        else:
            when = env._("If not paid by %(date)s (the due date),", date=pay_by)
        rate = Wording._format_rate(terms.rate, lang)
        if terms.kind == "fixed":
            what = env._(
                "a late fee of %(amount)s will be charged.",
                amount=Wording._format_amount(
                    fee_example(terms, 0, to_decimal(currency.rounding)), currency, lang
                ),
            )
        elif terms.kind == "percent" and example is None:
            what = env._(
                "a late fee of %(rate)s %% of the amount due will be charged.",
                rate=Wording._format_rate(terms.percent, lang),
            )
        elif terms.kind == "percent":
            what = env._(
                "a late fee of %(rate)s %% of the amount due (%(amount)s) will be charged.",
                rate=Wording._format_rate(terms.percent, lang),
                amount=example,
            )
        elif example is None:
            what = (
                env._("interest of %(rate)s %% per month will be charged on the amount due.", rate=rate)
                if terms.rate_period == "month"
                else env._("interest of %(rate)s %% per year will be charged on the amount due.", rate=rate)
            )
        elif terms.rate_period == "month":
            what = env._(
                "interest of %(rate)s %% per month will be charged on the amount due: "
                "%(amount)s for each month of delay.",
                rate=rate,
                amount=example,
            )
        else:
            what = env._(
                "interest of %(rate)s %% per year will be charged on the amount due: "
                "%(amount)s for each month of delay.",
                rate=rate,
                amount=example,
            )
        parts = [when + " " + what]
        return " ".join(parts + self._muzza_limit_sentences(terms, invoice_total, currency, lang))

    @api.model
    def _muzza_late_sentence(self, terms, pay_by, amount_due, currency, lang, invoice_total):
        """The terms of an invoice past its pay-by date and still unpaid, as
        what applies now."""
        env = self.with_context(lang=lang).env
        Wording = self.env["muzza.wording"]
        since = Wording._format_date(pay_by + datetime.timedelta(days=1), lang)
        rounding = to_decimal(currency.rounding)
        if terms.kind == "fixed":
            first = env._(
                "Since %(date)s, a late fee of %(amount)s applies.",
                date=since,
                amount=Wording._format_amount(fee_example(terms, 0, rounding), currency, lang),
            )
        elif terms.kind == "percent":
            first = env._(
                "Since %(date)s, a late fee of %(rate)s %% of the amount due (%(amount)s) applies.",
                date=since,
                rate=Wording._format_rate(terms.percent, lang),
                amount=Wording._format_amount(fee_example(terms, amount_due or 0, rounding), currency, lang),
            )
        elif terms.rate_period == "month":
            first = env._(
                "Since %(date)s, interest of %(rate)s %% per month accrues on the amount still due.",
                date=since,
                rate=Wording._format_rate(terms.rate, lang),
            )
        else:
            first = env._(
                "Since %(date)s, interest of %(rate)s %% per year accrues on the amount still due.",
                date=since,
                rate=Wording._format_rate(terms.rate, lang),
            )
        parts = [first]
        return " ".join(parts + self._muzza_limit_sentences(terms, invoice_total, currency, lang))

    @api.model
    def _muzza_limit_sentences(self, terms, invoice_total, currency, lang):
        """What is added to the fees, their minimum and what they never
        exceed: one sentence each (or none)."""
        env = self.with_context(lang=lang).env
        Wording = self.env["muzza.wording"]
        parts = []
        if terms.compensation:
            parts.append(
                env._(
                    "A fixed compensation of %(amount)s for recovery costs is added.",
                    amount=Wording._format_amount(terms.compensation, currency, lang),
                )
            )
        if terms.min_amount:
            parts.append(
                env._(
                    "The minimum late fee is %(amount)s.",
                    amount=Wording._format_amount(terms.min_amount, currency, lang),
                )
            )
        if invoice_total is None and terms.max_percent is not None:
            cap = terms.max_amount
            parts.append(
                env._(
                    "Late fees will not exceed %(percent)s %% of the invoice in total.",
                    percent=Wording._format_rate(terms.max_percent, lang),
                )
                if cap is None
                else env._(
                    "Late fees will not exceed %(percent)s %% of the invoice, nor %(amount)s, in total.",
                    percent=Wording._format_rate(terms.max_percent, lang),
                    amount=Wording._format_amount(cap, currency, lang),
                )
            )
        else:
            cap = fee_cap(terms, invoice_total or 0)
            if cap is not None:
                parts.append(
                    env._(
                        "Late fees will not exceed %(amount)s in total.",
                        amount=Wording._format_amount(cap, currency, lang),
                    )
                )
        return parts
