"""``scripts/test``: the Odoo tests, and beside them the pure tests, static
checks and lint.

The Odoo tests run in two contexts, side by side (one per core): without
the stock app through Odoo's own runner, and with it through pytest-odoo.
Each test runs in both, except the classes tagged to run once, in one of
them (``ONCE_WITHOUT_STOCK``, ``ONCE_WITH_STOCK``); the run then checks that
every test ran where it should. Any WARNING/ERROR the module logs fails
the run.
"""

import datetime
import json
import os
import re
import shlex
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from .base import (
    ADDON,
    ADDONS,
    LOG_DIR,
    ONCE_WITH_STOCK,
    ONCE_WITHOUT_STOCK,
    PY,
    ROOT,
    STOCK_ADDON,
    Output,
    banner,
    say,
)
from .logs import LOG_LINE_IN_TEXT, junit_counts, scan_odoo_log, tests_started
from .odoo_env import Postgres, free_port, odoo_version, write_odoo_conf

# Installed next to the addon in the test databases only: the automatic-payment
# tests charge through Odoo's payment_demo provider (not a dependency).
TEST_EXTRA_MODULES = ["payment_demo"]


class Suite:
    """One fresh test database: what is installed, whose tests run, which
    runner runs them ("odoo": Odoo's own, at install; "pytest": pytest-odoo,
    against the installed database), and the tag of the test classes that
    run only here (``once_tag``) or only in the other suite (``skip_tag``)."""

    def __init__(self, key, label, install, tested, runner, once_tag, skip_tag):
        self.key, self.label, self.install, self.tested, self.runner = key, label, install, tested, runner
        self.once_tag, self.skip_tag = once_tag, skip_tag


# Without the stock app the bridge is not installed (its auto_install waits
# for sale_stock); with it, as an integrator with Inventory has them, the
# main addon's tests run again next to the bridge's, but for the classes
# that involve nothing the stock app changes: each of those runs once.
SUITES = (
    Suite("base", "without the stock app", [ADDON], [ADDON], "odoo", ONCE_WITHOUT_STOCK, ONCE_WITH_STOCK),
    Suite(
        "stock",
        "with the stock app",
        [STOCK_ADDON],
        [ADDON, STOCK_ADDON],
        "pytest",
        ONCE_WITH_STOCK,
        ONCE_WITHOUT_STOCK,
    ),
)


class Part:
    """One part of the test run and what came of it."""

    def __init__(self, name):
        self.name = name
        self.status = "NOT RUN"
        self.detail = ""
        self.passed = self.failed = self.skipped = 0

    def line(self):
        return "%-44s %-8s %s" % (self.name + ":", self.status, self.detail)

    def fail(self, detail):
        self.status, self.detail = "FAILED", detail
        self.failed = max(self.failed, 1)


def is_ci():
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def mark_odoo_parts_not_run(parts, why):
    """Odoo is not importable: the Odoo parts are skipped, except in CI
    (CI=true), where a skipped Odoo part would pass without testing the
    module, so they fail. Returns the notes for the summary."""
    if is_ci():
        for part in parts:
            part.fail("— CI=true and " + why)
        return []
    for part in parts:
        part.status, part.detail, part.skipped = "SKIPPED", "— " + why, 1
    return ["Odoo tests: SKIPPED — %s" % why]


def run_pytest(part, args, junit, out, env=None):
    """Run pytest, echoing its output; Odoo ERROR log lines also fail the part."""
    cmd = [PY, "-m", "pytest", "-p", "no:cacheprovider", "--rootdir", str(ROOT), "--junitxml", str(junit)]
    cmd += ["-rfEs"] + args
    out.say("$ " + shlex.join(cmd))
    if junit.exists():
        junit.unlink()
    error_lines = []
    proc = subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    for line in proc.stdout:
        out.write(line)
        # with pytest's -s, Odoo's log lines may follow its progress dots
        m = LOG_LINE_IN_TEXT.search(line.rstrip("\n"))
        # any ERROR, and the module's own WARNINGs, fail the run (as in Odoo's log)
        if m and (
            m["level"] in ("ERROR", "CRITICAL")
            or (m["level"] == "WARNING" and m["logger"].startswith(tuple("odoo.addons." + a for a in ADDONS)))
        ):
            error_lines.append(line.rstrip("\n"))
    rc = proc.wait()
    if junit.exists():
        part.passed, part.failed, part.skipped = junit_counts(junit)
    if rc == 0 and error_lines:
        out.say("Odoo logged %d ERROR line(s), or module WARNING line(s), in the run:" % len(error_lines))
        for line in error_lines[:20]:
            out.say("  ! " + line)
        rc = 1
    counts = "%d passed, %d failed, %d skipped" % (part.passed, part.failed, part.skipped)
    if rc == 5 or (rc == 0 and not part.passed):
        part.fail("no test ran")
    elif rc != 0:
        part.fail("%s (pytest exit %d)" % (counts, rc))
    else:
        part.status, part.detail = "PASSED", counts
    return rc


