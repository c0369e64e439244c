#!/usr/bin/env bash
# bench/ingest.sh [COUNT] — times ingest on a synthetic corpus.
#
# Generates COUNT (default 10000) articles with ../shared/tools/gen-corpus.py (a benchmark
# corpus only: it never enters data/), builds the release binary, then times
#   - a full ingest into an empty index (extraction included), RUNS times;
#   - a no-op re-ingest of the unchanged corpus, RUNS times;
#   - an incremental ingest after changing one file and adding one.
# Prints each run and the median. Work files go under target/bench/.
set -euo pipefail
cd "$(dirname "$0")/.."
COUNT="${1:-10000}"
RUNS="${RUNS:-5}"
SHARED="${SHARED:-../shared}"
WORK="target/bench"
CORPUS="$WORK/corpus-$COUNT"
INDEX="$WORK/index-$COUNT"
BIN="target/release/send-archive"

[ -f "$SHARED/tools/gen-corpus.py" ] || { echo "needs $SHARED/tools/gen-corpus.py (set SHARED=...)" >&2; exit 2; }
if [ ! -d "$CORPUS" ] || [ "$(ls "$CORPUS" | wc -l)" -ne "$COUNT" ]; then
  rm -rf "$CORPUS"
  python3 "$SHARED/tools/gen-corpus.py" --count "$COUNT" --seed 1 --out "$CORPUS" --quiet
fi
cargo build --release --quiet

now() { date +%s.%N; }
median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
time_run() { local t0 t1; t0=$(now); "$@" > /dev/null; t1=$(now); awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f\n", b - a }'; }

echo "corpus: $COUNT articles, $(du -sh "$CORPUS" | cut -f1) ($(cat "$CORPUS"/*.txt | wc -c) bytes of text); machine: $(nproc) cores"
full=()
for i in $(seq "$RUNS"); do
  rm -rf "$INDEX"
  full+=("$(time_run "$BIN" ingest --quiet --data "$CORPUS" --index "$INDEX")")
done
echo "full ingest (s):    ${full[*]}  median $(printf '%s\n' "${full[@]}" | median)"
noop=()
for i in $(seq "$RUNS"); do
  noop+=("$(time_run "$BIN" ingest --quiet --data "$CORPUS" --index "$INDEX")")
done
echo "no-op re-ingest (s): ${noop[*]}  median $(printf '%s\n' "${noop[@]}" | median)"
first="$(ls "$CORPUS" | head -1)"
cp "$CORPUS/$first" "$WORK/saved-first.txt"
echo "An added paragraph about a zebracorn." >> "$CORPUS/$first"
cp "$WORK/saved-first.txt" "$CORPUS/zz-added.txt"
echo "A different headline" | cat - "$WORK/saved-first.txt" > "$CORPUS/zz-added.txt"
incr="$(time_run "$BIN" ingest --quiet --data "$CORPUS" --index "$INDEX")"
echo "incremental, 1 changed + 1 added (s): $incr"
cp "$WORK/saved-first.txt" "$CORPUS/$first"; rm -f "$CORPUS/zz-added.txt"
echo "index size: $(du -sh "$INDEX" | cut -f1) (two generations kept: $(ls "$INDEX" | grep -c gen-))"
