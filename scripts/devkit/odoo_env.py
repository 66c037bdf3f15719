"""Finding Odoo and a PostgreSQL server, and writing the Odoo config."""

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import threading
from pathlib import Path

from .base import PY, say


def odoo_version():
    """Return (version, None) when ``import odoo`` works, else (None, why)."""
    probe = (
        "import odoo\n"
        "if not getattr(odoo, '__file__', None):\n"
        "    import importlib.metadata as md\n"
        "    try:\n"
        "        md.distribution('odoo')\n"
        "    except md.PackageNotFoundError:\n"
        "        raise SystemExit('ModuleNotFoundError: no Odoo is installed in this Python')\n"
        "    raise SystemExit('odoo resolves to a bare namespace (%s): the Odoo source tree is installed '\n"
        "                     'as a PEP 660 editable package; reinstall it with --config-settings '\n"
        "                     'editable_mode=compat, see README' % list(odoo.__path__))\n"
        "import odoo.release as r\n"
        "print(r.version)\n"
    )
    proc = subprocess.run(
        [PY, "-c", probe],
        capture_output=True,
        text=True,
        cwd=tempfile.gettempdir(),  # never pick up a stray ./odoo
    )
    if proc.returncode != 0:
        last = (proc.stderr.strip().splitlines() or ["unknown error"])[-1]
        return None, "odoo is not importable with %s (%s)" % (PY, last)
    version = proc.stdout.strip()
    if not version.startswith("18.0"):
        return None, "odoo %s is importable, but this addon needs Odoo 18.0" % version
    return version, None


HOW_TO_GET_ODOO = """\
Odoo 18.0 Community is not importable from {py}.
Odoo is not on PyPI. Get an Odoo 18.0 source tree (the folder with odoo-bin),
then either:
  * install it into the Python you run this with:
        pip install -r /path/to/odoo/requirements.txt
        pip install --no-deps -e /path/to/odoo
  * or point ODOO_SRC at it:  ODOO_SRC=/path/to/odoo scripts/run
See README.md, "Install"."""


