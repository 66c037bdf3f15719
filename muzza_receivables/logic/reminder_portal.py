"""What a customer's reminder page shows and accepts: which of its invoices
are still open, the totals to pay per currency, and which invoices a
promise or a dispute sent back by the customer may name. No ORM here."""

from .money import ZERO, quantize, to_decimal

OPEN = "open"
PENDING = "pending"
PAID = "paid"
CREDITED = "credited"
WITHDRAWN = "withdrawn"
STATUSES = (OPEN, PENDING, PAID, CREDITED, WITHDRAWN)


def invoice_status(state, payment_state, residual_is_zero, payment_pending):
    """Where an invoice the reminder named stands now.

    :param state: the invoice's ``state`` (``posted``, ``draft``, ``cancel``)
    :param payment_state: its ``payment_state``
    :param residual_is_zero: nothing is left to pay on it
    :param payment_pending: an online payment of it is pending or authorized
    :return: one of :data:`STATUSES`; only ``open`` invoices are paid from
        the page (a pending payment is not paid twice).
    """
    if state != "posted":
        return WITHDRAWN
    if payment_state == "reversed":
        return CREDITED
    if payment_state in ("paid", "in_payment") or residual_is_zero:
        return PAID
    if payment_pending:
        return PENDING
    return OPEN


def totals_by_currency(items, roundings):
    """``[(currency, amount due, fees so far)]`` of the open invoices, one per
    currency in the order the currencies first appear, rounded to each
    currency's rounding.

    :param items: iterable of ``(currency, amount due, fees so far)``
    :param roundings: ``{currency: rounding}`` (e.g. ``Decimal('0.01')``)
    """
    totals = {}
    for currency, due, fee in items:
        total = totals.setdefault(currency, [ZERO, ZERO])
        total[0] += to_decimal(due)
        total[1] += to_decimal(fee)
    return [
        (currency, quantize(due, roundings[currency]), quantize(fee, roundings[currency]))
        for currency, (due, fee) in totals.items()
    ]


def chosen_invoices(posted, allowed):
    """The invoice ids a customer's form sent back, if they may all be
    named; None if any was tampered with (not an id, or not among
    ``allowed``) or none was chosen.

    :param posted: the raw values of the form (strings)
    :param allowed: the ids the page offered
    """
    ids = []
    for value in posted:
        text = str(value).strip()
        if not text.isdigit():
            return None
        number = int(text)
        if number not in allowed:
            return None
        if number not in ids:
            ids.append(number)
    return ids or None
