import datetime
from urllib.parse import parse_qs, unquote, urlparse

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from muzza_receivables.logic.phones import Phone, normalize, tel_link, whatsapp_link
from muzza_receivables.logic.reminders import (
    CUSTOMER_HOLDS,
    HOLDS,
    INVOICE_HOLDS,
    Level,
    group_messages,
    invoice_hold,
    level_to_send,
    promise_paused_until,
    promise_problem,
    promise_state,
    reached_level,
    sorted_levels,
    window_problem,
    within_window,
)

D = datetime.date
DAY = datetime.timedelta(days=1)

# the levels the module ships: 3 days before, on the due date, 7, 15, 30 after
DEFAULT = [Level(1, -3), Level(2, 0), Level(3, 7), Level(4, 15), Level(5, 30)]

dates = st.dates(D(2020, 1, 1), D(2030, 12, 31))
level_sets = st.lists(st.integers(-60, 120), min_size=1, max_size=8, unique=True).map(
    lambda days: [Level(i + 1, d) for i, d in enumerate(days)]
)


def days_of(level):
    return level.days if level else None


# ----------------------------------------------------------------------
# levels
# ----------------------------------------------------------------------


def test_sorted_levels_orders_by_days_and_refuses_two_on_a_day():
    assert [level.days for level in sorted_levels([Level(3, 7), Level(1, -3), Level(2, 0)])] == [-3, 0, 7]
    with pytest.raises(ValueError):
        sorted_levels([Level(1, 7), Level(2, 7)])


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (D(2026, 12, 6), None),
        (D(2026, 12, 7), -3),
        (D(2026, 12, 9), -3),
        (D(2026, 12, 10), 0),
        (D(2026, 12, 16), 0),
        (D(2026, 12, 17), 7),
        (D(2026, 12, 25), 15),
        (D(2027, 1, 8), 15),
        (D(2027, 1, 9), 30),
        (D(2028, 1, 1), 30),
    ],
)
def test_reached_level_by_day(today, expected):
    level = reached_level(DEFAULT, D(2026, 12, 10), D(2026, 11, 10), today)
    assert days_of(level) == expected


def test_levels_before_the_due_date_only_after_the_invoice_date():
    due = D(2026, 12, 10)
    # issued two days before its due date: no "due in 3 days" notice
    assert reached_level(DEFAULT, due, D(2026, 12, 8), D(2026, 12, 9)) is None
    assert days_of(reached_level(DEFAULT, due, D(2026, 12, 8), D(2026, 12, 10))) == 0
    # issued on the day of the "due in 3 days" notice: not that notice either
    assert reached_level(DEFAULT, due, D(2026, 12, 7), D(2026, 12, 7)) is None
    # issued the day before: the notice goes
    assert days_of(reached_level(DEFAULT, due, D(2026, 12, 6), D(2026, 12, 7))) == -3
    # due on issue: no "due today" the day it is issued, the first after-due level later
    assert reached_level(DEFAULT, due, due, due) is None
    assert days_of(reached_level(DEFAULT, due, due, due + 7 * DAY)) == 7
    # levels after the due date do not depend on the invoice date
    assert days_of(reached_level(DEFAULT, due, due + 20 * DAY, due + 20 * DAY)) == 15
    # no invoice date: every level counts
    assert days_of(reached_level(DEFAULT, due, None, due - 3 * DAY)) == -3


def test_reached_level_refuses_what_is_not_a_date():
    with pytest.raises(TypeError):
        reached_level(DEFAULT, datetime.datetime(2026, 12, 10), None, D(2026, 12, 10))
    with pytest.raises(TypeError):
        reached_level(DEFAULT, D(2026, 12, 10), "2026-11-01", D(2026, 12, 10))
    with pytest.raises(TypeError):
        reached_level(DEFAULT, D(2026, 12, 10), None, None)


