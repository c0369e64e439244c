#!/usr/bin/env bash
# Times full ingests of a corpus with several binaries, alternating them, so that a shared
# host's drift falls on all alike:
#
#   RUNS=3 bash bench/alternate.sh CORPUS BIN...
#
# Each run ingests CORPUS into a new empty index with each BIN in turn and prints one line per
# ingest: the binary, wall seconds, user CPU seconds and peak RSS (`/usr/bin/time`).
set -euo pipefail
corpus="$1"
shift
runs="${RUNS:-3}"
for run in $(seq "$runs"); do
  for bin in "$@"; do
    index="$(mktemp -d)"
    /usr/bin/time -f "$bin run $run: %e s %U user %M KB" "$bin" ingest --quiet --data "$corpus" \
      --index "$index" 2>&1 >/dev/null | tail -n 1
    rm -rf "$index"
  done
done
