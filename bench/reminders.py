"""Time the payment reminders: the run that decides and queues them, a second run, delivery; OCA; the floor.

    /opt/odoo-venv/bin/python bench/reminders.py --db bench_rem_20k --db bench_rem_100k [--sample 200]
    /opt/odoo-venv/bin/python bench/reminders.py --db bench_rem_20k_oca --oca [--sample 200]

For each database (updated first: ``-u muzza_receivables``, unless
``--no-update``), today (a working day; the company's sending window set to
the whole day, 0 to 24 h, so every customer's time zone is inside it):

- **decide**: ``muzza.reminder._cron_decide_reminders()`` from a clean state
  (every ``muzza.reminder*`` record, and everything the runs added to the
  mail tables since the first one, deleted and committed before each run):
  each customer's reminder file opened, the invoices that reached a new
  level today found, a ``muzza.reminder`` queued (or held) per customer and
  level with a line per invoice; the median of 3 runs after a warm-up, its
  SQL queries (``odoo.sql_db.sql_counter``), the sets the batch helper
  committed, and the peak of Python memory (tracemalloc, a run on its own);
- **second run**: the same again the same day, nothing left to do;
- **deliver**: ``_cron_deliver_reminders()`` on a sample of the queued
  reminders (``--sample``, the others parked for the while), without and
  with the invoice PDFs (the company's ``muzza_reminder_attach_invoices``):
  the time per message (the rendering of the message, the statement PDF
  and the invoice PDFs);
- **floor**: one hand-written SQL giving every customer's open invoices at
  the level they reached (days past due against the levels) and whether the
  customer has money on account (an unreconciled credit on the receivable).

Then an independent check (plain SQL and ORM reads, no code of the
module): the reminders queued by a run from a clean state list exactly the
invoices the floor puts at each level, per customer and level, with their
amounts due, and the customers with money on account are held.

With ``--oca`` (a copy of a database where OCA's
``account_invoice_overdue_reminder`` is installed): its wizard
``overdue.reminder.start`` (mass interface, invoice contact, trigger delay
0) creating an ``overdue.reminder.step`` per customer with an overdue
invoice (its mail rendered at creation), then ``validate()`` of those steps
(the mass "Validate": a ``mail.mail`` per customer, an
``overdue.reminder.action`` with a line per invoice, a message posted on
every invoice), each run rolled back; and ``validate()`` of a sample of
steps without and with invoice PDFs, per message.
"""

import argparse
import contextlib
import datetime
import json
import random
import statistics
import subprocess
import sys
import time
import tracemalloc
import urllib.request
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _odoo
from risk import environment, queries, update_module

RUNS = 3
RESULTS = _odoo.REPO / "docs" / "benchmarks_reminders.json"
LEVELS = (-3, 0, 7, 15, 30)  # the default levels, days from the due date
MONEY = 0.005
# what the runs add to these tables, past the first run's baseline, is
# deleted between runs (mail, activities, attachments of the reminders)
ADDED = ("mail_mail", "mail_message", "mail_activity", "ir_attachment", "mail_followers", "mail_notification")
BASELINE = "bench.reminders.baseline"

