"""Retainer arithmetic: periods, the balance a customer has prepaid, and
the budget. No ORM, only dates and Decimals.

A retainer is prepaid period by period. Each period's payment is a credit
that work delivered draws on, oldest credit first. What a credit has not
covered by the end of its period is lost, or carried over for a number of
periods and lost after that.

The ledger never raises on figures that do not add up (a period's payment
undone after work drew on it): what was drawn beyond the credits is
reported as ``overdrawn``, for a person to look into.
"""

import datetime
from decimal import Decimal
from typing import NamedTuple

from dateutil.relativedelta import relativedelta

MONTHS = {"month": 1, "quarter": 3}


def period_start(start, period, index):
    """First day of period ``index`` (0 for the first) of a retainer that
    starts on ``start``; a start on the 31st gives the month's last day."""
    if isinstance(start, datetime.datetime) or not isinstance(start, datetime.date):
        raise TypeError("start must be a datetime.date, got %r" % (start,))
    if period not in MONTHS:
        raise ValueError("unknown period %r" % (period,))
    if index < 0:
        raise ValueError("period index cannot be negative")
    return start + relativedelta(months=MONTHS[period] * index)


def period_index(start, period, day):
    """The period ``day`` falls in (-1 before the start)."""
    if day < start:
        return -1
    index = 0
    while period_start(start, period, index + 1) <= day:
        index += 1
    return index


def periods_to_invoice(start, end, period, today, lead_days):
    """Indexes of the periods whose invoice is due by ``today``: each one is
    invoiced ``lead_days`` before it starts; none starts after ``end``."""
    due = []
    index = 0
    while True:
        first = period_start(start, period, index)
        if end and first > end:
            break
        if first - datetime.timedelta(days=lead_days) > today:
            break
        due.append(index)
        index += 1
    return due


class Ledger(NamedTuple):
    """Where a retainer stands in one period.

    ``available``: what can still be drawn in that period; ``expired``: what
    went unused and is lost; ``overdrawn``: what was drawn beyond the credits
    usable when it was drawn (the data do not add up: a credit went away, a
    draw was dated elsewhere; it is reported, never raised).
    """

    available: Decimal
    expired: Decimal
    overdrawn: Decimal


def _remaining_credits(credits, draws, carry_periods):
    """``({period: left}, overdrawn)``: what each credit holds after
    ``draws``, oldest usable credit first, and the part of the draws no
    usable credit covered. A negative carry-over counts as none, a draw of
    zero or less draws nothing."""
    carry = max(int(carry_periods or 0), 0)
    left = {}
    for period, amount in sorted(credits):
        left[period] = left.get(period, Decimal(0)) + Decimal(amount)
    overdrawn = Decimal(0)
    for draw_period, amount in draws:
        amount = Decimal(amount)
        for period in sorted(left):
            if amount <= 0:
                break
            if period <= draw_period <= period + carry and left[period] > 0:
                taken = min(left[period], amount)
                left[period] -= taken
                amount -= taken
        overdrawn += max(amount, Decimal(0))
    return left, overdrawn


def ledger(credits, draws, current, carry_periods):
    """Where the retainer stands in period ``current``; never raises on
    figures that do not add up, it reports them (see :class:`Ledger`).

    :param credits: ``[(period_index, amount)]`` paid for each period
    :param draws: ``[(period_index, amount)]`` drawn by work, in order
    :param int carry_periods: how many periods an unused credit stays usable
        after its own (0: lost at the end of its period)
    :rtype: Ledger
    """
    carry = max(int(carry_periods or 0), 0)
    left, overdrawn = _remaining_credits(credits, draws, carry)
    usable = [a for p, a in left.items() if p <= current <= p + carry]
    expired = [a for p, a in left.items() if p + carry < current]
    return Ledger(sum(usable, Decimal(0)), sum(expired, Decimal(0)), overdrawn)


def allocate(credits, draws, current, carry_periods, amount):
    """How to draw ``amount`` in period ``current``: ``[(credit_period, take)]``
    from the oldest usable credit on, never more than is available (nothing
    when the earlier draws already took more than there was)."""
    carry = max(int(carry_periods or 0), 0)
    remaining = Decimal(amount)
    takes = []
    left, _overdrawn = _remaining_credits(credits, draws, carry)
    for period, rest in sorted(left.items()):
        if remaining <= 0:
            break
        if period <= current <= period + carry and rest > 0:
            take = min(rest, remaining)
            takes.append((period, take))
            remaining -= take
    return takes


def net_entries(entries):
    """``[(key, total)]``: the amounts of ``entries`` (``[(key, amount)]``)
    summed per key, in key order, leaving out the keys whose total is not
    positive. A credit note's negative amount cancels what its invoice
    credited (or drew) under the same key, never more."""
    totals = {}
    for key, amount in entries:
        totals[key] = totals.get(key, Decimal(0)) + Decimal(amount)
    return [(key, total) for key, total in sorted(totals.items()) if total > 0]


def budget_status(budget, committed, warn_ratio):
    """``"ok"``, ``"warn"`` (at or past ``warn_ratio`` of the budget) or
    ``"over"`` (past the budget itself); no budget means always ``"ok"``."""
    budget, committed, warn_ratio = Decimal(budget), Decimal(committed), Decimal(warn_ratio)
    if budget <= 0:
        return "ok"
    if committed > budget:
        return "over"
    if committed >= budget * warn_ratio:
        return "warn"
    return "ok"


def unapproved_amount(total, approvals):
    """What of an invoice's untaxed ``total`` no over-budget approval
    covers (never less than nothing).

    An approval covers its order's work up to the amount approved, less
    what the order's other invoices already billed: an order grown past its
    approval, or another order invoiced with it, is not covered.

    :param approvals: ``[(billed_here, billed_before, approved)]``, one per
        approved order on the invoice: what this invoice bills of the
        order's work, what its other invoices billed (credit notes
        deducted), and the untaxed amount approved
    """
    covered = Decimal(0)
    for billed_here, billed_before, approved in approvals:
        left = max(Decimal(approved) - max(Decimal(billed_before), Decimal(0)), Decimal(0))
        covered += min(max(Decimal(billed_here), Decimal(0)), left)
    return max(Decimal(total) - covered, Decimal(0))


def next_period_to_invoice(start, end, period, invoiced, lead_days):
    """The next period not invoiced yet and the day its invoice is due
    (``lead_days`` before it starts): ``(index, first_day, invoice_day)``,
    or None when the agreement has no period left.

    :param set invoiced: indexes of the periods already invoiced
    """
    index = 0
    while True:
        first = period_start(start, period, index)
        if end and first > end:
            return None
        if index not in invoiced:
            return index, first, first - datetime.timedelta(days=lead_days)
        index += 1
