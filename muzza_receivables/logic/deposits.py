"""Who pays a deposit, and how much: no ORM, only Decimals.

A deposit rule says who pays one (nobody, new clients, clients at or above
a risk level, or everyone under the contract) and how much: a percentage of
the order or a fixed amount, raised to a minimum and never above the order.
"""

from decimal import Decimal

from .money import quantize, to_decimal
from .risk import at_least

WHO = ("none", "new_clients", "risk", "all")
KINDS = ("percentage", "fixed")


def deposit_problems(kind, value, minimum):
    """What is wrong with a deposit rule's figures, as codes.

    ``negative``: a figure below zero; ``over_100``: a percentage above 100;
    ``kind``: an unknown kind; ``empty``: nothing would ever be asked.
    """
    problems = []
    if kind not in KINDS:
        problems.append("kind")
    if Decimal(value) < 0 or Decimal(minimum) < 0:
        problems.append("negative")
    if kind == "percentage" and Decimal(value) > 100:
        problems.append("over_100")
    if Decimal(value) <= 0 and Decimal(minimum) <= 0 and "negative" not in problems:
        problems.append("empty")
    return problems


def requires_deposit(who, facts):
    """Whether the customer described by ``facts`` pays a deposit.

    :param str who: the rule's "who pays" (one of ``WHO``)
    :param dict facts: what is known of the customer; ``new_client`` is True
        when they have no fully paid invoice yet; for the ``risk`` rule,
        ``risk_level`` (the customer's level, ``low`` when unknown) and
        ``risk_threshold`` (the rule's level, ``high`` when unset)
    """
    if who == "none":
        return False
    if who == "all":
        return True
    if who == "new_clients":
        return bool(facts["new_client"])
    if who == "risk":
        return at_least(facts.get("risk_level") or "low", facts.get("risk_threshold") or "high")
    raise ValueError("unknown deposit rule %r" % (who,))


def deposit_amount(order_total, kind, value, minimum, rounding):
    """The deposit to invoice for an order of ``order_total`` (taxes included).

    A percentage of the total, or a fixed amount; at least ``minimum``;
    never more than the order itself; rounded half-up to ``rounding`` (the
    currency's smallest unit).

    :rtype: Decimal
    """
    total, value, minimum, rounding = (to_decimal(x) for x in (order_total, value, minimum, rounding))
    problems = [p for p in deposit_problems(kind, value, minimum) if p != "empty"]
    if problems or total < 0 or rounding <= 0:
        raise ValueError("invalid deposit rule or order: %s" % ", ".join(problems or ["amounts"]))
    amount = total * value / 100 if kind == "percentage" else value
    amount = min(max(amount, minimum), total)
    return quantize(amount, rounding)


def deposit_deductions(remaining, bases, final=False):
    """How much of each deposit line an invoice deducts.

    A deposit is taken from the first invoices that follow it, until it is
    used up; each deposit line (one per tax combination, as Odoo splits down
    payments) is deducted from what the invoice bills under the same taxes,
    and a line no work shares taxes with (the share of a fixed tax) from
    whatever the invoice still bills, so no invoice goes
    below zero, and the deposit and the later invoices never bill more than
    the order. A final invoice (the user deducts the down payments, as Odoo
    does) deducts everything the deposit still holds, even beyond what it
    bills: the customer gets the difference back.

    :param remaining: ``[(key, tax_key, amount)]`` what each deposit line
        still holds (untaxed), in the order they are to be used
    :param dict bases: ``{tax_key: amount}`` what the invoice bills (untaxed)
        under each tax combination
    :param bool final: deduct all that is left
    :return: ``[(key, amount)]`` the positive amounts to deduct
    """
    if final:
        return [(key, to_decimal(amount)) for key, _tax_key, amount in remaining if to_decimal(amount) > 0]
    left = {tax_key: to_decimal(amount) for tax_key, amount in bases.items()}
    takes = {}
    order = []
    for key, tax_key, amount in remaining:
        order.append(key)
        take = min(to_decimal(amount), max(left.get(tax_key, Decimal(0)), Decimal(0)))
        if take > 0:
            takes[key] = take
            left[tax_key] -= take
    # a line whose taxes no work line has (the share of a fixed tax, which
    # Odoo keeps apart), from what is left of the invoice
    for key, tax_key, amount in remaining:
        if tax_key in bases:
            continue
        still = to_decimal(amount) - takes.get(key, Decimal(0))
        room = sum((v for v in left.values() if v > 0), Decimal(0))
        take = min(still, room)
        if take <= 0:
            continue
        takes[key] = takes.get(key, Decimal(0)) + take
        for tax_key in sorted(left, key=lambda k: -left[k]):
            used = min(left[tax_key], take)
            if used > 0:
                left[tax_key] -= used
                take -= used
    return [(key, takes[key]) for key in order if takes.get(key, Decimal(0)) > 0]


def deposit_state(asked, invoiced, paid, overridden):
    """Where an order's deposit stands.

    :param Decimal asked: the deposit the order asks for (0: none)
    :param Decimal invoiced: what its deposit invoices bill (credited ones
        excluded)
    :param Decimal paid: what the customer paid of it (on the invoices, or
        online when signing), rounded like ``invoiced``
    :param bool overridden: a manager started the work without it
    :return: "none", "to_invoice", "waiting", "paid" or "overridden"
    """
    if not asked and not invoiced:
        return "none"
    if invoiced and paid >= invoiced:
        return "paid"
    if overridden:
        return "overridden"
    return "waiting" if invoiced else "to_invoice"