FLOOR = """
    WITH levels(days) AS (SELECT unnest(%(levels)s::int[])),
    open AS (
        SELECT m.id, m.commercial_partner_id AS partner_id, m.amount_residual, m.invoice_date,
               m.invoice_date_due AS due
          FROM account_move m
         WHERE m.company_id = %(company)s AND m.move_type = 'out_invoice' AND m.state = 'posted'
           AND m.payment_state IN ('not_paid', 'partial')
           AND m.invoice_date_due <= %(today)s::date - (SELECT MIN(days) FROM levels)
    ),
    reached AS (
        -- the highest level whose day has come; a level on or before the
        -- due date only if its day is after the invoice date
        SELECT open.*, (SELECT MAX(days) FROM levels
                         WHERE open.due + days <= %(today)s::date
                           AND (days > 0 OR open.due + days > open.invoice_date)) AS level
          FROM open
    ),
    credit AS (
        SELECT DISTINCT res.commercial_partner_id AS partner_id
          FROM account_move_line aml
          JOIN account_account acc ON acc.id = aml.account_id AND acc.account_type = 'asset_receivable'
          JOIN res_partner res ON res.id = aml.partner_id
         WHERE aml.parent_state = 'posted' AND aml.company_id = %(company)s
           AND NOT aml.reconciled AND aml.amount_residual < 0
    )
    SELECT reached.partner_id, reached.level, reached.id, reached.amount_residual,
           credit.partner_id IS NOT NULL AS on_account
      FROM reached LEFT JOIN credit ON credit.partner_id = reached.partner_id
     WHERE reached.level IS NOT NULL
  ORDER BY 1, 2, 3
"""


# ----------------------------------------------------------------------
# running
# ----------------------------------------------------------------------


def run_once(registry, prepare, action, trace=False, commit=True):
    """Prepare (committed), then run ``action`` in a fresh cursor, caches
    cleared; committed, or rolled back (``commit=False``). Return seconds,
    queries, peak MiB (if traced), the action's result."""
    if prepare:
        with registry.cursor() as cr:
            prepare(environment(cr))
            cr.commit()
    with registry.cursor() as cr:
        env = environment(cr)
        env.invalidate_all()
        registry.clear_cache()
        if trace:
            tracemalloc.start()
        count, started = queries(), time.perf_counter()
        result = action(env)
        env.flush_all()
        seconds, number = time.perf_counter() - started, queries() - count
        peak = None
        if trace:
            peak = tracemalloc.get_traced_memory()[1] / 2**20
            tracemalloc.stop()
        if commit:
            cr.commit()
        else:
            cr.rollback()
    return seconds, number, peak, result


def measure(registry, label, prepare, action, runs, commit=True, trace=True, counter=None, warmup=True):
    """Warm-up, ``runs`` timed runs, a traced one: the median time, the
    queries of each run, the peak memory (and the counter's figures)."""
    if warmup:
        run_once(registry, prepare, action, commit=commit)
    times, counts, counted, results = [], [], [], []
    for _run in range(runs):
        if counter:
            counter.reset()
        seconds, number, _peak, outcome = run_once(registry, prepare, action, commit=commit)
        results.append(outcome)
        times.append(seconds)
        counts.append(number)
        if counter:
            counted.append(counter.figures())
    peak = None
    if trace:
        _seconds, _number, peak, _result = run_once(registry, prepare, action, trace=True, commit=commit)
    result = {
        "label": label,
        "seconds": statistics.median(times),
        "all_seconds": times,
        "queries": counts,
        "peak_mib": peak,
    }
    if isinstance(results[-1], int):
        result["returned"] = results[-1]
    print(
        "  %-36s median %.3f s (%s), queries %s, peak %s MiB"
        % (
            label,
            result["seconds"],
            ", ".join("%.3f" % t for t in times),
            counts,
            "%.1f" % peak if peak is not None else "-",
        ),
        flush=True,
    )
    if counter:
        result["sets"] = [run.pop("sets") for run in counted]
        result["phases"] = {
            name: {
                "seconds": statistics.median(run.get(name, (0.0, 0))[0] for run in counted),
                "queries": [run.get(name, (0.0, 0))[1] for run in counted],
            }
            for _model, name in PHASES
        }
        print("      sets: %s" % result["sets"], flush=True)
        for name, figures in result["phases"].items():
            print(
                "      %-28s %.3f s, queries %s" % (name, figures["seconds"], figures["queries"]), flush=True
            )
    return result


PHASES = (
    ("muzza.reminder.customer", "_muzza_open_files"),
    ("muzza.reminder.promise", "_muzza_settle"),
    ("muzza.reminder.customer", "_muzza_local_days"),
    ("muzza.reminder.customer", "_muzza_decide"),
    ("muzza.reminder.customer", "_muzza_customer_facts"),
    ("muzza.reminder.customer", "_muzza_invoice_facts"),
    ("muzza.reminder", "_muzza_queue"),
    ("muzza.reminder", "_muzza_log_held"),
)


