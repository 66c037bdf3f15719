"""Bootstrapping Odoo from a plain script, for the benchmark tools.

The addon may be installed (``pip install -e``) from another checkout, which
puts that checkout's ``setup`` folder on ``sys.path``: this one's is put in
front instead before Odoo is imported, so the benchmark measures the code
of the tree it lives in. ``python bench/_odoo.py <odoo arguments>`` runs
Odoo itself that way.
"""

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OCA_ADDONS = os.environ.get("BENCH_OCA_ADDONS", "/work/bench-oca/odoo/addons")
# an Odoo configuration file (database connection...), if one is needed
ODOO_CONF = os.environ.get("BENCH_ODOO_CONF", "")
ODOO_ADDONS = "/opt/odoo18/odoo/addons"
MODULES = "account,muzza_receivables,account_financial_report"


_configured = []


def _swap_sys_path():
    setup = str(REPO / "setup")
    sys.path[:] = [p for p in sys.path if not p.rstrip("/").endswith("/setup") or p == setup]
    sys.path.insert(0, setup)


def conf_args():
    return ["-c", ODOO_CONF] if ODOO_CONF else []


def addons_path():
    paths = [ODOO_ADDONS]
    if Path(OCA_ADDONS).is_dir():
        paths.append(OCA_ADDONS)
    return ",".join(paths)


def init_database(db):
    """Create ``db`` with our module and OCA's report, without demo data
    (a separate process: installing loads every module's data)."""
    command = [
        sys.executable,
        __file__,
        *conf_args(),
        "-d",
        db,
        "-i",
        MODULES,
        "--without-demo=all",
        "--addons-path=%s" % addons_path(),
        "--stop-after-init",
        "--log-level=warn",
        "--http-port=8391",
        "--max-cron-threads=0",
    ]
    subprocess.run(command, check=True)


def registry(db):
    """The registry of ``db`` (loaded once per process)."""
    _swap_sys_path()
    import odoo
    from odoo.tools import config

    if not _configured:
        config.parse_config([*conf_args(), "--addons-path=%s" % addons_path(), "--log-level=warn"])
        odoo.service.server.load_server_wide_modules()
        _configured.append(True)
    return odoo.modules.registry.Registry(db)


if __name__ == "__main__":
    import runpy

    _swap_sys_path()
    sys.argv = ["odoo", *sys.argv[1:]]
    runpy.run_module("odoo", run_name="__main__", alter_sys=True)
