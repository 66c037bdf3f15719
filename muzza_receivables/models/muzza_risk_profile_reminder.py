# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import models


class MuzzaRiskProfile(models.Model):
    """The reminders tell the risk checklist how many payment promises a
    customer broke."""

    _inherit = "muzza.risk.profile"

    def _muzza_broken_promises(self, company, partner_ids, since, today):
        counts = super()._muzza_broken_promises(company, partner_ids, since, today)
        for partner_id, count in (
            self.env["muzza.reminder.promise"]._muzza_broken_count(company, partner_ids, since, today).items()
        ):
            counts[partner_id] = counts.get(partner_id, 0) + count
        return counts
