"""A customer's payment risk: a score that says why, and what it leads to.

No ORM: the models gather the facts (the warning signs ticked on the
customer, the signals read from its history and its record) and these
functions decide. The score is the sum of each factor's points, at most
100; each factor is returned with its points and the figures it rests on,
so the partner shows "+16: 3 of 5 invoices paid late in the last 12 months
(average 18 days)" rather than a bare number.

Points (each factor grows with its facts, never shrinks, so more of a
warning sign never lowers the score):

- each warning sign ticked: its weight (0-100, set per company);
- invoices paid late in the last 12 months: up to 20 points for how many
  and which share (``20 x share x min(late, 5) / 5``) plus up to 15 for the
  average days late weighted by amount (``15 x min(days, 30) / 30``);
- overdue now: 5 points, plus one per 3 days of the oldest overdue item,
  at most 25;
- late-fee invoices charged in the last 12 months: 4 each, at most 10;
- payment promises broken: 10 each, at most 20;
- reminders at a level that raises the risk (the final notice, say) in
  the last 12 months: 10 each, at most 20;
- exposure (open receivables and orders not invoiced yet) above the
  credit limit: 15;
- the record: a phone number that cannot be valid for the country (5), a
  company without VAT number (5), without address (10), a VAT number that
  fails its check (10).
"""

import calendar
import datetime
from decimal import ROUND_FLOOR, Decimal

from .money import ZERO, quantize, to_decimal

LEVELS = ("low", "medium", "high", "blocked")
DEFAULT_THRESHOLDS = {"medium": 25, "high": 50, "blocked": 80}

LATE_SHARE_POINTS = 20
LATE_COUNT_FULL = 5
LATE_DAYS_POINTS = 15
LATE_DAYS_FULL = 30
OVERDUE_BASE_POINTS = 5
OVERDUE_DAYS_PER_POINT = 3
OVERDUE_MAX_POINTS = 25
FEE_POINTS, FEE_MAX_POINTS = 4, 10
PROMISE_POINTS, PROMISE_MAX_POINTS = 10, 20
NOTICE_POINTS, NOTICE_MAX_POINTS = 10, 20
OVER_LIMIT_POINTS = 15
RECORD_POINTS = {"phone_invalid": 5, "no_vat": 5, "no_address": 10, "vat_invalid": 10}

# the facts a score rests on, and their value when nothing is known
EMPTY_SIGNALS = {
    "paid_count": 0,
    "late_count": 0,
    "avg_days_late": None,
    "overdue_amount": ZERO,
    "oldest_overdue_days": 0,
    "fee_invoices": 0,
    "broken_promises": 0,
    "final_notices": 0,
    "exposure": ZERO,
    "credit_limit": ZERO,
    "phone_invalid": False,
    "no_vat": False,
    "no_address": False,
    "vat_invalid": False,
}


def level_rank(level):
    """0 for ``low`` ... 3 for ``blocked``."""
    return LEVELS.index(level)


def at_least(level, threshold):
    """Whether ``level`` is ``threshold`` or worse; False when either is
    unset."""
    if not level or not threshold:
        return False
    return level_rank(level) >= level_rank(threshold)


def threshold_problems(thresholds):
    """What is wrong with the score thresholds of the levels, as codes:
    ``range`` (outside 1-100), ``order`` (medium < high < blocked fails)."""
    values = [thresholds[key] for key in ("medium", "high", "blocked")]
    problems = []
    if any(not 1 <= value <= 100 for value in values):
        problems.append("range")
    if not values[0] < values[1] < values[2]:
        problems.append("order")
    return problems


def _points(value):
    """Whole points, rounded half up (a factor shows what it adds)."""
    return int(to_decimal(value).quantize(Decimal(1), rounding="ROUND_HALF_UP"))


