"""Pure receivables arithmetic: no ORM, no database, no Odoo import.

Everything here takes and returns plain Python values (dates, decimals,
floats, tuples), so it can be tested exhaustively outside Odoo by the
top-level ``tests/`` folder. Models gather records, call these functions and
write the result.
"""