def run_tool(part, cmd):
    say("$ " + shlex.join(cmd))
    rc = subprocess.run(cmd, cwd=ROOT).returncode
    if rc == 0:
        part.status, part.detail, part.passed = "PASSED", "clean", 1
    else:
        part.fail("%s exit %d" % (Path(cmd[2]).name, rc))
    return rc


def run_odoo(cmd, log_path, env, out):
    """Run Odoo, keep its whole log in a file, echo only what matters."""
    out.say("$ " + shlex.join(cmd))
    out.say("  (full log: %s)" % log_path)
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
                out.write("  | " + line)
        return proc.wait()


def install_problems(rc, log_path, part, count_tests, out):
    """What went wrong while Odoo installed (and, with Odoo's runner, tested)
    the modules; counts tests into ``part``."""
    module_problems, other_errors, other_warnings, stats = scan_odoo_log(log_path)
    problems = ["odoo exit %d" % rc] if rc else []
    if count_tests:
        if stats is None:
            problems.append("no test report in the log")
        else:
            failures, errors, ran = stats
            part.passed, part.failed = ran - failures - errors, failures + errors
            if failures or errors:
                problems.append("%d failed, %d error(s)" % (failures, errors))
            if not ran:
                problems.append("no test ran")
    if module_problems:
        problems.append("%d WARNING/ERROR line(s) from %s" % (len(module_problems), " or ".join(ADDONS)))
    if other_errors:
        problems.append("%d ERROR line(s) from other loggers" % len(other_errors))
    for line in (module_problems + other_errors)[:30]:
        out.say("  ! " + line)
    if other_warnings:
        out.say("Warnings from other modules' loggers (not counted as failures):")
        for line in other_warnings[:15]:
            out.say("  ~ " + line)
    return problems


def odoo_log_path(suite):
    return LOG_DIR / ("odoo-test-install-%s.log" % suite.key)


def collected_path(suite):
    """Where the pytest-odoo suite lists the tests it collected."""
    return LOG_DIR / ("pytest-odoo-collected-%s.json" % suite.key)


