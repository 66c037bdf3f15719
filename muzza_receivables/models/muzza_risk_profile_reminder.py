# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import models
from odoo.tools import SQL


class MuzzaRiskProfile(models.Model):
    """The reminders tell the risk checklist how many payment promises a
    customer broke, and how many reminders reached a level that raises the
    risk."""

    _inherit = "muzza.risk.profile"

    def _muzza_broken_promises(self, company, partner_ids, since, today):
        counts = super()._muzza_broken_promises(company, partner_ids, since, today)
        for partner_id, count in (
            self.env["muzza.reminder.promise"]._muzza_broken_count(company, partner_ids, since, today).items()
        ):
            counts[partner_id] = counts.get(partner_id, 0) + count
        return counts

    def _muzza_final_notices(self, company, partner_ids, since, today):
        counts = super()._muzza_final_notices(company, partner_ids, since, today)
        self.env["muzza.reminder"].flush_model(["partner_id", "company_id", "level_id", "state", "date"])
        self.env.cr.execute(
            SQL(
                """
                SELECT r.partner_id, COUNT(*)
                  FROM muzza_reminder r
                  JOIN muzza_reminder_level l ON l.id = r.level_id AND l.raise_risk
                 WHERE r.company_id = %s AND r.partner_id = ANY(%s) AND r.state IN ('sent', 'bounced')
                   AND r.date >= %s AND r.date <= %s
                 GROUP BY r.partner_id
                """,
                company.id,
                list(partner_ids),
                since,
                today,
            )
        )
        for partner_id, count in self.env.cr.fetchall():
            counts[partner_id] = counts.get(partner_id, 0) + count
        return counts
