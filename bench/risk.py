"""Time the customer risk signals: the scheduled action, Recompute on one customer, the SQL floor.

    /opt/odoo-venv/bin/python bench/risk.py --db bench_risk_200k [--db bench_risk_1m] [--sample 200]
    /opt/odoo-venv/bin/python bench/risk.py --db bench_risk_1m_oca --oca

For each database (updated first: ``-u muzza_receivables``, unless
``--no-update``), the median of 3 timed runs after a warm-up of

- the first night: ``muzza.risk.profile._cron_recompute_signals()`` with no
  risk file at all (every file opened, every signal computed);
- a later night: the same with every file there but computed yesterday
  (``signals_on`` set back a day);
- Recompute on one customer (the one with the most journal items);
- the floor: one hand-written SQL giving the history signals (invoices paid
  and paid late in 12 months, open and overdue amounts, oldest overdue
  days) of every customer;

with the SQL queries of each (``odoo.sql_db.sql_counter``), the time and
queries of each phase of the scheduled action, and the peak of Python
memory (tracemalloc, a run on its own). Then it checks every signal of a
random sample of customers against an independent calculation (the ORM
over their journal items and orders, ``phonenumbers`` and ``stdnum``), and
the floor's signals against ours for every customer.

With ``--oca`` (a copy of a database where OCA's ``account_financial_risk``
is installed): the time to compute OCA's partner risk amounts for the same
customers.
"""

import argparse
import datetime
import json
import random
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _odoo

RUNS = 3
RESULTS = _odoo.REPO / "docs" / "benchmarks_risk.json"
MONEY = 0.005

FLOOR = """
    WITH recv AS (
        SELECT aml.id, aml.move_id, res.commercial_partner_id AS partner_id, aml.balance,
               aml.amount_residual, COALESCE(aml.date_maturity, aml.date) AS due, aml.reconciled
          FROM account_move_line aml
          JOIN account_account acc ON acc.id = aml.account_id AND acc.account_type = 'asset_receivable'
          JOIN res_partner res ON res.id = aml.partner_id
         WHERE aml.parent_state = 'posted' AND aml.company_id = %(company)s
    ),
    settled AS (
        SELECT recv.move_id, recv.partner_id, MAX(p.max_date) AS paid_on,
               MAX(p.max_date) > recv.due AS late,
               bool_or(counter_move.move_type != 'out_refund') AS by_payment
          FROM recv
          JOIN account_partial_reconcile p ON p.debit_move_id = recv.id
          JOIN account_move_line counter ON counter.id = p.credit_move_id
          JOIN account_move counter_move ON counter_move.id = counter.move_id
         WHERE recv.balance > 0
      GROUP BY recv.id, recv.move_id, recv.partner_id, recv.due
    ),
    paid AS (
        -- settled in full, at least in part by a payment
        SELECT settled.partner_id, MAX(settled.paid_on) AS paid_on, bool_or(settled.late) AS late
          FROM settled
          JOIN account_move move ON move.id = settled.move_id
         WHERE move.move_type = 'out_invoice' AND move.payment_state IN ('paid', 'in_payment', 'reversed')
      GROUP BY settled.partner_id, settled.move_id
        HAVING MAX(settled.paid_on) BETWEEN %(since)s AND %(today)s AND bool_or(settled.by_payment)
    ),
    history AS (
        SELECT partner_id, COUNT(*) AS paid, COUNT(*) FILTER (WHERE late) AS late
          FROM paid GROUP BY partner_id
    ),
    open AS (
        SELECT partner_id, SUM(amount_residual) AS open_amount,
               SUM(amount_residual) FILTER (WHERE due < %(today)s AND amount_residual > 0) AS overdue,
               MAX(%(today)s::date - due) FILTER (WHERE due < %(today)s AND amount_residual > 0) AS oldest
          FROM recv
         WHERE NOT reconciled AND amount_residual != 0
      GROUP BY partner_id
    )
    SELECT COALESCE(h.partner_id, o.partner_id), COALESCE(h.paid, 0), COALESCE(h.late, 0),
           COALESCE(o.open_amount, 0), COALESCE(o.overdue, 0), COALESCE(o.oldest, 0)
      FROM history h FULL JOIN open o ON o.partner_id = h.partner_id
"""
FLOOR_SIGNALS = ("paid_count", "late_count", "open_amount", "overdue_amount", "oldest_overdue_days")
SIGNALS = (
    "paid_count",
    "late_count",
    "avg_days_late",
    "overdue_amount",
    "oldest_overdue_days",
    "open_amount",
    "to_invoice_amount",
    "exposure",
    "credit_limit",
    "fee_invoices",
    "broken_promises",
    "sales_12m",
    "phone_invalid",
    "no_vat",
    "no_address",
    "vat_invalid",
)
PHASES = (
    "_muzza_open_files",
    "_muzza_recompute_signals",
    "_muzza_gather_signals",
    "_muzza_record_signals",
    "_muzza_refresh_levels",
    "_muzza_remind_vetting",
)


