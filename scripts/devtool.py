#!/usr/bin/env python3
"""Developer entry point for muzza_receivables (and its stock bridge): ``run``, ``test`` and ``i18n``.

Called by the thin shell wrappers in this folder (``scripts/run``,
``scripts/test``, ``scripts/i18n``), which pick the Python environment first
(see ``_env.sh``). Everything here uses only the standard library, plus
``polib`` for ``i18n``, so it works before Odoo is installed and says so.
"""

import argparse
import contextlib
import datetime
import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(os.environ.get("MUZZA_ROOT") or Path(__file__).resolve().parent.parent)
ADDON = "muzza_receivables"
# The bridge Odoo installs by itself where sale_stock is installed.
STOCK_ADDON = "muzza_receivables_stock"
ADDONS = (ADDON, STOCK_ADDON)
# Installed next to the addon in the test database only: the automatic-payment
# tests charge through Odoo's payment_demo provider (not a dependency).
TEST_EXTRA_MODULES = ["payment_demo"]


class Suite:
    """One fresh test database: what is installed, whose tests run, and
    which runner runs them ("odoo": Odoo's own, at install; "pytest":
    pytest-odoo, against the installed database)."""

    def __init__(self, key, label, install, tested, runner):
        self.key, self.label, self.install, self.tested, self.runner = key, label, install, tested, runner


# Each test runs in two contexts, once each: without the stock app (the
# bridge is not installed: its auto_install waits for sale_stock), through
# Odoo's own runner; and with it, as an integrator with the Inventory app
# has them, through pytest-odoo, next to the bridge's tests.
SUITES = (
    Suite("base", "without the stock app", [ADDON], [ADDON], "odoo"),
    Suite("stock", "with the stock app", [STOCK_ADDON], [ADDON, STOCK_ADDON], "pytest"),
)
LOG_DIR = ROOT / ".test-logs"
PY = os.environ.get("MUZZA_PY") or sys.executable


def say(msg=""):
    print(msg, flush=True)


def banner(title):
    say()
    say("=" * 78)
    say("== " + title)
    say("=" * 78)


# --------------------------------------------------------------------------
# Odoo and PostgreSQL discovery
# --------------------------------------------------------------------------


def odoo_version():
    """Return (version, None) when ``import odoo`` works, else (None, why)."""
    probe = (
        "import odoo\n"
        "if not getattr(odoo, '__file__', None):\n"
        "    import importlib.metadata as md\n"
        "    try:\n"
        "        md.distribution('odoo')\n"
        "    except md.PackageNotFoundError:\n"
        "        raise SystemExit('ModuleNotFoundError: no Odoo is installed in this Python')\n"
        "    raise SystemExit('odoo resolves to a bare namespace (%s): the Odoo source tree is installed '\n"
        "                     'as a PEP 660 editable package; reinstall it with --config-settings '\n"
        "                     'editable_mode=compat, see README' % list(odoo.__path__))\n"
        "import odoo.release as r\n"
        "print(r.version)\n"
    )
    proc = subprocess.run(
        [PY, "-c", probe],
        capture_output=True,
        text=True,
        cwd=tempfile.gettempdir(),  # never pick up a stray ./odoo
    )
    if proc.returncode != 0:
        last = (proc.stderr.strip().splitlines() or ["unknown error"])[-1]
        return None, "odoo is not importable with %s (%s)" % (PY, last)
    version = proc.stdout.strip()
    if not version.startswith("18.0"):
        return None, "odoo %s is importable, but this addon needs Odoo 18.0" % version
    return version, None


HOW_TO_GET_ODOO = """\
Odoo 18.0 Community is not importable from {py}.
Odoo is not on PyPI. Get an Odoo 18.0 source tree (the folder with odoo-bin),
then either:
  * install it into the Python you run this with:
        pip install -r /path/to/odoo/requirements.txt
        pip install --no-deps -e /path/to/odoo
  * or point ODOO_SRC at it:  ODOO_SRC=/path/to/odoo scripts/run
See README.md, "Install"."""


