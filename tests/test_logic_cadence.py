import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from muzza_receivables.logic.cadence import cadence_problems, next_cadence_date

D = datetime.date


@pytest.mark.parametrize(
    "after, args, expected",
    [
        (D(2026, 11, 23), (14, "day"), D(2026, 12, 7)),
        (D(2026, 11, 23), (2, "week"), D(2026, 12, 7)),  # a Monday, two weeks on
        (D(2026, 11, 23), (2, "week", 4), D(2026, 12, 11)),  # ... on that week's Friday
        (D(2026, 11, 27), (1, "week", 0), D(2026, 11, 30)),  # Friday -> next Monday
        (D(2026, 1, 31), (1, "month"), D(2026, 2, 28)),
        (D(2026, 1, 15), (1, "month", None, 31), D(2026, 2, 28)),
        (D(2028, 1, 15), (1, "month", None, 31), D(2028, 2, 29)),
        (D(2026, 3, 20), (1, "month", None, 5), D(2026, 4, 5)),
    ],
)
def test_next_cadence_date_examples(after, args, expected):
    assert next_cadence_date(after, *args) == expected


@pytest.mark.parametrize(
    "args, code",
    [
        ((0, "day"), "interval"),
        ((1, "year"), "unit"),
        ((1, "day", 3), "weekday"),
        ((1, "month", None, 32), "monthday"),
    ],
)
def test_bad_cadences_are_reported_and_refused(args, code):
    assert code in cadence_problems(*args)
    with pytest.raises(ValueError):
        next_cadence_date(D(2026, 1, 1), *args)


@given(
    st.dates(min_value=D(2000, 1, 1), max_value=D(2090, 1, 1)),
    st.integers(min_value=1, max_value=12),
    st.sampled_from(["day", "week", "month"]),
    st.data(),
)
def test_next_date_is_after_and_lands_on_the_pinned_day(after, interval, unit, data):
    weekday = data.draw(st.one_of(st.none(), st.integers(0, 6))) if unit == "week" else None
    monthday = data.draw(st.one_of(st.none(), st.integers(1, 31))) if unit == "month" else None
    result = next_cadence_date(after, interval, unit, weekday, monthday)
    assert result > after
    if weekday is not None:
        assert result.weekday() == weekday
        assert (result - after).days <= 7 * (interval + 1)
    if monthday is not None:
        assert result.day == monthday or (result + datetime.timedelta(days=1)).day == 1
    if unit == "day":
        assert (result - after).days == interval