class Phases:
    """Time and queries of the decision's steps (summed over its sets), by
    wrapping the methods of the registry's classes."""

    name = "phases"

    def __init__(self, registry):
        self.value = {}
        self.sets = 0
        for model, method in PHASES:
            self._wrap(registry[model], method)
        self._wrap(registry["muzza.cron.batch"], "_lock_set", count_only=True)

    def _wrap(self, cls, name, count_only=False):
        original = getattr(cls, name)
        phases = self

        def wrapper(*args, **kwargs):
            if count_only:
                phases.sets += 1
                return original(*args, **kwargs)
            started, count = time.perf_counter(), queries()
            try:
                return original(*args, **kwargs)
            finally:
                seconds, number = phases.value.get(name, (0.0, 0))
                phases.value[name] = (seconds + time.perf_counter() - started, number + queries() - count)

        setattr(cls, name, wrapper)

    def reset(self):
        self.value = {}
        self.sets = 0

    def figures(self):
        return dict(self.value, sets=self.sets)


@contextlib.contextmanager
def report_server(registry, port):
    """An Odoo HTTP server on ``db`` while PDFs are rendered: wkhtmltopdf
    fetches the report's style sheets from it (``report.url``); without
    one it waits on refused connections and renders unstyled pages."""
    db = registry.db_name
    command = [
        sys.executable,
        str(Path(_odoo.__file__)),
        *_odoo.conf_args(),
        "-d",
        db,
        "--db-filter=^%s$" % db,
        "--addons-path=%s" % _odoo.addons_path(),
        "--http-port=%s" % port,
        "--max-cron-threads=0",
        "--workers=0",
        "--log-level=warn",
    ]
    server = subprocess.Popen(command)
    url = "http://127.0.0.1:%s" % port
    try:
        for _try in range(120):
            try:
                urllib.request.urlopen(url + "/web/login", timeout=5)
                break
            except OSError:
                time.sleep(1)
        with registry.cursor() as cr:
            environment(cr)["ir.config_parameter"].set_param("report.url", url)
            cr.commit()
        yield url
    finally:
        with registry.cursor() as cr:
            environment(cr)["ir.config_parameter"].set_param("report.url", False)
            cr.commit()
        server.terminate()
        server.wait(timeout=60)


# ----------------------------------------------------------------------
# our side
# ----------------------------------------------------------------------


REMINDER_MODELS = ("muzza.reminder.line", "muzza.reminder", "muzza.reminder.customer")


def reminder_tables(env):
    """The tables of the reminders, their lines and the customers' files."""
    return [env[name]._table for name in REMINDER_MODELS], list(REMINDER_MODELS)


def settings(env, attach=False):
    """The whole day as the sending window, invoice PDFs or not."""
    company = env.company
    values = {
        "muzza_reminder_hour_from": 0,
        "muzza_reminder_hour_to": 24,
        "muzza_reminder_attach_invoices": attach,
    }
    company.write({key: value for key, value in values.items() if key in company._fields})


def baseline(env):
    """The highest id of each table the runs add to, taken once, before
    the first run (kept in a system parameter)."""
    Param = env["ir.config_parameter"].sudo()
    stored = Param.get_param(BASELINE)
    if stored:
        return json.loads(stored)
    tables, _names = reminder_tables(env)
    for table in tables:
        env.cr.execute("SELECT COUNT(*) FROM %s" % table)
        if env.cr.fetchone()[0]:
            sys.exit("%s: reminders exist before the first run of the benchmark, no baseline" % table)
    values = {}
    for table in ADDED:
        env.cr.execute("SELECT COALESCE(MAX(id), 0) FROM %s" % table)
        values[table] = env.cr.fetchone()[0]
    Param.set_param(BASELINE, json.dumps(values))
    return values


