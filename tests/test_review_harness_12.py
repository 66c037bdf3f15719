"""Review of the harness (issue 12): each test shows a way a broken Odoo
suite is reported as a pass, and fails until it is fixed."""

from types import SimpleNamespace

from test_dev_harness import load_devtool


def test_a_suite_thread_that_dies_on_systemexit_fails_the_run(monkeypatch):
    """``run_suites_side_by_side`` catches ``Exception`` in each suite's
    thread, but the devkit reports its own dead ends with ``SystemExit``
    (``free_port``: "no free TCP port"): the thread dies, its part stays
    "NOT RUN", and the summary counts only "FAILED" parts: RESULT: PASSED."""
    dt = load_devtool()
    from devkit import runner

    def no_port(*_args, **_kwargs):
        raise SystemExit("no free TCP port from 8169")

    monkeypatch.setattr(runner, "run_odoo_tests", no_port)
    runs = [(suite, dt.Part("Odoo tests, %s" % suite.key)) for suite in dt.SUITES]
    runner.run_suites_side_by_side(SimpleNamespace(db=None, keep_db=False), None, "18.0", runs)
    for _suite, part in runs:
        assert part.status == "FAILED", part.line()


def test_a_module_warning_under_pytest_odoo_fails_the_part(monkeypatch, tmp_path):
    """The issue keeps "failing on module warnings", and the Odoo runner's
    suite does (``scan_odoo_log``); the pytest-odoo suite's ``run_pytest``
    fails only on ERROR/CRITICAL lines: a WARNING the module logs while its
    tests run under pytest-odoo passes."""
    dt = load_devtool()
    from devkit import runner

    script = tmp_path / "fake_pytest.py"
    script.write_text(
        "print('2026-11-24 02:00:00,000 1 WARNING db odoo.addons.muzza_receivables.models.x: broken')\n"
        "raise SystemExit(0)\n"
    )
    part = dt.Part("Odoo tests, stock (pytest-odoo)")
    # run the fake in place of "python -m pytest ..."
    real_popen = runner.subprocess.Popen

    def popen(cmd, **kwargs):
        return real_popen(["python3", str(script)], **kwargs)

    monkeypatch.setattr(runner.subprocess, "Popen", popen)
    runner.run_pytest(part, [], tmp_path / "junit.xml", dt.Output(buffered=True))
    assert part.status == "FAILED", part.line()