class Postgres:
    """Connection settings for a PostgreSQL server this run can use.

    In order: the server named by the PG* environment variables (or the
    default local socket) if it answers; else the machine's own cluster,
    started with pg_ctlcluster when we are root; else a throw-away cluster
    in a temporary folder (initdb), stopped at the end.
    """

    def __init__(self):
        self.host = os.environ.get("PGHOST", "")
        self.port = os.environ.get("PGPORT", "")
        self.user = os.environ.get("PGUSER", "")
        self.password = os.environ.get("PGPASSWORD", "")
        self.throwaway_dir = None
        self.how = None

    def env(self):
        env = dict(os.environ)
        for key, value in (
            ("PGHOST", self.host),
            ("PGPORT", self.port),
            ("PGUSER", self.user),
            ("PGPASSWORD", self.password),
        ):
            if value:
                env[key] = value
        return env

    def psql(self, sql, dbname="postgres"):
        return subprocess.run(
            ["psql", "-X", "-q", "-t", "-A", "-d", dbname, "-c", sql],
            capture_output=True,
            text=True,
            env=self.env(),
        )

    def answers(self):
        if not shutil.which("psql"):
            return False
        return self.psql("select 1").returncode == 0

    def ensure(self, persistent_dir=None):
        if self.answers():
            self.how = "the server given by the PG* environment (or the local default socket)"
            return
        if os.geteuid() == 0 and shutil.which("pg_lsclusters") and self._start_machine_cluster():
            return
        self._start_throwaway(persistent_dir)

    def _start_machine_cluster(self):
        out = subprocess.run(["pg_lsclusters", "--no-header"], capture_output=True, text=True).stdout
        clusters = [line.split() for line in out.splitlines() if line.strip()]
        if not clusters:
            return False
        version, name, port, status = clusters[-1][:4]
        if status != "online":
            say("==> starting the machine's PostgreSQL cluster %s/%s" % (version, name))
            subprocess.run(["pg_ctlcluster", version, name, "start"], check=False)
        self.host, self.port = "", port
        user = os.environ.get("USER") or "root"
        # Odoo refuses to connect as the "postgres" superuser, so give the
        # current user a role of its own.
        subprocess.run(
            [
                "runuser",
                "-u",
                "postgres",
                "--",
                "psql",
                "-X",
                "-q",
                "-p",
                port,
                "-c",
                "DO $$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '%s') "
                'THEN CREATE ROLE "%s" LOGIN SUPERUSER; END IF; END$$' % (user, user),
            ],
            check=False,
            capture_output=True,
        )
        self.user = user
        ok = self.answers()
        if ok:
            self.how = "the machine's cluster %s/%s on port %s" % (version, name, port)
        return ok

    def _initdb(self):
        found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
        return str(found[-1]) if found else shutil.which("initdb")

    def _start_throwaway(self, persistent_dir):
        initdb = self._initdb()
        if not initdb:
            raise SystemExit(
                "No PostgreSQL server answers and no initdb was found: install PostgreSQL "
                "(Debian: apt-get install postgresql) or set PGHOST/PGPORT/PGUSER/PGPASSWORD."
            )
        if os.geteuid() == 0:
            raise SystemExit(
                "No PostgreSQL server answers, and PostgreSQL will not run a cluster as root: "
                "start one (pg_ctlcluster 15 main start) or set PGHOST/PGPORT/PGUSER."
            )
        bindir = Path(initdb).parent
        data = Path(persistent_dir) if persistent_dir else Path(tempfile.mkdtemp(prefix="muzza-pg-"))
        if not (data / "PG_VERSION").exists():
            data.mkdir(parents=True, exist_ok=True)
            subprocess.run(
                [initdb, "-D", str(data), "-U", os.environ.get("USER", "odoo"), "--auth=trust", "-E", "UTF8"],
                check=True,
                capture_output=True,
            )
        port = str(free_port(5433))
        subprocess.run(
            [
                str(bindir / "pg_ctl"),
                "-D",
                str(data),
                "-l",
                str(data / "server.log"),
                "-w",
                "-o",
                "-k %s -p %s -c listen_addresses=''" % (data, port),
                "start",
            ],
            check=True,
            capture_output=True,
        )
        self.host, self.port, self.user = str(data), port, os.environ.get("USER", "odoo")
        self.throwaway_dir = None if persistent_dir else data
        self._pg_ctl = str(bindir / "pg_ctl")
        self._data = data
        self.how = "a cluster of its own in %s (port %s)" % (data, port)

    def stop_throwaway(self):
        if self.throwaway_dir:
            subprocess.run([self._pg_ctl, "-D", str(self._data), "-m", "fast", "stop"], capture_output=True)
            shutil.rmtree(self.throwaway_dir, ignore_errors=True)

    def odoo_options(self):
        lines = []
        if self.host:
            lines.append("db_host = %s" % self.host)
        if self.port:
            lines.append("db_port = %s" % self.port)
        if self.user:
            lines.append("db_user = %s" % self.user)
        if self.password:
            lines.append("db_password = %s" % self.password)
        return lines

    def db_exists(self, name):
        proc = self.psql("select 1 from pg_database where datname = '%s'" % name)
        return proc.stdout.strip() == "1"

    def drop_db(self, name):
        self.psql('DROP DATABASE IF EXISTS "%s" WITH (FORCE)' % name)