def clean(env):
    """No reminder at all: every ``muzza.reminder*`` record, and what the
    runs added to the mail tables, deleted."""
    base = baseline(env)
    tables, names = reminder_tables(env)
    cr = env.cr
    for table in tables:
        cr.execute("DELETE FROM %s" % table)
    for table in ADDED:
        if table == "ir_attachment":  # not the assets' bundles (kept by Odoo once built)
            cr.execute(
                "DELETE FROM ir_attachment WHERE id > %s AND (url IS NULL OR url NOT LIKE '/web/assets/%%')",
                [base[table]],
            )
            continue
        cr.execute("DELETE FROM %s WHERE id > %%s" % table, [base[table]])
    cr.execute("DELETE FROM mail_message WHERE model = ANY(%s)", [names])
    cr.execute("DELETE FROM mail_activity WHERE res_model = ANY(%s)", [names])
    # each invoice's mark: the highest level it was reminded at
    cr.execute(
        "UPDATE account_move SET muzza_reminder_level_id = NULL WHERE muzza_reminder_level_id IS NOT NULL"
    )
    env.invalidate_all()


def decide(env):
    env["muzza.reminder"]._cron_decide_reminders()


def counts(env):
    env.cr.execute("SELECT state, COUNT(*) FROM muzza_reminder GROUP BY state ORDER BY state")
    reminders = dict(env.cr.fetchall())
    env.cr.execute("SELECT COUNT(*) FROM muzza_reminder_line")
    return {"reminders": reminders, "lines": env.cr.fetchone()[0]}


def park_all_but(registry, ids):
    """Park every queued reminder but ``ids`` (a state of the benchmark's
    own, given back by :func:`unpark`)."""
    with registry.cursor() as cr:
        cr.execute(
            "UPDATE muzza_reminder SET state = 'bench_parked' WHERE state = 'queued' AND id != ALL(%s)",
            [list(ids)],
        )
        cr.execute(
            "UPDATE muzza_reminder SET state = 'queued' WHERE state = 'bench_parked' AND id = ANY(%s)",
            [list(ids)],
        )
        cr.commit()


def deliver_sample(registry, sample, attach, seed=11, warm=2):
    """Deliver ``sample`` queued reminders (the others parked meanwhile),
    after ``warm`` others (not timed: the report's assets, the templates):
    seconds per message."""
    with registry.cursor() as cr:
        env = environment(cr)
        settings(env, attach=attach)
        cr.execute("SELECT id FROM muzza_reminder WHERE state = 'queued' ORDER BY id")
        ids = [row[0] for row in cr.fetchall()]
        cr.commit()
    picked = random.Random(seed).sample(ids, min(sample + warm, len(ids)))
    chosen, warmers = sorted(picked[:sample]), picked[sample:]
    if warmers:
        park_all_but(registry, warmers)
        run_once(registry, None, lambda env: env["muzza.reminder"]._cron_deliver_reminders(batch_size=warm))
    park_all_but(registry, chosen)
    before = {}
    with registry.cursor() as cr:
        for table in ("mail_mail", "ir_attachment"):
            cr.execute("SELECT COALESCE(MAX(id), 0) FROM %s" % table)
            before[table] = cr.fetchone()[0]
    try:
        seconds, number, _peak, _result = run_once(
            registry, None, lambda env: env["muzza.reminder"]._cron_deliver_reminders(batch_size=len(chosen))
        )
        with registry.cursor() as cr:
            cr.execute(
                "SELECT state, COUNT(*) FROM muzza_reminder WHERE id = ANY(%s) GROUP BY state", [chosen]
            )
            states = dict(cr.fetchall())
            cr.execute(
                "SELECT COUNT(*) FROM mail_mail WHERE mail_message_id IN "
                "(SELECT id FROM mail_message WHERE model = 'res.partner' OR model LIKE 'muzza.reminder%%') "
                "AND id > %s",
                [before["mail_mail"]],
            )
            mails = cr.fetchone()[0]
            cr.execute(
                "SELECT COUNT(*), COALESCE(SUM(file_size), 0) FROM ir_attachment WHERE id > %s",
                [before["ir_attachment"]],
            )
            attachments, size = cr.fetchone()
            cr.execute(
                "SELECT COUNT(*) FROM muzza_reminder_line WHERE reminder_id = ANY(%s)",
                [chosen],
            )
            invoices = cr.fetchone()[0]
    finally:
        with registry.cursor() as cr:
            cr.execute("UPDATE muzza_reminder SET state = 'queued' WHERE state = 'bench_parked'")
            settings(environment(cr), attach=False)
            cr.commit()
    result = {
        "attach_invoices": attach,
        "messages": len(chosen),
        "invoices": invoices,
        "seconds": seconds,
        "per_message": seconds / max(len(chosen), 1),
        "queries": number,
        "states_after": states,
        "mails": mails,
        "attachments": attachments,
        "attachment_mib": float(size) / 2**20,
    }
    print(
        "  deliver %d messages (%d invoices), invoice PDFs %s: %.1f s, %.3f s per message, %d queries;"
        " after: %s, %d mails, %d attachments (%.1f MiB)"
        % (
            len(chosen),
            invoices,
            "on" if attach else "off",
            seconds,
            result["per_message"],
            number,
            states,
            mails,
            attachments,
            result["attachment_mib"],
        ),
        flush=True,
    )
    return result


