"""setup.py makes a wheel that puts the addons where Odoo looks for addons."""

import os
import subprocess
import sys
import zipfile

import pytest
from addon_checks import load_manifest
from conftest import ADDON_DIR, ADDON_DIRS, ROOT


@pytest.mark.parametrize("addon_dir", ADDON_DIRS, ids=lambda d: d.name)
def test_namespace_link_points_at_the_addon(addon_dir):
    link = ROOT / "setup" / "odoo" / "addons" / addon_dir.name
    assert link.is_symlink()
    assert link.resolve() == addon_dir.resolve()
    # no __init__.py in the namespace levels: they must stay namespace portions
    assert not (ROOT / "setup" / "odoo" / "__init__.py").exists()
    assert not (ROOT / "setup" / "odoo" / "addons" / "__init__.py").exists()


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(ROOT)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (path,) = out.glob("*.whl")
    return path


def test_wheel_is_named_and_versioned_like_the_manifest(wheel):
    version = load_manifest(ADDON_DIR)["version"]
    assert wheel.name.startswith("odoo_addon_muzza_receivables-%s-" % version)


def test_wheel_installs_the_addons_under_odoo_addons_with_all_their_files(wheel):
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        metadata = zf.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
    expected = set()
    for addon_dir in ADDON_DIRS:
        prefix = "odoo/addons/%s/" % addon_dir.name
        for root, dirs, files in os.walk(addon_dir):
            dirs[:] = [d for d in dirs if d != "__pycache__"]
            for name in files:
                if not name.endswith(".pyc"):
                    expected.add(
                        prefix + os.path.relpath(os.path.join(root, name), addon_dir).replace(os.sep, "/")
                    )
    assert "odoo/addons/muzza_receivables_stock/models/stock_picking.py" in expected
    assert expected - names == set(), "files missing from the wheel"
    assert "odoo/__init__.py" not in names and "odoo/addons/__init__.py" not in names
    assert "Requires-Dist: phonenumbers" in metadata
    assert "Requires-Dist: odoo" not in metadata