def test_no_levels_reach_nothing():
    assert reached_level([], D(2026, 12, 10), None, D(2027, 12, 10)) is None
    assert level_to_send([], D(2026, 12, 10), None, D(2027, 12, 10), None) is None


@given(level_sets, dates, st.one_of(st.none(), dates), dates)
def test_reached_level_is_the_highest_level_whose_day_came(levels, due, invoice_date, today):
    level = reached_level(levels, due, invoice_date, today)

    def counts(lvl):
        day = due + datetime.timedelta(days=lvl.days)
        return day <= today and not (lvl.days <= 0 and invoice_date is not None and day <= invoice_date)

    eligible = [lvl for lvl in levels if counts(lvl)]
    if not eligible:
        assert level is None
    else:
        assert level == max(eligible, key=lambda lvl: lvl.days)


@given(level_sets, dates, st.one_of(st.none(), dates), dates, st.integers(0, 200))
def test_reached_level_is_monotonic_in_time(levels, due, invoice_date, today, later):
    first = reached_level(levels, due, invoice_date, today)
    second = reached_level(levels, due, invoice_date, today + datetime.timedelta(days=later))
    if first is not None:
        assert second is not None
        assert second.days >= first.days


@given(level_sets, dates, st.one_of(st.none(), dates), dates, st.one_of(st.none(), st.integers(-60, 120)))
def test_level_to_send_is_never_a_level_sent_or_lower(levels, due, invoice_date, today, last):
    level = level_to_send(levels, due, invoice_date, today, last)
    reached = reached_level(levels, due, invoice_date, today)
    if level is not None:
        # catch-up: the highest level reached, never one in between
        assert level == reached
        assert last is None or level.days > last
    else:
        assert reached is None or (last is not None and reached.days <= last)


@given(level_sets, dates, st.one_of(st.none(), dates), dates)
def test_sending_each_day_sends_each_level_at_most_once_in_rising_order(levels, due, invoice_date, start):
    """Day after day, recording what goes out as the last level sent: each
    level at most once, rising, and the last one reached in the end."""
    last = None
    sent = []
    day = start
    for _ in range(200):
        level = level_to_send(levels, due, invoice_date, day, last)
        if level is not None:
            sent.append(level.days)
            last = level.days
        day += DAY
    assert sent == sorted(set(sent))
    final = reached_level(levels, due, invoice_date, day - DAY)
    assert days_of(final) == (sent[-1] if sent else None)


@given(level_sets, dates, st.one_of(st.none(), dates), dates, st.integers(1, 90))
def test_a_gap_without_runs_catches_up_with_one_message(levels, due, invoice_date, start, gap):
    last = days_of(level_to_send(levels, due, invoice_date, start, None))
    later = level_to_send(levels, due, invoice_date, start + datetime.timedelta(days=gap), last)
    # one message at most, the highest level reached at the end of the gap
    end = start + datetime.timedelta(days=gap)
    if later is not None:
        assert later == reached_level(levels, due, invoice_date, end)
        # and the next day sends nothing lower nor the same again
        nxt = level_to_send(levels, due, invoice_date, end + DAY, later.days)
        assert nxt is None or nxt.days > later.days


def test_catch_up_after_a_month_down_is_the_highest_level_only():
    due = D(2026, 10, 31)
    assert days_of(level_to_send(DEFAULT, due, D(2026, 10, 1), D(2026, 12, 2), None)) == 30
    assert level_to_send(DEFAULT, due, D(2026, 10, 1), D(2026, 12, 3), 30) is None
    # the reminder of 7 days was sent; 20 days late: 15, not 7 again nor nothing
    assert days_of(level_to_send(DEFAULT, due, D(2026, 10, 1), due + 20 * DAY, 7)) == 15
    # a higher level sent by hand: a lower one is never sent after it
    assert level_to_send(DEFAULT, due, D(2026, 10, 1), due + 20 * DAY, 30) is None


# ----------------------------------------------------------------------
# holds
# ----------------------------------------------------------------------