def floor(env):
    env.cr.execute(
        FLOOR, {"levels": list(levels(env)), "today": datetime.date.today(), "company": env.company.id}
    )
    return env.cr.fetchall()


def levels(env):
    """The company's levels (days from the due date), or the defaults."""
    if "muzza.reminder.level" in env.registry.models:
        Level = env["muzza.reminder.level"]
        domain = [("company_id", "in", (False, env.company.id))] if "company_id" in Level._fields else []
        for name in ("days", "delay", "offset_days"):
            if name in Level._fields:
                found = sorted(set(Level.search(domain).mapped(name)))
                if found:
                    return tuple(found)
    return LEVELS


# ----------------------------------------------------------------------
# the independent check
# ----------------------------------------------------------------------


def check(registry):
    """After a run from a clean state: per customer and level, the queued
    reminders list exactly the invoices the floor gives at that level, with
    their amounts due; customers with money on account are held."""
    run_once(registry, clean, decide)
    with registry.cursor() as cr:
        env = environment(cr)
        expected = defaultdict(dict)  # (partner, level) -> {invoice: residual}
        held = set()
        for partner_id, level, move_id, residual, on_account in floor(env):
            expected[(partner_id, level)][move_id] = float(residual)
            if on_account:
                held.add(partner_id)
        cr.execute(
            """SELECT r.partner_id, lvl.days, r.state, l.move_id, l.amount_due
                 FROM muzza_reminder r
                 JOIN muzza_reminder_level lvl ON lvl.id = r.level_id
                 JOIN muzza_reminder_line l ON l.reminder_id = r.id
                WHERE r.company_id = %s""",
            [env.company.id],
        )
        got = defaultdict(dict)
        states = defaultdict(set)
        duplicates = []
        for partner_id, days, state, move_id, amount in cr.fetchall():
            key = (partner_id, days)
            states[key].add(state)
            if move_id in got[key]:
                duplicates.append((key, move_id))
            got[key][move_id] = float(amount) if amount is not None else None
        # each invoice sent is marked with its level; held ones are not
        cr.execute(
            """SELECT m.id, lvl.days FROM account_move m
                 JOIN muzza_reminder_level lvl ON lvl.id = m.muzza_reminder_level_id"""
        )
        marks = dict(cr.fetchall())
        problems = compare(expected, held, got, states, marks, duplicates)
        kinds = defaultdict(int)
        examples = []
        for problem in problems:
            kinds[problem[0]] += 1
            if kinds[problem[0]] <= 3:
                examples.append(problem)
        summary = {
            "customers_expected": len({key[0] for key in expected}),
            "reminders_expected": len(expected),
            "invoices_expected": sum(len(v) for v in expected.values()),
            "customers_on_account": len(held & {key[0] for key in expected}),
            "reminders_found": len(got),
            "invoices_marked": len(marks),
            "invoices_found": sum(len(v) for v in got.values()),
            "by_level": {
                str(level): sum(len(v) for (p, lv), v in expected.items() if lv == level)
                for level in levels(env)
            },
            "mismatches": dict(kinds),
            "examples": examples,
        }
        cr.rollback()
    print("  independent check: %s" % {k: v for k, v in summary.items() if k != "examples"}, flush=True)
    for problem in examples:
        print("    %s: partner %s level %s: %r (expected %r)" % problem, flush=True)
    return summary


