"""The developer entry point: CI runs README's test command, and the test
runner reads Odoo's log and pytest's reports the way it claims to."""

import importlib
import re
import sys
import types
from types import SimpleNamespace

from conftest import ROOT


def load_devtool():
    """The devkit package's modules, as one namespace."""
    scripts = str(ROOT / "scripts")
    if scripts not in sys.path:
        sys.path.insert(0, scripts)
    names = {}
    for job in ("base", "logs", "odoo_env", "runner"):
        names.update(vars(importlib.import_module("devkit." + job)))
    return types.SimpleNamespace(**names)


def readme_command(title):
    readme = (ROOT / "README.md").read_text()
    match = re.search(r"<!-- %s -->\s*```(?:sh|bash)?\n(.+?)\n```" % re.escape(title), readme, re.DOTALL)
    assert match, "README.md has a '%s' command block" % title
    return match.group(1).strip()


def test_ci_runs_exactly_the_readme_test_command():
    command = readme_command("test-command")
    ci = (ROOT / ".ci" / "run").read_text()
    lines = [line.strip() for line in ci.splitlines() if line.strip() and not line.startswith("#")]
    assert lines[-1] in (command, "exec " + command)
    assert (ROOT / command.split()[0]).is_file()


def test_readme_run_command_exists():
    command = readme_command("run-command")
    assert (ROOT / command.split()[0]).is_file()


SAMPLE_LOG = """\
2026-11-23 05:00:01,000 42 INFO db odoo.modules.loading: loading 1 modules...
2026-11-23 05:00:02,000 42 WARNING db odoo.addons.base.models.ir_module: module foo: description is empty!
2026-11-23 05:00:03,000 42 WARNING db odoo.addons.muzza_receivables.models.account_move: oops
2026-11-23 05:00:04,000 42 ERROR db odoo.addons.muzza_receivables.tests.test_x: FAIL: TestX.test_y
Traceback (most recent call last):
AssertionError: 1 != 2
2026-11-23 05:00:05,000 42 ERROR db odoo.sql_db: bad query
2026-11-23 05:00:06,000 42 ERROR db odoo.tests.result: 1 failed, 0 error(s) of 7 tests when loading database 'db'
"""  # noqa: E501


def test_log_scan_separates_module_lines_and_reads_test_counts(tmp_path):
    devtool = load_devtool()
    log = tmp_path / "odoo.log"
    log.write_text(SAMPLE_LOG)
    module_problems, other_errors, other_warnings, stats = devtool.scan_odoo_log(log)
    assert len(module_problems) == 2  # the module's WARNING and its failing test
    assert [line.split(" ", 5)[-1] for line in other_errors] == [
        "odoo.sql_db: bad query",
        "odoo.tests.result: 1 failed, 0 error(s) of 7 tests when loading database 'db'",
    ]
    assert len(other_warnings) == 1
    assert stats == (1, 0, 7)


def test_junit_counts(tmp_path):
    devtool = load_devtool()
    report = tmp_path / "junit.xml"
    # a failure, an error, a skip, and a pass whose three subTests pytest
    # counts in the suite's "tests" attribute
    report.write_text(
        '<testsuites><testsuite name="pytest" tests="7" failures="1" errors="1" skipped="1">'
        '<testcase name="a"><failure message="x"/></testcase>'
        '<testcase name="b"><error message="y"/></testcase>'
        '<testcase name="c"><skipped message="z"/></testcase>'
        '<testcase name="d"><system-out>ok</system-out></testcase>'
        '<testcase name="e"/>'
        "</testsuite></testsuites>"
    )
    assert devtool.junit_counts(report) == (2, 2, 1)


def test_the_odoo_tests_run_without_and_with_the_stock_app():
    devtool = load_devtool()
    base, stock = devtool.SUITES
    # without stock, the bridge is neither installed nor tested
    assert base.install == [devtool.ADDON] and base.tested == [devtool.ADDON]
    # with it, the bridge brings sale_stock, and the main addon's tests run again
    assert stock.install == [devtool.STOCK_ADDON]
    assert stock.tested == [devtool.ADDON, devtool.STOCK_ADDON]
    # each test runs in at most two contexts, and pytest-odoo is one runner
    assert {base.runner, stock.runner} == {"odoo", "pytest"}
    manifest = (ROOT / devtool.STOCK_ADDON / "__manifest__.py").read_text()
    assert '"sale_stock"' in manifest and '"auto_install": True' in manifest


def test_ci_provisions_odoo_where_it_is_missing_and_never_skips_it(monkeypatch):
    ci = (ROOT / ".ci" / "run").read_text()
    assert "import odoo" in ci and "shared/odoo/provision" in ci
    assert 'export CI="${CI:-true}"' in ci
    devtool = load_devtool()
    parts = [devtool.Part("Odoo tests, base"), devtool.Part("Odoo tests, stock")]
    monkeypatch.setenv("CI", "true")
    assert devtool.mark_odoo_parts_not_run(parts, "odoo is not importable") == []
    assert [p.status for p in parts] == ["FAILED", "FAILED"]
    monkeypatch.delenv("CI")
    parts = [devtool.Part("Odoo tests, base")]
    assert devtool.mark_odoo_parts_not_run(parts, "odoo is not importable")
    assert parts[0].status == "SKIPPED"