def score_factors(signs, signals):
    """Each factor of the score: ``[(code, points, facts)]``, biggest first.

    :param signs: ``[(name, weight)]`` of the warning signs ticked
    :param dict signals: the facts (see ``EMPTY_SIGNALS``; missing keys
        count as nothing known)
    Factors worth no point are left out.
    """
    facts = dict(EMPTY_SIGNALS, **{key: value for key, value in signals.items() if value is not None})
    factors = []
    for name, weight in signs:
        factors.append(("sign", max(int(weight), 0), {"name": name}))
    late, paid = int(facts["late_count"]), int(facts["paid_count"])
    if late > 0 and paid > 0:
        share = Decimal(min(late, paid)) / paid
        days = to_decimal(signals.get("avg_days_late") or 0)
        points = LATE_SHARE_POINTS * share * min(late, LATE_COUNT_FULL) / LATE_COUNT_FULL
        points += LATE_DAYS_POINTS * min(max(days, ZERO), Decimal(LATE_DAYS_FULL)) / LATE_DAYS_FULL
        factors.append(("late", _points(points), {"late": late, "paid": paid, "days": _points(days)}))
    overdue = to_decimal(facts["overdue_amount"])
    if overdue > 0:
        days = max(int(facts["oldest_overdue_days"]), 0)
        points = min(OVERDUE_BASE_POINTS + days // OVERDUE_DAYS_PER_POINT, OVERDUE_MAX_POINTS)
        factors.append(("overdue", points, {"amount": overdue, "days": days}))
    fees = int(facts["fee_invoices"])
    if fees > 0:
        factors.append(("fees", min(FEE_POINTS * fees, FEE_MAX_POINTS), {"count": fees}))
    promises = int(facts["broken_promises"])
    if promises > 0:
        factors.append(("promises", min(PROMISE_POINTS * promises, PROMISE_MAX_POINTS), {"count": promises}))
    notices = int(facts["final_notices"])
    if notices > 0:
        factors.append(("notices", min(NOTICE_POINTS * notices, NOTICE_MAX_POINTS), {"count": notices}))
    limit, exposure = to_decimal(facts["credit_limit"]), to_decimal(facts["exposure"])
    if limit > 0 and exposure > limit:
        factors.append(("over_limit", OVER_LIMIT_POINTS, {"exposure": exposure, "limit": limit}))
    for code, points in RECORD_POINTS.items():
        if facts[code]:
            factors.append((code, points, {}))
    factors = [factor for factor in factors if factor[1] > 0]
    factors.sort(key=lambda factor: -factor[1])
    return factors


def risk_score(factors):
    """The score of ``factors`` (see :func:`score_factors`): 0-100."""
    return min(sum(points for _code, points, _facts in factors), 100)


def level_for(score, thresholds=None):
    """The level a score reaches."""
    thresholds = thresholds or DEFAULT_THRESHOLDS
    for level in ("blocked", "high", "medium"):
        if score >= thresholds[level]:
            return level
    return "low"


def effective_level(computed, override, override_until, today):
    """The level that applies: a manager's override until its expiry date
    (inclusive; none is for good), else the computed one."""
    if override and (not override_until or today <= override_until):
        return override
    return computed


def suggested_credit_limit(monthly_sales, score, rounding):
    """A credit limit from history: two months of the customer's average
    monthly sales over the last 12 months, less the score's share
    (a score of 40 keeps 60 %), rounded down to ``rounding`` (e.g. 100).

    :param monthly_sales: sales of each of the last 12 months
    :return: a Decimal, or None without any sale to go on
    """
    sales = [to_decimal(amount) for amount in monthly_sales]
    total = sum(sales, ZERO)
    if total <= 0:
        return None
    average = total / len(sales)
    limit = 2 * average * (100 - min(max(int(score), 0), 100)) / 100
    rounding = to_decimal(rounding)
    if rounding <= 0:
        raise ValueError("rounding must be positive")
    return quantize(limit, rounding, mode=ROUND_FLOOR)


def revetting_date(vetted_on, months):
    """When a customer vetted on ``vetted_on`` is due for vetting again:
    ``months`` later (the last day of a shorter month); None when never
    vetted or when vetting never expires (``months`` 0)."""
    if not vetted_on or not months:
        return None
    month_index = vetted_on.month - 1 + int(months)
    year, month = vetted_on.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(vetted_on.day, calendar.monthrange(year, month)[1]))


def approval_counts(state, expiry, today, approved, total):
    """Whether a manager's approval lets an order be confirmed: granted,
    not expired (``expiry`` is the last day it counts; none is not
    allowed), and for at least the order's total as it is now.

    :param approved: the amount approved, in the order's currency
    :param total: the order's total now, in the same currency (both
        Decimals or numbers, compared at the currency's precision by the
        caller rounding them)
    """
    if state != "granted" or not expiry or today > expiry:
        return False
    return to_decimal(approved) >= to_decimal(total)


def sale_hold(level, approved, paid_in_full):
    """What holds the confirmation of a customer's quotation, as a code:
    ``blocked`` (nothing lifts it but a lower level), ``approval`` (high
    or above: a receivables manager's approval, or the whole order paid
    online, lifts it), or None (nothing holds it)."""
    if at_least(level, "blocked"):
        return "blocked"
    if at_least(level, "high") and not approved and not paid_in_full:
        return "approval"
    return None