def run_odoo_tests(args, pg, suite, part, out):
    """Install the suite's modules into a fresh database and run its tests
    with the suite's runner."""
    stamp = datetime.datetime.now().strftime("%Y%m%d%H%M%S")
    db = "muzza_test_%s_%s_%d" % (suite.key, stamp, os.getpid())
    if args.db:
        db = "%s_%s" % (args.db, suite.key)
    work = Path(tempfile.mkdtemp(prefix="muzza-odoo-"))
    conf = work / "odoo.conf"
    write_odoo_conf(conf, pg, work / "data", free_port(8169))
    env = pg.env()
    # devkit.odoo_runner, devkit.pytest_contexts
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "scripts"), env.get("PYTHONPATH")]))
    try:
        pg.drop_db(db)
        modules = ",".join(suite.install + TEST_EXTRA_MODULES)
        cmd = [PY, "-m", "odoo", "-c", str(conf), "-d", db, "-i", modules]
        if suite.runner == "odoo":
            # Odoo's runner, but for the asset bundles it would build first
            cmd[1:3] = ["-m", "devkit.odoo_runner"]
            tags = ["/" + addon for addon in suite.tested] + ["-" + suite.skip_tag]
            cmd += ["--test-enable", "--test-tags", ",".join(tags)]
        cmd += ["--stop-after-init", "--log-level=info", "--max-cron-threads=0"]
        log_path = odoo_log_path(suite)
        for stale in (log_path, collected_path(suite)):
            stale.unlink(missing_ok=True)
        rc = run_odoo(cmd, log_path, env, out)
        problems = install_problems(rc, log_path, part, suite.runner == "odoo", out)
        if problems:
            part.fail("; ".join(problems))
        elif suite.runner == "pytest":
            out.banner("Odoo tests through pytest-odoo (database %s)" % db)
            pytest_args = ["--odoo-config", str(conf), "--odoo-database", db, "--odoo-log-level", "warn"]
            # Test mode, or Odoo's test framework logs an ERROR when imported;
            # but, as pytest-odoo loads the registry, Odoo would then run the
            # at_install tests of every installed module (a thousand of base,
            # stock, account... failing there): none of those.
            pytest_args += ["--odoo-http", "--odoo-extra", "test-enable"]
            pytest_args += ["--odoo-extra", "test-tags=-at_install"]
            # -s: Odoo's log reaches this output, where its WARNING/ERROR
            # lines fail the part (pytest would keep those of a passing test)
            pytest_args += ["-s", "-p", "no:warnings"]
            # leave out the classes that run once, in the other context
            pytest_args += ["-p", "devkit.pytest_contexts", "--muzza-skip-tag", suite.skip_tag]
            pytest_args += ["--muzza-collected", str(collected_path(suite))]
            pytest_args += [str(ROOT / addon / "tests") for addon in suite.tested]
            run_pytest(part, pytest_args, LOG_DIR / ("pytest-odoo-junit-%s.xml" % suite.key), out, env=env)
        else:
            part.status = "PASSED"
            part.detail = "%d passed, 0 failed; install log: 0 WARNING/ERROR from %s" % (
                part.passed,
                " or ".join(suite.tested),
            )
    finally:
        if args.keep_db:
            out.say("Kept database %s (config %s)" % (db, conf))
        else:
            pg.drop_db(db)
            shutil.rmtree(work, ignore_errors=True)


def check_contexts(runs, part):
    """Check, after both suites passed, that each Odoo test ran where it
    should: a class tagged for one context in that one only, any other
    in every suite that tests its addon. The pytest-odoo suite lists every
    test it collected, with its tags; Odoo's runner logs each test it starts."""
    if any(p.status != "PASSED" for _suite, p in runs):
        part.status, part.detail, part.skipped = "SKIPPED", "— checked once both Odoo parts pass", 1
        return
    collected, ran = {}, {}
    for suite, _part in runs:
        if suite.runner == "pytest":
            listed = json.loads(collected_path(suite).read_text())
            collected.update((t["id"], t["tags"]) for t in listed)
            ran[suite.key] = {t["id"] for t in listed if t["runs_here"]}
        else:
            ran[suite.key] = tests_started(odoo_log_path(suite))
    misplaced = []
    counts = dict.fromkeys(["in both contexts"] + ["only " + suite.label for suite, _part in runs], 0)
    for test, tags in sorted(collected.items()):
        addon = test.split(".")[2]  # odoo.addons.<addon>.tests.<file>:<Class>.<method>
        want = {
            suite.key
            for suite, _part in runs
            if addon in suite.tested and (not tags or suite.once_tag in tags)
        }
        got = {key for key, tests in ran.items() if test in tests}
        if got != want:
            misplaced.append("%s ran in %s, should in %s" % (test, sorted(got), sorted(want)))
        labels = [suite.label for suite, _part in runs if suite.key in got]
        where = "in both contexts" if len(labels) == len(runs) else "only " + " and ".join(labels)
        counts[where] += 1
    if misplaced:
        say("Odoo tests that did not run where they should:")
        for line in misplaced[:30]:
            say("  ! " + line)
        part.fail("%d of %d tests did not run where they should" % (len(misplaced), len(collected)))
        return
    part.status, part.passed = "PASSED", 1
    part.detail = "%d tests: %s" % (
        len(collected),
        ", ".join("%d %s" % (n, where) for where, n in counts.items()),
    )


def start_suites(args, pg, version, runs):
    """Each suite in a thread of its own (its Odoo is a process of its own);
    a suite's output is printed in one block when it ends. Returns the
    threads."""

    def one(suite, part, out):
        try:
            out.banner(
                "Odoo %s tests %s: install %s (with %s for the tests) into a fresh database"
                % (version, suite.label, ", ".join(suite.install), ", ".join(TEST_EXTRA_MODULES))
            )
            run_odoo_tests(args, pg, suite, part, out)
        except BaseException as exc:  # noqa: BLE001 - SystemExit too: the run must still report, and fail
            part.fail("— the harness broke: %r" % exc)
        finally:
            out.flush()

    threads = []
    for suite, part in runs:
        say("==> started: Odoo tests %s (%s)" % (suite.label, part.name))
        thread = threading.Thread(target=one, args=(suite, part, Output(buffered=True)))
        thread.start()
        threads.append(thread)
    return threads