def test_holds_are_customer_then_invoice_reasons():
    assert HOLDS == CUSTOMER_HOLDS + INVOICE_HOLDS
    assert len(set(HOLDS)) == len(HOLDS)


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        (set(), None),
        ({"autopay"}, "autopay"),
        ({"promise", "dispute"}, "dispute"),
        ({"payment_pending", "promise"}, "promise"),
        ({"autopay", "payment_pending"}, "payment_pending"),
        ({"dispute", "excluded"}, "excluded"),
        ({"bounced", "on_account"}, "on_account"),
        ({"no_email", "bounced"}, "bounced"),
        ({"unknown"}, None),
    ],
)
def test_invoice_hold_priority(facts, expected):
    assert invoice_hold(facts) == expected


@given(st.sets(st.sampled_from(HOLDS + ("other",))))
def test_invoice_hold_is_the_strongest_reason(facts):
    reason = invoice_hold(facts)
    known = [h for h in HOLDS if h in facts]
    if not known:
        assert reason is None
    else:
        assert reason == known[0]
        assert all(HOLDS.index(reason) <= HOLDS.index(other) for other in known)


# ----------------------------------------------------------------------
# promises to pay
# ----------------------------------------------------------------------


def test_promise_paused_until():
    assert promise_paused_until(D(2026, 12, 30), 3) == D(2027, 1, 2)
    assert promise_paused_until(D(2026, 12, 30), 0) == D(2026, 12, 30)
    with pytest.raises(ValueError):
        promise_paused_until(D(2026, 12, 30), -1)
    with pytest.raises(TypeError):
        promise_paused_until(datetime.datetime(2026, 12, 30), 3)


def test_promise_problem():
    today = D(2026, 12, 1)
    assert promise_problem(today, today, 30) is None
    assert promise_problem(D(2026, 12, 31), today, 30) is None
    assert promise_problem(D(2027, 1, 1), today, 30) == "too_far"
    assert promise_problem(D(2026, 11, 30), today, 30) == "past"


@given(dates, dates, st.integers(0, 120))
def test_promise_problem_property(promised, today, max_days):
    problem = promise_problem(promised, today, max_days)
    if promised < today:
        assert problem == "past"
    elif (promised - today).days > max_days:
        assert problem == "too_far"
    else:
        assert problem is None


def test_promise_state():
    promised = D(2026, 12, 15)
    assert promise_state(promised, 3, D(2026, 12, 18), False) == "open"
    assert promise_state(promised, 3, D(2026, 12, 19), False) == "broken"
    assert promise_state(promised, 3, D(2026, 12, 19), True) == "kept"
    assert promise_state(promised, 3, D(2026, 12, 1), True) == "kept"


@given(dates, st.integers(0, 30), dates, st.booleans())
def test_promise_state_property(promised, grace, today, all_paid):
    state = promise_state(promised, grace, today, all_paid)
    if all_paid:
        assert state == "kept"
    elif today > promised + datetime.timedelta(days=grace):
        assert state == "broken"
    else:
        assert state == "open"


# ----------------------------------------------------------------------
# the sending window
# ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hour", "minute", "hour_from", "hour_to", "expected"),
    [
        (8, 0, 8, 18, True),
        (7, 59, 8, 18, False),
        (17, 59, 8, 18, True),
        (18, 0, 8, 18, False),
        (9, 29, 9.5, 17.5, False),
        (9, 30, 9.5, 17.5, True),
        (17, 29, 9.5, 17.5, True),
        (17, 30, 9.5, 17.5, False),
        (23, 59, 0, 24, True),
        (0, 0, 0, 24, True),
        # spanning midnight: 22:00 to 6:00
        (22, 0, 22, 6, True),
        (23, 30, 22, 6, True),
        (0, 0, 22, 6, True),
        (5, 59, 22, 6, True),
        (6, 0, 22, 6, False),
        (12, 0, 22, 6, False),
        (21, 59, 22, 6, False),
        # an empty window: never
        (8, 0, 8, 8, False),
    ],
)
def test_within_window(hour, minute, hour_from, hour_to, expected):
    assert within_window(hour, minute, hour_from, hour_to) is expected


