"""Checks that the addon's translation files are complete and up to date.

Odoo's own export (``scripts/i18n``) is the authority for the .pot; these
checks, which need no Odoo, catch the usual drift: a string added to a view or
a field without regenerating the .pot, or a term left untranslated in es.po.
"""

import ast
import html
import re
from pathlib import Path

import polib
from lxml import etree

# Attributes Odoo translates in view architectures (odoo.tools.translate).
TRANSLATED_ATTRS = {
    "string", "add-label", "help", "sum", "avg", "confirm", "placeholder", "alt", "title",
    "aria-label", "aria-keyshortcuts", "aria-placeholder", "aria-roledescription",
    "aria-valuetext", "value_label", "data-tooltip", "label",
}  # fmt: skip
# Text-valued record fields that are translatable, by model.
TRANSLATED_FIELDS = {
    "ir.actions.act_window": {"name"},
    "ir.actions.server": {"name"},
    "ir.actions.report": {"name"},
    "ir.cron": {"name"},
    "ir.ui.menu": {"name"},
    "mail.template": {"name", "subject", "description"},
    "product.product": {"name", "description_sale"},
    "product.template": {"name", "description_sale"},
    "res.groups": {"name", "comment"},
    "ir.module.category": {"name", "description"},
}
HTML_FIELDS = {("ir.actions.act_window", "help")}
FIELD_TYPES = {
    "Char", "Text", "Html", "Integer", "Float", "Monetary", "Boolean", "Date", "Datetime",
    "Selection", "Many2one", "One2many", "Many2many", "Binary", "Image", "Json", "Reference",
    "Many2oneReference", "Properties",
}  # fmt: skip
TRANSLATE_CALLS = {"_", "_lt"}


def norm(text):
    return re.sub(r"\s+", " ", text or "").strip()


def python_terms(addon_dir):
    """Field labels/help and ``_()`` strings of the addon's Python code."""
    terms = set()
    for folder in ("models", "wizards", "controllers"):
        for path in sorted((Path(addon_dir) / folder).glob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(node, ast.Call):
                    continue
                func = node.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
                if name in FIELD_TYPES and isinstance(func, ast.Attribute):
                    for kw in node.keywords:
                        if kw.arg in ("string", "help") and isinstance(kw.value, ast.Constant):
                            terms.add(norm(kw.value.value))
                        if kw.arg == "selection" and isinstance(kw.value, ast.List):
                            for item in kw.value.elts:
                                if isinstance(item, ast.Tuple) and isinstance(item.elts[1], ast.Constant):
                                    terms.add(norm(item.elts[1].value))
                elif name in TRANSLATE_CALLS and node.args and isinstance(node.args[0], ast.Constant):
                    terms.add(norm(node.args[0].value))
    terms.discard("")
    return terms


def _arch_terms(arch):
    terms = set()
    for node in arch.iter():
        if not isinstance(node.tag, str):
            continue
        for attr, value in node.attrib.items():
            if attr in TRANSLATED_ATTRS and value.strip():
                terms.add(norm(value))
        if node.tag != "field":
            for text in (node.text, node.tail):
                if text and text.strip() and re.search(r"[A-Za-z]", text):
                    terms.add(norm(text))
    return terms


def xml_terms(addon_dir, data_files):
    """Translatable strings of the XML data files the manifest names."""
    terms = set()
    for name in data_files:
        if not name.endswith(".xml"):
            continue
        tree = etree.parse(str(Path(addon_dir) / name))
        for menu in tree.iter("menuitem"):
            if menu.get("name"):
                terms.add(norm(menu.get("name")))
        for record in tree.iter("record"):
            model = record.get("model")
            for field in record.findall("field"):
                fname = field.get("name")
                if model == "ir.ui.view" and fname == "arch":
                    for child in field:
                        terms |= _arch_terms(child)
                elif (model, fname) in HTML_FIELDS:
                    for child in field.iter():
                        if isinstance(child.tag, str) and child.text and child.text.strip():
                            terms.add(norm(child.text))
                elif fname in TRANSLATED_FIELDS.get(model, ()) and field.text and not field.get("eval"):
                    terms.add(norm(field.text))
    terms.discard("")
    return terms


def i18n_problems(addon_dir, module="muzza_receivables", langs=("es",), data_files=()):
    addon_dir = Path(addon_dir)
    pot_path = addon_dir / "i18n" / ("%s.pot" % module)
    if not pot_path.exists():
        return ["i18n/%s.pot is missing (run scripts/i18n)" % module]
    pot = polib.pofile(str(pot_path))
    pot_ids = {e.msgid for e in pot if not e.obsolete}
    # Odoo exports the text of view nodes with XML entities kept (&amp;)
    pot_norm = [norm(html.unescape(m)) for m in pot_ids]
    problems = []
    for term in sorted(python_terms(addon_dir) | xml_terms(addon_dir, data_files)):
        if not any(term == m or term in m for m in pot_norm):
            problems.append("%r is not in %s.pot (run scripts/i18n)" % (term, module))
    for lang in langs:
        po_path = addon_dir / "i18n" / ("%s.po" % lang)
        if not po_path.exists():
            problems.append("i18n/%s.po is missing" % lang)
            continue
        po = polib.pofile(str(po_path))
        po_ids = {e.msgid for e in po if not e.obsolete}
        for msgid in sorted(pot_ids - po_ids):
            problems.append("%s.po lacks %r" % (lang, msgid))
        for msgid in sorted(po_ids - pot_ids):
            problems.append("%s.po has %r, which is no longer in the .pot" % (lang, msgid))
        for entry in po:
            if entry.obsolete:
                continue
            if not entry.msgstr.strip():
                problems.append("%s.po leaves %r untranslated" % (lang, entry.msgid))
            elif "fuzzy" in entry.flags:
                problems.append("%s.po has a fuzzy translation of %r" % (lang, entry.msgid))
            else:
                src = re.findall(r"%(?:\([^)]*\))?[sdf]|\{\w*\}", entry.msgid)
                dst = re.findall(r"%(?:\([^)]*\))?[sdf]|\{\w*\}", entry.msgstr)
                if sorted(src) != sorted(dst):
                    problems.append("%s.po: placeholders differ for %r" % (lang, entry.msgid))
    return problems