def run_suites_side_by_side(args, pg, version, runs):
    for thread in start_suites(args, pg, version, runs):
        thread.join()


def start_odoo_parts(args, runs, skipped_notes):
    """Start the Odoo suites, where Odoo and PostgreSQL are there. Returns
    (threads, pg) to wait for; marks the parts when they cannot run."""
    version, why = odoo_version()
    if not version:
        skipped_notes += mark_odoo_parts_not_run([part for _suite, part in runs], why)
        return [], None
    pg = Postgres()
    try:
        pg.ensure()
    except (SystemExit, subprocess.CalledProcessError) as exc:
        for _suite, part in runs:
            part.fail("— no PostgreSQL server: %s" % exc)
        return [], None
    say("PostgreSQL: %s" % pg.how)
    try:
        return start_suites(args, pg, version, runs), pg
    except BaseException:
        pg.stop_throwaway()
        raise


def run_pure_tests_and_lint(parts, skipped_notes):
    banner("Pure tests and static checks (tests/)")
    pure = Part("Pure tests & static checks")
    parts.append(pure)
    # pytest-odoo imports odoo when it loads: keep it out, so that the pure
    # tests behave the same with or without Odoo.
    run_pytest(pure, ["-p", "no:odoo", "tests"], LOG_DIR / "pure-junit.xml", Output())

    banner("Lint: ruff")
    ruff = Part("Lint (ruff check + format)")
    parts.append(ruff)
    if run_tool(ruff, [PY, "-m", "ruff", "check", "."]) == 0:
        run_tool(ruff, [PY, "-m", "ruff", "format", "--check", "."])

    banner("Lint: pylint-odoo")
    pylint = Part("Lint (pylint-odoo)")
    parts.append(pylint)
    if subprocess.run([PY, "-c", "import pylint_odoo"], capture_output=True).returncode == 0:
        run_tool(pylint, [PY, "-m", "pylint", "--rcfile=.pylintrc", *ADDONS])
    else:
        why = "— pylint-odoo is not installed in %s" % PY
        if is_ci():
            pylint.fail(why)
        else:
            pylint.status, pylint.detail, pylint.skipped = "SKIPPED", why, 1
            skipped_notes.append(pylint.line())


def cmd_test(args):
    LOG_DIR.mkdir(exist_ok=True)
    parts, skipped_notes = [], []
    started = time.time()

    runs = []
    for suite in SUITES:
        runner = "odoo --test-enable" if suite.runner == "odoo" else "pytest-odoo"
        runs.append((suite, Part("Odoo tests, %s (%s)" % (suite.key, runner))))
    # The Odoo suites first, the pure tests and lint beside them: they fill
    # the cores while Odoo waits on PostgreSQL, or when one suite is done.
    threads, pg = start_odoo_parts(args, runs, skipped_notes)
    try:
        # a suite that ends meanwhile prints its block after the lint's output
        with Output.lock:
            run_pure_tests_and_lint(parts, skipped_notes)
        for thread in threads:
            thread.join()
    finally:
        if pg:
            pg.stop_throwaway()
    parts += [part for _suite, part in runs]
    contexts = Part("Odoo tests, each where it should run")
    parts.append(contexts)
    check_contexts(runs, contexts)

    banner("Summary (%.0fs)" % (time.time() - started))
    for part in parts:
        say(part.line())
    # a part that never reported (NOT RUN) fails the run as surely as a failure
    failed = [p for p in parts if p.status not in ("PASSED", "SKIPPED")]
    say()
    if skipped_notes:
        say("Skipped:")
        for note in skipped_notes:
            say("  " + note)
    say("RESULT: %s" % ("FAILED (%s)" % ", ".join(p.name for p in failed) if failed else "PASSED"))
    say(
        "Total: %d passed, %d failed, %d skipped"
        % (sum(p.passed for p in parts), sum(p.failed for p in parts), sum(p.skipped for p in parts))
    )
    return 1 if failed else 0