def free_port(start):
    for port in range(start, start + 200):
        with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as s:
            if s.connect_ex(("127.0.0.1", port)) != 0:
                return port
    raise SystemExit("no free TCP port from %s" % start)


def write_odoo_conf(path, pg, data_dir, http_port, extra=()):
    lines = ["[options]", "data_dir = %s" % data_dir, "http_port = %s" % http_port]
    lines += pg.odoo_options()
    lines += list(extra)
    path.write_text("\n".join(lines) + "\n")


# --------------------------------------------------------------------------
# test
# --------------------------------------------------------------------------


class Part:
    """One part of the test run and what came of it."""

    def __init__(self, name):
        self.name = name
        self.status = "NOT RUN"
        self.detail = ""
        self.passed = self.failed = self.skipped = 0

    def line(self):
        return "%-44s %-8s %s" % (self.name + ":", self.status, self.detail)


def junit_counts(path):
    """(passed, failed, skipped) from a pytest JUnit XML report."""
    tree = ET.parse(path)
    tests = failures = errors = skipped = 0
    for suite in tree.iter("testsuite"):
        tests += int(suite.get("tests", 0))
        failures += int(suite.get("failures", 0))
        errors += int(suite.get("errors", 0))
        skipped += int(suite.get("skipped", 0))
    return tests - failures - errors - skipped, failures + errors, skipped