class Postgres:
    """Connection settings for a PostgreSQL server this run can use.

    In order: the server named by the PG* environment variables (or the
    default local socket) if it answers; else the machine's own cluster,
    started with pg_ctlcluster when we are root; else a throw-away cluster
    in a temporary folder (initdb), stopped at the end.
    """

    def __init__(self):
        self.host = os.environ.get("PGHOST", "")
        self.port = os.environ.get("PGPORT", "")
        self.user = os.environ.get("PGUSER", "")
        self.password = os.environ.get("PGPASSWORD", "")
        self.throwaway_dir = None
        self.how = None

    def env(self):
        env = dict(os.environ)
        for key, value in (
            ("PGHOST", self.host),
            ("PGPORT", self.port),
            ("PGUSER", self.user),
            ("PGPASSWORD", self.password),
        ):
            if value:
                env[key] = value
        return env

    def psql(self, sql, dbname="postgres"):
        return subprocess.run(
            ["psql", "-X", "-q", "-t", "-A", "-d", dbname, "-c", sql],
            capture_output=True,
            text=True,
            env=self.env(),
        )

    def answers(self):
        if not shutil.which("psql"):
            return False
        return self.psql("select 1").returncode == 0

    def ensure(self, persistent_dir=None):
        if self.answers():
            self.how = "the server given by the PG* environment (or the local default socket)"
            return
        if os.geteuid() == 0 and shutil.which("pg_lsclusters") and self._start_machine_cluster():
            return
        self._start_throwaway(persistent_dir)

    def _start_machine_cluster(self):
        out = subprocess.run(["pg_lsclusters", "--no-header"], capture_output=True, text=True).stdout
        clusters = [line.split() for line in out.splitlines() if line.strip()]
        if not clusters:
            return False
        version, name, port, status = clusters[-1][:4]
        if status != "online":
            say("==> starting the machine's PostgreSQL cluster %s/%s" % (version, name))
            subprocess.run(["pg_ctlcluster", version, name, "start"], check=False)
        self.host, self.port = "", port
        user = os.environ.get("USER") or "root"
        # Odoo refuses to connect as the "postgres" superuser, so give the
        # current user a role of its own.
        subprocess.run(
            [
                "runuser",
                "-u",
                "postgres",
                "--",
                "psql",
                "-X",
                "-q",
                "-p",
                port,
                "-c",
                "DO $$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '%s') "
                'THEN CREATE ROLE "%s" LOGIN SUPERUSER; END IF; END$$' % (user, user),
            ],
            check=False,
            capture_output=True,
        )
        self.user = user
        ok = self.answers()
        if ok:
            self.how = "the machine's cluster %s/%s on port %s" % (version, name, port)
        return ok

    def _initdb(self):
        found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
        return str(found[-1]) if found else shutil.which("initdb")

    def _start_throwaway(self, persistent_dir):
        initdb = self._initdb()
        if not initdb:
            raise SystemExit(
                "No PostgreSQL server answers and no initdb was found: install PostgreSQL "
                "(Debian: apt-get install postgresql) or set PGHOST/PGPORT/PGUSER/PGPASSWORD."
            )
        if os.geteuid() == 0:
            raise SystemExit(
                "No PostgreSQL server answers, and PostgreSQL will not run a cluster as root: "
                "start one (pg_ctlcluster 15 main start) or set PGHOST/PGPORT/PGUSER."
            )
        bindir = Path(initdb).parent
        data = Path(persistent_dir) if persistent_dir else Path(tempfile.mkdtemp(prefix="muzza-pg-"))
        if not (data / "PG_VERSION").exists():
            data.mkdir(parents=True, exist_ok=True)
            subprocess.run(
                [initdb, "-D", str(data), "-U", os.environ.get("USER", "odoo"), "--auth=trust", "-E", "UTF8"],
                check=True,
                capture_output=True,
            )
        port = str(free_port(5433))
        subprocess.run(
            [
                str(bindir / "pg_ctl"),
                "-D",
                str(data),
                "-l",
                str(data / "server.log"),
                "-w",
                "-o",
                "-k %s -p %s -c listen_addresses=''" % (data, port),
                "start",
            ],
            check=True,
            capture_output=True,
        )
        self.host, self.port, self.user = str(data), port, os.environ.get("USER", "odoo")
        self.throwaway_dir = None if persistent_dir else data
        self._pg_ctl = str(bindir / "pg_ctl")
        self._data = data
        self.how = "a cluster of its own in %s (port %s)" % (data, port)

    def stop_throwaway(self):
        if self.throwaway_dir:
            subprocess.run([self._pg_ctl, "-D", str(self._data), "-m", "fast", "stop"], capture_output=True)
            shutil.rmtree(self.throwaway_dir, ignore_errors=True)

    def odoo_options(self):
        lines = []
        if self.host:
            lines.append("db_host = %s" % self.host)
        if self.port:
            lines.append("db_port = %s" % self.port)
        if self.user:
            lines.append("db_user = %s" % self.user)
        if self.password:
            lines.append("db_password = %s" % self.password)
        return lines

    def db_exists(self, name):
        proc = self.psql("select 1 from pg_database where datname = '%s'" % name)
        return proc.stdout.strip() == "1"

    def drop_db(self, name):
        self.psql('DROP DATABASE IF EXISTS "%s" WITH (FORCE)' % name)


_taken_ports = set()
_port_lock = threading.Lock()


def free_port(start):
    """A TCP port nobody listens on, never the same one twice in this run
    (test suites run side by side)."""
    with _port_lock:
        for port in range(start, start + 200):
            if port in _taken_ports:
                continue
            with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as s:
                if s.connect_ex(("127.0.0.1", port)) != 0:
                    _taken_ports.add(port)
                    return port
    raise SystemExit("no free TCP port from %s" % start)


def write_odoo_conf(path, pg, data_dir, http_port, extra=()):
    lines = ["[options]", "data_dir = %s" % data_dir, "http_port = %s" % http_port]
    lines += pg.odoo_options()
    lines += list(extra)
    path.write_text("\n".join(lines) + "\n")
