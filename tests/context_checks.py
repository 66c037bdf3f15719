"""Static checks of where the Odoo test classes run, read from their source
(no Odoo needed).

``scripts/test`` runs the Odoo tests in two contexts, without and with the
stock app. A test class that involves nothing the stock app changes carries
one of two tags and runs once, in that context only (README, "Tests"); every
other class runs in both. ``context_problems(addon_dirs)`` lists, in words:

- a class that would run nowhere: both tags, or the bridge's class tagged to
  run without the stock app (the bridge is not installed there);
- a tag Odoo and the harness do not know (a misspelt one-context tag would
  quietly run the class in both contexts);
- a one-context tag on a class that other test classes derive from: Odoo's
  ``tagged`` passes it on to them, unseen where they are written;
- a one-context class (or a class it derives from) that names what the
  stock app changes or what confirms a sale order: such a class runs in
  both contexts.

Tags are worked out as Odoo does: ``@tagged`` adds to (and, with ``-tag``,
takes from) the tags the class inherits through its method resolution order.
"""

import ast
import sys
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parent.parent / "scripts"
if str(SCRIPTS) not in sys.path:
    sys.path.insert(0, str(SCRIPTS))

from devkit.base import ONCE_TAGS, ONCE_WITHOUT_STOCK, STOCK_ADDON

# Odoo's own tags (the default ones and the install positions).
ODOO_TAGS = {"standard", "at_install", "post_install"}
KNOWN_TAGS = ODOO_TAGS | set(ONCE_TAGS)
# Odoo gives these to a test class that inherits no tag.
DEFAULT_TAGS = frozenset({"standard", "at_install"})
# What a class running in one context only must not name: sale orders and
# what confirms or invoices one (a retainer starts with a confirmed order),
# the portal's order pages, deliveries, products (their type and invoicing
# policy are what the stock app changes).
STOCK_SENSITIVE = (
    "sale.order",
    "action_confirm",
    "_create_invoices",
    "sale.advance.payment.inv",
    "/my/orders",
    "muzza.retainer",
    "_retainer(",
    "_work(",
    "_quotation(",
    "product",
    "stock.",
    "stock_",
    "picking",
    "deliver",
)


class TestClass:
    """A class of a tests module, as written."""

    def __init__(self, addon, path, node, source):
        self.addon, self.path, self.name = addon, path, node.name
        self.where = "%s/tests/%s: class %s" % (addon, path.name, node.name)
        self.base_names = [base.id for base in node.bases if isinstance(base, ast.Name)]
        self.bases = []  # the test classes among them, once resolved
        self.tagged = None  # (added, removed) when the class has @tagged(...)
        for decorator in node.decorator_list:
            if (
                isinstance(decorator, ast.Call)
                and getattr(decorator.func, "id", getattr(decorator.func, "attr", None)) == "tagged"
            ):
                tags = [arg.value for arg in decorator.args if isinstance(arg, ast.Constant)]
                self.tagged = (
                    {tag for tag in tags if not tag.startswith("-")},
                    {tag[1:] for tag in tags if tag.startswith("-")},
                )
        self.own_tests = any(
            isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef) and item.name.startswith("test")
            for item in node.body
        )
        self.body = "\n".join(ast.get_source_segment(source, item) or "" for item in node.body)


def collect(addon_dirs):
    """Every class of every ``<addon>/tests/*.py``, with its bases resolved
    to the classes of those modules (within the module, or imported with
    ``from .module import Name``)."""
    classes, modules = [], {}
    for addon_dir in addon_dirs:
        addon_dir = Path(addon_dir)
        for path in sorted((addon_dir / "tests").glob("*.py")):
            source = path.read_text(encoding="utf-8")
            tree = ast.parse(source)
            own = {}
            imported = {}
            for node in tree.body:
                if isinstance(node, ast.ClassDef):
                    own[node.name] = TestClass(addon_dir.name, path, node, source)
                elif isinstance(node, ast.ImportFrom) and node.level == 1 and node.module:
                    for alias in node.names:
                        imported[alias.asname or alias.name] = node.module
            modules[(addon_dir.name, path.stem)] = (own, imported)
            classes += own.values()
    for (addon, _stem), (own, imported) in modules.items():
        for cls in own.values():
            for name in cls.base_names:
                if name in own:
                    cls.bases.append(own[name])
                elif name in imported:
                    found = modules.get((addon, imported[name]), ({}, {}))[0].get(name)
                    if found:
                        cls.bases.append(found)
    return classes


def mro(cls):
    """The C3 linearisation of ``cls`` among the test modules' classes
    (Odoo's and unittest's classes, which carry no muzza tag, left out)."""
    sequences = [mro(base) for base in cls.bases] + [list(cls.bases)]
    result = [cls]
    while any(sequences):
        for sequence in sequences:
            if sequence and not any(sequence[0] in other[1:] for other in sequences):
                head = sequence[0]
                break
        else:
            raise ValueError("%s: no consistent method resolution order" % cls.where)
        result.append(head)
        sequences = [[c for c in sequence if c is not head] for sequence in sequences]
    return result


def tags_of(cls):
    """The class's ``test_tags`` as Odoo's ``tagged`` leaves them."""
    inherited = next((tags_of(parent) for parent in mro(cls)[1:] if parent.tagged), DEFAULT_TAGS)
    if not cls.tagged:
        return set(inherited)
    added, removed = cls.tagged
    return (set(inherited) | added) - removed


def runs_tests(cls):
    return any(c.own_tests for c in mro(cls))


def context_problems(addon_dirs):
    problems = []
    classes = collect(addon_dirs)
    for cls in classes:
        if cls.tagged:
            for tag in sorted((cls.tagged[0] | cls.tagged[1]) - KNOWN_TAGS):
                problems.append(
                    "%s: unknown tag %r (known: %s)" % (cls.where, tag, ", ".join(sorted(KNOWN_TAGS)))
                )
            once = cls.tagged[0] & set(ONCE_TAGS)
            heirs = [other.name for other in classes if cls in mro(other)[1:]]
            if once and heirs:
                problems.append(
                    "%s: tagged %s, which Odoo passes on to %s: tag each test class itself"
                    % (cls.where, ", ".join(sorted(once)), ", ".join(heirs))
                )
    for cls in classes:
        if not runs_tests(cls):
            continue
        once = tags_of(cls) & set(ONCE_TAGS)
        if len(once) > 1:
            problems.append("%s: tagged %s: it runs nowhere" % (cls.where, " and ".join(sorted(once))))
        if cls.addon == STOCK_ADDON and ONCE_WITHOUT_STOCK in once:
            problems.append(
                "%s: tagged %s, but %s is installed only with the stock app: it runs nowhere"
                % (cls.where, ONCE_WITHOUT_STOCK, STOCK_ADDON)
            )
        if once:
            for part in mro(cls):
                names = [token for token in STOCK_SENSITIVE if token in part.body]
                if names:
                    problems.append(
                        "%s: tagged %s, but %s names %s, which the stock app changes: "
                        "it must run in both contexts (drop the tag)"
                        % (
                            cls.where,
                            ", ".join(sorted(once)),
                            "it" if part is cls else "its base %s" % part.name,
                            ", ".join(repr(n) for n in names),
                        )
                    )
    return problems
