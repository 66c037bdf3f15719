"""Date arithmetic shared by invoices, reminders, fees and the aging report."""

import datetime


def days_overdue(due_date, as_of):
    """Return how many whole days ``as_of`` is past ``due_date``.

    An invoice is not overdue on its due date itself: the count is 0 up to and
    including the due date, 1 the day after, and so on. A missing due date
    counts as not overdue.

    :param datetime.date | None due_date: the date payment is due
    :param datetime.date as_of: the date to measure at (usually today in the
        user's time zone)
    :rtype: int
    """
    if not due_date:
        return 0
    for value in (due_date, as_of):
        # datetime is a subclass of date; mixing them would silently count
        # partial days, so refuse it.
        if isinstance(value, datetime.datetime) or not isinstance(value, datetime.date):
            raise TypeError("days_overdue() takes datetime.date values, got %r" % (value,))
    return max((as_of - due_date).days, 0)
