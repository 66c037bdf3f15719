"""Money helpers: Decimals from Odoo's floats, and currency rounding."""

from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal(0)


def to_decimal(value):
    """Decimal from a float/int/str/Decimal, through its shortest repr."""
    if value is None or value is False:
        return ZERO
    if isinstance(value, Decimal):
        return value
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


def quantize(value, rounding, mode=ROUND_HALF_UP):
    """Round ``value`` to a multiple of ``rounding`` (a currency's rounding,
    e.g. Decimal('0.01') or Decimal('0.05')), half up like Odoo's
    ``currency.round``."""
    rounding = to_decimal(rounding)
    if rounding <= 0:
        raise ValueError("rounding must be positive")
    return (to_decimal(value) / rounding).quantize(Decimal(1), rounding=mode) * rounding
