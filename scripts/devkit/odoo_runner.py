"""Odoo's command line for the suite Odoo's own runner tests: ``python -m
odoo``, but without building every asset bundle before the tests.

When the tests to run include an ``HttpCase``, Odoo first builds all the
JavaScript and CSS bundles (``ir.qweb._pregenerate_assets_bundles``, about
35 s), so that browser tests (tours) find them ready. No test of these
addons opens a browser: they fetch pages with ``url_open``, which name the
bundles without building them, and pytest-odoo, the other runner, never
builds them first either. A bundle a test does ask for is still built, when
it is asked for.
"""

import sys

from odoo.cli.command import main
from odoo.tools import config

_parse_config = config.parse_config


def _no_pregenerated_assets(self):
    return []


def parse_config(*args, **kwargs):
    """Odoo's, then the patch (the models can be imported once the
    configuration is read: Odoo imports them right after)."""
    result = _parse_config(*args, **kwargs)
    from odoo.addons.base.models.ir_qweb import IrQWeb

    IrQWeb._pregenerate_assets_bundles = _no_pregenerated_assets
    return result


if __name__ == "__main__":
    config.parse_config = parse_config
    sys.argv[0] = "odoo"
    main()
