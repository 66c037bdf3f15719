# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    """Customer risk arrives: every company gets the main company's warning signs."""
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["muzza.risk.sign"]._muzza_copy_to(env["res.company"].search([]))
