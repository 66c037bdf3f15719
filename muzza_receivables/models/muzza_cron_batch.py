# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import logging

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

# Records a scheduled action takes per batch, unless the system parameter
# muzza_receivables.cron_batch_size says otherwise.
DEFAULT_BATCH_SIZE = 50


class MuzzaCronBatch(models.AbstractModel):
    """The one way the module's scheduled actions run.

    Every action names its candidates (a domain) and a date field that marks
    a record as handled for the day; the candidates are those not marked
    today, so a record leaves the domain once handled and each run, re-run,
    second worker or run after a crash takes the next ones. Each record is
    locked (``FOR UPDATE SKIP LOCKED``: a second worker skips what the first
    one holds), handled in a savepoint and committed on its own, so a crash
    loses at most the record in hand. A record that fails is rolled back,
    marked for the day and noted in its chatter: it is tried again on a
    later day, after the records that wait longer, and never counts as
    progress. Progress is reported to Odoo (``_notify_progress``), which
    runs the action again until nothing is left.
    """

    _name = "muzza.cron.batch"
    _description = "Receivables: batches of the scheduled actions"

    @api.model
    def _batch_size(self, default=DEFAULT_BATCH_SIZE):
        value = self.env["ir.config_parameter"].sudo().get_param("muzza_receivables.cron_batch_size")
        try:
            return max(int(value), 1) if value else default
        except ValueError:
            return default

    @api.model
    def _run(
        self,
        records_model,
        domain,
        handle,
        mark_field,
        what,
        then=None,
        batch_size=None,
        notify=True,
        prepare=None,
    ):
        """Run one batch of a scheduled action; return how many records it
        handled successfully.

        :param str records_model: the model of the candidates
        :param list domain: the candidates, whatever their mark
        :param handle: ``handle(record, today)`` does the work for one record
            (in its company); it must not commit. Its result goes to ``then``.
        :param str mark_field: the Date field that marks a record as handled
            on a day (written here, on success and on failure)
        :param str what: what the action does to one record, for the log and
            the chatter ("Charging the late fee")
        :param then: ``then(record, result)``, called once the record's work
            is committed (to ask a payment provider, say), then committed too
        :param bool notify: report the progress to Odoo (an action made of
            several runs reports their sum itself)
        :param prepare: ``prepare(records, today)``, called once per batch
            with the records this worker could lock, before each is handled
            (to render their documents at once, say); a failure there is
            logged and each record is then handled on its own
        """
        cr = self.env.cr
        today = fields.Date.context_today(self)
        Model = self.env[records_model]
        todo = expression.AND([domain, ["|", (mark_field, "=", False), (mark_field, "<", today)]])
        size = batch_size or self._batch_size()
        done = 0
        skipped = []  # held by another worker
        while True:
            batch = Model.search(
                expression.AND([todo, [("id", "not in", skipped)]]),
                order="%s asc nulls first, id" % mark_field,
                limit=size,
            )
            if prepare and batch:
                try:
                    with cr.savepoint():
                        prepare(self._lock_set(batch), today)
                except Exception:
                    _logger.exception("%s: preparing a batch of %s failed", what, len(batch))
            for record in batch:
                if not self._lock(record):
                    skipped.append(record.id)
                    continue
                if not record.filtered_domain(todo):
                    continue  # handled meanwhile by another worker
                if "company_id" in record._fields and record.company_id:
                    record = record.with_company(record.company_id)
                try:
                    with cr.savepoint():
                        result = handle(record, today)
                        record.sudo().write({mark_field: today})
                except Exception as error:
                    _logger.exception("%s failed for %s", what, record.display_name)
                    self._mark_failed(record, mark_field, today, what, error)
                    cr.commit()  # pylint: disable=invalid-commit
                    continue
                cr.commit()  # pylint: disable=invalid-commit
                if then:
                    then(record, result)
                    cr.commit()  # pylint: disable=invalid-commit
                done += 1
            # a batch that only failed: the failures left the domain, take
            # the next records rather than end the run without progress
            if done or len(batch) < size:
                break
        if notify:
            remaining = Model.search_count(expression.AND([todo, [("id", "not in", skipped)]]))
            self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        return done

    @api.model
    def _batch_size_for(self, action, default):
        """The set size of a set-based action, unless the system parameter
        ``muzza_receivables.cron_batch_size_<action>`` says otherwise."""
        value = (
            self.env["ir.config_parameter"].sudo().get_param("muzza_receivables.cron_batch_size_%s" % action)
        )
        try:
            return max(int(value), 1) if value else default
        except ValueError:
            return default

    @api.model
    def _run_sets(
        self, records_model, domain, handle_set, mark_field, what, batch_size=None, today=None, notify=True
    ):
        """Run a set-based scheduled action: like :meth:`_run`, but each
        batch of candidates is handled at once (``handle_set(records,
        today)``, a fixed number of queries per set), locked, marked and
        committed together. A set that fails is halved, again and again,
        so that only the records that fail on their own are marked as
        failed and the others are done. Return how many records were
        handled.

        :param today: the day the records are handled for (by default, today
            in the user's time zone; an action whose records live in other
            time zones runs once per local day)
        :param bool notify: report the progress to Odoo (an action made of
            several runs reports their sum itself)
        """
        cr = self.env.cr
        today = today or fields.Date.context_today(self)
        Model = self.env[records_model]
        todo = expression.AND([domain, ["|", (mark_field, "=", False), (mark_field, "<", today)]])
        size = batch_size or self._batch_size()
        done = 0
        skipped = []
        while True:
            batch = Model.search(
                expression.AND([todo, [("id", "not in", skipped)]]),
                order="%s asc nulls first, id" % mark_field,
                limit=size,
            )
            if not batch:
                break
            locked = self._lock_set(batch)
            skipped += (batch - locked).ids
            # still to do once locked (one query, whatever the set's size)
            records = Model.search(expression.AND([todo, [("id", "in", locked.ids)]]), order="id")
            done += self._handle_set(records, handle_set, mark_field, what, today)
            cr.commit()  # pylint: disable=invalid-commit
            # what the set read is committed: the next set starts from an
            # empty cache (memory stays flat however many sets)
            self.env.invalidate_all()
            if len(batch) < size:
                break
        if notify:
            remaining = Model.search_count(expression.AND([todo, [("id", "not in", skipped)]]))
            self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        return done

    @api.model
    def _handle_set(self, records, handle_set, mark_field, what, today):
        """Handle ``records`` at once; when that fails, each half again, down
        to the records that fail on their own (marked as failed): a few
        failures cost a few sets more, not a run one record at a time."""
        if not records:
            return 0
        try:
            with self.env.cr.savepoint():
                handle_set(records, today)
                self._mark_set(records, mark_field, today)
            return len(records)
        except Exception as error:
            if len(records) == 1:
                _logger.exception("%s failed for %s", what, records.display_name)
                self._mark_failed(records, mark_field, today, what, error)
                return 0
            _logger.warning("%s failed for a set of %s records; halving it", what, len(records))
        half = len(records) // 2
        return self._handle_set(records[:half], handle_set, mark_field, what, today) + self._handle_set(
            records[half:], handle_set, mark_field, what, today
        )

    @api.model
    def _mark_set(self, records, mark_field, today):
        """Mark a whole set as handled today, in one query (Odoo's write
        updates a thousand rows at a time)."""
        records.flush_recordset([mark_field])
        self.env.cr.execute(
            SQL(
                "UPDATE %s SET %s = %s WHERE id = ANY(%s)",
                SQL.identifier(records._table),
                SQL.identifier(mark_field),
                today,
                records.ids,
            )
        )
        records.invalidate_recordset([mark_field])

    @api.model
    def _lock_set(self, records):
        """Lock those of ``records`` no other worker holds, and reload them."""
        self.env.cr.execute(
            SQL(
                "SELECT id FROM %s WHERE id = ANY(%s) FOR UPDATE SKIP LOCKED",
                SQL.identifier(records._table),
                records.ids,
            )
        )
        locked = records.browse([row[0] for row in self.env.cr.fetchall()])
        locked.invalidate_recordset()
        return locked

    @api.model
    def _mark_failed(self, record, mark_field, today, what, error):
        """Mark ``record`` as handled today, and say why nothing was done."""
        with self.env.cr.savepoint():
            record.sudo().write({mark_field: today})
            if hasattr(record, "message_post"):
                record.message_post(
                    body=self.env._(
                        "%(what)s failed: %(error)s. The scheduled action tries again on a later day.",
                        what=what,
                        error=str(error) or type(error).__name__,
                    ),
                    subtype_xmlid="mail.mt_note",
                )

    @api.model
    def _refuse_marks(self, vals, marks):
        """The marks of the scheduled actions are theirs: a "handled on" date
        written into the future would silently stop an action on a record
        (a waiver without a manager, a reason or a trace)."""
        if not self.env.su and set(marks) & set(vals):
            raise UserError(
                self.env._(
                    "The scheduled actions' own marks (%(fields)s) are kept by the module, "
                    "not written by hand.",
                    fields=", ".join(sorted(set(marks) & set(vals))),
                )
            )

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


class MuzzaCronMarked(models.AbstractModel):
    """Records a scheduled action marks as handled for the day: the marks
    are the actions' own. A "handled on" date written into the future would
    silently stop an action on a record (a waiver without a manager, a
    reason or a trace), so nobody but the system writes them. Each feature
    names its marks in ``_muzza_cron_marks``."""

    _name = "muzza.cron.marked"
    _description = "Receivables: records the scheduled actions mark"

    def _muzza_cron_marks(self):
        return set()

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self.env["muzza.cron.batch"]._refuse_marks(vals, self._muzza_cron_marks())
        return super().create(vals_list)

    def write(self, vals):
        self.env["muzza.cron.batch"]._refuse_marks(vals, self._muzza_cron_marks())
        return super().write(vals)
