"""Packaging for the ``muzza_receivables`` Odoo addon and its bridge.

``pip install .`` (or ``pip install -e .``) in a Python environment where
Odoo 18 is installed makes Odoo find the addons without touching
``addons_path``: they are installed as ``odoo/addons/muzza_receivables`` and
``odoo/addons/muzza_receivables_stock``, portions of the ``odoo.addons``
namespace that Odoo scans for modules.

``muzza_receivables_stock`` is a small bridge (``auto_install``): Odoo installs
it by itself where both ``muzza_receivables`` and the stock app's
``sale_stock`` are installed, and never otherwise, so shipping it in the same
distribution costs nothing where the stock app is not used.

The namespace layout lives in ``setup/odoo/addons/<addon>``, symbolic links to
the addon folders (the same trick OCA's setuptools-odoo used):

* a regular install copies the addon's files into ``site-packages/odoo/addons``;
* an editable install puts ``setup/`` on ``sys.path`` through a ``.pth`` file,
  so ``pkgutil.extend_path`` in ``odoo/__init__.py`` and
  ``odoo/addons/__init__.py`` adds ``setup/odoo/addons`` to the addons path,
  and edits to the working tree are live.

Odoo itself is not a requirement: it is not on PyPI, and the pure tests and
static checks must install where Odoo is absent.
"""

import ast
import os

from setuptools import setup

HERE = os.path.dirname(os.path.abspath(__file__))
ADDON = "muzza_receivables"
ADDONS = (ADDON, "muzza_receivables_stock")
NAMESPACE_ROOT = os.path.join(HERE, "setup")


def read_manifest(addon):
    with open(os.path.join(HERE, addon, "__manifest__.py"), encoding="utf-8") as f:
        return ast.literal_eval(f.read())


def addon_packages_and_data(addon):
    """Python packages of an addon, and every other file as package data."""
    addon_dir = os.path.join(NAMESPACE_ROOT, "odoo", "addons", addon)
    package = "odoo.addons." + addon
    packages, data = [], []
    for root, dirs, files in os.walk(addon_dir, followlinks=True):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__" and not d.startswith("."))
        rel = os.path.relpath(root, addon_dir)
        if "__init__.py" in files:
            packages.append(package if rel == "." else package + "." + rel.replace(os.sep, "."))
        for name in files:
            if name.endswith((".pyc", ".pyo")) or name.startswith("."):
                continue
            if name.endswith(".py") and "__init__.py" in files:
                continue  # shipped as module of its package
            data.append(name if rel == "." else os.path.join(rel, name))
    return packages, {package: data}


MANIFEST = read_manifest(ADDON)
# The namespace parents are listed too (they have no __init__.py) so that
# setuptools sees a plain "setup/ on sys.path" layout and makes editable
# installs with a static .pth file rather than an import hook, which would
# hide the real ``odoo`` package and that Odoo's addon scan cannot see.
PACKAGES, PACKAGE_DATA = ["odoo", "odoo.addons"], {}
for _addon in ADDONS:
    _packages, _data = addon_packages_and_data(_addon)
    PACKAGES += _packages
    PACKAGE_DATA.update(_data)
SERIES = MANIFEST["version"].split(".")[:2]

with open(os.path.join(HERE, "README.md"), encoding="utf-8") as f:
    LONG_DESCRIPTION = f.read()

setup(
    name="odoo-addon-" + ADDON,
    version=MANIFEST["version"],
    description=MANIFEST["summary"],
    long_description=LONG_DESCRIPTION,
    long_description_content_type="text/markdown",
    author=MANIFEST["author"],
    url=MANIFEST.get("website"),
    license="LGPL-3",
    package_dir={"": "setup"},
    packages=PACKAGES,
    package_data=PACKAGE_DATA,
    include_package_data=False,
    zip_safe=False,
    python_requires=">=3.10",
    install_requires=MANIFEST["external_dependencies"]["python"],
    extras_require={
        "test": [
            "pytest>=7",
            "pytest-odoo>=2.1",
            "hypothesis>=6.80",
            "freezegun>=1.2",
            "lxml>=4.9",
            "phonenumbers>=8.12",
            "polib>=1.1",
            "ruff==0.17.6",
            "pylint-odoo==10.0.12",
        ],
    },
    classifiers=[
        "Programming Language :: Python",
        "Framework :: Odoo",
        "Framework :: Odoo :: %s.%s" % tuple(SERIES),
        "License :: OSI Approved :: GNU Lesser General Public License v3 (LGPLv3)",
    ],
)
