"""Time the aged receivables: ours, OCA's Aged Partner Balance and the SQL floor.

    /opt/odoo-venv/bin/python bench/run.py --db bench_100k [--db bench_1m ...] [--past-days 182]

For each database: the median of 3 timed runs (after one warm-up), the peak
of Python memory (tracemalloc, in a separate run) and the number of SQL
queries of

- ours: ``muzza.aging._summary`` for the company at today and at a past
  date, and ``_open_items`` (the drill-down) of the biggest customer;
- OCA: ``report.account_financial_report.aged_partner_balance``'s
  ``_get_report_values``, fed by its wizard's ``_prepare_report_data``
  (what the HTML, PDF and XLSX reports all compute the figures with);
- the floor: one hand-written SQL aggregate over the receivable lines and
  their partials up to the date.

It checks that the three agree per customer and bucket (to the cent),
stores the figures in docs/benchmarks.json and plots them in
docs/images/bench_time.png (with matplotlib from BENCH_PLOT_PATH, a
separate target directory, in a separate process).
"""

import argparse
import datetime
import json
import os
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _odoo

DOCS = _odoo.REPO / "docs"
RESULTS = DOCS / "benchmarks.json"
PLOT_PATH = os.environ.get("BENCH_PLOT_PATH", "/work/bench-plot")
RUNS = 3
MARKDOWN = DOCS / "benchmarks.md"
BEGIN, END = "<!-- figures: written by bench/run.py -->", "<!-- /figures -->"
CASES = (
    ("ours", "Ours: summary"),
    ("drill-down", "Ours: drill-down (biggest customer)"),
    ("oca", "OCA Aged Partner Balance"),
    ("floor", "SQL floor"),
)

FLOOR = """
    WITH partial AS (
        SELECT line_id, SUM(amount) AS amount FROM (
            SELECT debit_move_id AS line_id, amount FROM account_partial_reconcile
             WHERE max_date <= %(as_of)s AND company_id = %(company)s
            UNION ALL
            SELECT credit_move_id, -amount FROM account_partial_reconcile
             WHERE max_date <= %(as_of)s AND company_id = %(company)s
        ) p GROUP BY line_id
    ),
    item AS (
        SELECT aml.partner_id, %(as_of)s::date - COALESCE(aml.date_maturity, aml.date) AS days,
               aml.balance - COALESCE(partial.amount, 0) AS open_balance
          FROM account_move_line aml
          JOIN account_account acc ON acc.id = aml.account_id
          LEFT JOIN partial ON partial.line_id = aml.id
         WHERE acc.account_type = 'asset_receivable' AND aml.parent_state = 'posted'
           AND aml.company_id = %(company)s AND aml.date <= %(as_of)s
    )
    SELECT partner_id,
           SUM(open_balance) FILTER (WHERE days <= 0),
           SUM(open_balance) FILTER (WHERE days BETWEEN 1 AND 30),
           SUM(open_balance) FILTER (WHERE days BETWEEN 31 AND 60),
           SUM(open_balance) FILTER (WHERE days BETWEEN 61 AND 90),
           SUM(open_balance) FILTER (WHERE days BETWEEN 91 AND 120),
           SUM(open_balance) FILTER (WHERE days > 120),
           SUM(open_balance)
      FROM item
     GROUP BY partner_id
    HAVING ROUND(SUM(open_balance), 2) != 0
"""


def measure(env, function):
    """(median seconds of RUNS, peak MiB of Python allocations, queries of one
    run, the result of the last run)."""
    cr = env.cr
    env.invalidate_all()
    function()  # warm-up: PostgreSQL's cache, Odoo's registry caches
    times = []
    for _run in range(RUNS):
        env.invalidate_all()
        count = cr.sql_log_count
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
        queries = cr.sql_log_count - count
    env.invalidate_all()
    tracemalloc.start()
    function()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return statistics.median(times), peak, queries, result


def zero(buckets):
    return [round(value or 0.0, 2) for value in buckets]


def ours(env, company, as_of):
    rows = env["muzza.aging"]._summary(as_of, company)
    return {row["partner_id"]: zero(row["buckets"] + [row["total"]]) for row in rows}


def floor(env, company, as_of):
    env.cr.execute(FLOOR, {"as_of": as_of, "company": company.id})
    return {row[0]: zero(row[1:]) for row in env.cr.fetchall()}


def oca(env, company, as_of):
    accounts = env["account.account"].search(
        [("account_type", "=", "asset_receivable"), ("company_ids", "in", company.ids)]
    )
    wizard = env["aged.partner.balance.report.wizard"].create(
        {"date_at": as_of, "company_id": company.id, "account_ids": [(6, 0, accounts.ids)]}
    )
    data = wizard._prepare_report_data()
    data["date_at"] = as_of.isoformat()  # as the report action's JSON gives it
    values = env["report.account_financial_report.aged_partner_balance"]._get_report_values(wizard.ids, data)
    return values


