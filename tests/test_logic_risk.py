import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from muzza_receivables.logic.risk import (
    DEFAULT_THRESHOLDS,
    LEVELS,
    at_least,
    effective_level,
    level_for,
    revetting_date,
    risk_score,
    score_factors,
    suggested_credit_limit,
    threshold_problems,
)

D = datetime.date

signs = st.lists(st.tuples(st.text(min_size=1, max_size=5), st.integers(0, 100)), max_size=6)
signals = st.fixed_dictionaries(
    {
        "paid_count": st.integers(0, 50),
        "late_count": st.integers(0, 50),
        "avg_days_late": st.one_of(st.none(), st.decimals(0, 400, places=1)),
        "overdue_amount": st.decimals(0, 10**7, places=2),
        "oldest_overdue_days": st.integers(0, 1000),
        "fee_invoices": st.integers(0, 20),
        "broken_promises": st.integers(0, 10),
        "final_notices": st.integers(0, 10),
        "exposure": st.decimals(0, 10**7, places=2),
        "credit_limit": st.decimals(0, 10**7, places=2),
        "phone_invalid": st.booleans(),
        "no_vat": st.booleans(),
        "no_address": st.booleans(),
        "vat_invalid": st.booleans(),
    }
)


def score(sign_list, facts):
    return risk_score(score_factors(sign_list, facts))


def test_the_example_of_the_issue_reads_as_it_adds_up():
    factors = score_factors([], {"paid_count": 5, "late_count": 3, "avg_days_late": Decimal(18)})
    # 20 x 3/5 x 3/5 = 7.2, plus 15 x 18/30 = 9: 16 points
    assert factors == [("late", 16, {"late": 3, "paid": 5, "days": 18})]
    assert risk_score(factors) == 16


def test_nothing_known_is_zero_and_low():
    assert score_factors([], {}) == []
    assert score([], {}) == 0
    assert level_for(0) == "low"


def test_each_factor_of_a_bad_customer():
    factors = score_factors(
        [("Bad references", 25)],
        {
            "paid_count": 10,
            "late_count": 10,
            "avg_days_late": 45,
            "overdue_amount": 1200,
            "oldest_overdue_days": 75,
            "fee_invoices": 2,
            "broken_promises": 1,
            "final_notices": 1,
            "exposure": 5000,
            "credit_limit": 4000,
            "no_address": True,
        },
    )
    points = {code: value for code, value, _facts in factors}
    assert points == {
        "sign": 25,
        "late": 35,  # 20 x 1 x 1 + 15 x 30/30
        "overdue": 25,  # 5 + 75 // 3 = 30, at most 25
        "fees": 8,
        "promises": 10,
        "notices": 10,
        "over_limit": 15,
        "no_address": 10,
    }
    assert risk_score(factors) == 100  # 138, at most 100
    assert [f[1] for f in factors] == sorted((f[1] for f in factors), reverse=True)


@given(signs, signals)
def test_the_score_is_bounded_and_deterministic(sign_list, facts):
    first = score(sign_list, facts)
    assert 0 <= first <= 100
    assert score(sign_list, facts) == first
    assert first == min(sum(points for _c, points, _f in score_factors(sign_list, facts)), 100)


@given(signs, signals, st.integers(0, 100))
def test_ticking_one_more_sign_never_lowers_the_score(sign_list, facts, weight):
    assert score([*sign_list, ("More", weight)], facts) >= score(sign_list, facts)


WORSE = {
    "late_count": lambda v: v + 1,
    "avg_days_late": lambda v: (v or 0) + 5,
    "overdue_amount": lambda v: v + 100,
    "oldest_overdue_days": lambda v: v + 10,
    "fee_invoices": lambda v: v + 1,
    "broken_promises": lambda v: v + 1,
    "final_notices": lambda v: v + 1,
    "exposure": lambda v: v + 1000,
    "phone_invalid": lambda v: True,
    "no_vat": lambda v: True,
    "no_address": lambda v: True,
    "vat_invalid": lambda v: True,
}


@pytest.mark.parametrize("signal", sorted(WORSE))
@given(sign_list=signs, facts=signals)
def test_a_worse_signal_never_lowers_the_score(signal, sign_list, facts):
    worse = dict(facts, **{signal: WORSE[signal](facts[signal])})
    if signal == "late_count":
        worse["paid_count"] = facts["paid_count"] + 1  # a late invoice is a paid one
    assert score(sign_list, worse) >= score(sign_list, facts)


@given(st.integers(0, 100), st.integers(0, 100))
def test_a_higher_score_never_gives_a_lower_level(low, high):
    low, high = sorted((low, high))
    assert LEVELS.index(level_for(low)) <= LEVELS.index(level_for(high))


def test_levels_start_at_their_thresholds():
    t = {"medium": 20, "high": 40, "blocked": 90}
    assert [level_for(s, t) for s in (19, 20, 39, 40, 89, 90, 100)] == [
        "low",
        "medium",
        "medium",
        "high",
        "high",
        "blocked",
        "blocked",
    ]
    assert threshold_problems(DEFAULT_THRESHOLDS) == []
    assert threshold_problems({"medium": 50, "high": 50, "blocked": 80}) == ["order"]
    assert threshold_problems({"medium": 0, "high": 50, "blocked": 101}) == ["range"]


def test_at_least():
    assert at_least("high", "high") and at_least("blocked", "high")
    assert not at_least("medium", "high")
    assert not at_least(False, "high") and not at_least("high", False)


def test_an_override_holds_until_its_expiry_inclusive():
    today = D(2026, 11, 24)
    assert effective_level("high", "low", today, today) == "low"
    assert effective_level("high", "low", D(2026, 11, 23), today) == "high"
    assert effective_level("high", "blocked", None, today) == "blocked"
    assert effective_level("medium", False, None, today) == "medium"


def test_the_suggested_limit_is_two_months_of_sales_less_the_score():
    months = [Decimal(1000)] * 6 + [Decimal(0)] * 6  # 6,000 in a year: 500 a month
    assert suggested_credit_limit(months, 0, 100) == Decimal(1000)
    assert suggested_credit_limit(months, 40, 100) == Decimal(600)
    assert suggested_credit_limit(months, 45, 100) == Decimal(500)  # 550, rounded down
    assert suggested_credit_limit([0] * 12, 0, 100) is None
    assert suggested_credit_limit(months, 100, 100) == Decimal(0)


@given(st.lists(st.decimals(0, 10**6, places=2), min_size=12, max_size=12), st.integers(0, 99))
def test_a_riskier_customer_never_gets_a_higher_limit(months, score_value):
    first = suggested_credit_limit(months, score_value, 100)
    second = suggested_credit_limit(months, score_value + 1, 100)
    assert (first is None) == (second is None)
    if first is not None:
        assert 0 <= second <= first


def test_vetting_again_months_later_on_the_last_day_of_a_short_month():
    assert revetting_date(D(2026, 1, 31), 1) == D(2026, 2, 28)
    assert revetting_date(D(2026, 11, 24), 12) == D(2027, 11, 24)
    assert revetting_date(D(2026, 11, 24), 3) == D(2027, 2, 24)
    assert revetting_date(None, 12) is None
    assert revetting_date(D(2026, 11, 24), 0) is None