def compare(expected, held, got, states, marks, duplicates):
    """The differences between what the floor expects and what was queued."""
    problems = []
    for key in sorted(set(expected) | set(got)):
        partner_id, level = key
        want, have = expected.get(key, {}), got.get(key, {})
        state = states.get(key, set())
        want_state = "held" if partner_id in held else "queued"
        if want and state != {want_state}:
            problems.append(("state", partner_id, level, sorted(state), want_state))
        for move_id in sorted(want):
            mark = marks.get(move_id)
            if mark != (None if want_state == "held" else level):
                problems.append(("invoice's level mark", partner_id, level, move_id, mark))
        for move_id in sorted(set(want) - set(have)):
            problems.append(("missing invoice", partner_id, level, move_id, want[move_id]))
        for move_id in sorted(set(have) - set(want)):
            problems.append(("extra invoice", partner_id, level, move_id, have[move_id]))
        for move_id in sorted(set(want) & set(have)):
            if abs(want[move_id] - (have[move_id] or 0.0)) >= MONEY:
                problems.append(("amount", partner_id, level, move_id, (have[move_id], want[move_id])))
    for key, move_id in duplicates:
        problems.append(("invoice twice", key[0], key[1], move_id, None))
    return problems


def describe(registry):
    with registry.cursor() as cr:
        today = datetime.date.today()
        data = {}
        for key, query in {
            "journal_items": "SELECT COUNT(*) FROM account_move_line",
            "customers": (
                "SELECT COUNT(DISTINCT partner_id) FROM account_move WHERE move_type = 'out_invoice'"
            ),
            "invoices": "SELECT COUNT(*) FROM account_move WHERE move_type = 'out_invoice'",
            "open_overdue": (
                "SELECT COUNT(*) FROM account_move WHERE move_type = 'out_invoice' AND state = 'posted'"
                " AND payment_state IN ('not_paid', 'partial') AND invoice_date_due < %(today)s"
            ),
            "open_due_within_3_days": (
                "SELECT COUNT(*) FROM account_move WHERE move_type = 'out_invoice' AND state = 'posted'"
                " AND payment_state IN ('not_paid', 'partial')"
                " AND invoice_date_due BETWEEN %(today)s AND %(today)s::date + 3"
            ),
            "customers_open_overdue": (
                "SELECT COUNT(DISTINCT commercial_partner_id) FROM account_move"
                " WHERE move_type = 'out_invoice' AND state = 'posted'"
                " AND payment_state IN ('not_paid', 'partial') AND invoice_date_due < %(today)s"
            ),
            "paid": (
                "SELECT COUNT(*) FROM account_move WHERE move_type = 'out_invoice'"
                " AND payment_state IN ('paid', 'in_payment', 'reversed')"
            ),
            "customers_spanish": (
                "SELECT COUNT(*) FROM res_partner WHERE email LIKE 'customer%%' AND lang = 'es_ES'"
            ),
        }.items():
            cr.execute(query, {"today": today})
            data[key] = cr.fetchone()[0]
    return data