def run_pytest(part, args, junit, env=None, cwd=ROOT):
    """Run pytest, echoing its output; Odoo ERROR log lines also fail the part."""
    cmd = [PY, "-m", "pytest", "-p", "no:cacheprovider", "--rootdir", str(ROOT), "--junitxml", str(junit)]
    cmd += ["-rfEs"] + args
    say("$ " + " ".join(shlex.quote(c) for c in cmd))
    if junit.exists():
        junit.unlink()
    error_lines = []
    proc = subprocess.Popen(
        cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    for line in proc.stdout:
        sys.stdout.write(line)
        m = LOG_LINE.match(line.rstrip("\n"))
        if m and m["level"] in ("ERROR", "CRITICAL"):
            error_lines.append(line.rstrip("\n"))
    rc = proc.wait()
    if junit.exists():
        part.passed, part.failed, part.skipped = junit_counts(junit)
    if rc == 0 and error_lines:
        say("Odoo logged %d ERROR line(s) during the run:" % len(error_lines))
        for line in error_lines[:20]:
            say("  ! " + line)
        rc = 1
    if rc == 5:
        part.status, part.detail = "FAILED", "no test was collected"
        part.failed = max(part.failed, 1)
    elif rc != 0:
        part.status = "FAILED"
        part.failed = max(part.failed, 1)
        part.detail = "%d passed, %d failed, %d skipped (pytest exit %d)" % (
            part.passed,
            part.failed,
            part.skipped,
            rc,
        )
    else:
        part.status = "PASSED"
        part.detail = "%d passed, %d failed, %d skipped" % (part.passed, part.failed, part.skipped)
    return rc


def run_tool(part, cmd):
    say("$ " + " ".join(shlex.quote(c) for c in cmd))
    rc = subprocess.run(cmd, cwd=ROOT).returncode
    if rc == 0:
        part.status, part.detail, part.passed = "PASSED", "clean", 1
    else:
        part.status, part.detail, part.failed = "FAILED", "%s exit %d" % (Path(cmd[2]).name, rc), 1
    return rc


LOG_LINE = re.compile(
    r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ (?P<level>[A-Z]+) (?P<db>\S+) (?P<logger>\S+): (?P<msg>.*)$"
)
TEST_STATS = re.compile(r"(\d+) failed, (\d+) error\(s\) of (\d+) tests")


def scan_odoo_log(path):
    """What an Odoo log says: problem lines and the final test counts."""
    module_problems, other_errors, other_warnings = [], [], []
    stats = None
    for raw in path.read_text(errors="replace").splitlines():
        m = LOG_LINE.match(raw)
        if not m:
            continue
        level, logger, msg = m["level"], m["logger"], m["msg"]
        found = TEST_STATS.search(msg)
        if found and "when loading database" in msg:
            stats = tuple(int(x) for x in found.groups())
        if level not in ("WARNING", "ERROR", "CRITICAL"):
            continue
        if logger.startswith("odoo.addons.%s" % ADDON) or ADDON in msg:
            module_problems.append(raw)
        elif level in ("ERROR", "CRITICAL"):
            other_errors.append(raw)
        else:
            other_warnings.append(raw)
    return module_problems, other_errors, other_warnings, stats


def run_odoo(cmd, log_path, env):
    """Run Odoo, keep its whole log in a file, echo only what matters."""
    say("$ " + " ".join(shlex.quote(c) for c in cmd))
    say("  (full log: %s)" % log_path)
    keep = re.compile(
        r" (WARNING|ERROR|CRITICAL) |odoo\.tests\.(stats|result)|Starting post tests|post-tests in"
    )
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            cmd,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
            cwd=tempfile.gettempdir(),
        )
        for line in proc.stdout:
            log.write(line)
            if keep.search(line) or line.startswith(("FAIL:", "ERROR:", "Traceback", "AssertionError")):
                sys.stdout.write("  | " + line)
        return proc.wait()


