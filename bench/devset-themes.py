#!/usr/bin/env python3
"""Per-theme scores on the development set: for each theme id, true positives, false
positives and misses of (theme, polarity) pairs, with precision, recall and F1, as
`bench/devset.sh` reports them per part. The overall figures are the shared scorer's
(../shared/tools/score-extract.py); this breaks its theme line down by theme.

usage: devset-themes.py BIN LABELS.json ARTICLE_DIR
"""
import json
import subprocess
import sys
from collections import defaultdict


def extracted_themes(binary, path):
    run = subprocess.run([binary, "extract", "--json", path], capture_output=True, timeout=60)
    if run.returncode != 0:
        return set()
    records = json.loads(run.stdout)
    record = records[0] if isinstance(records, list) and records else {}
    return {(t["id"], t["polarity"]) for t in record.get("themes", [])}


def main():
    binary, labels_path, articles = sys.argv[1:4]
    counts = defaultdict(lambda: [0, 0, 0])  # theme -> [tp, fp, fn]
    for label in json.load(open(labels_path)):
        want = {(t, "strength") for t in label.get("themes_strengths", [])}
        want |= {(t, "improvement") for t in label.get("themes_improvements", [])}
        got = extracted_themes(binary, f"{articles}/{label['file']}")
        for theme, _ in want & got:
            counts[theme][0] += 1
        for theme, _ in got - want:
            counts[theme][1] += 1
        for theme, _ in want - got:
            counts[theme][2] += 1
    print(f"{'theme':26s} {'tp':>3s} {'fp':>3s} {'fn':>3s}   P     R     F1")
    for theme in sorted(counts):
        tp, fp, fn = counts[theme]
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        print(f"{theme:26s} {tp:3d} {fp:3d} {fn:3d}  {p:.2f}  {r:.2f}  {f:.2f}")


main()
