"""What automatic payment charges, and when: no ORM, only dates and Decimals.

An invoice is a list of instalments ``(due_date, residual)``: each unpaid
part of the invoice with its own due date (one for a plain invoice). A
customer's consent covers instalments falling due on or after the day it was
given; charging on the due date means taking, on a given day, every covered
instalment due that day or earlier (a run missed yesterday catches up today).
"""

import datetime
from decimal import Decimal

CHARGE = "charge"
NOTHING_DUE = "nothing_due"
ALREADY_ATTEMPTED = "already_attempted"
OVER_LIMIT = "over_limit"


def _check_date(value, name):
    if isinstance(value, datetime.datetime) or not isinstance(value, datetime.date):
        raise TypeError("%s must be a datetime.date, got %r" % (name, value))


def covered_instalments(instalments, consent_day):
    """The unpaid instalments a consent given on ``consent_day`` covers."""
    _check_date(consent_day, "consent_day")
    covered = []
    for due, residual in instalments:
        _check_date(due, "due date")
        if due >= consent_day and residual > 0:
            covered.append((due, Decimal(residual)))
    return sorted(covered)


def amount_to_charge(instalments, today, consent_day):
    """What to charge on ``today``: the covered instalments due by then.

    :param list instalments: ``(due_date, residual)`` pairs, residuals as
        Decimal in the invoice currency
    :rtype: Decimal
    """
    _check_date(today, "today")
    return sum(
        (residual for due, residual in covered_instalments(instalments, consent_day) if due <= today),
        Decimal(0),
    )


def upcoming_charges(instalments, today, consent_day):
    """The charges still to come, ``[(due_date, amount)]`` from ``today`` on."""
    _check_date(today, "today")
    return [
        (due, residual) for due, residual in covered_instalments(instalments, consent_day) if due >= today
    ]


def charge_key(instalments, today, consent_day):
    """``(last_due_date, amount)`` of what is due on ``today``, or None.

    Two equal instalments of one invoice are two charges; the same amount for
    the same instalments is one charge, however often it is looked at.
    """
    due = [d for d, _r in covered_instalments(instalments, consent_day) if d <= today]
    if not due:
        return None
    return (max(due), amount_to_charge(instalments, today, consent_day))


def charge_decision(key, limit, attempted_keys):
    """Whether to make the charge ``key`` (see :func:`charge_key`) now.

    A charge is never attempted twice for the same invoice, instalments and
    amount, so a key already in ``attempted_keys`` (whatever became of that
    attempt) is not tried again; an amount above the customer's ``limit`` per
    charge is not charged at all.

    :param tuple key: ``(last_due_date, amount)``, or None when nothing is due;
        the amount rounded to the invoice currency
    :param Decimal limit: the consent's maximum per charge, same currency
    :param attempted_keys: keys already attempted on this invoice
    :return: one of CHARGE, NOTHING_DUE, ALREADY_ATTEMPTED, OVER_LIMIT
    """
    if limit <= 0:
        raise ValueError("the limit per charge must be positive, got %r" % (limit,))
    if key is None or key[1] <= 0:
        return NOTHING_DUE
    amount = key[1]
    if (key[0], amount) in {(d, Decimal(a)) for d, a in attempted_keys}:
        return ALREADY_ATTEMPTED
    if amount > limit:
        return OVER_LIMIT
    return CHARGE