def bench_ours(db, runs, sample, update, port):
    if update:
        update_module(db)
    registry = _odoo.registry(db)
    today = datetime.date.today()
    if today.weekday() >= 5:
        sys.exit("today is not a working day: the run would hold every reminder")
    print("%s:" % db, flush=True)
    with registry.cursor() as cr:
        settings(environment(cr))
        baseline(environment(cr))
        cr.commit()
    sets = Phases(registry)
    results = {"db": db, "date": str(today)}
    results["data"] = describe(registry)
    print("  data: %s" % results["data"], flush=True)
    results["decide"] = measure(registry, "decide and queue (clean state)", clean, decide, runs, counter=sets)
    with registry.cursor() as cr:
        results["decide"]["outcome"] = counts(environment(cr))
    print("  outcome: %s" % results["decide"]["outcome"], flush=True)
    # the same day again, after a run (left by the traced run above)
    results["second_run"] = measure(registry, "second run, same day", None, decide, runs, counter=sets)
    results["floor"] = measure(registry, "SQL floor", None, floor, runs, commit=False)
    results["check"] = check(registry)
    if sample:
        with report_server(registry, port):
            run_once(registry, clean, decide)
            results["deliver"] = deliver_sample(registry, sample, attach=False)
            run_once(registry, clean, decide)
            results["deliver_pdf"] = deliver_sample(registry, sample, attach=True)
        with registry.cursor() as cr:
            clean(environment(cr))
            cr.commit()
    return results


# ----------------------------------------------------------------------
# OCA's account_invoice_overdue_reminder
# ----------------------------------------------------------------------


def oca_customers(env, count, seed=5):
    """``count`` customers (0: all) with an invoice overdue today, at
    random: the wizard's Customers."""
    env.cr.execute(
        """SELECT DISTINCT commercial_partner_id FROM account_move
            WHERE move_type = 'out_invoice' AND state = 'posted' AND payment_state IN ('not_paid', 'partial')
              AND invoice_date_due < %s ORDER BY 1""",
        [datetime.date.today()],
    )
    ids = [row[0] for row in env.cr.fetchall()]
    if count and count < len(ids):
        ids = sorted(random.Random(seed).sample(ids, count))
    return ids


class Oca:
    """OCA's wizard on the chosen customers (all when ``partner_ids`` is
    empty: the wizard then takes every customer)."""

    def __init__(self, partner_ids, everyone):
        self.partner_ids = [] if everyone else partner_ids

    def wizard(self, env):
        env.company.overdue_reminder_attach_invoice = False
        return env["overdue.reminder.start"].create(
            {
                "interface": "mass",
                "partner_policy": "invoice_contact",
                "start_days": 0,
                "min_interval_days": 5,
                "partner_ids": [(6, 0, self.partner_ids)],
            }
        )

    def steps(self, env):
        return env["overdue.reminder.step"].search([("user_id", "=", env.uid), ("state", "=", "draft")])

    def start(self, env):
        """The wizard's Start: a step per customer, its mail rendered."""
        self.wizard(env).run()
        return len(self.steps(env))

    def full(self, env):
        """Start, then Validate every step: mails queued, actions logged."""
        self.wizard(env).run()
        steps = self.steps(env)
        steps.validate()
        return len(steps)

    def sample(self, registry, sample, attach, seed=11):
        """Start, then Validate ``sample`` steps, rolled back: the
        validation's seconds per message."""

        def action(env):
            # Start on ``sample`` customers at random only (Start on all
            # takes minutes), then Validate their steps
            partner_ids = self.partner_ids or oca_customers(env, 0)
            chosen_ids = sorted(random.Random(seed).sample(partner_ids, min(sample, len(partner_ids))))
            Oca(chosen_ids, False).wizard(env).run()
            env.company.overdue_reminder_attach_invoice = attach
            chosen = self.steps(env)
            env.flush_all()
            started, count = time.perf_counter(), queries()
            chosen.validate()
            env.flush_all()
            return time.perf_counter() - started, queries() - count, len(chosen), len(chosen.invoice_ids)

        _seconds, _number, _peak, (seconds, number, messages, invoices) = run_once(
            registry, None, action, commit=False
        )
        result = {
            "attach_invoices": attach,
            "messages": messages,
            "invoices": invoices,
            "seconds": seconds,
            "per_message": seconds / max(messages, 1),
            "queries": number,
        }
        print(
            "  OCA validate %d steps (%d invoices), invoice PDFs %s: %.1f s, %.3f s per message, %d queries"
            % (messages, invoices, "on" if attach else "off", seconds, result["per_message"], number),
            flush=True,
        )
        return result


