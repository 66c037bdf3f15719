"""Static checks of the real addon: manifest, XML, access rules, imports, i18n."""

import subprocess
import sys
import textwrap

import pytest
from addon_checks import (
    access_problems,
    import_problems,
    load_manifest,
    manifest_problems,
    new_models,
    xml_files,
    xml_problems,
)
from conftest import ADDON_DIR, ROOT, STOCK_ADDON_DIR
from i18n_checks import i18n_problems, python_terms, xml_terms

MANIFEST = load_manifest(ADDON_DIR)
DATA_FILES = list(MANIFEST.get("data", [])) + list(MANIFEST.get("demo", []))

# What each addon of the repository must declare, and the folders it has.
ADDONS = {
    "muzza_receivables": {
        "dir": ADDON_DIR,
        "manifest": {},
        "inherited_depends": (),
        "folders": ("models", "views", "data", "tests", "i18n", "static/description", "logic"),
    },
    # the bridge Odoo installs by itself where sale_stock is installed
    "muzza_receivables_stock": {
        "dir": STOCK_ADDON_DIR,
        "manifest": {
            "depends": {"muzza_receivables", "sale_stock"},
            "python": (),
            "demo": False,
            "auto_install": True,
        },
        "inherited_depends": tuple(MANIFEST["depends"]) + ("stock",),
        "folders": ("models", "views", "wizards", "tests", "i18n", "static/description"),
    },
}
each_addon = pytest.mark.parametrize("name", sorted(ADDONS))


def _data_files(addon_dir):
    manifest = load_manifest(addon_dir)
    return list(manifest.get("data", [])) + list(manifest.get("demo", []))


@each_addon
def test_manifest_loads_and_names_every_data_file(name):
    assert manifest_problems(ADDONS[name]["dir"], **ADDONS[name]["manifest"]) == []


@each_addon
def test_every_xml_file_parses_and_record_ids_are_unique(name):
    assert xml_files(ADDONS[name]["dir"]), "the addon has XML files"
    assert xml_problems(ADDONS[name]["dir"], module=name) == []


@each_addon
def test_every_new_model_has_access_rules(name):
    assert access_problems(ADDONS[name]["dir"], module=name) == []


@each_addon
def test_imports_stay_within_declared_dependencies_and_logic_is_pure(name):
    addon = ADDONS[name]
    assert import_problems(addon["dir"], module=name, inherited_depends=addon["inherited_depends"]) == []


@each_addon
def test_translations_are_complete_and_up_to_date(name):
    addon_dir = ADDONS[name]["dir"]
    assert i18n_problems(addon_dir, module=name, data_files=_data_files(addon_dir)) == []


def test_the_term_extractors_see_the_addon_strings():
    # Guards the i18n check itself: if the extractors silently found nothing,
    # the check above would pass on anything.
    assert "Days Overdue" in python_terms(ADDON_DIR)
    xml = xml_terms(ADDON_DIR, DATA_FILES)
    assert {"Receivables", "Overdue Invoices", "Getting Paid", "No overdue customer invoices"} <= xml
    assert "Waiting for Deposit" in python_terms(STOCK_ADDON_DIR)
    assert "Its deliveries cannot be validated either." in xml_terms(
        STOCK_ADDON_DIR, _data_files(STOCK_ADDON_DIR)
    )


@each_addon
def test_addon_layout(name):
    addon_dir = ADDONS[name]["dir"]
    for folder in ADDONS[name]["folders"]:
        assert (addon_dir / folder).is_dir(), folder
    assert (addon_dir / "static/description/icon.png").is_file()
    assert (addon_dir / "static/description/index.html").is_file()


def test_the_bridge_only_extends_the_main_addon():
    """The bridge adds no model of its own: whatever it holds back, the main
    addon decides (``sale.order._muzza_work_waits``)."""
    assert new_models(STOCK_ADDON_DIR) == []
    assert not (STOCK_ADDON_DIR / "security").exists()


# --- the checks catch what they claim to catch ------------------------------


def make_addon(tmp_path, manifest=None, files=None):
    addon = tmp_path / "muzza_receivables"
    addon.mkdir()
    base = {
        "name": "X",
        "summary": "x",
        "version": "18.0.1.0.0",
        "license": "LGPL-3",
        "author": "x",
        "installable": True,
        "depends": ["account", "sale_management", "account_payment", "portal", "mail"],
        "external_dependencies": {"python": ["phonenumbers"]},
        "data": [],
        "demo": ["data/demo.xml"],
    }
    base.update(manifest or {})
    (addon / "__manifest__.py").write_text(repr(base))
    files = {"data/demo.xml": "<odoo/>", **(files or {})}
    for name, text in files.items():
        path = addon / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return addon


def test_manifest_check_catches_unlisted_files_and_missing_depends(tmp_path):
    addon = make_addon(tmp_path, {"depends": ["account"]}, {"views/stray.xml": "<odoo/>"})
    problems = "\n".join(manifest_problems(addon))
    assert "views/stray.xml is not named in the manifest" in problems
    assert "sale_management" in problems
    assert "auto_install should be True" in "\n".join(manifest_problems(addon, auto_install=True))


