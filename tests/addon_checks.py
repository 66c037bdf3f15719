"""Static checks of an Odoo addon that need no Odoo and no database.

Each ``*_problems(addon_dir)`` function returns a list of human-readable
problems (empty when all is well), so the tests can both run them on the real
addon and show, on small broken addons made in a temporary folder, that they
do catch what they claim to catch.
"""

import ast
import csv
import sys
from pathlib import Path

from lxml import etree

REQUIRED_DEPENDS = {"account", "sale_management", "account_payment", "portal", "mail"}

# Import names of the Python packages Odoo 18 itself requires
# (its requirements.txt); an addon may use them without declaring them.
ODOO_CORE_PYTHON = {
    "asn1crypto", "babel", "cbor2", "chardet", "cryptography", "decorator", "docutils",
    "freezegun", "geoip2", "gevent", "greenlet", "idna", "jinja2", "sass", "lxml",
    "markupsafe", "num2words", "ofxparse", "openpyxl", "passlib", "PIL", "polib",
    "psutil", "psycopg2", "OpenSSL", "PyPDF2", "serial", "dateutil", "ldap", "stdnum",
    "pytz", "usb", "qrcode", "reportlab", "rjsmin", "requests", "urllib3", "vobject",
    "werkzeug", "xlrd", "xlsxwriter", "xlwt", "zeep",
}  # fmt: skip
# Libraries pure code may use: no ORM, no I/O (phonenumbers is a declared
# external dependency: parsing numbers is arithmetic on strings).
PURE_ALLOWED = {"dateutil", "phonenumbers"}
# Folders that hold no data file named by the manifest.
NOT_DATA_DIRS = {"static", "i18n", "tests", "logic"}


def load_manifest(addon_dir):
    return ast.literal_eval((Path(addon_dir) / "__manifest__.py").read_text(encoding="utf-8"))


def _data_files(manifest):
    return list(manifest.get("data", [])) + list(manifest.get("demo", []))


def manifest_problems(
    addon_dir, depends=REQUIRED_DEPENDS, python=("phonenumbers",), demo=True, auto_install=False
):
    """What is wrong with an addon's manifest, given what this addon must
    declare: the modules it ``depends`` on, its ``python`` packages, whether
    it ships demo data and whether it is an ``auto_install`` bridge.

    pylint-odoo (.pylintrc) already checks the required keys, the version
    format, the license, and data files listed twice or missing."""
    addon_dir = Path(addon_dir)
    problems = []
    try:
        manifest = load_manifest(addon_dir)
    except (OSError, ValueError, SyntaxError) as exc:
        return ["__manifest__.py does not load: %s" % exc]
    missing = set(depends) - set(manifest.get("depends", []))
    if missing:
        problems.append("depends lacks %s" % sorted(missing))
    for package in python:
        if package not in manifest.get("external_dependencies", {}).get("python", []):
            problems.append("external_dependencies does not declare %s" % package)
    if demo and not manifest.get("demo"):
        problems.append("manifest names no demo data")
    if bool(manifest.get("auto_install")) != auto_install:
        problems.append("auto_install should be %s" % auto_install)
    return problems + _data_file_problems(addon_dir, manifest)


def _data_file_problems(addon_dir, manifest):
    """No data file left out of the manifest (pylint-odoo does not see those)."""
    problems = []
    listed = _data_files(manifest)
    for path in sorted(addon_dir.rglob("*")):
        rel = path.relative_to(addon_dir)
        if path.suffix not in (".xml", ".csv") or rel.parts[0] in NOT_DATA_DIRS:
            continue
        if rel.as_posix() not in listed:
            problems.append("%s is not named in the manifest" % rel.as_posix())
    return problems


def xml_files(addon_dir):
    return sorted(p for p in Path(addon_dir).rglob("*.xml") if "static" not in p.parts)


def xml_problems(addon_dir, module="muzza_receivables"):
    problems = []
    seen = {}
    for path in xml_files(addon_dir):
        try:
            tree = etree.parse(str(path))
        except etree.XMLSyntaxError as exc:
            problems.append("%s does not parse: %s" % (path.name, exc))
            continue
        if tree.getroot().tag != "odoo":
            problems.append("%s: root element is <%s>, not <odoo>" % (path.name, tree.getroot().tag))
        for node in tree.iter("record", "template", "menuitem", "report"):
            xmlid = node.get("id")
            if not xmlid:
                if node.tag != "record":
                    problems.append("%s:%s <%s> has no id" % (path.name, node.sourceline, node.tag))
                continue
            if "." in xmlid:
                if xmlid.split(".", 1)[0] != module:
                    continue  # an extension of another module's record
                xmlid = xmlid.split(".", 1)[1]
            where = "%s:%s" % (path.name, node.sourceline)
            if xmlid in seen:
                problems.append("id %r defined twice: %s and %s" % (xmlid, seen[xmlid], where))
            else:
                seen[xmlid] = where
    return problems


