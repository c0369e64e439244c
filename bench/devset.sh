#!/usr/bin/env bash
# Scores extraction on the shared development set (../shared/devset), as issue 15 asks:
# the tuning part (three quarters) and the held-back part (every fourth article: d04, d08,
# ... d40) separately, then the whole set, then the five seeds.
#
#   bash bench/devset.sh [BIN] [--verbose]
#   PART=tune|held|all (default all); THEMES=1 adds a per-theme table for each part
#
# BIN defaults to target/release/send-archive. The held-back quarter is for estimating how
# the rules do on the next unseen article: do not tune on it (do not read it, or its misses).
# Only this script reaches into ../shared; the tests use the project's own fixtures.
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${1:-target/release/send-archive}"
shift || true
shared="${SHARED:-../shared}"
devset="$shared/devset"
score="$shared/tools/score-extract.py"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

python3 - "$devset/labels.json" "$tmp" <<'PY'
import json, re, sys
labels = json.load(open(sys.argv[1]))
def held(l):
    return int(re.match(r"d(\d+)_", l["file"]).group(1)) % 4 == 0
json.dump([l for l in labels if not held(l)], open(f"{sys.argv[2]}/tune.json", "w"))
json.dump([l for l in labels if held(l)], open(f"{sys.argv[2]}/held.json", "w"))
PY

part="${PART:-all}"
if [ "$part" = tune ] || [ "$part" = all ]; then
  echo "== tuning part (30 articles)"
  python3 "$score" "$bin" "$tmp/tune.json" "$devset/articles" "$@" || true
fi
if [ "$part" = held ] || [ "$part" = all ]; then
  echo "== held-back quarter (10 articles; never tuned on)"
  # Never verbose: its misses are not to be read while tuning.
  python3 "$score" "$bin" "$tmp/held.json" "$devset/articles" | tail -n 12 || true
fi
if [ "$part" = all ]; then
  echo "== whole set (40 articles)"
  python3 "$score" "$bin" "$devset/labels.json" "$devset/articles" | tail -n 12 || true
fi
if [ -n "${THEMES:-}" ]; then
  # Per theme, for EXTRACTION.md: THEMES=1 bash bench/devset.sh
  for p in tune held; do
    [ "$part" = all ] || [ "$part" = "$p" ] || continue
    echo "== themes, $p part"
    python3 bench/devset-themes.py "$bin" "$tmp/$p.json" "$devset/articles"
  done
fi
