"""``scripts/run``: Odoo on localhost with the module and its demo data,
in a database and PostgreSQL cluster kept under ./.odoo between runs."""

import re
import shlex
import subprocess

from .base import ADDON, PY, ROOT, say
from .odoo_env import HOW_TO_GET_ODOO, Postgres, odoo_version, write_odoo_conf


def cmd_run(args):
    version, why = odoo_version()
    if not version:
        say(why)
        say(HOW_TO_GET_ODOO.format(py=PY))
        return 2
    state = ROOT / ".odoo"
    state.mkdir(exist_ok=True)
    pg = Postgres()
    pg.ensure(persistent_dir=state / "pgdata")
    say("PostgreSQL: %s" % pg.how)
    conf = state / "odoo.conf"
    write_odoo_conf(conf, pg, state / "data", args.port, extra=["dbfilter = ^%s$" % re.escape(args.db)])
    action = ["-u", ADDON] if pg.db_exists(args.db) else ["-i", ADDON]
    cmd = [PY, "-m", "odoo", "-c", str(conf), "-d", args.db] + action
    say("Odoo %s with %s and its demo data, database %r" % (version, ADDON, args.db))
    say("Open http://localhost:%s and log in as admin / admin (Ctrl-C stops it)." % args.port)
    say("$ " + " ".join(shlex.quote(c) for c in cmd))
    try:
        return subprocess.call(cmd, env=pg.env())
    except KeyboardInterrupt:
        return 0
