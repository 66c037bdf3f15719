"""The aged receivables: buckets, days sales outstanding, average days late.

The report's SQL ages the open items itself (it never loads them); these
functions state the same rules for everything else that needs them (the
drill-down, the snapshots, the risk signals) and are the reference the SQL
is tested against.
"""

import datetime
from decimal import Decimal

from .money import ZERO, to_decimal

DEFAULT_PERIOD_DAYS = 30
DEFAULT_PERIODS = 4


def _check_periods(period_days, periods):
    if int(period_days) != period_days or period_days < 1:
        raise ValueError("a period is a whole number of days, at least 1")
    if int(periods) != periods or periods < 1:
        raise ValueError("there is at least one period")


def bucket_index(days_late, period_days=DEFAULT_PERIOD_DAYS, periods=DEFAULT_PERIODS):
    """The bucket of an item ``days_late`` days past its maturity.

    0 is "not yet due" (0 days or fewer: due today is not late), then
    ``k`` for ``(k-1)*period_days < days_late <= k*period_days`` up to
    ``periods``, and ``periods + 1`` for anything older.
    """
    _check_periods(period_days, periods)
    if days_late <= 0:
        return 0
    return min((days_late - 1) // period_days + 1, periods + 1)


def bucket_bounds(period_days=DEFAULT_PERIOD_DAYS, periods=DEFAULT_PERIODS):
    """``(first day, last day)`` of each bucket in days late, ``None`` where
    it is open: ``[(None, 0), (1, 30), (31, 60), ..., (121, None)]``."""
    _check_periods(period_days, periods)
    bounds = [(None, 0)]
    bounds += [((k - 1) * period_days + 1, k * period_days) for k in range(1, periods + 1)]
    bounds.append((periods * period_days + 1, None))
    return bounds


def age_items(items, as_of, period_days=DEFAULT_PERIOD_DAYS, periods=DEFAULT_PERIODS):
    """Totals per bucket of ``items``: ``(maturity date, open amount)``
    pairs, aged at ``as_of``. Credits (negative amounts: credit notes,
    unapplied payments) age like the rest, so each bucket is a net figure and
    the buckets add up to the balance."""
    totals = [ZERO] * (periods + 2)
    for maturity, amount in items:
        totals[bucket_index((as_of - maturity).days, period_days, periods)] += to_decimal(amount)
    return totals


def countback_months(as_of, count):
    """The periods the countback walks through, most recent first: the
    month of ``as_of`` up to that day, then ``count - 1`` whole months
    before it, as ``(first day, last day)``."""
    periods = [(as_of.replace(day=1), as_of)]
    first = as_of.replace(day=1)
    for _i in range(count - 1):
        last = first - datetime.timedelta(days=1)
        first = last.replace(day=1)
        periods.append((first, last))
    return periods


def dso_countback(open_balance, months):
    """Days sales outstanding by the countback method.

    :param open_balance: what customers owe at the as-of date
    :param months: ``(days in the period, credit sales in it)``, most recent
        first (see :func:`countback_months`)
    :return: ``(days, complete)``: walking back, each period whose sales the
        balance still exceeds counts whole and its sales are taken off; the
        period that covers the rest counts in proportion. ``complete`` is
        False when the periods given do not cover the balance (the days are
        then a lower bound). Nothing owed is 0 days.
    """
    left = to_decimal(open_balance)
    days = ZERO
    if left <= 0:
        return ZERO, True
    for period_days, sales in months:
        sales = to_decimal(sales)
        if sales <= 0:
            days += period_days
            continue
        if left <= sales:
            return days + Decimal(period_days) * left / sales, True
        days += period_days
        left -= sales
    return days, False


def days_in_period(first, last):
    return (last - first).days + 1


def average_days_late(paid_items):
    """Average days late of paid invoices, weighted by amount.

    :param paid_items: ``(amount, due date, paid date)``; an invoice paid on
        or before its due date counts 0 days late (paying early does not
        make up for another invoice paid late)
    :return: a Decimal, or None when there is nothing to average
    """
    total = weighted = ZERO
    for amount, due, paid in paid_items:
        amount = to_decimal(amount)
        if amount <= 0:
            continue
        total += amount
        weighted += amount * max((paid - due).days, 0)
    return weighted / total if total else None
