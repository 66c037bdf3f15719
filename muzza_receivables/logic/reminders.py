"""Payment reminders: which level an invoice reached, what to send, what to
hold, when a customer may be written to, and what a promise to pay says.

No ORM here: the models gather the facts in sets, these functions decide.
"""

import datetime
from collections import namedtuple
from itertools import pairwise

# A reminder level: ``days`` relative to the due date (negative before, 0 on
# the day, positive after).
Level = namedtuple("Level", "id days")

# Why a reminder is held, strongest first: the first that applies is the one
# the log shows. Customer-wide reasons hold all of the customer's invoices.
CUSTOMER_HOLDS = ("excluded", "on_account", "bounced", "no_email")
INVOICE_HOLDS = ("dispute", "promise", "payment_pending", "autopay")
HOLDS = CUSTOMER_HOLDS + INVOICE_HOLDS


def _check_date(value, name):
    if isinstance(value, datetime.datetime) or not isinstance(value, datetime.date):
        raise TypeError("%s must be a datetime.date, got %r" % (name, value))


def sorted_levels(levels):
    """The levels by their days; two levels on the same day are refused."""
    levels = sorted(levels, key=lambda level: (level.days, level.id))
    for first, second in pairwise(levels):
        if first.days == second.days:
            raise ValueError("two reminder levels on day %s" % first.days)
    return levels


def reached_level(levels, due_date, invoice_date, today):
    """The highest level ``today`` has reached for an invoice due on
    ``due_date``, or None.

    A level on or before the due date ("3 days before", "on the due date")
    only counts when its day comes after the invoice was issued: an invoice
    issued two days before its due date gets no "due in 3 days" notice, and
    one due on issue gets no "due today" notice the day it is sent.

    :param levels: :class:`Level` tuples, in any order
    """
    _check_date(due_date, "due_date")
    _check_date(today, "today")
    if invoice_date is not None:
        _check_date(invoice_date, "invoice_date")
    reached = None
    for level in sorted_levels(levels):
        day = due_date + datetime.timedelta(days=level.days)
        if day > today:
            break
        if level.days <= 0 and invoice_date is not None and day <= invoice_date:
            continue
        reached = level
    return reached


def level_to_send(levels, due_date, invoice_date, today, last_sent_days):
    """The level to send today for an invoice, or None.

    Only the highest level reached is sent (after days without a run, it
    catches up with that level, not every level in a row), and only if it
    is higher than the last level sent for the invoice (``last_sent_days``:
    the days of that level, or None): a level is never sent twice, nor a
    lower one after a higher.
    """
    level = reached_level(levels, due_date, invoice_date, today)
    if level is None:
        return None
    if last_sent_days is not None and level.days <= last_sent_days:
        return None
    return level


def invoice_hold(facts):
    """Why an invoice's reminder is held, or None.

    :param facts: the set of reasons that apply to it (names of
        :data:`HOLDS`); the strongest wins.
    """
    for reason in HOLDS:
        if reason in facts:
            return reason
    return None


def promise_paused_until(promised_date, grace_days):
    """The last day a promise to pay pauses the reminders."""
    _check_date(promised_date, "promised_date")
    if grace_days < 0:
        raise ValueError("grace days cannot be negative")
    return promised_date + datetime.timedelta(days=grace_days)


def promise_problem(promised_date, today, max_days):
    """What is wrong with a promise to pay by ``promised_date`` made
    ``today``, or None: a date in the past, or beyond the company's limit."""
    _check_date(promised_date, "promised_date")
    _check_date(today, "today")
    if promised_date < today:
        return "past"
    if (promised_date - today).days > max_days:
        return "too_far"
    return None


def promise_state(promised_date, grace_days, today, all_paid):
    """``open``, ``kept`` or ``broken``: kept once everything promised is
    paid, broken once the pause is over and something is still due."""
    if all_paid:
        return "kept"
    if today > promise_paused_until(promised_date, grace_days):
        return "broken"
    return "open"


def within_window(local_hour, local_minute, hour_from, hour_to):
    """Whether a local time of day is inside the sending window
    ``[hour_from, hour_to)`` (hours as floats, 9.5 for 9:30). A window that
    ends before it starts spans midnight."""
    if not (0 <= hour_from <= 24 and 0 <= hour_to <= 24):
        raise ValueError("window hours must be between 0 and 24")
    now = local_hour + local_minute / 60.0
    if hour_from == hour_to:
        return False
    if hour_from < hour_to:
        return hour_from <= now < hour_to
    return now >= hour_from or now < hour_to


def window_problem(hour_from, hour_to):
    """What is wrong with a sending window, or None."""
    if not (0 <= hour_from < 24 and 0 < hour_to <= 24):
        return "range"
    if hour_from == hour_to:
        return "empty"
    return None


def group_messages(decisions):
    """One message per customer and level.

    :param decisions: ``(customer key, level, invoice id)`` triples
    :returns: ``{(customer key, level id): [invoice ids]}``, invoice ids
        sorted, in a stable order (by customer, then by level days)
    """
    messages = {}
    for key, level, invoice_id in sorted(decisions, key=lambda d: (d[0], d[1].days, d[2])):
        messages.setdefault((key, level.id), []).append(invoice_id)
    return messages
