import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from muzza_receivables.logic.autopay import (
    ALREADY_ATTEMPTED,
    CHARGE,
    NOTHING_DUE,
    OVER_LIMIT,
    amount_to_charge,
    charge_decision,
    charge_key,
    covered_instalments,
    upcoming_charges,
)

D = datetime.date
ONE = [(D(2026, 12, 15), Decimal("120.00"))]
THREE = [
    (D(2026, 12, 1), Decimal("100.00")),
    (D(2027, 1, 1), Decimal("100.00")),
    (D(2027, 2, 1), Decimal("50.50")),
]


@pytest.mark.parametrize(
    "instalments, today, consent, expected",
    [
        (ONE, D(2026, 12, 14), D(2026, 11, 1), "0"),  # not yet due
        (ONE, D(2026, 12, 15), D(2026, 11, 1), "120.00"),  # on the due date
        (ONE, D(2026, 12, 20), D(2026, 11, 1), "120.00"),  # a missed run catches up
        (ONE, D(2026, 12, 20), D(2026, 12, 16), "0"),  # fell due before the consent
        (ONE, D(2026, 12, 15), D(2026, 12, 15), "120.00"),  # consent given on the due date
        (THREE, D(2026, 12, 1), D(2026, 11, 1), "100.00"),
        (THREE, D(2027, 1, 1), D(2026, 11, 1), "200.00"),
        (THREE, D(2027, 1, 1), D(2026, 12, 2), "100.00"),
        (THREE, D(2027, 3, 1), D(2026, 11, 1), "250.50"),
        ([(D(2026, 12, 1), Decimal(0))], D(2026, 12, 1), D(2026, 11, 1), "0"),  # paid
    ],
)
def test_amount_to_charge(instalments, today, consent, expected):
    assert amount_to_charge(instalments, today, consent) == Decimal(expected)


def test_upcoming_charges_lists_covered_future_instalments():
    assert upcoming_charges(THREE, D(2027, 1, 1), D(2026, 12, 2)) == [
        (D(2027, 1, 1), Decimal("100.00")),
        (D(2027, 2, 1), Decimal("50.50")),
    ]
    assert upcoming_charges(THREE, D(2027, 2, 2), D(2026, 11, 1)) == []


def test_charge_key_names_the_instalments_and_amount_due():
    consent = D(2026, 11, 1)
    assert charge_key(THREE, D(2026, 11, 30), consent) is None
    assert charge_key(THREE, D(2026, 12, 5), consent) == (D(2026, 12, 1), Decimal("100.00"))
    # the next equal instalment is another charge: same amount, later date
    paid_first = [(d, Decimal(0) if d == D(2026, 12, 1) else r) for d, r in THREE]
    assert charge_key(paid_first, D(2027, 1, 1), consent) == (D(2027, 1, 1), Decimal("100.00"))
    # a run missed on the first instalment takes both at once
    assert charge_key(THREE, D(2027, 1, 1), consent) == (D(2027, 1, 1), Decimal("200.00"))


K = D(2026, 12, 15)


@pytest.mark.parametrize(
    "key, limit, attempted, expected",
    [
        (None, Decimal(100), [], NOTHING_DUE),
        ((K, Decimal(0)), Decimal(100), [], NOTHING_DUE),
        ((K, Decimal("100.00")), Decimal(100), [], CHARGE),  # the limit itself is allowed
        ((K, Decimal("100.01")), Decimal(100), [], OVER_LIMIT),
        ((K, Decimal("100.00")), Decimal(500), [(K, Decimal("100.00"))], ALREADY_ATTEMPTED),
        ((K, Decimal("60.00")), Decimal(500), [(K, Decimal("100.00"))], CHARGE),  # a new amount
        ((K, Decimal("100.00")), Decimal(500), [(D(2026, 11, 15), Decimal(100))], CHARGE),
        ((K, Decimal("900.00")), Decimal(500), [(K, Decimal(900))], ALREADY_ATTEMPTED),
    ],
)
def test_charge_decision(key, limit, attempted, expected):
    assert charge_decision(key, limit, attempted) == expected


def test_bad_input_is_refused():
    with pytest.raises(ValueError):
        charge_decision((K, Decimal(1)), Decimal(0), [])
    with pytest.raises(TypeError):
        amount_to_charge(ONE, datetime.datetime(2026, 12, 15, 10), D(2026, 11, 1))
    with pytest.raises(TypeError):
        covered_instalments([("2026-12-15", Decimal(1))], D(2026, 11, 1))


dates = st.dates(min_value=D(2025, 1, 1), max_value=D(2028, 12, 31))
instalment_lists = st.lists(
    st.tuples(dates, st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False)),
    max_size=6,
)


@given(instalment_lists, dates, dates)
def test_each_instalment_is_charged_on_exactly_one_day(instalments, consent, start):
    """Walking day by day, a charge is the instalments that became due that
    day; together they make every covered instalment, each taken once."""
    horizon = max([due for due, _ in instalments] + [start]) + datetime.timedelta(days=1)
    charged = Decimal(0)
    day = min(start, consent)
    previous = Decimal(0)
    while day <= horizon:
        due_by_now = amount_to_charge(instalments, day, consent)
        assert due_by_now >= previous  # never shrinks while nothing is paid
        charged += due_by_now - previous
        previous = due_by_now
        day += datetime.timedelta(days=1)
    assert charged == sum((r for _, r in covered_instalments(instalments, consent)), Decimal(0))
    assert all(due >= consent for due, _ in covered_instalments(instalments, consent))


amounts = st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False)


@given(
    dates,
    amounts,
    st.decimals(min_value="0.01", max_value=10**6, places=2, allow_nan=False),
    st.lists(st.tuples(dates, amounts), max_size=4),
)
def test_decision_never_charges_over_the_limit_or_twice(day, amount, limit, attempted):
    decision = charge_decision((day, amount), limit, attempted)
    if decision == CHARGE:
        assert 0 < amount <= limit
        assert (day, amount) not in attempted
        assert charge_decision((day, amount), limit, attempted + [(day, amount)]) == ALREADY_ATTEMPTED