def queries():
    from odoo import sql_db

    return sql_db.sql_counter


def update_module(db):
    command = [
        sys.executable,
        str(Path(_odoo.__file__)),
        *_odoo.conf_args(),
        "-d",
        db,
        "-u",
        "muzza_receivables",
        "--addons-path=%s" % _odoo.addons_path(),
        "--stop-after-init",
        "--log-level=warn",
        "--http-port=8392",
        "--max-cron-threads=0",
    ]
    subprocess.run(command, check=True)


class Phases:
    """Time and queries of the scheduled action's steps, by wrapping the
    methods of the registry's class of ``muzza.risk.profile``."""

    def __init__(self, registry):
        self.cls = registry["muzza.risk.profile"]
        self.figures = {}
        for name in PHASES:
            self._wrap(name)

    def _wrap(self, name):
        original = getattr(self.cls, name)
        figures = self.figures

        def wrapper(*args, **kwargs):
            started, count = time.perf_counter(), queries()
            try:
                return original(*args, **kwargs)
            finally:
                seconds, number = figures.get(name, (0.0, 0))
                figures[name] = (seconds + time.perf_counter() - started, number + queries() - count)

        setattr(self.cls, name, wrapper)

    def reset(self):
        self.figures.clear()


def environment(cr):
    from odoo import SUPERUSER_ID, api

    return api.Environment(cr, SUPERUSER_ID, {})


def first_night(env):
    """No risk file at all."""
    cr = env.cr
    cr.execute("DELETE FROM mail_message WHERE model = 'muzza.risk.profile'")
    cr.execute("DELETE FROM mail_activity WHERE res_model = 'muzza.risk.profile'")
    cr.execute("DELETE FROM muzza_risk_history")
    cr.execute("DELETE FROM muzza_risk_flag")
    cr.execute("DELETE FROM muzza_risk_profile")


def later_night(env):
    """Every file there, computed the day before."""
    env.cr.execute("UPDATE muzza_risk_profile SET signals_on = signals_on - 1")


def run_once(registry, prepare, action, trace=False):
    """Prepare (committed), then run ``action`` in a fresh cursor, caches
    cleared; return seconds, queries, peak MiB (if traced)."""
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
        action(env)
        env.flush_all()
        seconds, number = time.perf_counter() - started, queries() - count
        peak = None
        if trace:
            peak = tracemalloc.get_traced_memory()[1] / 2**20
            tracemalloc.stop()
        cr.commit()
    return seconds, number, peak


def cron(env):
    env["muzza.risk.profile"]._cron_recompute_signals()


def biggest_customer(env):
    env.cr.execute(
        """SELECT res.commercial_partner_id FROM account_move_line aml
             JOIN res_partner res ON res.id = aml.partner_id
         GROUP BY res.commercial_partner_id ORDER BY COUNT(*) DESC LIMIT 1"""
    )
    return env.cr.fetchone()[0]


def floor(env):
    today = datetime.date.today()
    env.cr.execute(
        FLOOR,
        {"company": env.company.id, "today": today, "since": today - datetime.timedelta(days=364)},
    )
    return env.cr.fetchall()


def measure(registry, label, prepare, action, runs, phases=None):
    """Warm-up, ``runs`` timed runs, a traced one: the median time and
    its queries, the peak memory, and each phase's median."""
    run_once(registry, prepare, action)
    times, counts, phase_runs = [], [], []
    for _run in range(runs):
        if phases:
            phases.reset()
        seconds, number, _peak = run_once(registry, prepare, action)
        times.append(seconds)
        counts.append(number)
        if phases:
            phase_runs.append(dict(phases.figures))
    _seconds, _number, peak = run_once(registry, prepare, action, trace=True)
    result = {
        "label": label,
        "seconds": statistics.median(times),
        "all_seconds": times,
        "queries": counts,
        "peak_mib": peak,
    }
    if phase_runs:
        result["phases"] = {
            name: {
                "seconds": statistics.median(run.get(name, (0, 0))[0] for run in phase_runs),
                "queries": [run.get(name, (0, 0))[1] for run in phase_runs],
            }
            for name in PHASES
        }
    print(
        "  %-32s median %.3f s (%s), queries %s, peak %.1f MiB"
        % (label, result["seconds"], ", ".join("%.3f" % t for t in times), counts, peak),
        flush=True,
    )
    for name, figures in result.get("phases", {}).items():
        print("      %-28s %.3f s, queries %s" % (name, figures["seconds"], figures["queries"]), flush=True)
    return result


