"""Late-fee arithmetic: what an invoice owes for being paid late.

Conventions (printed on the invoice in plain words, so they must stay simple):

* The customer has until the *pay-by date*: the due date plus the grace days.
  The first day of delay is the day after it; a payment dated on a day of
  delay still counts that day (paid the day after the pay-by date = one day
  late).
* ``fixed``: a fixed amount, once, as soon as the invoice is late.
* ``percent``: a percentage, once, of the amount still due on the first day
  of delay.
* ``interest``: simple interest on the amount still due at the start of each
  day of delay. A rate per year accrues 1/365 of it per day; a rate per month
  accrues 12/365 of it per day, so a month of delay (365/12 days) costs
  exactly the monthly rate.
* ``compensation``: a fixed sum added once when the invoice is late (the
  40 EUR of Directive 2011/7/EU), on top of any kind.
* A minimum applies once any fee is due; the caps (an amount and/or a
  percentage of the invoice total) bound the whole fee, compensation included.

Fees are charged in pieces, each run charging what accrued since the last one.
To make the pieces add up to exactly what one charge at the end would have
been, every run computes the *cumulative* fee through its date, rounds that in
the invoice currency, and charges the difference with what was charged
before. Rounding never makes pieces drift, and a run repeated on the same day
charges nothing.

All amounts are :class:`decimal.Decimal`; convert floats with
:func:`to_decimal`.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

from .money import ZERO, quantize, to_decimal

KINDS = ("fixed", "percent", "interest")
RATE_PERIODS = ("month", "year")
DAYS_PER_YEAR = Decimal(365)
ONE_DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class FeeTerms:
    """The late-payment terms of one invoice, frozen when it is posted."""

    kind: str
    grace_days: int = 0
    fixed_amount: Decimal = ZERO
    percent: Decimal = ZERO
    rate: Decimal = ZERO
    rate_period: str = "month"
    compensation: Decimal = ZERO
    min_amount: Decimal = ZERO
    max_amount: Decimal | None = None
    max_percent: Decimal | None = None

    def as_dict(self):
        return {
            "kind": self.kind,
            "grace_days": self.grace_days,
            "fixed_amount": str(self.fixed_amount),
            "percent": str(self.percent),
            "rate": str(self.rate),
            "rate_period": self.rate_period,
            "compensation": str(self.compensation),
            "min_amount": str(self.min_amount),
            "max_amount": None if self.max_amount is None else str(self.max_amount),
            "max_percent": None if self.max_percent is None else str(self.max_percent),
        }

    @classmethod
    def from_dict(cls, data):
        def dec(key):
            return to_decimal(data.get(key) or 0)

        def opt(key):
            return None if data.get(key) in (None, False, "") else to_decimal(data[key])

        return cls(
            kind=data["kind"],
            grace_days=int(data.get("grace_days") or 0),
            fixed_amount=dec("fixed_amount"),
            percent=dec("percent"),
            rate=dec("rate"),
            rate_period=data.get("rate_period") or "month",
            compensation=dec("compensation"),
            min_amount=dec("min_amount"),
            max_amount=opt("max_amount"),
            max_percent=opt("max_percent"),
        )


# ----------------------------------------------------------------------------
# statutory presets
# ----------------------------------------------------------------------------

# EU Directive 2011/7/EU (art. 2(6) and 6) and Spain's Ley 3/2004 (arts. 7
# and 8) set the same rule: interest per year at the reference rate of the
# central bank plus 8 points, and a fixed compensation of 40 EUR per late
# invoice for the recovery costs. The law states the compensation in euros,
# whatever the currency of the business or of the invoice.
STATUTORY_PRESETS = ("eu_2011_7", "es_ley_3_2004")
STATUTORY_POINTS = Decimal(8)
STATUTORY_COMPENSATION = Decimal(40)
STATUTORY_COMPENSATION_CURRENCY = "EUR"


@dataclass(frozen=True)
class StatutoryRule:
    """What a statutory preset charges, for one reference rate."""

    kind: str
    rate_period: str
    rate: Decimal
    compensation: Decimal
    compensation_currency: str


def statutory_rule(reference_rate):
    """The statutory late-payment rule for ``reference_rate`` (in %):
    simple interest per year at the reference rate plus 8 points, and a
    fixed compensation of 40 EUR (an amount in euros, to be converted into
    the invoice currency)."""
    return StatutoryRule(
        kind="interest",
        rate_period="year",
        rate=to_decimal(reference_rate) + STATUTORY_POINTS,
        compensation=STATUTORY_COMPENSATION,
        compensation_currency=STATUTORY_COMPENSATION_CURRENCY,
    )


def terms_problems(terms):
    """Codes of what is wrong with ``terms`` (empty when they are valid).

    The codes are translated into messages by the model; they are:
    ``kind``, ``rate_period``, ``negative_grace``, ``negative_amount``,
    ``negative_rate``, ``percent_over_100``, ``nothing_charged``,
    ``cap_below_minimum``.
    """
    problems = []
    if terms.kind not in KINDS:
        problems.append("kind")
    if terms.rate_period not in RATE_PERIODS:
        problems.append("rate_period")
    if terms.grace_days < 0:
        problems.append("negative_grace")
    if min(terms.fixed_amount, terms.compensation, terms.min_amount) < 0 or (
        terms.max_amount is not None and terms.max_amount < 0
    ):
        problems.append("negative_amount")
    if min(terms.rate, terms.percent) < 0 or (terms.max_percent is not None and terms.max_percent < 0):
        problems.append("negative_rate")
    if terms.percent > 100 or (terms.max_percent is not None and terms.max_percent > 100):
        problems.append("percent_over_100")
    main = {"fixed": terms.fixed_amount, "percent": terms.percent, "interest": terms.rate}.get(terms.kind)
    if main is not None and main <= 0 and terms.compensation <= 0:
        problems.append("nothing_charged")
    if terms.max_amount is not None and terms.max_amount < terms.min_amount:
        problems.append("cap_below_minimum")
    return problems


def pay_by_date(due_date, grace_days):
    """Last day the invoice can be paid without a fee."""
    return due_date + datetime.timedelta(days=grace_days)


def days_of_delay(due_date, grace_days, as_of):
    """Whole days of delay at ``as_of``: 0 up to the pay-by date."""
    return max((as_of - pay_by_date(due_date, grace_days)).days, 0)


def balance_before(day, amount_due, payments):
    """Amount still due at the start of ``day``: ``amount_due`` less the
    payments dated before it."""
    paid = sum((to_decimal(amt) for date, amt in payments if date < day), ZERO)
    return max(to_decimal(amount_due) - paid, ZERO)


def daily_rate(terms):
    """Fraction of the amount due accrued per day of delay."""
    per_year = terms.rate * (12 if terms.rate_period == "month" else 1)
    return per_year / 100 / DAYS_PER_YEAR


def monthly_rate(terms):
    """Fraction of the amount due accrued per month of delay."""
    return terms.rate / 100 / (1 if terms.rate_period == "month" else 12)


def fee_cap(terms, invoice_total):
    """The highest total fee allowed, or None when uncapped."""
    caps = []
    if terms.max_amount is not None:
        caps.append(terms.max_amount)
    if terms.max_percent is not None:
        caps.append(to_decimal(invoice_total) * terms.max_percent / 100)
    return min(caps) if caps else None


def raw_fee_through(terms, amount_due, due_date, payments, through):
    """Unrounded, uncapped fee accrued from the first day of delay through
    ``through`` (inclusive).

    :param amount_due: what the invoice asked for (its total, in its currency)
    :param payments: ``(date, amount)`` pairs of what was paid, in the invoice
        currency, in any order
    """
    first_day = pay_by_date(due_date, terms.grace_days) + ONE_DAY
    if through < first_day:
        return ZERO
    payments = sorted((date, to_decimal(amt)) for date, amt in payments)
    opening = balance_before(first_day, amount_due, payments)
    if opening <= 0:
        return ZERO
    fee = terms.compensation
    if terms.kind == "fixed":
        fee += terms.fixed_amount
    elif terms.kind == "percent":
        fee += opening * terms.percent / 100
    else:
        # Walk the segments between payments: the balance is constant on each.
        rate = daily_rate(terms)
        day, balance = first_day, opening
        for date, amt in payments:
            if date < first_day:
                continue
            change_day = date + ONE_DAY  # a payment reduces the balance from the next day
            if change_day > through + ONE_DAY:
                break
            if change_day > day:
                fee += balance * rate * (change_day - day).days
                day = change_day
            balance = max(balance - amt, ZERO)
        if day <= through:
            fee += balance * rate * ((through - day).days + 1)
    return fee


def fee_through(terms, amount_due, due_date, payments, through, rounding, invoice_total=None):
    """Total fee owed for the delay through ``through``, rounded in the
    invoice currency, with the minimum and caps applied."""
    raw = raw_fee_through(terms, amount_due, due_date, payments, through)
    if raw <= 0:
        return ZERO
    fee = max(raw, terms.min_amount)
    cap = fee_cap(terms, amount_due if invoice_total is None else invoice_total)
    fee = quantize(fee, rounding)
    if cap is not None:
        fee = min(fee, quantize(cap, rounding, mode=ROUND_FLOOR))
    return fee


def fee_to_charge(
    terms, amount_due, due_date, payments, through, rounding, already_charged, invoice_total=None
):
    """What a run on ``through`` should charge, given what earlier runs
    charged: never negative, and the pieces add up to :func:`fee_through`."""
    return max(
        fee_difference(
            terms, amount_due, due_date, payments, through, rounding, already_charged, invoice_total
        ),
        ZERO,
    )


def fee_difference(
    terms, amount_due, due_date, payments, through, rounding, already_charged, invoice_total=None
):
    """The fee owed through ``through`` less what was charged: positive, to
    charge; negative, to give back (a payment recorded late but dated
    before fees that were charged for days it was in fact paid)."""
    total = fee_through(terms, amount_due, due_date, payments, through, rounding, invoice_total)
    return total - to_decimal(already_charged)


def fee_example(terms, amount_due, rounding):
    """The figure the printed sentence quotes, for ``amount_due`` unpaid:
    the fixed fee, the one-off percentage, or the interest for each month of
    delay (before minimum and caps, which the sentence states apart)."""
    amount_due = to_decimal(amount_due)
    if terms.kind == "fixed":
        return quantize(terms.fixed_amount, rounding)
    if terms.kind == "percent":
        return quantize(amount_due * terms.percent / 100, rounding)
    return quantize(amount_due * monthly_rate(terms), rounding)


# ----------------------------------------------------------------------------
# when accrued fees are invoiced
# ----------------------------------------------------------------------------

CYCLES = ("paid", "monthly")


def cycle_day(year, month, invoice_day):
    """The invoicing day of a month: ``invoice_day``, or the month's last day
    when the month is shorter."""
    if month == 12:
        last = 31
    else:
        last = (datetime.date(year, month + 1, 1) - ONE_DAY).day
    return datetime.date(year, month, min(invoice_day, last))


def next_fee_day(kind, cycle, invoice_day, after):
    """The next day a late invoice's fee may be invoiced, after ``after``.

    One-off fees (fixed, percentage) are invoiced as soon as they are due,
    so they are looked at again the next day. Interest accrues daily and is
    invoiced on the company's cycle: on the next monthly invoicing day, or
    (cycle "paid") only once the late invoice is paid, which needs no date.

    :return: a date, or None when only the payment triggers the invoice
    """
    if kind != "interest":
        return after + ONE_DAY
    if cycle == "paid":
        return None
    if cycle != "monthly":
        raise ValueError("unknown fee invoicing cycle %r" % (cycle,))
    if not 1 <= invoice_day <= 31:
        raise ValueError("the invoicing day must be between 1 and 31")
    day = cycle_day(after.year, after.month, invoice_day)
    if day > after:
        return day
    year, month = (after.year + 1, 1) if after.month == 12 else (after.year, after.month + 1)
    return cycle_day(year, month, invoice_day)


def fee_invoice_due(kind, accrued, minimum, final, cycle_reached):
    """Whether the fee accrued so far is invoiced now.

    :param Decimal accrued: what has accrued and is not invoiced yet
    :param Decimal minimum: the smallest amount worth an invoice of its own
    :param bool final: the late invoice is paid (or credited): the fee is
        complete, and invoiced whatever its amount
    :param bool cycle_reached: an invoicing day of the cycle has come (or a
        reminder asks for the fees accrued so far)
    """
    if accrued <= 0:
        return False
    if final or kind != "interest":
        return True
    return bool(cycle_reached) and accrued >= minimum


def fee_finished(kind, final, charged_total):
    """Nothing more will ever be charged: the late invoice is paid (its fee
    stopped accruing and was invoiced), or a one-off fee was charged."""
    return bool(final) or (kind != "interest" and charged_total > 0)
