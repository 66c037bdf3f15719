#!/usr/bin/env python3
"""Developer entry point for muzza_receivables (and its stock bridge): ``run``, ``test`` and ``i18n``.

Called by the thin shell wrappers in this folder (``scripts/run``,
``scripts/test``, ``scripts/i18n``), which pick the Python environment first
(see ``_env.sh``). Each job lives in its own module of ``devkit/``: ``runner``
(test), ``serve`` (run), ``i18n``; ``odoo_env`` finds Odoo and PostgreSQL,
``logs`` reads what Odoo and pytest leave behind.
"""

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from devkit.i18n import cmd_i18n
from devkit.runner import cmd_test
from devkit.serve import cmd_run


def main(argv=None):
    parser = argparse.ArgumentParser(prog="devtool", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p_test = sub.add_parser("test", help="pure tests, static checks, lint, and Odoo tests where odoo imports")
    p_test.add_argument(
        "--db", help="name prefix of the Odoo test databases, suffixed _base and _stock (default: new names)"
    )
    p_test.add_argument("--keep-db", action="store_true", help="keep the test databases afterwards")
    p_run = sub.add_parser("run", help="Odoo on localhost with the module and its demo data")
    p_run.add_argument("--db", default=os.environ.get("MUZZA_DB", "muzza_demo"))
    p_run.add_argument("--port", type=int, default=int(os.environ.get("MUZZA_PORT", "8069")))
    sub.add_parser("i18n", help="regenerate each addon's i18n/<addon>.pot and merge it into its es.po")
    args = parser.parse_args(argv)
    return {"test": cmd_test, "run": cmd_run, "i18n": cmd_i18n}[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