# ----------------------------------------------------------------------
# the independent calculation
# ----------------------------------------------------------------------


def phone_valid(number, country_code):
    import phonenumbers

    try:
        parsed = phonenumbers.parse(number, country_code)
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_valid_number(parsed)


def vat_valid(vat):
    from stdnum.eu import vat as eu_vat

    if len(vat) > 2 and vat[:2].lower() in eu_vat.MEMBER_STATES | {"el"}:
        return eu_vat.is_valid(vat)
    return True  # the sample has EU numbers only; others are not judged


def independent(env, partner, company, today):
    """The signals of ``partner`` recomputed with the ORM from its journal
    items and orders, with no code of the module."""
    since = today - datetime.timedelta(days=364)
    customers = [("commercial_partner_id", "=", partner.id)]
    Line = env["account.move.line"]
    lines = Line.search(
        [
            ("partner_id", "in", env["res.partner"].search(customers).ids),
            ("parent_state", "=", "posted"),
            ("company_id", "=", company.id),
            ("account_id.account_type", "=", "asset_receivable"),
        ]
    )
    open_lines = lines.filtered(lambda line: not line.reconciled and line.amount_residual)
    overdue = open_lines.filtered(
        lambda line: line.amount_residual > 0 and (line.date_maturity or line.date) < today
    )
    result = {
        "open_amount": sum(open_lines.mapped("amount_residual")),
        "overdue_amount": sum(overdue.mapped("amount_residual")),
        "oldest_overdue_days": max(
            ((today - (line.date_maturity or line.date)).days for line in overdue), default=0
        ),
    }
    # invoices paid in the last 12 months: every instalment settled, at
    # least in part by a payment (an invoice a credit note alone cancels
    # was not paid), on the day of the last payment or credit note
    # matched with it; late when an instalment was settled after its due
    # date; the average days late weighted by the instalments' amounts
    paid = late = 0
    weighted = amount = 0.0
    for invoice in lines.move_id.filtered(lambda move: move.move_type == "out_invoice"):
        instalments = invoice.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable" and line.balance > 0
        )
        if not instalments or not all(line.reconciled for line in instalments):
            continue
        partials = instalments.matched_credit_ids
        if not any(p.credit_move_id.journal_id.type in ("bank", "cash") for p in partials):
            continue
        settled = [
            (
                line.balance,
                line.date_maturity or invoice.invoice_date_due or invoice.invoice_date,
                max(max(p.credit_move_id.date, line.date) for p in line.matched_credit_ids),
            )
            for line in instalments
        ]
        if since <= max(row[2] for row in settled) <= today:
            paid += 1
            late += any(on > due for _balance, due, on in settled)
        for balance, due, on in settled:
            if since <= on <= today:
                amount += balance
                weighted += balance * max((on - due).days, 0)
    result.update(
        paid_count=paid, late_count=late, avg_days_late=round(weighted / amount, 1) if amount else 0.0
    )
    # invoiced sales (less credit notes) since the first day of the month,
    # eleven months ago
    first = today.replace(day=1)
    for _month in range(11):
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    moves = env["account.move"].search(
        [
            *customers,
            ("company_id", "=", company.id),
            ("state", "=", "posted"),
            ("move_type", "in", ("out_invoice", "out_refund")),
            ("invoice_date", ">=", first),
            ("invoice_date", "<=", today),
        ]
    )
    result["sales_12m"] = sum(moves.mapped("amount_total_signed"))
    result["fee_invoices"] = env["account.move"].search_count(
        [
            *customers,
            ("company_id", "=", company.id),
            ("state", "=", "posted"),
            ("move_type", "=", "out_invoice"),
            ("muzza_fee_origin_id", "!=", False),
            ("invoice_date", ">=", since),
            ("invoice_date", "<=", today),
        ]
    )
    orders = env["sale.order"].search(
        [
            ("partner_invoice_id.commercial_partner_id", "=", partner.id),
            ("company_id", "=", company.id),
            ("state", "=", "sale"),
        ]
    )
    result["to_invoice_amount"] = sum(
        order.currency_id._convert(order.amount_to_invoice, company.currency_id, company, today)
        for order in orders
    )
    result["exposure"] = result["open_amount"] + result["to_invoice_amount"]
    result["credit_limit"] = (
        partner.with_company(company).credit_limit if company.account_use_credit_limit else 0.0
    )
    result["broken_promises"] = 0
    country = (partner.country_id or company.country_id).code
    numbers = [number for number in (partner.phone, partner.mobile) if number]
    result["phone_invalid"] = any(not phone_valid(number, country) for number in numbers)
    result["no_vat"] = bool(partner.is_company and not partner.vat)
    result["no_address"] = not (partner.street and partner.city and partner.country_id)
    result["vat_invalid"] = bool(partner.vat) and not vat_valid(partner.vat)
    return result