def bench_oca(db, runs, sample, full, customers, warmup, port, update):
    if update:
        update_module(db)
    registry = _odoo.registry(db)
    print("%s (OCA account_invoice_overdue_reminder):" % db, flush=True)
    results = {"db": db, "date": str(datetime.date.today())}
    results["data"] = describe(registry)
    with registry.cursor() as cr:
        partner_ids = oca_customers(environment(cr), customers)
    everyone = not customers or customers >= results["data"]["customers_open_overdue"]
    oca = Oca(partner_ids, everyone)
    results["customers"] = len(partner_ids)
    print("  customers: %d%s" % (len(partner_ids), " (all)" if everyone else " (at random)"), flush=True)
    results["start"] = measure(
        registry,
        "OCA Start (steps, mails rendered)",
        None,
        oca.start,
        runs,
        commit=False,
        warmup=warmup,
        trace=warmup,
    )
    results["start"]["per_customer"] = results["start"]["seconds"] / max(len(partner_ids), 1)
    results["start"]["steps"] = results["start"].pop("returned", None)
    print("  steps: %s" % results["start"]["steps"], flush=True)
    if full:
        results["full"] = measure(
            registry,
            "OCA Start + Validate all (no PDFs)",
            None,
            oca.full,
            full,
            commit=False,
            trace=False,
            warmup=False,
        )
        results["full"]["per_customer"] = results["full"]["seconds"] / max(len(partner_ids), 1)
    if sample:
        results["validate"] = oca.sample(registry, sample, attach=False)
        with report_server(registry, port):
            results["validate_pdf"] = oca.sample(registry, sample, attach=True)
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", action="append", required=True)
    parser.add_argument("--oca", action="store_true", help="time OCA's reminders on these copies")
    parser.add_argument("--runs", type=int, default=RUNS)
    parser.add_argument(
        "--sample", type=int, default=200, help="messages delivered to time delivery (0: none)"
    )
    parser.add_argument(
        "--oca-full", type=int, default=1, help="OCA: timed runs of Start + Validate of every step (0: none)"
    )
    parser.add_argument(
        "--oca-customers", type=int, default=0, help="OCA: customers at random given to its wizard (0: all)"
    )
    parser.add_argument(
        "--no-warmup", action="store_true", help="OCA: no warm-up run nor traced run (runs of minutes)"
    )
    parser.add_argument("--port", type=int, default=8394, help="HTTP port: PDFs styled from")
    parser.add_argument("--no-update", action="store_true", help="do not update muzza_receivables first")
    parser.add_argument("--check-only", action="store_true", help="only the independent check, no timing")
    args = parser.parse_args()
    stored = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    for db in args.db:
        if args.oca:
            stored[db] = bench_oca(
                db,
                args.runs,
                args.sample,
                args.oca_full,
                args.oca_customers,
                not args.no_warmup,
                args.port,
                not args.no_update,
            )
        elif args.check_only:
            stored.setdefault(db, {})["check"] = check(_odoo.registry(db))
        else:
            stored[db] = dict(
                stored.get(db, {}), **bench_ours(db, args.runs, args.sample, not args.no_update, args.port)
            )
        RESULTS.write_text(json.dumps(stored, indent=1, default=str) + "\n")


if __name__ == "__main__":
    main()
