import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from muzza_receivables.logic.dates import days_overdue

D = datetime.date


@pytest.mark.parametrize(
    "due, as_of, expected",
    [
        (D(2026, 12, 15), D(2026, 12, 14), 0),
        (D(2026, 12, 15), D(2026, 12, 15), 0),  # not late on the due date itself
        (D(2026, 12, 15), D(2026, 12, 16), 1),
        (D(2026, 12, 15), D(2027, 1, 14), 30),
        (D(2028, 2, 28), D(2028, 3, 1), 2),  # leap year
        (D(2027, 2, 28), D(2027, 3, 1), 1),
        (None, D(2026, 1, 1), 0),
    ],
)
def test_days_overdue_examples(due, as_of, expected):
    assert days_overdue(due, as_of) == expected


@pytest.mark.parametrize(
    "due, as_of",
    [
        (datetime.datetime(2026, 1, 1, 12), D(2026, 1, 5)),
        (D(2026, 1, 1), datetime.datetime(2026, 1, 5, 8)),
        ("2026-01-01", D(2026, 1, 5)),
    ],
)
def test_days_overdue_refuses_datetimes_and_strings(due, as_of):
    with pytest.raises(TypeError):
        days_overdue(due, as_of)


dates = st.dates(min_value=D(1990, 1, 1), max_value=D(2100, 12, 31))


@given(dates, dates)
def test_days_overdue_is_never_negative_and_counts_calendar_days(due, as_of):
    result = days_overdue(due, as_of)
    assert result >= 0
    if as_of > due:
        assert due + datetime.timedelta(days=result) == as_of
    else:
        assert result == 0


@given(dates, dates, st.integers(min_value=0, max_value=400))
def test_days_overdue_grows_one_a_day_once_late(due, as_of, extra):
    later = as_of + datetime.timedelta(days=extra)
    if later > D(9999, 1, 1):
        return
    assert days_overdue(due, later) >= days_overdue(due, as_of)
    if as_of >= due:
        assert days_overdue(due, later) == days_overdue(due, as_of) + extra