def test_pylint_odoo_makes_the_manifest_checks_left_to_it(tmp_path):
    """What manifest_problems no longer checks, pylint-odoo with the
    project's .pylintrc does."""
    pytest.importorskip("pylint_odoo")
    manifest = {"version": "17.0.1", "license": "MIT", "data": ["views/gone.xml", "views/gone.xml"]}
    addon = make_addon(tmp_path, manifest)
    (addon / "__init__.py").write_text("")
    manifest_path = addon / "__manifest__.py"
    manifest_path.write_text(manifest_path.read_text().replace("'summary': 'x', ", ""))
    proc = subprocess.run(
        [sys.executable, "-m", "pylint", "--rcfile=%s" % (ROOT / ".pylintrc"), str(addon)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    for symbol in (
        "manifest-required-key",
        "manifest-version-format",
        "license-allowed",
        "manifest-data-duplicated",
        "resource-not-exist",
    ):
        assert symbol in proc.stdout, proc.stdout + proc.stderr


def test_xml_check_catches_bad_xml_and_duplicate_ids(tmp_path):
    addon = make_addon(
        tmp_path,
        files={
            "views/a.xml": '<odoo><record id="x" model="ir.ui.view"/></odoo>',
            "views/b.xml": '<odoo><menuitem id="muzza_receivables.x"/></odoo>',
            "views/c.xml": "<odoo><record id='y'></odoo>",
        },
    )
    problems = "\n".join(xml_problems(addon))
    assert "id 'x' defined twice" in problems
    assert "c.xml does not parse" in problems


def test_access_check_catches_a_model_without_rules(tmp_path):
    model = """
        from odoo import models
        class Policy(models.Model):
            _name = "muzza.late.fee.policy"
        class Wizard(models.TransientModel):
            _name = "muzza.waive.fee"
        class Mixin(models.AbstractModel):
            _name = "muzza.mixin"
        class Move(models.Model):
            _inherit = "account.move"
    """
    csv = "id,name,model_id:id,group_id:id,perm_read,perm_write,perm_create,perm_unlink\n"
    csv += "access_policy,p,model_muzza_late_fee_policy,base.group_user,1,0,0,0\n"
    addon = make_addon(tmp_path, files={"models/policy.py": model, "security/ir.model.access.csv": csv})
    assert sorted(new_models(addon)) == [
        ("muzza.late.fee.policy", "Model"),
        ("muzza.mixin", "AbstractModel"),
        ("muzza.waive.fee", "TransientModel"),
    ]
    assert access_problems(addon) == [
        "model muzza.waive.fee has no access rule in security/ir.model.access.csv"
    ]


def test_import_check_catches_undeclared_and_impure_imports(tmp_path):
    addon = make_addon(
        tmp_path,
        files={
            "models/a.py": """
                import requests
                import pandas
                from odoo.addons.stock.models import stock_move
                from odoo.addons.account.models import account_move
                from muzza_receivables.logic import dates
            """,
            "logic/b.py": """
                import datetime
                from dateutil.relativedelta import relativedelta
                from odoo import fields
                from ..models import a
                from . import c
            """,
        },
    )
    problems = "\n".join(import_problems(addon))
    assert "models/a.py imports pandas" in problems
    assert "odoo.addons.stock.models, but stock is not in depends" in problems
    assert "imports muzza_receivables.logic absolutely" in problems
    assert "logic/b.py: pure code imports odoo" in problems
    assert "pure code imports from outside logic/" in problems
    assert "requests" not in problems and "account" not in problems and "dateutil" not in problems


def test_i18n_check_catches_stale_pot_and_untranslated_terms(tmp_path):
    pot = 'msgid ""\nmsgstr ""\n\nmsgid "Receivables"\nmsgstr ""\n\nmsgid "Due on %s"\nmsgstr ""\n'
    po = 'msgid ""\nmsgstr ""\n\nmsgid "Receivables"\nmsgstr ""\n\nmsgid "Due on %s"\nmsgstr "Vence el"\n'
    addon = make_addon(
        tmp_path,
        files={
            "i18n/muzza_receivables.pot": pot,
            "i18n/es.po": po,
            "models/m.py": """
                from odoo import fields, models
                class M(models.Model):
                    _inherit = "account.move"
                    x = fields.Integer(string="Brand new label")
            """,
            "views/v.xml": """
                <odoo><record id="v" model="ir.ui.view"><field name="arch" type="xml">
                    <list><field name="x" string="Another label"/></list>
                </field></record></odoo>
            """,
        },
    )
    problems = "\n".join(i18n_problems(addon, data_files=["views/v.xml"]))
    assert "'Brand new label' is not in muzza_receivables.pot" in problems
    assert "'Another label' is not in muzza_receivables.pot" in problems
    assert "es.po leaves 'Receivables' untranslated" in problems
    assert "placeholders differ for 'Due on %s'" in problems


@each_addon
@pytest.mark.parametrize(
    "entry", ["__manifest__.py", "__init__.py", "models/__init__.py", "tests/__init__.py"]
)
def test_addon_python_entry_points_exist(name, entry):
    assert (ADDONS[name]["dir"] / entry).is_file()
