from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from muzza_receivables.logic.deposits import deposit_amount, deposit_problems, requires_deposit

CENT = Decimal("0.01")


@pytest.mark.parametrize(
    "total, kind, value, minimum, expected",
    [
        ("1200.00", "percentage", "30", "0", "360.00"),
        ("1200.00", "percentage", "30", "500", "500.00"),  # raised to the minimum
        ("300.00", "percentage", "30", "500", "300.00"),  # never above the order
        ("1000.00", "fixed", "250", "0", "250.00"),
        ("100.00", "fixed", "250", "0", "100.00"),
        ("333.33", "percentage", "33.333", "0", "111.11"),
        ("0.05", "percentage", "50", "0", "0.03"),  # half-up to the cent
        ("0", "percentage", "30", "100", "0.00"),
    ],
)
def test_deposit_amount_examples(total, kind, value, minimum, expected):
    assert deposit_amount(Decimal(total), kind, Decimal(value), Decimal(minimum), CENT) == Decimal(expected)


def test_deposit_amount_in_a_currency_without_cents():
    assert deposit_amount(Decimal(12345), "percentage", Decimal(10), Decimal(0), Decimal(1)) == 1235


@pytest.mark.parametrize(
    "kind, value, minimum, problems",
    [
        ("percentage", "30", "0", []),
        ("percentage", "-1", "0", ["negative"]),
        ("percentage", "120", "0", ["over_100"]),
        ("fixed", "0", "0", ["empty"]),
        ("fixed", "0", "-5", ["negative"]),
        ("weekly", "10", "0", ["kind"]),
    ],
)
def test_deposit_problems(kind, value, minimum, problems):
    assert deposit_problems(kind, Decimal(value), Decimal(minimum)) == problems


def test_bad_rules_are_refused():
    with pytest.raises(ValueError):
        deposit_amount(Decimal(100), "percentage", Decimal(-5), Decimal(0), CENT)
    with pytest.raises(ValueError):
        deposit_amount(Decimal(-100), "fixed", Decimal(5), Decimal(0), CENT)
    with pytest.raises(ValueError):
        requires_deposit("high_risk", {"new_client": True})


def test_who_pays():
    assert requires_deposit("all", {"new_client": False})
    assert requires_deposit("new_clients", {"new_client": True})
    assert not requires_deposit("new_clients", {"new_client": False})
    assert not requires_deposit("none", {"new_client": True})


money = st.decimals(min_value=0, max_value=10**7, places=2, allow_nan=False, allow_infinity=False)


@given(
    money, st.sampled_from(["percentage", "fixed"]), st.decimals(min_value=0, max_value=100, places=3), money
)
def test_deposit_is_between_the_minimum_and_the_order(total, kind, value, minimum):
    amount = deposit_amount(total, kind, value, minimum, CENT)
    assert 0 <= amount <= total
    assert amount >= min(minimum, total) - CENT / 2
    assert amount == amount.quantize(CENT)


@given(
    money,
    st.decimals(min_value=0, max_value=100, places=2),
    st.decimals(min_value=0, max_value=100, places=2),
)
def test_a_higher_percentage_never_asks_for_less(total, low, high):
    low, high = sorted((low, high))
    assert deposit_amount(total, "percentage", low, 0, CENT) <= deposit_amount(
        total, "percentage", high, 0, CENT
    )


# ----------------------------------------------------------------------------
# deducting a deposit from the invoices that follow it
# ----------------------------------------------------------------------------

from muzza_receivables.logic.deposits import deposit_deductions

money = st.decimals(min_value=0, max_value=100000, places=2)
TAX_KEYS = ("vat21", "vat0", "eco")


def test_a_deposit_is_deducted_under_its_own_taxes_first():
    takes = deposit_deductions(
        [("a", "vat21", Decimal(300)), ("b", "vat0", Decimal(50))],
        {"vat21": Decimal(200), "vat0": Decimal(100)},
    )
    assert takes == [("a", Decimal(200)), ("b", Decimal(50))]


def test_a_share_no_work_shares_taxes_with_is_deducted_from_what_is_left():
    # Odoo puts a fixed tax's share of the deposit on a line of its own
    takes = deposit_deductions(
        [("vat", "vat21", Decimal(300)), ("fixed", "none", Decimal(30))],
        {"vat21": Decimal(1000)},
    )
    assert takes == [("vat", Decimal(300)), ("fixed", Decimal(30))]


def test_a_final_invoice_deducts_all_that_is_left():
    takes = deposit_deductions([("a", "vat21", Decimal(300))], {"vat21": Decimal(200)}, final=True)
    assert takes == [("a", Decimal(300))]


@given(
    st.lists(st.tuples(st.sampled_from(TAX_KEYS), money), max_size=4),
    st.dictionaries(st.sampled_from(TAX_KEYS), money, max_size=3),
)
def test_deductions_never_exceed_the_deposit_nor_the_invoice(lines, bases):
    remaining = [(index, key, amount) for index, (key, amount) in enumerate(lines)]
    takes = dict(deposit_deductions(remaining, bases))
    for index, _key, amount in remaining:
        assert Decimal(0) <= takes.get(index, Decimal(0)) <= amount
    assert sum(takes.values(), Decimal(0)) <= sum(bases.values(), Decimal(0))
    # under each tax combination, never more than the invoice bills under it
    for key, base in bases.items():
        under = sum((takes.get(i, Decimal(0)) for i, k, _a in remaining if k == key), Decimal(0))
        assert under <= base


@pytest.mark.parametrize(
    "level, threshold, expected",
    [
        ("low", "high", False),
        ("medium", "high", False),
        ("high", "high", True),
        ("blocked", "high", True),
        ("medium", "medium", True),
        (None, "high", False),  # no file: low
        ("high", None, True),  # the rule's level defaults to high
        ("medium", None, False),
    ],
)
def test_requires_deposit_at_a_risk_level(level, threshold, expected):
    facts = {"new_client": False, "risk_level": level, "risk_threshold": threshold}
    assert requires_deposit("risk", facts) is expected


@given(st.sampled_from(["low", "medium", "high", "blocked"]), st.sampled_from(["medium", "high", "blocked"]))
def test_requires_deposit_by_risk_is_monotonic(level, threshold):
    levels = ["low", "medium", "high", "blocked"]
    facts = {"new_client": True, "risk_level": level, "risk_threshold": threshold}
    if requires_deposit("risk", facts):
        for worse in levels[levels.index(level) :]:
            assert requires_deposit("risk", dict(facts, risk_level=worse))
