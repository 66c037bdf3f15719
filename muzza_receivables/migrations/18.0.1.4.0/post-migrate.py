# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    """Payment reminders arrive: every company gets the main company's levels."""
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["muzza.reminder.level"]._muzza_copy_to(env["res.company"].search([]))
