"""Late-fee arithmetic, against an independent day-by-day calculation."""

import datetime
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from muzza_receivables.logic.late_fees import (
    FeeTerms,
    days_of_delay,
    fee_example,
    fee_through,
    fee_to_charge,
    pay_by_date,
    quantize,
    statutory_rule,
    terms_problems,
)

D = datetime.date
CENT = Decimal("0.01")


def reference_fee(terms, amount, due, payments, through, rounding=CENT):
    """Day by day, the way the policy is written in words."""
    pay_by = due + datetime.timedelta(days=terms.grace_days)
    day = pay_by + datetime.timedelta(days=1)

    def unpaid_at_start(d):
        return max(amount - sum((a for p, a in payments if p < d), Decimal(0)), Decimal(0))

    if through < day or unpaid_at_start(day) <= 0:
        return Decimal(0)
    fee = terms.compensation
    if terms.kind == "fixed":
        fee += terms.fixed_amount
    elif terms.kind == "percent":
        fee += unpaid_at_start(day) * terms.percent / 100
    else:
        yearly = terms.rate * (12 if terms.rate_period == "month" else 1)
        while day <= through:
            fee += unpaid_at_start(day) * yearly / 100 / 365
            day += datetime.timedelta(days=1)
    if fee <= 0:
        return Decimal(0)  # nothing accrued: the minimum does not apply
    fee = max(fee, terms.min_amount)
    fee = (fee / rounding).quantize(Decimal(1), rounding=ROUND_HALF_UP) * rounding
    caps = [c for c in (terms.max_amount,) if c is not None]
    if terms.max_percent is not None:
        caps.append(amount * terms.max_percent / 100)
    if caps:
        cap = (min(caps) / rounding).quantize(Decimal(1), rounding=ROUND_FLOOR) * rounding
        fee = min(fee, cap)
    return fee


MONTHLY = FeeTerms(kind="interest", grace_days=5, rate=Decimal("1.5"), rate_period="month")


def test_pay_by_date_and_days_of_delay():
    assert pay_by_date(D(2026, 12, 15), 5) == D(2026, 12, 20)
    assert days_of_delay(D(2026, 12, 15), 5, D(2026, 12, 20)) == 0
    assert days_of_delay(D(2026, 12, 15), 5, D(2026, 12, 21)) == 1


def test_the_issue_example_monthly_interest_per_month_of_delay():
    # 1.5 % per month on EUR 1,250.00 is EUR 18.75 for each month of delay
    assert fee_example(MONTHLY, Decimal("1250.00"), CENT) == Decimal("18.75")
    # ... and a full year of delay (365 days) costs twelve of them
    due = D(2026, 12, 15)
    year_later = D(2026, 12, 20) + datetime.timedelta(days=365)
    assert fee_through(MONTHLY, Decimal(1250), due, [], year_later, CENT) == Decimal("225.00")


def test_nothing_is_owed_within_grace_or_when_paid_in_time():
    due = D(2026, 12, 15)
    assert fee_through(MONTHLY, Decimal(1000), due, [], D(2026, 12, 20), CENT) == 0
    paid = [(D(2026, 12, 20), Decimal(1000))]
    assert fee_through(MONTHLY, Decimal(1000), due, paid, D(2027, 6, 1), CENT) == 0


def test_paid_the_day_after_the_pay_by_date_is_one_day_late():
    due = D(2026, 12, 15)
    paid = [(D(2026, 12, 21), Decimal(1000))]
    one_day = Decimal(1000) * Decimal("0.18") / 365
    assert fee_through(MONTHLY, Decimal(1000), due, paid, D(2027, 6, 1), CENT) == quantize(one_day, CENT)


def test_partial_payments_reduce_interest_from_the_next_day():
    due = D(2026, 1, 1)
    terms = FeeTerms(kind="interest", rate=Decimal("36.5"), rate_period="year")  # 0.1 % a day
    payments = [(D(2026, 1, 5), Decimal(600))]
    # days 2..5 on 1000 (4 days), days 6..10 on 400 (5 days)
    assert fee_through(terms, Decimal(1000), due, payments, D(2026, 1, 10), CENT) == Decimal("6.00")