def test_within_window_refuses_hours_out_of_range():
    with pytest.raises(ValueError):
        within_window(8, 0, -1, 18)
    with pytest.raises(ValueError):
        within_window(8, 0, 8, 25)


minutes_of_day = st.integers(0, 24 * 60 - 1)
window_bounds = st.integers(0, 48).map(lambda half_hours: half_hours / 2)


@given(minutes_of_day, window_bounds, window_bounds)
def test_within_window_property(minute_of_day, hour_from, hour_to):
    assume(hour_from != hour_to)
    hour, minute = divmod(minute_of_day, 60)
    inside = within_window(hour, minute, hour_from, hour_to)
    now = minute_of_day / 60
    if hour_from < hour_to:
        assert inside == (hour_from <= now < hour_to)
    else:
        # the complement of the window from hour_to to hour_from
        assert inside == (not (hour_to <= now < hour_from))


@given(window_bounds, window_bounds)
def test_a_window_spanning_midnight_is_the_complement_of_the_reverse_window(hour_from, hour_to):
    assume(hour_from != hour_to and 0 < hour_from < 24 and 0 < hour_to < 24)
    for minute_of_day in range(0, 24 * 60, 15):
        hour, minute = divmod(minute_of_day, 60)
        assert within_window(hour, minute, hour_from, hour_to) != within_window(
            hour, minute, hour_to, hour_from
        )


@pytest.mark.parametrize(
    ("hour_from", "hour_to", "expected"),
    [
        (8, 18, None),
        (22, 6, None),
        (0, 24, None),
        (8, 8, "empty"),
        (24, 8, "range"),
        (8, 0, "range"),
        (-1, 8, "range"),
        (8, 24.5, "range"),
    ],
)
def test_window_problem(hour_from, hour_to, expected):
    assert window_problem(hour_from, hour_to) == expected


@given(window_bounds, window_bounds)
def test_a_window_without_problem_is_accepted_by_within_window(hour_from, hour_to):
    if window_problem(hour_from, hour_to) is None:
        within_window(12, 0, hour_from, hour_to)  # does not raise
        assert any(within_window(h, m, hour_from, hour_to) for h in range(24) for m in (0, 30))


# ----------------------------------------------------------------------
# one message per customer and level
# ----------------------------------------------------------------------


def test_group_messages_one_per_customer_and_level():
    seven, fifteen = Level(3, 7), Level(4, 15)
    messages = group_messages(
        [
            ("b", seven, 12),
            ("a", fifteen, 5),
            ("a", seven, 9),
            ("a", seven, 3),
            ("b", seven, 11),
        ]
    )
    assert messages == {("a", 3): [3, 9], ("a", 4): [5], ("b", 3): [11, 12]}
    assert list(messages) == [("a", 3), ("a", 4), ("b", 3)]
    assert group_messages([]) == {}


decisions = st.lists(
    st.tuples(st.integers(1, 5), st.sampled_from(DEFAULT), st.integers(1, 50)),
    unique_by=lambda d: d[2],
    max_size=30,
)


@given(decisions)
def test_group_messages_property(decisions):
    messages = group_messages(decisions)
    # every invoice in exactly one message, the one of its customer and level
    seen = [invoice for ids in messages.values() for invoice in ids]
    assert sorted(seen) == sorted(d[2] for d in decisions)
    for key, level, invoice_id in decisions:
        assert invoice_id in messages[(key, level.id)]
    # one message per customer and level, invoices sorted, stable order
    assert len(messages) == len({(d[0], d[1].id) for d in decisions})
    for ids in messages.values():
        assert ids == sorted(ids)
    days = {level.id: level.days for level in DEFAULT}
    order = [(key, days[level_id]) for key, level_id in messages]
    assert order == sorted(order)
    assert group_messages(list(reversed(decisions))) == messages


