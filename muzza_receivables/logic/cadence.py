"""Invoicing cadence: when the next regular invoice is due.

A cadence is "every N days / weeks / months", optionally pinned to a weekday
(weeks) or a day of the month (months; clamped to the month's last day, so
"on the 31st" is the 30th in April and the 28th or 29th in February).
"""

import datetime

from dateutil.relativedelta import relativedelta

UNITS = ("day", "week", "month")


def cadence_problems(interval, unit, weekday=None, monthday=None):
    """Codes of what is wrong with a cadence: ``interval``, ``unit``,
    ``weekday``, ``monthday``."""
    problems = []
    if not isinstance(interval, int) or interval < 1:
        problems.append("interval")
    if unit not in UNITS:
        problems.append("unit")
    if weekday is not None and (unit != "week" or not 0 <= weekday <= 6):
        problems.append("weekday")
    if monthday is not None and (unit != "month" or not 1 <= monthday <= 31):
        problems.append("monthday")
    return problems


def next_cadence_date(after, interval, unit, weekday=None, monthday=None):
    """The first cadence date strictly after ``after``.

    :param datetime.date after: the last cadence date (or the order date)
    :param int interval: every how many units
    :param str unit: "day", "week" or "month"
    :param int weekday: 0 = Monday … 6 = Sunday, for weeks
    :param int monthday: 1–31, for months
    """
    if cadence_problems(interval, unit, weekday, monthday):
        raise ValueError(
            "invalid cadence: %s" % ", ".join(cadence_problems(interval, unit, weekday, monthday))
        )
    if unit == "day":
        return after + datetime.timedelta(days=interval)
    if unit == "week":
        result = after + datetime.timedelta(weeks=interval)
        if weekday is not None:
            # the pinned weekday of the week the interval lands in
            result += datetime.timedelta(days=weekday - result.weekday())
            if result <= after:
                result += datetime.timedelta(weeks=1)
        return result
    result = after + relativedelta(months=interval)
    if monthday is not None:
        result += relativedelta(day=monthday)
        if result <= after:
            result = after + relativedelta(months=interval + 1, day=monthday)
    return result
