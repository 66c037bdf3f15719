"""The jobs behind scripts/run, scripts/test and scripts/i18n, one module each.

Standard library only (plus ``polib`` for i18n), so every job works, and
says what is missing, before Odoo is installed.
"""
