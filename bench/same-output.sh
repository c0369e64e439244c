#!/usr/bin/env bash
# Checks that two builds extract exactly the same thing: for every article file given (or
# found in the folders given), `extract --json` and `extract --explain` of OLD_BIN and NEW_BIN
# are compared byte for byte. Use it after a change meant to alter speed, not output.
#
#   bash bench/same-output.sh OLD_BIN NEW_BIN FILE_OR_DIR...
#   LIMIT=300 bash bench/same-output.sh ...   # at most the first 300 files of each folder
#
# Prints one line per file that differs (its name only: run the two binaries on it to see
# how) and a summary; exits 1 if any file differs. A folder's files are its .txt, .html, .htm
# and .md files, sorted, not recursively.
set -euo pipefail
if [ $# -lt 3 ]; then
  echo "usage: $0 OLD_BIN NEW_BIN FILE_OR_DIR..." >&2
  exit 2
fi
old="$1"
new="$2"
shift 2
limit="${LIMIT:-0}"

files=()
for arg in "$@"; do
  if [ -d "$arg" ]; then
    mapfile -t found < <(find "$arg" -maxdepth 1 -type f \
      \( -name '*.txt' -o -name '*.html' -o -name '*.htm' -o -name '*.md' \) | sort)
    if [ "$limit" -gt 0 ]; then
      found=("${found[@]:0:$limit}")
    fi
    files+=("${found[@]}")
  else
    files+=("$arg")
  fi
done

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
# run BIN MODE FILE... > OUT: the output, the messages and the exit status.
run() {
  local bin="$1" mode="$2"
  shift 2
  "$bin" extract "$mode" "$@" 2>&1 && echo "status 0" || echo "status $?"
}
differ=0
for mode in --json --explain; do
  # All files in one run first (quick); file by file only if that differs, to name them.
  run "$old" "$mode" "${files[@]}" >"$tmp/old"
  run "$new" "$mode" "${files[@]}" >"$tmp/new"
  cmp -s "$tmp/old" "$tmp/new" && continue
  before=$differ
  for f in "${files[@]}"; do
    run "$old" "$mode" "$f" >"$tmp/old"
    run "$new" "$mode" "$f" >"$tmp/new"
    if ! cmp -s "$tmp/old" "$tmp/new"; then
      echo "DIFFERS ($mode): $f"
      differ=$((differ + 1))
    fi
  done
  # Should no single file differ, the runs of all files together still did.
  [ "$differ" -gt "$before" ] || { echo "DIFFERS ($mode): the run over all files"; differ=1; }
done
echo "${#files[@]} files, $differ outputs differ"
[ "$differ" -eq 0 ]
