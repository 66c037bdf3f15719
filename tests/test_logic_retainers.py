import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from muzza_receivables.logic.retainers import (
    Ledger,
    allocate,
    budget_status,
    ledger,
    net_entries,
    period_index,
    period_start,
    periods_to_invoice,
    unapproved_amount,
)

D = datetime.date


def test_periods():
    assert period_start(D(2026, 1, 31), "month", 1) == D(2026, 2, 28)
    assert period_start(D(2026, 1, 31), "month", 2) == D(2026, 3, 31)
    assert period_start(D(2026, 11, 1), "quarter", 1) == D(2027, 2, 1)
    assert period_index(D(2026, 11, 1), "month", D(2026, 10, 31)) == -1
    assert period_index(D(2026, 11, 1), "month", D(2026, 12, 31)) == 1
    with pytest.raises(ValueError):
        period_start(D(2026, 1, 1), "week", 1)


def test_periods_to_invoice_ahead_of_each_period():
    start, end = D(2026, 12, 1), D(2027, 2, 28)
    assert periods_to_invoice(start, end, "month", D(2026, 11, 23), 7) == []
    assert periods_to_invoice(start, end, "month", D(2026, 11, 24), 7) == [0]
    assert periods_to_invoice(start, end, "month", D(2027, 1, 25), 7) == [0, 1, 2]
    assert periods_to_invoice(start, end, "month", D(2027, 6, 1), 7) == [0, 1, 2], "none after the end"
    assert periods_to_invoice(start, None, "month", D(2027, 6, 1), 0) == [0, 1, 2, 3, 4, 5, 6]


def test_balance_lost_or_carried_over():
    credits = [(0, Decimal(1000)), (1, Decimal(1000))]
    draws = [(0, Decimal(600))]
    # lost at the end of its period
    assert ledger(credits, draws, 1, 0) == (Decimal(1000), Decimal(400), Decimal(0))
    # carried over one period, then lost
    assert ledger(credits, draws, 1, 1) == (Decimal(1400), Decimal(0), Decimal(0))
    assert ledger(credits, draws, 2, 1) == (Decimal(1000), Decimal(400), Decimal(0))
    # oldest credit first
    assert ledger(credits, draws + [(1, Decimal(500))], 1, 1) == (Decimal(900), Decimal(0), Decimal(0))


def test_a_ledger_that_does_not_add_up_is_reported_not_raised():
    credits = [(0, Decimal(1000)), (1, Decimal(1000))]
    # drawn beyond its period's credit
    assert ledger(credits, [(0, Decimal(1500))], 0, 0) == Ledger(Decimal(0), Decimal(0), Decimal(500))
    # a period's payment undone after the work drew on it: no credit left
    assert ledger([], [(0, Decimal(600))], 0, 1) == Ledger(Decimal(0), Decimal(0), Decimal(600))
    # a draw read back in a later period, where its credit is no longer usable
    assert ledger(credits[:1], [(1, Decimal(600))], 1, 0) == Ledger(Decimal(0), Decimal(1000), Decimal(600))
    # before the start, or with a negative carry-over: no credit is usable
    assert ledger(credits, [(-1, Decimal(10))], 0, -2) == Ledger(Decimal(1000), Decimal(0), Decimal(10))
    # what is overdrawn leaves the later draws their own credits
    assert ledger(credits, [(0, Decimal(1200)), (1, Decimal(300))], 1, 1) == Ledger(
        Decimal(700), Decimal(0), Decimal(200)
    )
    # and nothing more is allocated than what is left
    assert allocate([], [(0, Decimal(600))], 0, 1, Decimal(100)) == []


def test_budget():
    assert budget_status(10000, 7999, Decimal("0.8")) == "ok"
    assert budget_status(10000, 8000, Decimal("0.8")) == "warn"
    assert budget_status(10000, 10000, Decimal("0.8")) == "warn"
    assert budget_status(10000, 10000.01, Decimal("0.8")) == "over"
    assert budget_status(0, 10**9, Decimal("0.8")) == "ok"


amounts = st.decimals(min_value=0, max_value=10**5, places=2)


@given(
    st.lists(amounts, min_size=1, max_size=6),
    st.lists(st.tuples(st.integers(0, 7), amounts), max_size=8),
    st.integers(0, 3),
)
def test_credit_is_conserved(credit_amounts, wanted_draws, carry):
    """Whatever is drawn, credited = drawn + available + expired + (credits of
    later periods); nothing is created or lost twice."""
    credits = list(enumerate(credit_amounts))
    draws = []
    for period, amount in sorted(wanted_draws):
        available = ledger(credits, draws, period, carry).available
        take = min(amount, available)
        if take > 0:
            draws.append((period, take))
    current = max([p for p, _ in draws] + [0])
    available, expired, overdrawn = ledger(credits, draws, current, carry)
    future = sum((a for p, a in credits if p > current), Decimal(0))
    assert overdrawn == 0, "drawing what is available never overdraws"
    assert sum(credit_amounts) == sum(a for _, a in draws) + available + expired + future