def same(name, ours, theirs):
    if isinstance(theirs, bool):
        return bool(ours) == theirs
    if name == "avg_days_late":
        return abs((ours or 0.0) - theirs) < 0.051
    if isinstance(theirs, float) or isinstance(ours, float):
        return abs((ours or 0.0) - theirs) < MONEY
    return (ours or 0) == theirs


def check(registry, sample, seed=7):
    """Every signal of ``sample`` customers (all if 0) against the
    independent calculation; the floor against ours for every customer."""
    today = datetime.date.today()
    with registry.cursor() as cr:
        env = environment(cr)
        company = env.company
        Profile = env["muzza.risk.profile"]
        profiles = Profile.search([("company_id", "=", company.id)])
        # a random sample, and some of each kind the generator made
        chosen = list(profiles.ids)
        rng = random.Random(seed)
        if sample and sample < len(chosen):
            chosen = rng.sample(chosen, sample)
            special = profiles.filtered(
                lambda p: p.fee_invoices or p.to_invoice_amount or p.vat_invalid or p.phone_invalid
            )
            chosen += rng.sample(special.ids, min(20, len(special)))
            chosen.append(Profile.search([("partner_id", "=", biggest_customer(env))]).id)
        chosen = Profile.browse(sorted(set(chosen)))
        mismatches = []
        for profile in chosen:
            expected = independent(env, profile.partner_id, company, today)
            for name in SIGNALS:
                if not same(name, profile[name], expected[name]):
                    mismatches.append((profile.partner_id.id, name, profile[name], expected[name]))
            env.invalidate_all()
        stale = Profile.search_count([("signals_on", "!=", today)])
        # the floor against ours, every customer
        rows = {row[0]: row[1:] for row in floor(env)}
        floor_mismatches = []
        for profile in profiles:
            got = rows.get(profile.partner_id.id, (0, 0, 0.0, 0.0, 0))
            for name, value in zip(FLOOR_SIGNALS, got, strict=True):
                if not same(name, profile[name], float(value) if "amount" in name else value):
                    floor_mismatches.append((profile.partner_id.id, name, profile[name], value))
        kinds = {
            "with orders not invoiced": len(chosen.filtered("to_invoice_amount")),
            "with late-fee invoices": len(chosen.filtered("fee_invoices")),
            "paid late": len(chosen.filtered("late_count")),
            "overdue": len(chosen.filtered("overdue_amount")),
            "phone invalid": len(chosen.filtered("phone_invalid")),
            "VAT invalid": len(chosen.filtered("vat_invalid")),
            "no VAT": len(chosen.filtered("no_vat")),
            "no address": len(chosen.filtered("no_address")),
        }
        cr.rollback()
    print(
        "  independent check: %d customers (%s), %d mismatches; floor vs ours: %d customers, %d mismatches;"
        " files not computed today: %d"
        % (len(chosen), kinds, len(mismatches), len(profiles), len(floor_mismatches), stale),
        flush=True,
    )
    for row in (mismatches + floor_mismatches)[:30]:
        print("    partner %s %s: ours %r, expected %r" % row, flush=True)
    return {
        "customers": len(chosen),
        "kinds": kinds,
        "mismatches": mismatches,
        "floor_customers": len(profiles),
        "floor_mismatches": floor_mismatches,
        "stale": stale,
    }