def test_the_two_odoo_suites_run_side_by_side_and_print_in_blocks(capsys):
    devtool = load_devtool()
    out = devtool.Output(buffered=True)
    out.banner("suite")
    out.say("line")
    assert capsys.readouterr().out == ""
    out.flush()
    assert capsys.readouterr().out.endswith("== suite\n" + "=" * 78 + "\nline\n")
    ports = {devtool.free_port(8169), devtool.free_port(8169)}
    assert len(ports) == 2, "two suites never get the same HTTP port"


def run_suite(monkeypatch, tmp_path, suite):
    """What the harness runs for ``suite``: Odoo's command and pytest's."""
    devtool = load_devtool()
    from devkit import runner

    seen = {}

    def run_odoo(cmd, log_path, env, out):
        seen.update(odoo=cmd, env=env)
        log_path.write_text("")
        return 0

    monkeypatch.setattr(runner, "LOG_DIR", tmp_path)
    monkeypatch.setattr(runner, "run_odoo", run_odoo)
    monkeypatch.setattr(runner, "install_problems", lambda *args: [])
    monkeypatch.setattr(runner, "run_pytest", lambda part, args, *_rest, **_kw: seen.update(pytest=args))
    pg = SimpleNamespace(env=dict, drop_db=lambda name: None, odoo_options=list)
    args = SimpleNamespace(db=None, keep_db=False)
    runner.run_odoo_tests(args, pg, suite, devtool.Part(suite.key), devtool.Output(buffered=True))
    return seen


def test_pytest_odoo_runs_no_odoo_at_install_test_and_shows_odoo_log(monkeypatch, tmp_path):
    """Test mode, which pytest-odoo's registry load would take as the order
    to run the at_install tests of every installed module (about a thousand
    of base, stock, account...), but none of those; and -s, or pytest keeps
    the log of a passing test, WARNING and ERROR lines included."""
    seen = run_suite(monkeypatch, tmp_path, load_devtool().SUITES[1])
    assert "-m odoo " in " ".join(seen["odoo"])
    command = " ".join(seen["pytest"])
    assert "--odoo-extra test-enable --odoo-extra test-tags=-at_install" in command
    assert " -s " in command


def test_odoo_log_lines_after_pytest_progress_dots_still_fail_the_part(monkeypatch, tmp_path):
    """With -s, Odoo's log reaches pytest's output, after its dots."""
    devtool = load_devtool()
    from devkit import runner

    script = tmp_path / "fake_pytest.py"
    junit = tmp_path / "junit.xml"
    script.write_text(
        "import pathlib\n"
        "print('muzza_receivables/tests/test_x.py ..2026-11-24 02:00:00,000 1 WARNING db "
        "odoo.addons.muzza_receivables.models.x: broken')\n"
        # the tests passed
        'pathlib.Path(%r).write_text(\'<testsuite><testcase name="a"/><testcase name="b"/></testsuite>\')\n'
        % str(junit)
    )
    real_popen = runner.subprocess.Popen
    monkeypatch.setattr(
        runner.subprocess, "Popen", lambda cmd, **kwargs: real_popen(["python3", str(script)], **kwargs)
    )
    part = devtool.Part("Odoo tests, stock (pytest-odoo)")
    runner.run_pytest(part, [], junit, devtool.Output(buffered=True))
    assert (part.passed, part.status) == (2, "FAILED"), part.line()


def test_odoo_runner_builds_no_asset_bundle_first(monkeypatch, tmp_path):
    seen = run_suite(monkeypatch, tmp_path, load_devtool().SUITES[0])
    assert seen["odoo"][1:3] == ["-m", "devkit.odoo_runner"]
    assert seen["env"]["PYTHONPATH"].split(":")[0] == str(ROOT / "scripts"), "devkit is importable"
    source = (ROOT / "scripts" / "devkit" / "odoo_runner.py").read_text()
    assert "IrQWeb._pregenerate_assets_bundles = _no_pregenerated_assets" in source


def test_the_pure_tests_and_lint_run_beside_the_odoo_suites(monkeypatch):
    """The Odoo suites start first; a suite that ends during the lint waits
    for it to print its block."""
    load_devtool()
    from devkit import runner

    steps = []

    def start(args, runs, notes):
        steps.append("odoo started")
        for _suite, part in runs:
            part.status = "PASSED"
        return [SimpleNamespace(join=lambda: steps.append("odoo joined"))], None

    def lint(parts, notes):
        steps.append("lint, output %s" % ("held" if runner.Output.lock.locked() else "free"))

    monkeypatch.setattr(runner, "start_odoo_parts", start)
    monkeypatch.setattr(runner, "run_pure_tests_and_lint", lint)
    monkeypatch.setattr(runner, "check_contexts", lambda runs, part: None)
    runner.cmd_test(SimpleNamespace(db=None, keep_db=False))
    assert steps == ["odoo started", "lint, output held", "odoo joined"]
