"""Where the Odoo tests run (README, "Tests"): each test class in both
contexts, without and with the stock app, unless it is tagged to run once, in
one of them; no class runs nowhere, and the harness checks it after a run."""

import json
import textwrap
from types import SimpleNamespace

import pytest
from conftest import ADDON_DIRS, ROOT
from context_checks import context_problems
from test_dev_harness import load_devtool, run_suite

WITHOUT = "muzza_once_without_stock"
WITH = "muzza_once_with_stock"


def test_the_addons_test_classes_run_where_their_tags_say():
    assert context_problems(ADDON_DIRS) == []


def addons(tmp_path, main, bridge=""):
    for name, source in (("muzza_receivables", main), ("muzza_receivables_stock", bridge)):
        tests = tmp_path / name / "tests"
        tests.mkdir(parents=True)
        (tests / "test_x.py").write_text(textwrap.dedent(source))
    return [tmp_path / "muzza_receivables", tmp_path / "muzza_receivables_stock"]


def test_a_class_that_would_run_nowhere_is_refused(tmp_path):
    dirs = addons(
        tmp_path,
        main=f"""
        @tagged("post_install", "-at_install", "{WITHOUT}", "{WITH}")
        class TestBoth(AccountTestInvoicingCommon):
            def test_a(self):
                pass
        """,
        bridge=f"""
        @tagged("post_install", "-at_install", "{WITHOUT}")
        class TestHold(AccountTestInvoicingCommon):
            def test_a(self):
                pass
        """,
    )
    problems = "\n".join(context_problems(dirs))
    assert f"class TestBoth: tagged {WITH} and {WITHOUT}: it runs nowhere" in problems
    assert f"class TestHold: tagged {WITHOUT}, but muzza_receivables_stock is installed only" in problems


def test_a_misspelt_tag_is_refused(tmp_path):
    dirs = addons(
        tmp_path,
        main="""
        @tagged("post_install", "-at_install", "muzza_once_without_stok")
        class TestInvoices(AccountTestInvoicingCommon):
            def test_a(self):
                pass
        """,
    )
    (problem,) = context_problems(dirs)
    assert "class TestInvoices: unknown tag 'muzza_once_without_stok'" in problem


def test_a_one_context_class_may_not_confirm_an_order_even_through_its_base(tmp_path):
    dirs = addons(
        tmp_path,
        main=f"""
        from .test_y import OrderCase

        @tagged("post_install", "-at_install", "{WITH}")
        class TestLate(OrderCase):
            def test_a(self):
                self._invoice()

        @tagged("post_install", "-at_install", "{WITHOUT}")
        class TestInvoiceOnly(AccountTestInvoicingCommon):
            def test_a(self):
                self.init_invoice("out_invoice", amounts=[10.0])
        """,
    )
    (tmp_path / "muzza_receivables" / "tests" / "test_y.py").write_text(
        textwrap.dedent(
            """
            class OrderCase(AccountTestInvoicingCommon):
                def _invoice(self):
                    order = self.env["sale.order"].create({})
                    order.action_confirm()
            """
        )
    )
    (problem,) = context_problems(dirs)
    assert f"class TestLate: tagged {WITH}, but its base OrderCase names 'sale.order', 'action_" in problem


def test_a_one_context_tag_is_not_passed_on_unseen(tmp_path):
    dirs = addons(
        tmp_path,
        main=f"""
        @tagged("post_install", "-at_install", "{WITHOUT}")
        class FeeCase(AccountTestInvoicingCommon):
            def test_a(self):
                pass

        class TestMoreFees(FeeCase):
            def test_b(self):
                pass

        @tagged("post_install", "-at_install", "-{WITHOUT}")
        class TestFeesEverywhere(FeeCase):
            def test_c(self):
                pass
        """,
    )
    (problem,) = context_problems(dirs)
    assert f"class FeeCase: tagged {WITHOUT}, which Odoo passes on to TestMoreFees, TestFeesEve" in problem


def test_each_suite_skips_the_classes_that_run_once_in_the_other():
    devtool = load_devtool()
    base, stock = devtool.SUITES
    assert {base.once_tag, stock.once_tag} == set(devtool.ONCE_TAGS) == {WITHOUT, WITH}
    assert (base.once_tag, base.skip_tag) == (WITHOUT, WITH)
    assert (stock.once_tag, stock.skip_tag) == (WITH, WITHOUT)


def fake_item(module, cls_name, method, tags):
    cls = type(cls_name, (), {"test_tags": set(tags)})
    return SimpleNamespace(module=SimpleNamespace(__name__=module), cls=cls, name=method)