def test_statutory_rate_plus_compensation():
    # Spain, Ley 3/2004: reference rate 2.15 % + 8 points = 10.15 % a year, plus EUR 40
    terms = FeeTerms(kind="interest", rate=Decimal("10.15"), rate_period="year", compensation=Decimal(40))
    due = D(2026, 3, 1)
    fee = fee_through(terms, Decimal(5000), due, [], D(2026, 3, 31), CENT)
    assert fee == quantize(Decimal(40) + Decimal(5000) * Decimal("0.1015") * 30 / 365, CENT)


def test_statutory_rule_is_reference_rate_plus_eight_points_and_40_euros():
    rule = statutory_rule(2.15)
    assert (rule.kind, rule.rate_period, rule.rate) == ("interest", "year", Decimal("10.15"))
    assert (rule.compensation, rule.compensation_currency) == (Decimal(40), "EUR")
    assert statutory_rule(0).rate == Decimal(8)


@given(st.decimals(min_value=0, max_value=100, places=4))
def test_statutory_rate_is_always_exactly_eight_points_above_the_reference(reference):
    rule = statutory_rule(float(reference))
    assert rule.rate - reference == Decimal(8), "no float noise in the rate"
    assert rule.compensation == Decimal(40) and rule.compensation_currency == "EUR"
    terms = FeeTerms(
        kind=rule.kind, rate=rule.rate, rate_period=rule.rate_period, compensation=rule.compensation
    )
    assert terms_problems(terms) == []


def test_fixed_and_percent_fees_are_charged_once():
    due = D(2026, 1, 1)
    fixed = FeeTerms(kind="fixed", fixed_amount=Decimal(25))
    pct = FeeTerms(kind="percent", percent=Decimal(5))
    partial = [(D(2026, 1, 1), Decimal(500))]
    for through in (D(2026, 1, 2), D(2026, 9, 1)):
        assert fee_through(fixed, Decimal(1250), due, partial, through, CENT) == Decimal(25)
        # 5 % of what was still due on the first day late (750)
        assert fee_through(pct, Decimal(1250), due, partial, through, CENT) == Decimal("37.50")


def test_minimum_and_caps():
    due = D(2026, 1, 1)
    terms = FeeTerms(
        kind="interest", rate=Decimal(1), rate_period="month", min_amount=Decimal(10), max_amount=Decimal(50)
    )
    assert fee_through(terms, Decimal(100), due, [], D(2026, 1, 2), CENT) == Decimal(10)
    assert fee_through(terms, Decimal(100000), due, [], D(2027, 1, 1), CENT) == Decimal(50)
    pct_cap = FeeTerms(kind="interest", rate=Decimal(10), rate_period="month", max_percent=Decimal(15))
    assert fee_through(pct_cap, Decimal(200), due, [], D(2030, 1, 1), CENT) == Decimal(30)


def test_rounding_follows_the_currency():
    terms = FeeTerms(kind="percent", percent=Decimal("3.3"))
    assert fee_through(terms, Decimal(101), D(2026, 1, 1), [], D(2026, 2, 1), Decimal("0.05")) == Decimal(
        "3.35"
    )
    assert fee_through(terms, Decimal(101), D(2026, 1, 1), [], D(2026, 2, 1), Decimal(1)) == Decimal(3)


@pytest.mark.parametrize(
    "changes, code",
    [
        ({"rate": Decimal(-1)}, "negative_rate"),
        ({"grace_days": -1}, "negative_grace"),
        ({"min_amount": Decimal(20), "max_amount": Decimal(10)}, "cap_below_minimum"),
        ({"max_amount": Decimal(-5)}, "negative_amount"),
        ({"kind": "weekly"}, "kind"),
        ({"rate_period": "week"}, "rate_period"),
        ({"rate": Decimal(0)}, "nothing_charged"),
        ({"kind": "percent", "percent": Decimal(120)}, "percent_over_100"),
    ],
)
def test_bad_terms_are_reported(changes, code):
    values = {"kind": "interest", "rate": Decimal("1.5"), "rate_period": "month"}
    values.update(changes)
    assert code in terms_problems(FeeTerms(**values))


def test_valid_terms_have_no_problems_and_survive_a_round_trip():
    terms = FeeTerms(
        kind="interest",
        grace_days=3,
        rate=Decimal("10.15"),
        rate_period="year",
        compensation=Decimal(40),
        max_percent=Decimal(20),
    )
    assert terms_problems(terms) == []
    assert FeeTerms.from_dict(terms.as_dict()) == terms


