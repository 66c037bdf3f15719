# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..logic.cadence import cadence_problems, next_cadence_date
from ..logic.deposits import deposit_problems
from ..logic.money import to_decimal

WEEKDAYS = [
    ("0", "Monday"),
    ("1", "Tuesday"),
    ("2", "Wednesday"),
    ("3", "Thursday"),
    ("4", "Friday"),
    ("5", "Saturday"),
    ("6", "Sunday"),
]


class MuzzaContractTemplate(models.Model):
    _name = "muzza.contract.template"
    _description = "Contract Payment-Term Template"
    _order = "company_id, sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id", string="Company Currency")
    payment_term_id = fields.Many2one(
        "account.payment.term",
        string="Payment Terms",
        required=True,
        check_company=True,
        help="The due-date rule of every invoice issued under this contract.",
    )
    invoice_trigger = fields.Selection(
        [
            ("confirmation", "When the order is confirmed"),
            ("delivery", "As the work is delivered"),
            ("cadence", "On a regular schedule"),
        ],
        string="Invoices Are Sent",
        required=True,
        default="delivery",
    )
    cadence_interval = fields.Integer(string="Every", default=2)
    cadence_unit = fields.Selection([("day", "days"), ("week", "weeks"), ("month", "months")], default="week")
    cadence_weekday = fields.Selection(WEEKDAYS, string="On Weekday")
    cadence_monthday = fields.Integer(string="On Day of Month", help="1-31; the last day of shorter months.")
    cadence_threshold = fields.Monetary(
        string="Or When Uninvoiced Work Exceeds",
        currency_field="currency_id",
        help="Also invoice as soon as the delivered, not yet invoiced amount passes this. "
        "Leave empty for none.",
    )
    bank_transfer = fields.Boolean(default=True)
    bank_instructions = fields.Text(
        string="Payment Instructions",
        translate=True,
        help="Printed under the ways to pay, e.g. who to contact for a payment plan.",
    )
    payment_provider_ids = fields.Many2many(
        "payment.provider",
        string="Online Payment",
        check_company=True,
        domain="[('state', 'in', ('enabled', 'test'))]",
        help="Providers customers can pay through from the link on each invoice.",
    )
    late_fee_policy_id = fields.Many2one(
        "muzza.late.fee.policy", string="Late-Fee Policy", check_company=True
    )
    deposit_who = fields.Selection(
        [
            ("company", "As the company's rule"),
            ("none", "Nobody"),
            ("new_clients", "New clients (no fully paid invoice yet)"),
            ("risk", "Clients at or above a risk level"),
            ("all", "Everyone under this contract"),
        ],
        string="Deposit Asked Of",
        default="company",
        required=True,
        help="Who pays a deposit when a quotation under this contract is confirmed.",
    )
    deposit_risk_level = fields.Selection(
        [("medium", "Medium"), ("high", "High"), ("blocked", "Blocked")],
        string="Deposit From Risk Level",
        default="high",
        required=True,
        help="Clients whose payment risk is at this level or above pay a deposit.",
    )
    muzza_high_risk_payment_term_id = fields.Many2one(
        "account.payment.term",
        string="Payment Terms at High Risk",
        check_company=True,
        help="Shorter payment terms that quotations under this contract take when the customer's "
        "payment risk is high or blocked; empty: the contract's own terms for everyone.",
    )
    deposit_kind = fields.Selection(
        [("percentage", "Percentage of the order"), ("fixed", "Fixed amount")],
        string="Deposit Amount",
        default="percentage",
        required=True,
    )
    deposit_value = fields.Float(string="Deposit (% or Amount)", default=30.0)
    deposit_minimum = fields.Monetary(string="Minimum Deposit", currency_field="currency_id")
    deposit_blocks_work = fields.Boolean(
        string="Work Waits for the Deposit",
        default=True,
        help="Until the deposit is paid, the order's other invoices cannot be created.",
    )
    autopay_offered = fields.Boolean(
        string="Offer Automatic Payment",
        help="Customers may agree to be charged on each due date with a saved payment method.",
    )

    @api.constrains(
        "invoice_trigger",
        "cadence_interval",
        "cadence_unit",
        "cadence_weekday",
        "cadence_monthday",
        "cadence_threshold",
    )
    def _check_cadence(self):
        for template in self:
            if template.cadence_threshold < 0:
                raise ValidationError(self.env._("The uninvoiced-amount threshold cannot be negative."))
            if template.invoice_trigger != "cadence":
                continue
            problems = cadence_problems(*template._cadence_args())
            messages = {
                "interval": self.env._("Invoice at least every 1 day, week or month."),
                "unit": self.env._("Choose days, weeks or months for the cadence."),
                "weekday": self.env._("A weekday only goes with a cadence in weeks."),
                "monthday": self.env._("A day of the month (1-31) only goes with a cadence in months."),
            }
            if problems:
                raise ValidationError(
                    self.env._(
                        "The contract template “%(name)s” has an invalid cadence:\n%(problems)s",
                        name=template.name,
                        problems="\n".join("- " + messages[p] for p in problems),
                    )
                )

    @api.constrains("deposit_who", "deposit_kind", "deposit_value", "deposit_minimum")
    def _check_deposit(self):
        for template in self.filtered(lambda t: t.deposit_who not in ("company", "none")):
            template._muzza_check_deposit_rule(
                template.deposit_kind, template.deposit_value, template.deposit_minimum
            )

    @api.model
    def _muzza_check_deposit_rule(self, kind, value, minimum):
        """Refuse impossible deposit figures with one clear message."""
        messages = {
            "kind": self.env._("Choose a percentage or a fixed amount for the deposit."),
            "negative": self.env._("The deposit and its minimum cannot be negative."),
            "over_100": self.env._("A deposit cannot be more than 100 % of the order."),
            "empty": self.env._("Set a deposit percentage, amount or minimum above zero."),
        }
        problems = deposit_problems(kind, to_decimal(value), to_decimal(minimum))
        if problems:
            raise ValidationError(
                self.env._(
                    "The deposit rule is not valid:\n%s", "\n".join("- " + messages[p] for p in problems)
                )
            )

    def _deposit_rule(self, company=None):
        """The deposit rule in force: this template's, or the company's."""
        if not self or self.deposit_who == "company":
            return (company or self.company_id or self.env.company)._muzza_deposit_rule()
        self.ensure_one()
        return {
            "who": self.deposit_who,
            "kind": self.deposit_kind,
            "value": self.deposit_value,
            "minimum": self.deposit_minimum,
            "currency": self.currency_id,
            "blocks_work": self.deposit_blocks_work,
            "risk_level": self.deposit_risk_level,
        }

    def _cadence_args(self):
        self.ensure_one()
        return (
            self.cadence_interval,
            self.cadence_unit,
            int(self.cadence_weekday) if self.cadence_weekday else None,
            self.cadence_monthday or None,
        )

    def _next_invoice_date(self, after):
        """Next cadence date after ``after`` (a date)."""
        self.ensure_one()
        return next_cadence_date(after, *self._cadence_args())

    # ------------------------------------------------------------------------
    # how to pay: one wording for the quotation and the invoice
    # ------------------------------------------------------------------------

    def _ways_to_pay_lines(self, lang, banks=None, reference=None, providers=None, in_email=False):
        """The "how to pay" sentences of this template, in ``lang``.

        :param banks: the accounts to pay into (default: the company's first two)
        :param str reference: what to quote (an invoice's payment reference);
            without it, "the invoice number"
        :param providers: the online providers offered (default: the
            template's own)
        :param bool in_email: worded for the invoice's e-mail (its link), not
            the printed invoice (its link and QR code)
        """
        self.ensure_one()
        return self._muzza_ways_to_pay(
            lang,
            self.company_id,
            bank_transfer=self.bank_transfer,
            banks=banks,
            providers=self.payment_provider_ids if providers is None else providers,
            instructions=self.with_context(lang=lang).bank_instructions,
            reference=reference,
            in_email=in_email,
        )

    @api.model
    def _muzza_ways_to_pay(
        self,
        lang,
        company,
        bank_transfer=True,
        banks=None,
        providers=None,
        instructions=None,
        reference=None,
        in_email=False,
    ):
        """How to pay, in plain words: bank transfer (to which accounts,
        quoting what), online providers, and free instructions."""
        env = self.with_context(lang=lang).env
        lines = []
        ways = []
        if bank_transfer:
            banks = (company.partner_id.bank_ids if banks is None else banks)[:2]
            quoting = reference or env._("the invoice number")
            if banks:
                ways.append(
                    env._(
                        "by bank transfer to %(accounts)s, quoting %(reference)s",
                        accounts=env._(" or ").join(banks.mapped("display_name")),
                        reference=quoting,
                    )
                )
            else:
                ways.append(env._("by bank transfer, quoting %(reference)s", reference=quoting))
        if providers:
            if not reference:
                where = env._("from the link on each invoice")
            elif in_email:
                where = env._("from the link in this e-mail")
            else:
                where = env._("from the link and QR code on this invoice")
            ways.append(
                env._(
                    "online (%(providers)s) %(where)s",
                    providers=", ".join(providers.with_context(lang=lang).mapped("name")),
                    where=where,
                )
            )
        if ways:
            lines.append(env._("You can pay %(ways)s.", ways=env._(", or ").join(ways)))
        if instructions and instructions.strip():
            lines.append(instructions.strip())
        return lines

    def _autopay_offer_sentence(self, lang):
        self.ensure_one()
        return self.with_context(lang=lang).env._(
            "If you wish, each invoice can be paid automatically on its due date with a saved "
            "payment method; you can withdraw this consent at any time from your portal."
        )

    # ------------------------------------------------------------------------
    # the "Payment terms" section, from the structured fields
    # ------------------------------------------------------------------------

    def _terms_lines(self, lang, currency, amount, first_invoice_date, policy=None, payment_term=None):
        """The paragraphs of the printed "Payment terms" section, in ``lang``.

        Every sentence follows from a field of the template: when invoices are
        sent, the exact due date of the first one, how to pay, automatic
        payment, and the late-fee terms (in the wording invoices use).

        :param currency: the order currency
        :param amount: the amount the late-fee figures are quoted on (the
            order total), or None to quote the rates alone
        :param datetime.date first_invoice_date: when the first invoice is
            expected (the cadence's first date is computed from it)
        :param policy: the late-fee policy the invoices will follow (default:
            the template's, else the company's)
        :param payment_term: the payment term this order's invoices follow,
            when not the template's own (it is then said to replace it)
        """
        self.ensure_one()
        env = self.with_context(lang=lang).env
        Wording = env["muzza.wording"]
        fmt_date = lambda d: Wording._format_date(d, lang)
        lines = []

        # when invoices are sent
        if self.invoice_trigger == "confirmation":
            first = first_invoice_date
            lines.append(env._("We invoice the whole order when you confirm it."))
        elif self.invoice_trigger == "delivery":
            first = first_invoice_date
            lines.append(env._("We invoice the work as it is delivered."))
        else:
            first = self._next_invoice_date(first_invoice_date)
            units = dict(self._fields["cadence_unit"]._description_selection(env))
            when = env._(
                "We invoice the work delivered every %(interval)s %(unit)s, the first time on %(date)s",
                interval=self.cadence_interval,
                unit=units[self.cadence_unit],
                date=fmt_date(first),
            )
            if self.cadence_threshold:
                when += env._(
                    ", and as soon as the work delivered and not yet invoiced exceeds %(amount)s",
                    amount=Wording._format_amount(
                        self.currency_id._convert(
                            self.cadence_threshold, currency, self.company_id, fields.Date.context_today(self)
                        ),
                        currency,
                        lang,
                    ),
                )
            lines.append(when + ".")

        # the due date rule, with the date it gives for the first invoice
        term = payment_term or self.payment_term_id
        rule, due = self._due_rule_line(term, lang, currency, first)
        if term != self.payment_term_id:
            rule += " " + env._(
                "For this order, these terms replace the contract's usual terms “%(term)s”.",
                term=self.payment_term_id.with_context(lang=lang).name,
            )
        lines.append(rule)

        # how to pay
        lines += self._ways_to_pay_lines(lang)
        if self.autopay_offered:
            lines.append(self._autopay_offer_sentence(lang))

        # late-fee terms, in the words invoices use
        if policy is None:
            policy = self.late_fee_policy_id or self.company_id.muzza_late_fee_policy_id
        if policy:
            lines.append(self._fee_terms_line(policy, lang, currency, amount, due))
        return lines

    @api.model
    def _due_rule_line(self, payment_term, lang, currency, first_invoice_date):
        """The payment term in words with the exact date(s) it gives an
        invoice dated ``first_invoice_date``: never "30 Days" alone.

        :return: ``(sentence, last due date)``; without a payment term, an
            invoice is due on its date
        """
        env = self.with_context(lang=lang).env
        Wording = env["muzza.wording"]
        fmt_date = lambda d: Wording._format_date(d, lang)
        first = first_invoice_date
        term_lines = payment_term.line_ids.sorted(lambda line: (line._get_due_date(first), line.id))
        if len(term_lines) <= 1:
            due = term_lines[:1]._get_due_date(first) if term_lines else first
            if not payment_term:
                return env._("Each invoice is due on the day it is dated."), due
            return (
                env._(
                    "Each invoice is due under the terms “%(term)s”: "
                    "an invoice dated %(date)s is due on %(due)s.",
                    term=payment_term.with_context(lang=lang).name,
                    date=fmt_date(first),
                    due=fmt_date(due),
                ),
                due,
            )
        parts = []
        for line in term_lines:
            share = (
                env._("%(percent)s %%", percent=Wording._format_rate(line.value_amount, lang))
                if line.value == "percent"
                else Wording._format_amount(line.value_amount, currency, lang)
            )
            parts.append(env._("%(share)s on %(due)s", share=share, due=fmt_date(line._get_due_date(first))))
        return (
            env._(
                "Each invoice is paid in instalments under the terms “%(term)s”; "
                "for an invoice dated %(date)s: %(parts)s.",
                term=payment_term.with_context(lang=lang).name,
                date=fmt_date(first),
                parts="; ".join(parts),
            ),
            term_lines[-1]._get_due_date(first),
        )

    @api.model
    def _fee_terms_line(self, policy, lang, currency, amount, due):
        """The late-fee terms of ``policy`` for an invoice of ``amount`` due on
        ``due``, in the words invoices print."""
        terms = policy._fee_terms(currency=currency)
        return self.env["muzza.late.fee.policy"]._muzza_sentence(
            terms, due, None if amount is None else to_decimal(amount), currency, lang
        )