def cmd_test(args):
    LOG_DIR.mkdir(exist_ok=True)
    parts = []
    skipped_notes = []
    started = time.time()

    # (a) pure tests and static checks: always.
    banner("Pure tests and static checks (tests/)")
    pure = Part("Pure tests & static checks")
    parts.append(pure)
    # pytest-odoo imports odoo when it loads; keep it out of the pure run so
    # that the pure tests behave the same with or without Odoo.
    run_pytest(pure, ["-p", "no:odoo", "tests"], LOG_DIR / "pure-junit.xml")

    banner("Lint: ruff")
    ruff = Part("Lint (ruff check + format)")
    parts.append(ruff)
    rc = run_tool(ruff, [PY, "-m", "ruff", "check", "."])
    if rc == 0:
        run_tool(ruff, [PY, "-m", "ruff", "format", "--check", "."])

    banner("Lint: pylint-odoo")
    pylint = Part("Lint (pylint-odoo)")
    parts.append(pylint)
    has_pylint = subprocess.run([PY, "-c", "import pylint_odoo"], capture_output=True).returncode == 0
    if has_pylint:
        run_tool(pylint, [PY, "-m", "pylint", "--rcfile=.pylintrc", *ADDONS])
    else:
        pylint.status, pylint.detail = "SKIPPED", "— pylint-odoo is not installed in %s" % PY
        pylint.skipped = 1
        skipped_notes.append(pylint.line())

    # (b) Odoo tests: wherever odoo imports, one fresh database per suite.
    runs = []
    for suite in SUITES:
        runner = "odoo --test-enable" if suite.runner == "odoo" else "pytest-odoo"
        part = Part("Odoo tests, %s (%s)" % (suite.key, runner))
        runs.append((suite, part))
        parts.append(part)
    version, why = odoo_version()
    if not version:
        skipped_notes += mark_odoo_parts_not_run([part for _suite, part in runs], why)
    else:
        pg = Postgres()
        try:
            pg.ensure()
        except (SystemExit, subprocess.CalledProcessError) as exc:
            for _suite, part in runs:
                part.status, part.detail = "FAILED", "— no PostgreSQL server: %s" % exc
                part.failed = 1
            pg = None
        if pg:
            say("PostgreSQL: %s" % pg.how)
            try:
                for suite, part in runs:
                    banner(
                        "Odoo %s tests %s: install %s (with %s for the tests) into a fresh database"
                        % (version, suite.label, ", ".join(suite.install), ", ".join(TEST_EXTRA_MODULES))
                    )
                    run_odoo_tests(args, pg, suite, part)
            finally:
                pg.stop_throwaway()

    # Summary.
    banner("Summary (%.0fs)" % (time.time() - started))
    for part in parts:
        say(part.line())
    total_passed = sum(p.passed for p in parts)
    total_failed = sum(p.failed for p in parts)
    total_skipped = sum(p.skipped for p in parts)
    failed = [p for p in parts if p.status == "FAILED"]
    say()
    if skipped_notes:
        say("Skipped:")
        for note in skipped_notes:
            say("  " + note)
    say("RESULT: %s" % ("FAILED (%s)" % ", ".join(p.name for p in failed) if failed else "PASSED"))
    say("Total: %d passed, %d failed, %d skipped" % (total_passed, total_failed, total_skipped))
    return 1 if failed else 0


def mark_odoo_parts_not_run(parts, why):
    """Odoo is not importable: the Odoo parts are skipped, except in CI
    (CI=true), where a skipped Odoo part would pass without testing the
    module, so they fail. Returns the notes for the summary."""
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        for part in parts:
            part.status, part.detail, part.failed = "FAILED", "— CI=true and " + why, 1
        return []
    for part in parts:
        part.status, part.detail, part.skipped = "SKIPPED", "— " + why, 1
    return ["Odoo tests: SKIPPED — %s" % why]


