# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import api, models
from odoo.tools import SQL


class MuzzaCronLock(models.AbstractModel):
    """Row locks for the module's scheduled actions.

    Every batch action here takes its records one at a time, each locked
    with ``FOR UPDATE SKIP LOCKED`` and committed on its own: a second worker
    running the same action skips what the first one holds, and a crash
    loses at most the record in hand.
    """

    _name = "muzza.cron.lock"
    _description = "Receivables: one-record-at-a-time locking for scheduled actions"

    @api.model
    def _lock(self, record):
        """Lock ``record`` for this transaction and reload it from the
        database; False when another worker holds it."""
        self.env.cr.execute(
            SQL(
                "SELECT id FROM %s WHERE id = %s FOR UPDATE SKIP LOCKED",
                SQL.identifier(record._table),
                record.id,
            )
        )
        if not self.env.cr.fetchone():
            return False
        record.invalidate_recordset()
        return True

    @api.model
    def _one_by_one(self, records):
        """Yield each of ``records`` this transaction could lock (see
        :meth:`_lock`); those another worker holds are skipped."""
        for record in records:
            if self._lock(record):
                yield record
