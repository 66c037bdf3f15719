"""Retainer arithmetic: periods, the balance a customer has prepaid, and
the budget. No ORM, only dates and Decimals.

A retainer is prepaid period by period. Each period's payment is a credit
that work delivered draws on, oldest credit first. What a credit has not
covered by the end of its period is lost, or carried over for a number of
periods and lost after that.
"""

import datetime
from decimal import Decimal

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


def _remaining_credits(credits, draws, carry_periods):
    """``{period: left}`` of each credit after ``draws``, oldest credit
    first; a draw larger than what was usable then raises ValueError."""
    if carry_periods < 0:
        raise ValueError("carry-over periods cannot be negative")
    left = {}
    for period, amount in sorted(credits):
        left[period] = left.get(period, Decimal(0)) + Decimal(amount)
    for draw_period, amount in draws:
        amount = Decimal(amount)
        for period in sorted(left):
            if amount <= 0:
                break
            if period <= draw_period <= period + carry_periods and left[period] > 0:
                taken = min(left[period], amount)
                left[period] -= taken
                amount -= taken
        if amount > 0:
            raise ValueError("draw of period %s exceeds the balance then available" % draw_period)
    return left


def available_balance(credits, draws, current, carry_periods):
    """What the customer can still draw on in period ``current``.

    :param credits: ``[(period_index, amount)]`` paid for each period
    :param draws: ``[(period_index, amount)]`` drawn by work, in order
    :param int carry_periods: how many periods an unused credit stays usable
        after its own (0: lost at the end of its period)
    :return: ``(available, expired)`` as Decimals
    :raises ValueError: on a draw larger than what was available then
    """
    left = _remaining_credits(credits, draws, carry_periods)
    usable = [a for p, a in left.items() if p <= current <= p + carry_periods]
    expired = [a for p, a in left.items() if p + carry_periods < current]
    return sum(usable, Decimal(0)), sum(expired, Decimal(0))


def allocate(credits, draws, current, carry_periods, amount):
    """How to draw ``amount`` in period ``current``: ``[(credit_period, take)]``
    from the oldest usable credit on, never more than is available."""
    remaining = Decimal(amount)
    takes = []
    for period, left in sorted(_remaining_credits(credits, draws, carry_periods).items()):
        if remaining <= 0:
            break
        if period <= current <= period + carry_periods and left > 0:
            take = min(left, remaining)
            takes.append((period, take))
            remaining -= take
    return takes


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
