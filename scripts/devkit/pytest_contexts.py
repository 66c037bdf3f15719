"""A pytest plugin for the pytest-odoo run of ``scripts/test``: it leaves out
the Odoo test classes that run once, in the other context, and lists every
test it collected, so that the harness can check that each one ran where it
should.

Only ``scripts/test`` loads it (``-p devkit.pytest_contexts``, with
``scripts/`` on ``PYTHONPATH``): pytest-odoo run by hand runs every test.
"""

import json

from .base import ONCE_TAGS


def pytest_addoption(parser):
    group = parser.getgroup("muzza", "muzza_receivables test contexts")
    group.addoption(
        "--muzza-skip-tag",
        action="append",
        default=[],
        choices=ONCE_TAGS,
        help="leave out the Odoo test classes with this tag (they run in the other context)",
    )
    group.addoption(
        "--muzza-collected",
        metavar="PATH",
        help="write every collected Odoo test, its one-context tag and whether it runs here (JSON)",
    )


def test_id(module, cls, method):
    """``odoo.addons.<addon>.tests.<file>:<Class>.<method>``: what Odoo's own
    runner logs for a test (``<logger>: Starting <Class>.<method>``)."""
    return "%s:%s.%s" % (module, cls, method)


def once_tags(item):
    """The one-context tags of the test's class (Odoo's ``tagged`` puts its
    tags on the class, and a subclass inherits them)."""
    return sorted(set(getattr(getattr(item, "cls", None), "test_tags", None) or ()) & set(ONCE_TAGS))


def pytest_collection_modifyitems(config, items):
    skip = set(config.getoption("--muzza-skip-tag"))
    kept, left_out, listed = [], [], []
    for item in items:
        tags = once_tags(item)
        runs = not skip.intersection(tags)
        (kept if runs else left_out).append(item)
        if getattr(item, "cls", None) is not None:
            listed.append(
                {
                    "id": test_id(item.module.__name__, item.cls.__name__, item.name),
                    "tags": tags,
                    "runs_here": runs,
                }
            )
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = kept
    path = config.getoption("--muzza-collected")
    if path:
        with open(path, "w") as out:
            json.dump(listed, out, indent=1)