def run_odoo_tests(args, pg, suite, part):
    """Install the suite's modules into a fresh database and run its tests
    with the suite's runner; any WARNING/ERROR the module logs while it is
    installed fails the part too."""
    stamp = datetime.datetime.now().strftime("%Y%m%d%H%M%S")
    db = (
        "%s_%s" % (args.db, suite.key) if args.db else "muzza_test_%s_%s_%d" % (suite.key, stamp, os.getpid())
    )
    work = Path(tempfile.mkdtemp(prefix="muzza-odoo-"))
    conf = work / "odoo.conf"
    write_odoo_conf(conf, pg, work / "data", free_port(8169))
    env = pg.env()
    try:
        if pg.db_exists(db):
            pg.drop_db(db)
        log_path = LOG_DIR / ("odoo-test-install-%s.log" % suite.key)
        cmd = [
            PY,
            "-m",
            "odoo",
            "-c",
            str(conf),
            "-d",
            db,
            "-i",
            ",".join(suite.install + TEST_EXTRA_MODULES),
        ]
        if suite.runner == "odoo":
            cmd += ["--test-enable", "--test-tags", ",".join("/" + addon for addon in suite.tested)]
        cmd += ["--stop-after-init", "--log-level=info", "--max-cron-threads=0"]
        rc = run_odoo(cmd, log_path, env)
        problems, _stats = install_problems(rc, log_path, part, count_tests=suite.runner == "odoo")
        if suite.runner == "pytest" and not problems:
            banner("Odoo tests through pytest-odoo (database %s)" % db)
            run_pytest(
                part,
                [
                    "--odoo-config",
                    str(conf),
                    "--odoo-database",
                    db,
                    "--odoo-log-level",
                    "warn",
                    "--odoo-http",
                    # test mode, or Odoo's test framework logs an ERROR when imported
                    "--odoo-extra",
                    "test-enable",
                    "-p",
                    "no:warnings",
                    *(str(ROOT / addon / "tests") for addon in suite.tested),
                ],
                LOG_DIR / ("pytest-odoo-junit-%s.xml" % suite.key),
                env=env,
            )
            return
        if problems:
            part.status = "FAILED"
            part.failed = max(part.failed, 1)
            part.detail = "; ".join(problems)
        else:
            part.status = "PASSED"
            part.detail = "%d passed, 0 failed; install log: 0 WARNING/ERROR from %s" % (
                part.passed,
                " or ".join(suite.tested),
            )
    finally:
        if args.keep_db:
            say("Kept database %s (config %s)" % (db, conf))
        else:
            pg.drop_db(db)
            shutil.rmtree(work, ignore_errors=True)


def install_problems(rc, log_path, part, count_tests):
    """What went wrong while Odoo installed (and, with Odoo's runner, tested)
    the modules: ``([problem, ...], stats)``; counts tests into ``part``."""
    module_problems, other_errors, other_warnings, stats = scan_odoo_log(log_path)
    problems = []
    if rc != 0:
        problems.append("odoo exit %d" % rc)
    if count_tests:
        if stats is None:
            problems.append("no test report in the log")
        else:
            failures, errors, ran = stats
            part.passed = ran - failures - errors
            part.failed = failures + errors
            if failures or errors:
                problems.append("%d failed, %d error(s)" % (failures, errors))
            if not ran:
                problems.append("no test ran")
    if module_problems:
        problems.append("%d WARNING/ERROR line(s) from %s" % (len(module_problems), " or ".join(ADDONS)))
    if other_errors:
        problems.append("%d ERROR line(s) from other loggers" % len(other_errors))
    for line in (module_problems + other_errors)[:30]:
        say("  ! " + line)
    if other_warnings:
        say("Warnings from other modules' loggers (not counted as failures):")
        for line in other_warnings[:15]:
            say("  ~ " + line)
    return problems, stats


# --------------------------------------------------------------------------
# run
# --------------------------------------------------------------------------


def cmd_run(args):
    version, why = odoo_version()
    if not version:
        say(why)
        say(HOW_TO_GET_ODOO.format(py=PY))
        return 2
    state = ROOT / ".odoo"
    state.mkdir(exist_ok=True)
    pg = Postgres()
    pg.ensure(persistent_dir=state / "pgdata")
    say("PostgreSQL: %s" % pg.how)
    conf = state / "odoo.conf"
    write_odoo_conf(conf, pg, state / "data", args.port, extra=["dbfilter = ^%s$" % re.escape(args.db)])
    action = ["-u", ADDON] if pg.db_exists(args.db) else ["-i", ADDON]
    cmd = [PY, "-m", "odoo", "-c", str(conf), "-d", args.db] + action
    say("Odoo %s with %s and its demo data, database %r" % (version, ADDON, args.db))
    say("Open http://localhost:%s and log in as admin / admin (Ctrl-C stops it)." % args.port)
    say("$ " + " ".join(shlex.quote(c) for c in cmd))
    try:
        return subprocess.call(cmd, env=pg.env())
    except KeyboardInterrupt:
        return 0


