"""What a customer's risk level does to a sale: the pure rules."""

import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from muzza_receivables.logic.risk import LEVELS, approval_counts, sale_hold

TODAY = datetime.date(2026, 3, 10)


@pytest.mark.parametrize(
    "state, expiry, approved, total, expected",
    [
        ("granted", TODAY, "100", "100", True),  # the last day counts
        ("granted", TODAY + datetime.timedelta(days=5), "150", "100", True),
        ("granted", TODAY - datetime.timedelta(days=1), "100", "100", False),  # expired
        ("granted", TODAY, "99.99", "100", False),  # the order grew past it
        ("granted", None, "100", "100", False),  # an approval always has an expiry
        ("requested", TODAY, "100", "100", False),
        ("refused", TODAY, "100", "100", False),
    ],
)
def test_approval_counts(state, expiry, approved, total, expected):
    assert approval_counts(state, expiry, TODAY, Decimal(approved), Decimal(total)) is expected


@given(
    st.decimals(min_value=0, max_value=10**6, places=2),
    st.decimals(min_value=0, max_value=10**6, places=2),
    st.integers(min_value=-30, max_value=30),
)
def test_approval_counts_only_within_amount_and_date(approved, total, days):
    expiry = TODAY + datetime.timedelta(days=days)
    assert approval_counts("granted", expiry, TODAY, approved, total) == (approved >= total and days >= 0)


@pytest.mark.parametrize(
    "level, approved, paid, expected",
    [
        ("low", False, False, None),
        ("medium", False, False, None),
        ("high", False, False, "approval"),
        ("high", True, False, None),
        ("high", False, True, None),  # the money is in
        ("blocked", True, True, "blocked"),  # nothing but a lower level lifts it
        (None, False, False, None),
    ],
)
def test_sale_hold(level, approved, paid, expected):
    assert sale_hold(level, approved, paid) == expected


@given(st.sampled_from(LEVELS), st.booleans(), st.booleans())
def test_sale_hold_never_lighter_at_a_worse_level(level, approved, paid):
    rank = {None: 0, "approval": 1, "blocked": 2}
    for worse in LEVELS[LEVELS.index(level) :]:
        assert rank[sale_hold(worse, approved, paid)] >= rank[sale_hold(level, approved, paid)]