# --- properties ---------------------------------------------------------------

money = st.decimals(min_value=Decimal("0.01"), max_value=Decimal(100000), places=2)
rates = st.decimals(min_value=Decimal(0), max_value=Decimal(30), places=2)
days = st.integers(min_value=0, max_value=800)
START = D(2026, 1, 1)


@st.composite
def terms_strategy(draw):
    kind = draw(st.sampled_from(["fixed", "percent", "interest"]))
    min_amount = draw(st.sampled_from([Decimal(0), Decimal(5), Decimal(40)]))
    max_amount = draw(
        st.one_of(st.none(), st.decimals(min_value=min_amount, max_value=Decimal(5000), places=2))
    )
    return FeeTerms(
        kind=kind,
        grace_days=draw(st.integers(min_value=0, max_value=30)),
        fixed_amount=draw(money),
        percent=draw(rates),
        rate=draw(rates),
        rate_period=draw(st.sampled_from(["month", "year"])),
        compensation=draw(st.sampled_from([Decimal(0), Decimal(40)])),
        min_amount=min_amount,
        max_amount=max_amount,
        max_percent=draw(
            st.one_of(st.none(), st.decimals(min_value=Decimal(1), max_value=Decimal(100), places=1))
        ),
    )


@st.composite
def payments_strategy(draw, amount):
    n = draw(st.integers(min_value=0, max_value=4))
    out = []
    for _ in range(n):
        out.append(
            (
                START + datetime.timedelta(days=draw(days)),
                draw(st.decimals(min_value=Decimal("0.01"), max_value=amount, places=2)),
            )
        )
    return out


@settings(max_examples=300, deadline=None)
@given(terms_strategy(), money, st.data(), days)
def test_fee_matches_the_day_by_day_reference(terms, amount, data, offset):
    payments = data.draw(payments_strategy(amount))
    through = START + datetime.timedelta(days=offset)
    got = fee_through(terms, amount, START, payments, through, CENT)
    assert abs(got - reference_fee(terms, amount, START, payments, through)) <= CENT
    # exact except for a sub-cent difference in the order of additions
    assert got == reference_fee(terms, amount, START, payments, through) or terms.kind == "interest"


@settings(max_examples=300, deadline=None)
@given(terms_strategy(), money, st.data(), days, days)
def test_fee_is_never_negative_never_above_cap_and_monotonic(terms, amount, data, d1, d2):
    payments = data.draw(payments_strategy(amount))
    early, late = sorted((START + datetime.timedelta(days=d1), START + datetime.timedelta(days=d2)))
    f_early = fee_through(terms, amount, START, payments, early, CENT)
    f_late = fee_through(terms, amount, START, payments, late, CENT)
    assert Decimal(0) <= f_early <= f_late
    caps = [c for c in (terms.max_amount,) if c is not None]
    if terms.max_percent is not None:
        caps.append(amount * terms.max_percent / 100)
    if caps:
        assert f_late <= min(caps)


@settings(max_examples=300, deadline=None)
@given(terms_strategy(), money, st.data(), st.lists(days, min_size=1, max_size=8))
def test_fees_charged_in_pieces_add_up_to_the_fee_charged_at_once(terms, amount, data, run_days):
    payments = data.draw(payments_strategy(amount))
    runs = sorted(START + datetime.timedelta(days=d) for d in run_days)
    charged = Decimal(0)
    for run in runs + runs[-1:]:  # the last run twice: the repeat charges nothing
        piece = fee_to_charge(terms, amount, START, payments, run, CENT, charged)
        assert piece >= 0
        charged += piece
    assert charged == fee_through(terms, amount, START, payments, runs[-1], CENT)


@settings(max_examples=200, deadline=None)
@given(terms_strategy(), money, st.data(), days)
def test_paying_something_never_increases_the_fee(terms, amount, data, offset):
    payments = data.draw(payments_strategy(amount))
    assume(payments)
    through = START + datetime.timedelta(days=offset)
    with_payments = fee_through(terms, amount, START, payments, through, CENT)
    assert with_payments <= fee_through(terms, amount, START, payments[:-1], through, CENT)
