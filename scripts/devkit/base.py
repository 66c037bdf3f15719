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
# The Odoo tests run in two contexts, without and with the stock app. A test
# class that involves nothing the stock app changes (no sale order, delivery
# or product type: a plain invoice, the aging, a late fee) carries one of
# these tags and runs once, in that context only (README, "Tests").
ONCE_WITHOUT_STOCK = "muzza_once_without_stock"
ONCE_WITH_STOCK = "muzza_once_with_stock"
ONCE_TAGS = (ONCE_WITHOUT_STOCK, ONCE_WITH_STOCK)
LOG_DIR = ROOT / ".test-logs"
PY = os.environ.get("MUZZA_PY") or sys.executable


class Output:
    """Prints as it goes, or, for a job running beside others, keeps its
    lines and prints them in one block when the job ends (``flush``)."""

    lock = threading.Lock()

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
        with self.lock:
            sys.stdout.write("".join(self.lines))
            sys.stdout.flush()
        self.lines = []


OUT = Output()
say = OUT.say
banner = OUT.banner