def describe(registry):
    with registry.cursor() as cr:
        queries_ = {
            "journal_items": "SELECT COUNT(*) FROM account_move_line",
            "customers": (
                "SELECT COUNT(DISTINCT partner_id) FROM account_move WHERE move_type = 'out_invoice'"
            ),
            "orders_not_invoiced": (
                "SELECT COUNT(*) FROM sale_order WHERE state = 'sale' AND invoice_status = 'to invoice'"
            ),
            "fee_invoices": "SELECT COUNT(*) FROM account_move WHERE muzza_fee_origin_id IS NOT NULL",
            "files": "SELECT COUNT(*) FROM muzza_risk_profile",
        }
        data = {}
        for key, query in queries_.items():
            cr.execute(query)
            data[key] = cr.fetchone()[0]
    return data


def bench_ours(db, runs, sample, update):
    if update:
        update_module(db)
    registry = _odoo.registry(db)
    phases = Phases(registry)
    print("%s:" % db, flush=True)
    results = {"db": db}
    results["first_night"] = measure(registry, "first night", first_night, cron, runs, phases)
    results["later_night"] = measure(registry, "later night", later_night, cron, runs, phases)
    with registry.cursor() as cr:
        env = environment(cr)
        partner_id = biggest_customer(env)
        profile_id = env["muzza.risk.profile"].search([("partner_id", "=", partner_id)]).id

    def one(env):
        env["muzza.risk.profile"].browse(profile_id).action_muzza_recompute()

    results["one_partner"] = measure(registry, "one customer (Recompute)", None, one, runs)
    results["floor"] = measure(registry, "SQL floor", None, floor, runs)
    results["data"] = describe(registry)
    print("  data: %s" % results["data"], flush=True)
    # the independent check, on the state a later night left
    run_once(registry, later_night, cron)
    results["check"] = check(registry, sample)
    return results


def bench_oca(db, runs, batch):
    """OCA's partner risk amounts for every customer: reading them (its
    computes, not stored) ``batch`` customers at a time (0: all at once;
    each customer's values walk every group of the batch's lines, so one
    big batch grows with the square of the customers)."""
    registry = _odoo.registry(db)
    print("%s (OCA account_financial_risk):" % db, flush=True)
    with registry.cursor() as cr:
        env = environment(cr)
        env.cr.execute(
            "SELECT DISTINCT partner_id FROM account_move WHERE move_type IN ('out_invoice', 'out_refund')"
        )
        partner_ids = sorted({row[0] for row in env.cr.fetchall()})
    fields_ = [
        "risk_invoice_draft",
        "risk_invoice_open",
        "risk_invoice_unpaid",
        "risk_account_amount",
        "risk_account_amount_unpaid",
        "risk_total",
        "risk_exception",
    ]

    def oca(env):
        size = batch or len(partner_ids)
        for start in range(0, len(partner_ids), size):
            env["res.partner"].browse(partner_ids[start : start + size]).read(fields_)
            env.invalidate_all()

    result = measure(registry, "OCA risk amounts, by %s" % (batch or "all"), None, oca, runs)
    result["customers"] = len(partner_ids)
    result["batch"] = batch
    with registry.cursor() as cr:
        env = environment(cr)
        stored = [name for name in fields_ if env["res.partner"]._fields[name].store]
        result["stored_fields"] = stored
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", action="append", required=True)
    parser.add_argument(
        "--oca", action="store_true", help="time OCA's account_financial_risk on these copies"
    )
    parser.add_argument("--runs", type=int, default=RUNS)
    parser.add_argument("--batch", type=int, default=1000, help="OCA: customers read at a time (0: all)")
    parser.add_argument("--sample", type=int, default=200, help="customers in the independent check (0: all)")
    parser.add_argument("--no-update", action="store_true", help="do not update muzza_receivables first")
    parser.add_argument("--check-only", action="store_true", help="only the independent check, no timing")
    args = parser.parse_args()
    stored = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    for db in args.db:
        if args.oca:
            stored.setdefault(db, {})["oca_%s" % (args.batch or "all")] = bench_oca(db, args.runs, args.batch)
        elif args.check_only:
            stored.setdefault(db, {})["check"] = check(_odoo.registry(db), args.sample)
        else:
            stored[db] = dict(
                stored.get(db, {}), **bench_ours(db, args.runs, args.sample, not args.no_update)
            )
        RESULTS.write_text(json.dumps(stored, indent=1, default=str) + "\n")


if __name__ == "__main__":
    main()
