# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import fields, models


class ResPartner(models.Model):
    """Retainers: the customer's agreements."""

    _inherit = "res.partner"

    muzza_retainer_ids = fields.One2many("muzza.retainer", "partner_id", string="Retainers")