def oca_figures(env, values):
    """OCA's partners are by name only (the generator's names are unique)."""
    names = {}
    for account in values["aged_partner_balance"]:
        for partner in account["partners"]:
            keys = ("current", "30_days", "60_days", "90_days", "120_days", "older", "residual")
            figures = [partner[key] for key in keys]
            previous = names.get(partner["name"])
            if previous:
                figures = [a + b for a, b in zip(previous, figures, strict=True)]
            names[partner["name"]] = figures
    partners = env["res.partner"].with_context(active_test=False).search([("name", "in", list(names))])
    by_name = {partner.name: partner.id for partner in partners}
    return {by_name[name]: zero(figures) for name, figures in names.items() if round(figures[-1], 2)}


def compare(label, reference, other):
    """Customers whose buckets differ by more than a cent."""
    differences = []
    for partner_id in set(reference) | set(other):
        a = reference.get(partner_id, [0.0] * 7)
        b = other.get(partner_id, [0.0] * 7)
        if any(abs(x - y) > 0.011 for x, y in zip(a, b, strict=True)):
            differences.append((partner_id, a, b))
    if differences:
        print("  %s: %d customers differ, e.g. %s" % (label, len(differences), differences[:3]))
    return len(differences)


def bench(db, past_days):
    registry = _odoo.registry(db)
    from odoo import SUPERUSER_ID, api

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
        company = env.company
        cr.execute("SELECT COUNT(*) FROM account_move_line")
        lines = cr.fetchone()[0]
        cr.execute(
            """SELECT COUNT(*) FILTER (WHERE NOT reconciled), COUNT(*) FROM account_move_line aml
                 JOIN account_account acc ON acc.id = aml.account_id
                WHERE acc.account_type = 'asset_receivable'"""
        )
        open_lines, receivable_lines = cr.fetchone()
        cr.execute(
            """SELECT partner_id, COUNT(*) FROM account_move_line aml
                 JOIN account_account acc ON acc.id = aml.account_id
                WHERE acc.account_type = 'asset_receivable'
             GROUP BY partner_id ORDER BY 2 DESC LIMIT 1"""
        )
        big_customer, big_lines = cr.fetchone()
        today = datetime.date.today()
        past = today - datetime.timedelta(days=past_days)
        result = {
            "db": db,
            "lines": lines,
            "receivable_lines": receivable_lines,
            "unreconciled_receivable_lines": open_lines,
            "big_customer_lines": big_lines,
            "today": today.isoformat(),
            "past": past.isoformat(),
            "figures": {},
        }
        aging = env["muzza.aging"]
        for when, as_of in (("today", today), ("past", past)):
            cases = {
                "ours": lambda as_of=as_of: ours(env, company, as_of),
                "drill-down": lambda as_of=as_of: aging._open_items(
                    as_of, company, partner_ids=[big_customer]
                ),
                "oca": lambda as_of=as_of: oca(env, company, as_of),
                "floor": lambda as_of=as_of: floor(env, company, as_of),
            }
            totals = {}
            for name, function in cases.items():
                seconds, peak, queries, value = measure(env, function)
                result["figures"]["%s %s" % (name, when)] = {
                    "seconds": seconds,
                    "peak_mib": peak,
                    "queries": queries,
                }
                print(
                    "%-10s %-16s %8.3f s %8.1f MiB %6d queries"
                    % (db, name + " " + when, seconds, peak, queries),
                    flush=True,
                )
                if name == "oca":
                    value = oca_figures(env, value)
                elif name == "drill-down":
                    result["figures"]["%s %s" % (name, when)]["rows"] = len(value)
                    continue
                totals[name] = value
            result["agree %s" % when] = {
                "customers": len(totals["floor"]),
                "ours vs floor": compare("ours vs floor", totals["floor"], totals["ours"]),
                "oca vs floor": compare("OCA vs floor", totals["floor"], totals["oca"]),
                "total": round(sum(v[-1] for v in totals["floor"].values()), 2),
            }
            print("%-10s agreement %s: %s" % (db, when, result["agree %s" % when]), flush=True)
        cr.rollback()  # the OCA wizards
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", action="append", required=True)
    parser.add_argument("--past-days", type=int, default=182)
    args = parser.parse_args()
    stored = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    for db in args.db:
        stored[db] = bench(db, args.past_days)
        stored[db]["machine"] = machine()
        RESULTS.write_text(json.dumps(stored, indent=1, sort_keys=True) + "\n")
    plot()
    markdown(stored)


