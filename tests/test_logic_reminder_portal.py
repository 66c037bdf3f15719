from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from muzza_receivables.logic.reminder_portal import (
    CREDITED,
    OPEN,
    PAID,
    PENDING,
    STATUSES,
    WITHDRAWN,
    chosen_invoices,
    invoice_status,
    totals_by_currency,
)


@pytest.mark.parametrize(
    "state, payment_state, zero, pending, expected",
    [
        ("posted", "not_paid", False, False, OPEN),
        ("posted", "partial", False, False, OPEN),
        ("posted", "not_paid", False, True, PENDING),
        ("posted", "partial", False, True, PENDING),
        ("posted", "in_payment", True, False, PAID),
        ("posted", "paid", True, True, PAID),
        ("posted", "not_paid", True, False, PAID),  # rounding left nothing
        ("posted", "reversed", True, False, CREDITED),
        ("cancel", "not_paid", False, False, WITHDRAWN),
        ("draft", "not_paid", False, True, WITHDRAWN),
    ],
)
def test_invoice_status(state, payment_state, zero, pending, expected):
    assert invoice_status(state, payment_state, zero, pending) == expected


@given(
    st.sampled_from(["posted", "draft", "cancel"]),
    st.sampled_from(["not_paid", "partial", "in_payment", "paid", "reversed", "blocked"]),
    st.booleans(),
    st.booleans(),
)
def test_only_a_posted_invoice_with_something_left_and_no_pending_payment_is_open(
    state, payment_state, zero, pending
):
    status = invoice_status(state, payment_state, zero, pending)
    assert status in STATUSES
    assert (status == OPEN) == (
        state == "posted"
        and payment_state not in ("paid", "in_payment", "reversed")
        and not zero
        and not pending
    )


def test_totals_by_currency_keep_the_order_and_round():
    roundings = {"USD": Decimal("0.01"), "CHF": Decimal("0.05")}
    items = [("USD", 100.1, 0.0), ("CHF", 10.02, 1.0), ("USD", 0.2, 2.345)]
    assert totals_by_currency(items, roundings) == [
        ("USD", Decimal("100.30"), Decimal("2.35")),
        ("CHF", Decimal("10.00"), Decimal("1.00")),
    ]
    assert totals_by_currency([], roundings) == []


cents = st.integers(min_value=0, max_value=10**9).map(lambda n: Decimal(n) / 100)


@given(st.lists(st.tuples(st.sampled_from(["EUR", "USD"]), cents, cents), max_size=30))
def test_totals_add_up_exactly_per_currency(items):
    roundings = {"EUR": Decimal("0.01"), "USD": Decimal("0.01")}
    totals = totals_by_currency(items, roundings)
    assert [currency for currency, _due, _fee in totals] == list(dict.fromkeys(c for c, _d, _f in items))
    for currency, due, fee in totals:
        assert due == sum((d for c, d, _f in items if c == currency), Decimal(0))
        assert fee == sum((f for c, _d, f in items if c == currency), Decimal(0))


@pytest.mark.parametrize(
    "posted, expected",
    [
        (["3"], [3]),
        (["3", "5", "3"], [3, 5]),
        ([" 5 "], [5]),
        ([], None),
        (["7"], None),  # not in the reminder
        (["3", "7"], None),  # one tampered id refuses them all
        (["3x"], None),
        (["-3"], None),
        ([""], None),
    ],
)
def test_chosen_invoices(posted, expected):
    assert chosen_invoices(posted, {3, 5}) == expected


@given(st.lists(st.integers(min_value=-5, max_value=20).map(str), max_size=8), st.sets(st.integers(0, 10)))
def test_chosen_invoices_never_names_an_invoice_not_allowed(posted, allowed):
    chosen = chosen_invoices(posted, allowed)
    if chosen is not None:
        assert chosen and set(chosen) <= allowed
        assert chosen == list(dict.fromkeys(int(p) for p in posted))
    else:
        assert not posted or any(not p.isdigit() or int(p) not in allowed for p in posted)