@given(
    st.lists(st.tuples(st.integers(-2, 7), amounts), max_size=6),
    st.lists(
        st.tuples(st.integers(-2, 9), st.decimals(min_value=-100, max_value=10**5, places=2)), max_size=8
    ),
    st.integers(-1, 3),
)
def test_any_ledger_is_read_without_raising_and_still_adds_up(credits, draws, carry):
    """Credits and draws that do not fit (a draw with no credit, a draw
    before the start, a credit gone after it was drawn on) never raise: the
    part of the draws nothing covered is reported, and credited = covered
    draws + available + expired."""
    current = max([p for p, _ in credits + draws] + [0])
    available, expired, overdrawn = ledger(credits, draws, current, carry)
    drawn = sum((a for _p, a in draws if a > 0), Decimal(0))
    assert 0 <= overdrawn <= drawn
    assert available >= 0 and expired >= 0
    assert sum((a for _p, a in credits), Decimal(0)) == drawn - overdrawn + available + expired
    takes = allocate(credits, draws, current, carry, Decimal(500))
    assert sum((t for _p, t in takes), Decimal(0)) == min(Decimal(500), available)


def test_allocate_draws_oldest_usable_credit_first():
    credits = [(0, Decimal(1000)), (1, Decimal(1000))]
    assert allocate(credits, [(0, Decimal(600))], 1, 1, Decimal(700)) == [
        (0, Decimal(400)),
        (1, Decimal(300)),
    ]
    assert allocate(credits, [(0, Decimal(600))], 1, 0, Decimal(700)) == [(1, Decimal(700))]
    assert allocate(credits, [], 1, 0, Decimal(5000)) == [(1, Decimal(1000))], "never more than is available"


@given(
    st.lists(amounts, min_size=1, max_size=5),
    st.lists(st.tuples(st.integers(0, 6), amounts), max_size=8),
    st.integers(0, 3),
)
def test_allocations_are_what_the_balance_says(credit_amounts, wanted, carry):
    credits = list(enumerate(credit_amounts))
    draws = []
    for period, amount in sorted(wanted):
        before = ledger(credits, draws, period, carry).available
        takes = allocate(credits, draws, period, carry, amount)
        taken = sum((t for _p, t in takes), Decimal(0))
        assert taken == min(amount, before)
        draws.append((period, taken))
        after = ledger(credits, draws, period, carry).available
        assert after == before - taken


def test_an_approval_covers_its_order_up_to_the_amount_approved():
    # nothing approved: all of it is checked
    assert unapproved_amount(Decimal(5000), []) == Decimal(5000)
    # one approved order of 3,000 invoiced with 2,000 of other work
    assert unapproved_amount(Decimal(5000), [(Decimal(3000), Decimal(0), Decimal(3000))]) == Decimal(2000)
    # the approved order grew: what it bills past the approval is not covered
    assert unapproved_amount(Decimal(30000), [(Decimal(30000), Decimal(0), Decimal(3000))]) == Decimal(27000)
    # ... nor what comes after an earlier invoice used the approval up
    assert unapproved_amount(Decimal(500), [(Decimal(500), Decimal(3000), Decimal(3000))]) == Decimal(500)
    # a credit note gives the approval back
    assert unapproved_amount(Decimal(500), [(Decimal(500), Decimal(0), Decimal(3000))]) == Decimal(0)
    # draws lower the invoice below its work: nothing left to check
    assert unapproved_amount(Decimal(1000), [(Decimal(3000), Decimal(0), Decimal(3000))]) == Decimal(0)


@given(
    amounts,
    st.lists(
        st.tuples(
            st.decimals(min_value=-1000, max_value=10**5, places=2),
            st.decimals(min_value=-1000, max_value=10**5, places=2),
            amounts,
        ),
        max_size=4,
    ),
)
def test_an_approval_never_covers_more_than_was_approved(total, approvals):
    rest = unapproved_amount(total, approvals)
    assert 0 <= rest <= total
    approved = sum((a for _h, _b, a in approvals), Decimal(0))
    assert rest >= total - approved, "approvals cover at most what they approved"
    assert unapproved_amount(total, approvals[:-1]) >= rest, "an approval more never checks more"


def test_credit_notes_cancel_what_their_invoice_counted():
    # a period invoiced, then credited: nothing left for it
    assert net_entries([(0, Decimal(1000)), (0, Decimal(-1000)), (1, Decimal(1000))]) == [(1, Decimal(1000))]
    # a credit note alone gives nothing back it did not take
    assert net_entries([(2, Decimal(-300))]) == []
    # partly credited, in key order
    assert net_entries([((5, 2), Decimal(300)), ((1, 9), Decimal(50)), ((5, 2), Decimal(-100))]) == [
        ((1, 9), Decimal(50)),
        ((5, 2), Decimal(200)),
    ]


@given(st.lists(st.tuples(st.integers(0, 5), st.decimals(min_value=-(10**5), max_value=10**5, places=2))))
def test_netted_entries_are_positive_and_never_more_than_was_entered(entries):
    netted = net_entries(entries)
    assert all(total > 0 for _key, total in netted)
    assert [key for key, _total in netted] == sorted({key for key, _total in netted})
    for key, total in netted:
        assert total == sum((a for k, a in entries if k == key), Decimal(0))