def table(stored):
    """The figures as Markdown tables, smallest database first."""
    runs = sorted(stored.values(), key=lambda r: r["lines"])
    out = []
    header = "| | " + " | ".join("%s journal items" % format(r["lines"], ",") for r in runs) + " |"
    rule = "|---" * (len(runs) + 1) + "|"
    for title, key, pattern in (
        ("Time (median of 3, seconds)", "seconds", "%.3f"),
        ("Peak Python memory (tracemalloc, MiB)", "peak_mib", "%.2f"),
        ("SQL queries", "queries", "%d"),
    ):
        out += ["**%s**" % title, "", header, rule]
        for when in ("today", "past"):
            for case, label in CASES:
                cells = [pattern % r["figures"]["%s %s" % (case, when)][key] for r in runs]
                out.append("| %s, %s | %s |" % (label, when, " | ".join(cells)))
        out.append("")
    out += ["**Ratios and targets**", "", header, rule]

    def ratio(r, a, b, when):
        return r["figures"]["%s %s" % (a, when)]["seconds"] / r["figures"]["%s %s" % (b, when)]["seconds"]

    for when in ("today", "past"):
        cells = ["%.2f×" % ratio(r, "ours", "floor", when) for r in runs]
        out.append("| Ours ÷ floor, %s (target ≤ 2) | %s |" % (when, " | ".join(cells)))
        cells = ["%.1f×" % ratio(r, "oca", "ours", when) for r in runs]
        out.append("| OCA ÷ ours, %s (target ≥ 10) | %s |" % (when, " | ".join(cells)))
        cells = ["%.3f s" % r["figures"]["drill-down %s" % when]["seconds"] for r in runs]
        out.append("| Drill-down, %s (target < 0.5 s) | %s |" % (when, " | ".join(cells)))
    out += ["", "**The data and the agreement check**", "", header, rule]
    rows = (
        ("Receivable lines", lambda r: format(r["receivable_lines"], ",")),
        ("Unreconciled receivable lines", lambda r: format(r["unreconciled_receivable_lines"], ",")),
        ("Receivable lines of the biggest customer", lambda r: format(r["big_customer_lines"], ",")),
        (
            "Open items in its drill-down today / past",
            lambda r: (
                "%s / %s"
                % (r["figures"]["drill-down today"]["rows"], r["figures"]["drill-down past"]["rows"])
            ),
        ),
        (
            "Customers with a balance today / past",
            lambda r: "%s / %s" % (r["agree today"]["customers"], r["agree past"]["customers"]),
        ),
        (
            "Total today / past (USD)",
            lambda r: (
                "%s / %s"
                % (format(r["agree today"]["total"], ",.2f"), format(r["agree past"]["total"], ",.2f"))
            ),
        ),
        (
            "Customers where ours ≠ floor (today / past)",
            lambda r: "%s / %s" % (r["agree today"]["ours vs floor"], r["agree past"]["ours vs floor"]),
        ),
        (
            "Customers where OCA ≠ floor (today / past)",
            lambda r: "%s / %s" % (r["agree today"]["oca vs floor"], r["agree past"]["oca vs floor"]),
        ),
    )
    for label, cell in rows:
        out.append("| %s | %s |" % (label, " | ".join(cell(r) for r in runs)))
    out.append("")
    return "\n".join(out)


def markdown(stored):
    """Replace the figures between the markers of docs/benchmarks.md."""
    text = MARKDOWN.read_text() if MARKDOWN.exists() else "%s\n%s\n" % (BEGIN, END)
    head, rest = text.split(BEGIN, 1)
    _old, tail = rest.split(END, 1)
    MARKDOWN.write_text(head + BEGIN + "\n\n" + table(stored) + "\n" + END + tail)


def machine():
    memory = Path("/proc/meminfo").read_text().split("\n")[0].split()[1]
    cpu = [line for line in Path("/proc/cpuinfo").read_text().split("\n") if line.startswith("model name")]
    postgres = subprocess.run(["psql", "--version"], capture_output=True, text=True).stdout.strip()
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu[0].split(":", 1)[1].strip() if cpu else "?",
        "ram_gib": round(int(memory) / 2**20, 1),
        "postgresql": postgres,
    }


def plot():
    """docs/images/bench_time.png, in a separate Python with matplotlib on
    its path (so its dependencies never meet Odoo's)."""
    env = dict(os.environ, PYTHONPATH=PLOT_PATH)
    script = Path(__file__).resolve().parent / "plot.py"
    subprocess.run([sys.executable, str(script), str(RESULTS), str(DOCS / "images")], env=env, check=False)


if __name__ == "__main__":
    main()
