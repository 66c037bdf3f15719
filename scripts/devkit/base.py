"""What every job shares: where things are, and how they talk."""

import os
import sys
import threading
from pathlib import Path

ROOT = Path(os.environ.get("MUZZA_ROOT") or Path(__file__).resolve().parents[2])
ADDON = "muzza_receivables"
# The bridge Odoo installs by itself where sale_stock is installed.
STOCK_ADDON = "muzza_receivables_stock"
ADDONS = (ADDON, STOCK_ADDON)
LOG_DIR = ROOT / ".test-logs"
PY = os.environ.get("MUZZA_PY") or sys.executable


class Output:
    """Prints as it goes, or, for a job running beside others, keeps its
    lines and prints them in one block when the job ends (``flush``)."""

    _lock = threading.Lock()

    def __init__(self, buffered=False):
        self.buffered = buffered
        self.lines = []

    def write(self, text):
        if self.buffered:
            self.lines.append(text)
        else:
            sys.stdout.write(text)
            sys.stdout.flush()

    def say(self, msg=""):
        self.write(msg + "\n")

    def banner(self, title):
        self.say()
        self.say("=" * 78)
        self.say("== " + title)
        self.say("=" * 78)

    def flush(self):
        with self._lock:
            sys.stdout.write("".join(self.lines))
            sys.stdout.flush()
        self.lines = []


OUT = Output()
say = OUT.say
banner = OUT.banner