def test_the_pytest_plugin_leaves_out_the_other_contexts_classes_and_lists_all(tmp_path):
    load_devtool()
    from devkit import pytest_contexts

    listed = tmp_path / "collected.json"
    options = {"--muzza-skip-tag": [WITHOUT], "--muzza-collected": str(listed)}
    deselected = []
    config = SimpleNamespace(
        getoption=options.get,
        hook=SimpleNamespace(pytest_deselected=lambda items: deselected.extend(items)),
    )
    module = "odoo.addons.muzza_receivables.tests.test_x"
    both = fake_item(module, "TestOrders", "test_a", {"standard", "post_install"})
    without = fake_item(module, "TestAging", "test_b", {"standard", "post_install", WITHOUT})
    with_stock = fake_item(module, "TestFees", "test_c", {"standard", "post_install", WITH})
    items = [both, without, with_stock]
    pytest_contexts.pytest_collection_modifyitems(config, items)
    assert items == [both, with_stock]
    assert deselected == [without]
    assert json.loads(listed.read_text()) == [
        {"id": module + ":TestOrders.test_a", "tags": [], "runs_here": True},
        {"id": module + ":TestAging.test_b", "tags": [WITHOUT], "runs_here": False},
        {"id": module + ":TestFees.test_c", "tags": [WITH], "runs_here": True},
    ]
    # pytest-odoo run by hand (no option): every test runs
    items = [both, without, with_stock]
    pytest_contexts.pytest_collection_modifyitems(
        SimpleNamespace(getoption={"--muzza-skip-tag": []}.get, hook=None), items
    )
    assert items == [both, without, with_stock]


@pytest.fixture
def runs_after(tmp_path, monkeypatch):
    """The two suites, passed, with what each left in a log folder of its own."""
    devtool = load_devtool()
    from devkit import runner

    monkeypatch.setattr(runner, "LOG_DIR", tmp_path)

    def make(collected, started):
        runner.collected_path(devtool.SUITES[1]).write_text(json.dumps(collected))
        runner.odoo_log_path(devtool.SUITES[0]).write_text(
            "".join(
                "2026-11-24 04:32:15,541 17 INFO db %s: Starting %s ... \n" % tuple(test.split(":"))
                for test in started
            )
        )
        runs = []
        for suite in devtool.SUITES:
            part = devtool.Part(suite.key)
            part.status = "PASSED"
            runs.append((suite, part))
        part = devtool.Part("contexts")
        runner.check_contexts(runs, part)
        return part

    return make


MAIN = "odoo.addons.muzza_receivables.tests.test_x:"
BRIDGE = "odoo.addons.muzza_receivables_stock.tests.test_hold:"


def collected(*tests):
    return [{"id": test, "tags": tags, "runs_here": WITHOUT not in tags} for test, tags in tests]


def test_the_run_says_where_the_odoo_tests_ran(runs_after):
    part = runs_after(
        collected(
            (MAIN + "TestOrders.test_a", []),
            (MAIN + "TestOrders.test_b", []),
            (MAIN + "TestAging.test_c", [WITHOUT]),
            (MAIN + "TestFees.test_d", [WITH]),
            (BRIDGE + "TestHold.test_e", []),
        ),
        started=[MAIN + "TestOrders.test_a", MAIN + "TestOrders.test_b", MAIN + "TestAging.test_c"],
    )
    assert part.status == "PASSED", part.line()
    assert part.detail == (
        "5 tests: 2 in both contexts, 1 only without the stock app, 2 only with the stock app"
    )


def test_a_test_missing_from_a_context_fails_the_run(runs_after):
    part = runs_after(
        collected((MAIN + "TestOrders.test_a", []), (MAIN + "TestAging.test_c", [WITHOUT])),
        # Odoo's runner ran the one-context test, not the other one
        started=[MAIN + "TestAging.test_c"],
    )
    assert part.status == "FAILED"
    assert part.detail == "1 of 2 tests did not run where they should"


def test_the_contexts_are_checked_once_both_odoo_parts_pass():
    devtool = load_devtool()
    from devkit import runner

    runs = [(suite, devtool.Part(suite.key)) for suite in devtool.SUITES]
    runs[0][1].fail("1 failed")
    part = devtool.Part("contexts")
    runner.check_contexts(runs, part)
    assert part.status == "SKIPPED"


def test_odoo_runs_its_tests_but_for_the_other_contexts_classes(monkeypatch, tmp_path):
    seen = run_suite(monkeypatch, tmp_path, load_devtool().SUITES[0])
    assert "--test-enable --test-tags /muzza_receivables,-%s " % WITH in " ".join(seen["odoo"])


def test_pytest_odoo_runs_its_tests_but_for_the_other_contexts_classes(monkeypatch, tmp_path):
    seen = run_suite(monkeypatch, tmp_path, load_devtool().SUITES[1])
    command = " ".join(seen["pytest"])
    assert "-p devkit.pytest_contexts --muzza-skip-tag %s" % WITHOUT in command
    assert "--muzza-collected %s " % (tmp_path / "pytest-odoo-collected-stock.json") in command
    assert seen["env"]["PYTHONPATH"].split(":")[0] == str(ROOT / "scripts"), "the plugin is importable"
