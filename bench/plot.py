"""Plot docs/benchmarks.json: time against size (log-log), one line per method.

PYTHONPATH=/work/bench-plot python bench/plot.py docs/benchmarks.json docs/images
"""

import json
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

SERIES = (
    ("ours today", "Ours: summary, today", "tab:blue", "-"),
    ("ours past", "Ours: summary, past date", "tab:blue", "--"),
    ("drill-down today", "Ours: drill-down, biggest customer", "tab:cyan", ":"),
    ("oca today", "OCA Aged Partner Balance, today", "tab:red", "-"),
    ("oca past", "OCA Aged Partner Balance, past date", "tab:red", "--"),
    ("floor today", "SQL floor, today", "tab:gray", "-"),
    ("floor past", "SQL floor, past date", "tab:gray", "--"),
)


def main(results, images):
    data = sorted(json.loads(Path(results).read_text()).values(), key=lambda r: r["lines"])
    figure, axes = plt.subplots(figsize=(8, 5))
    for key, label, color, style in SERIES:
        points = [(r["lines"], r["figures"][key]["seconds"]) for r in data if key in r["figures"]]
        if points:
            axes.plot(*zip(*points, strict=True), style, color=color, marker="o", label=label)
    axes.set_xscale("log")
    axes.set_yscale("log")
    axes.set_xlabel("journal items in the database")
    axes.set_ylabel("seconds (median of 3)")
    axes.set_title("Aged receivables: time against size")
    axes.grid(True, which="both", alpha=0.3)
    axes.legend(fontsize=8)
    figure.tight_layout()
    Path(images).mkdir(parents=True, exist_ok=True)
    figure.savefig(Path(images) / "bench_time.png", dpi=110)

    figure, axes = plt.subplots(figsize=(8, 5))
    for key, label, color, style in SERIES:
        points = [(r["lines"], r["figures"][key]["peak_mib"]) for r in data if key in r["figures"]]
        if points:
            axes.plot(*zip(*points, strict=True), style, color=color, marker="o", label=label)
    axes.set_xscale("log")
    axes.set_yscale("log")
    axes.set_xlabel("journal items in the database")
    axes.set_ylabel("peak Python memory (MiB, tracemalloc)")
    axes.set_title("Aged receivables: memory against size")
    axes.grid(True, which="both", alpha=0.3)
    axes.legend(fontsize=8)
    figure.tight_layout()
    figure.savefig(Path(images) / "bench_memory.png", dpi=110)


if __name__ == "__main__":
    main(*sys.argv[1:3])
