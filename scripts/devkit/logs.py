"""Reading what the runners leave behind: Odoo's log and pytest's JUnit XML."""

import re
import xml.etree.ElementTree as ET

from .base import ADDON

_LOG_RECORD = (
    r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ (?P<level>[A-Z]+) (?P<db>\S+) (?P<logger>\S+): (?P<msg>.*)$"
)
LOG_LINE = re.compile("^" + _LOG_RECORD)
# In pytest's output (run with -s), a log line may follow pytest's progress
# dots or a test's name on the same line.
LOG_LINE_IN_TEXT = re.compile(_LOG_RECORD)
TEST_STARTED = re.compile(r"^Starting (?P<test>\w+\.\w+) \.\.\.")
TEST_STATS = re.compile(r"(\d+) failed, (\d+) error\(s\) of (\d+) tests")


def junit_counts(path):
    """(passed, failed, skipped) tests from a pytest JUnit XML report.

    Counted from the ``<testcase>`` elements: the suites' ``tests``
    attribute also counts each ``subTest``, which would inflate the figures.
    """
    passed = failed = skipped = 0
    for case in ET.parse(path).iter("testcase"):
        outcomes = {child.tag for child in case}
        if outcomes & {"failure", "error"}:
            failed += 1
        elif "skipped" in outcomes:
            skipped += 1
        else:
            passed += 1
    return passed, failed, skipped


def tests_started(path):
    """The tests Odoo's runner started, as ``<module>:<Class>.<method>``
    (``odoo.addons.<addon>.tests.<file>``, the logger of the test)."""
    started = set()
    for raw in path.read_text(errors="replace").splitlines():
        m = LOG_LINE.match(raw)
        if m and m["level"] == "INFO":
            test = TEST_STARTED.match(m["msg"])
            if test:
                started.add("%s:%s" % (m["logger"], test["test"]))
    return started


def scan_odoo_log(path):
    """What an Odoo log says: the module's WARNING/ERROR lines, other
    loggers' errors and warnings, and the final test counts."""
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
