"""``scripts/i18n``: export each addon's terms to its .pot and merge them
into its es.po; lists what is left to translate by hand."""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from .base import ADDONS, PY, ROOT, say
from .odoo_env import HOW_TO_GET_ODOO, Postgres, free_port, odoo_version, write_odoo_conf


def cmd_i18n(args):
    import polib

    version, why = odoo_version()
    if not version:
        say(why)
        say(HOW_TO_GET_ODOO.format(py=PY))
        return 2
    pg = Postgres()
    pg.ensure()
    db = "muzza_i18n_%d" % os.getpid()
    work = Path(tempfile.mkdtemp(prefix="muzza-i18n-"))
    conf = work / "odoo.conf"
    write_odoo_conf(conf, pg, work / "data", free_port(8269))
    pots = {addon: ROOT / addon / "i18n" / ("%s.pot" % addon) for addon in ADDONS}
    try:
        # the bridge brings the main addon and sale_stock with it
        say("==> installing %s in a scratch database to export their terms" % ", ".join(ADDONS))
        base = [PY, "-m", "odoo", "-c", str(conf), "-d", db, "--stop-after-init", "--log-level=warn"]
        subprocess.run(base + ["-i", ",".join(ADDONS)], check=True, env=pg.env(), cwd=work)
        for addon, pot in pots.items():
            subprocess.run(
                base + ["--i18n-export=%s" % pot, "--modules=%s" % addon], check=True, env=pg.env(), cwd=work
            )
    finally:
        pg.drop_db(db)
        pg.stop_throwaway()
        shutil.rmtree(work, ignore_errors=True)
    missing = []
    for addon, pot in pots.items():
        template = polib.pofile(str(pot))
        for lang in ("es",):
            po_path = ROOT / addon / "i18n" / ("%s.po" % lang)
            po = polib.pofile(str(po_path)) if po_path.exists() else polib.POFile()
            po.merge(template)
            po.metadata.update(
                {
                    "Project-Id-Version": "Odoo Server %s" % version,
                    "Language": lang,
                    "MIME-Version": "1.0",
                    "Content-Type": "text/plain; charset=UTF-8",
                    "Content-Transfer-Encoding": "",
                    "Plural-Forms": "nplurals=2; plural=(n != 1);",
                }
            )
            # obsolete entries would only confuse translators
            for entry in [e for e in po if e.obsolete]:
                po.remove(entry)
            po.save(str(po_path))
            missing += [
                "%s/%s: %s" % (addon, lang, e.msgid) for e in po.untranslated_entries() + po.fuzzy_entries()
            ]
        say("Exported %s (%d terms)." % (pot.relative_to(ROOT), len(template)))
    if missing:
        say("Untranslated or fuzzy, to complete by hand:")
        for line in missing:
            say("  " + line)
        return 1
    say("The es.po files are complete.")
    return 0