def _class_models(tree):
    """(model name, kind) of every model class defining a new model."""
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.ClassDef):
            continue
        kind = None
        for base in node.bases:
            if isinstance(base, ast.Attribute) and base.attr in ("Model", "TransientModel", "AbstractModel"):
                kind = base.attr
        if not kind:
            continue
        attrs = {}
        for stmt in node.body:
            if (
                isinstance(stmt, ast.Assign)
                and len(stmt.targets) == 1
                and isinstance(stmt.targets[0], ast.Name)
            ):
                try:
                    attrs[stmt.targets[0].id] = ast.literal_eval(stmt.value)
                except ValueError:
                    pass
        name, inherit = attrs.get("_name"), attrs.get("_inherit")
        inherits = [inherit] if isinstance(inherit, str) else list(inherit or [])
        if name and name not in inherits:
            found.append((name, kind))
    return found


def new_models(addon_dir):
    models = []
    for folder in ("models", "wizards"):
        for path in sorted((Path(addon_dir) / folder).glob("*.py")):
            models += _class_models(ast.parse(path.read_text(encoding="utf-8")))
    return models


def access_problems(addon_dir, module="muzza_receivables"):
    addon_dir = Path(addon_dir)
    csv_path = addon_dir / "security" / "ir.model.access.csv"
    covered = set()
    if csv_path.exists():
        with open(csv_path, newline="", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                ref = row.get("model_id:id", "")
                covered.add(ref.split(".", 1)[1] if ref.startswith(module + ".") else ref)
    problems = []
    for name, kind in new_models(addon_dir):
        if kind == "AbstractModel":
            continue
        ref = "model_" + name.replace(".", "_")
        if ref not in covered:
            problems.append("model %s has no access rule in security/ir.model.access.csv" % name)
    return problems


def _imports(tree):
    """(top-level name, dotted name, level) of every import in a module."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name.split(".")[0], alias.name, 0
        elif isinstance(node, ast.ImportFrom):
            mod = node.module or ""
            if node.level == 0 and mod in ("odoo.addons",):
                for alias in node.names:
                    yield "odoo", "odoo.addons." + alias.name, 0
            else:
                yield mod.split(".")[0], mod, node.level


def import_problems(addon_dir, module="muzza_receivables", inherited_depends=()):
    """Imports outside what the addon declares. ``inherited_depends`` are the
    modules its own dependencies bring (a bridge may import from them)."""
    addon_dir = Path(addon_dir)
    manifest = load_manifest(addon_dir)
    depends = set(manifest.get("depends", [])) | {module} | set(inherited_depends)
    external = set(manifest.get("external_dependencies", {}).get("python", []))
    stdlib = set(sys.stdlib_module_names)
    problems = []
    for path in sorted(addon_dir.rglob("*.py")):
        rel = path.relative_to(addon_dir).as_posix()
        pure = rel.startswith("logic/")
        for top, dotted, level in _imports(ast.parse(path.read_text(encoding="utf-8"))):
            if level:
                if pure and rel.count("/") < level:
                    problems.append("%s: pure code imports from outside logic/ (%s)" % (rel, dotted))
                continue
            if pure:
                if top not in stdlib and top not in PURE_ALLOWED:
                    problems.append("%s: pure code imports %s" % (rel, dotted))
                continue
            if top == "odoo":
                parts = dotted.split(".")
                if len(parts) >= 3 and parts[1] == "addons" and parts[2] not in depends:
                    problems.append("%s imports %s, but %s is not in depends" % (rel, dotted, parts[2]))
                continue
            if top == module:
                problems.append(
                    "%s imports %s absolutely; use odoo.addons.%s or a relative import"
                    % (rel, dotted, module)
                )
                continue
            if top in stdlib or top in external or top in ODOO_CORE_PYTHON:
                continue
            problems.append("%s imports %s, which is not a declared dependency" % (rel, dotted))
    return problems
