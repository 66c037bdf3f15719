# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import datetime

from odoo import api, fields, models


class ResCompany(models.Model):
    """The aging history: each company's snapshot at each month end."""

    _name = "res.company"
    _inherit = ["res.company", "muzza.cron.marked"]  # noqa: RUF012

    muzza_aging_snapshot_checked_on = fields.Date(
        string="Aging Snapshot Checked On",
        copy=False,
        readonly=True,
        help="Last day the aging-history action handled this company; it takes each company once a day.",
    )

    def _muzza_cron_marks(self):
        return super()._muzza_cron_marks() | {"muzza_aging_snapshot_checked_on"}

    @api.model
    def _cron_aging_snapshot(self, batch_size=None):
        """Take each company's aging snapshot at the last month end, once
        (see ``muzza.cron.batch``; the snapshot itself is taken once per
        month end, whatever runs again)."""
        return (
            self.env["muzza.cron.batch"]
            .sudo()
            ._run(
                "res.company",
                [],
                lambda company, today: self.env["muzza.aging.snapshot"]._take(
                    company, today.replace(day=1) - datetime.timedelta(days=1)
                ),
                "muzza_aging_snapshot_checked_on",
                self.env._("Taking the aging snapshot"),
                batch_size=batch_size,
            )
        )
