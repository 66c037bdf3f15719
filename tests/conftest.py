"""Make the addon's pure code importable without Odoo.

``muzza_receivables/__init__.py`` imports the models, which import Odoo. The
pure logic lives in ``muzza_receivables/logic`` and imports nothing from
Odoo, so an empty stand-in for the addon package lets the tests import
``muzza_receivables.logic.*`` directly, with or without Odoo installed.
"""

import sys
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ADDON_DIR = ROOT / "muzza_receivables"
# The bridge Odoo installs by itself where the stock app (sale_stock) is.
STOCK_ADDON_DIR = ROOT / "muzza_receivables_stock"
ADDON_DIRS = (ADDON_DIR, STOCK_ADDON_DIR)

if "muzza_receivables" not in sys.modules:
    _pkg = types.ModuleType("muzza_receivables")
    _pkg.__path__ = [str(ADDON_DIR)]
    sys.modules["muzza_receivables"] = _pkg

sys.path.insert(0, str(ROOT / "tests"))