# ----------------------------------------------------------------------
# phones
# ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "country", "expected"),
    [
        # Spain: a mobile, a landline, written in every usual way
        ("612 34 56 78", "ES", Phone("+34612345678", True, True)),
        ("612345678", "es", Phone("+34612345678", True, True)),
        ("+34 612-34-56-78", None, Phone("+34612345678", True, True)),
        ("0034 612 34 56 78", "ES", Phone("+34612345678", True, True)),
        ("91 123 45 67", "ES", Phone("+34911234567", True, False)),
        # United States: numbers that can be a mobile or a landline
        ("(202) 555-0143", "US", Phone("+12025550143", True, True)),
        ("+1 415 555 2671", "MX", Phone("+14155552671", True, True)),
        ("415.555.2671", "US", Phone("+14155552671", True, True)),
        # Mexico: ten digits since 2019
        ("55 1234 5678", "MX", Phone("+525512345678", True, True)),
        ("+52 55 1234 5678", None, Phone("+525512345678", True, True)),
        # Mexico: mobiles as they were dialled until 2019-2020
        ("+52 1 55 1234 5678", None, Phone("+525512345678", True, True)),
        ("+52 1 55 1234 5678", "ES", Phone("+525512345678", True, True)),
        ("044 55 1234 5678", "MX", Phone("+525512345678", True, True)),
        ("045 33 1234 5678", "MX", Phone("+523312345678", True, True)),
        ("+52 1 00 1234 5678", None, Phone("", False, False)),
        ("+52 9 55 1234 5678", None, Phone("", False, False)),
        # invalid or unreadable
        ("12345", "ES", Phone("", False, False)),
        ("555-0143", "US", Phone("", False, False)),
        ("not a number", "ES", Phone("", False, False)),
        ("612 34 56 78", None, Phone("", False, False)),
        ("+99 123", None, Phone("", False, False)),
        # nothing to flag
        ("", "ES", Phone("", True, False)),
        (None, "ES", Phone("", True, False)),
        ("   ", None, Phone("", True, False)),
    ],
)
def test_normalize(number, country, expected):
    assert normalize(number, country) == expected


def test_a_number_in_another_country_keeps_its_own_prefix():
    # a Spanish mobile on a Mexican customer, written in full
    assert normalize("+34 612 34 56 78", "MX") == Phone("+34612345678", True, True)


def test_tel_link():
    assert tel_link("+34612345678") == "tel:+34612345678"
    assert tel_link("") == ""


def test_whatsapp_link():
    assert whatsapp_link("+34612345678") == "https://wa.me/34612345678"
    assert whatsapp_link("") == ""
    assert whatsapp_link("", "hello") == ""
    link = whatsapp_link(
        "+525512345678", "Factura INV/2026/0001: 1.234,50 € — ¿pagar? https://x.example/r/1?a=b&c=d"
    )
    parsed = urlparse(link)
    assert (parsed.scheme, parsed.netloc, parsed.path) == ("https", "wa.me", "/525512345678")
    # everything in the text is encoded: no raw space, &, ? or / in the query
    assert " " not in parsed.query and "/" not in parsed.query and "?" not in parsed.query
    assert parsed.query.count("&") == 0
    assert parse_qs(parsed.query) == {
        "text": ["Factura INV/2026/0001: 1.234,50 € — ¿pagar? https://x.example/r/1?a=b&c=d"]
    }


@given(st.text(min_size=1, max_size=200))
def test_whatsapp_link_text_round_trips(text):
    link = whatsapp_link("+14155552671", text)
    prefix = "https://wa.me/14155552671?text="
    assert link.startswith(prefix)
    encoded = link[len(prefix) :]
    assert unquote(encoded) == text
    assert all(char not in encoded for char in " &?#/+=")
