import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from muzza_receivables.logic.aging import (
    age_items,
    average_days_late,
    bucket_bounds,
    bucket_index,
    countback_months,
    days_in_period,
    dso_countback,
)

D = datetime.date


@pytest.mark.parametrize(
    "days, expected",
    [(-5, 0), (0, 0), (1, 1), (30, 1), (31, 2), (60, 2), (90, 3), (120, 4), (121, 5), (5000, 5)],
)
def test_buckets_of_30_days(days, expected):
    assert bucket_index(days) == expected


def test_bounds_name_each_bucket():
    assert bucket_bounds(15, 2) == [(None, 0), (1, 15), (16, 30), (31, None)]


@pytest.mark.parametrize("args", [(0, 4), (30, 0), (2.5, 4), (-1, 4)])
def test_impossible_periods_are_refused(args):
    with pytest.raises(ValueError):
        bucket_index(3, *args)


@given(
    st.integers(-400, 4000),
    st.integers(1, 120),
    st.integers(1, 8),
)
def test_each_day_falls_in_the_bucket_its_bounds_say(days, period_days, periods):
    index = bucket_index(days, period_days, periods)
    low, high = bucket_bounds(period_days, periods)[index]
    assert (low is None or days >= low) and (high is None or days <= high)
    assert bucket_index(days + 1, period_days, periods) >= index


amounts = st.decimals(min_value=-10000, max_value=10000, places=2, allow_nan=False, allow_infinity=False)


dates = st.dates(D(2020, 1, 1), D(2027, 12, 31))


@given(st.lists(st.tuples(dates, amounts), max_size=30), st.integers(1, 90))
def test_buckets_add_up_to_the_balance(items, period_days):
    as_of = D(2026, 11, 23)
    totals = age_items(items, as_of, period_days)
    assert sum(totals, Decimal(0)) == sum((a for _d, a in items), Decimal(0))
    assert len(totals) == 6


def test_countback_months_walk_back_whole_months():
    assert countback_months(D(2026, 3, 10), 3) == [
        (D(2026, 3, 1), D(2026, 3, 10)),
        (D(2026, 2, 1), D(2026, 2, 28)),
        (D(2026, 1, 1), D(2026, 1, 31)),
    ]


def test_dso_countback_example():
    # owed 1,500 on 10 March: March sales so far 1,000 (10 days), February
    # 2,000 (28 days): all of March, and a quarter of February
    months = [(10, Decimal(1000)), (28, Decimal(2000))]
    assert dso_countback(Decimal(1500), months) == (Decimal(17), True)
    assert dso_countback(Decimal(0), months) == (Decimal(0), True)
    assert dso_countback(Decimal(5000), months) == (Decimal(38), False)
    # a month without sales counts whole
    assert dso_countback(Decimal(500), [(31, Decimal(0)), (30, Decimal(1000))]) == (Decimal(46), True)


@given(
    st.lists(st.tuples(st.integers(1, 31), st.decimals(0, 100000, places=2)), min_size=1, max_size=12),
    st.decimals(0, 500000, places=2),
    st.decimals(0, 500000, places=2),
)
def test_dso_grows_with_the_balance_and_stays_within_the_window(months, low, high):
    low, high = sorted((low, high))
    days_low, _ = dso_countback(low, months)
    days_high, complete = dso_countback(high, months)
    assert days_low <= days_high <= sum(d for d, _s in months)
    if complete:
        assert high <= sum(s for _d, s in months)


def test_countback_of_the_months_it_names():
    as_of = D(2026, 3, 10)
    months = [(days_in_period(a, b), Decimal(100)) for a, b in countback_months(as_of, 3)]
    assert [d for d, _s in months] == [10, 28, 31]
    assert dso_countback(Decimal(200), months) == (Decimal(38), True)


def test_average_days_late_is_weighted_and_early_counts_as_on_time():
    items = [
        (Decimal(300), D(2026, 1, 31), D(2026, 2, 10)),  # 10 days late
        (Decimal(100), D(2026, 1, 31), D(2026, 1, 20)),  # early: 0
    ]
    assert average_days_late(items) == Decimal("7.5")
    assert average_days_late([]) is None


@given(
    st.lists(
        st.tuples(st.decimals(1, 10000, places=2), dates, st.integers(-60, 400)),
        min_size=1,
        max_size=20,
    )
)
def test_average_days_late_lies_between_the_least_and_the_most_late(raw):
    items = [(a, due, due + datetime.timedelta(days=late)) for a, due, late in raw]
    lates = [max(late, 0) for _a, _d, late in raw]
    average = average_days_late(items)
    assert min(lates) <= average <= max(lates)