# --------------------------------------------------------------------------
# i18n
# --------------------------------------------------------------------------


def cmd_i18n(args):
    import polib

    version, why = odoo_version()
    if not version:
        say(why)
        say(HOW_TO_GET_ODOO.format(py=PY))
        return 2
    pg = Postgres()
    pg.ensure()
    db = "muzza_i18n_%d" % os.getpid()
    work = Path(tempfile.mkdtemp(prefix="muzza-i18n-"))
    conf = work / "odoo.conf"
    write_odoo_conf(conf, pg, work / "data", free_port(8269))
    pots = {addon: ROOT / addon / "i18n" / ("%s.pot" % addon) for addon in ADDONS}
    try:
        # the bridge brings the main addon and sale_stock with it
        say("==> installing %s in a scratch database to export their terms" % ", ".join(ADDONS))
        base = [PY, "-m", "odoo", "-c", str(conf), "-d", db, "--stop-after-init", "--log-level=warn"]
        subprocess.run(base + ["-i", ",".join(ADDONS)], check=True, env=pg.env(), cwd=work)
        for addon, pot in pots.items():
            subprocess.run(
                base + ["--i18n-export=%s" % pot, "--modules=%s" % addon], check=True, env=pg.env(), cwd=work
            )
    finally:
        pg.drop_db(db)
        pg.stop_throwaway()
        shutil.rmtree(work, ignore_errors=True)
    missing = []
    for addon, pot in pots.items():
        template = polib.pofile(str(pot))
        for lang in ("es",):
            po_path = ROOT / addon / "i18n" / ("%s.po" % lang)
            po = polib.pofile(str(po_path)) if po_path.exists() else polib.POFile()
            po.merge(template)
            po.metadata.update(
                {
                    "Project-Id-Version": "Odoo Server %s" % version,
                    "Language": lang,
                    "MIME-Version": "1.0",
                    "Content-Type": "text/plain; charset=UTF-8",
                    "Content-Transfer-Encoding": "",
                    "Plural-Forms": "nplurals=2; plural=(n != 1);",
                }
            )
            # obsolete entries would only confuse translators
            for entry in [e for e in po if e.obsolete]:
                po.remove(entry)
            po.save(str(po_path))
            missing += [
                "%s/%s: %s" % (addon, lang, e.msgid) for e in po.untranslated_entries() + po.fuzzy_entries()
            ]
        say("Exported %s (%d terms)." % (pot.relative_to(ROOT), len(template)))
    if missing:
        say("Untranslated or fuzzy, to complete by hand:")
        for line in missing:
            say("  " + line)
        return 1
    say("The es.po files are complete.")
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(prog="devtool", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p_test = sub.add_parser("test", help="pure tests, static checks, lint, and Odoo tests where odoo imports")
    p_test.add_argument(
        "--db", help="name prefix of the Odoo test databases, suffixed _base and _stock (default: new names)"
    )
    p_test.add_argument("--keep-db", action="store_true", help="keep the test databases afterwards")
    p_run = sub.add_parser("run", help="Odoo on localhost with the module and its demo data")
    p_run.add_argument("--db", default=os.environ.get("MUZZA_DB", "muzza_demo"))
    p_run.add_argument("--port", type=int, default=int(os.environ.get("MUZZA_PORT", "8069")))
    sub.add_parser("i18n", help="regenerate each addon's i18n/<addon>.pot and merge it into its es.po")
    args = parser.parse_args(argv)
    return {"test": cmd_test, "run": cmd_run, "i18n": cmd_i18n}[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
