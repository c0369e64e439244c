#!/usr/bin/env bash
# bench/web.sh [COUNT] — the web server against its peers, side by side in one run each.
#
# 1. Generates COUNT (default 10000) synthetic articles with ../shared/tools/gen-corpus.py
#    (benchmark-only; never part of data/) and builds the release binary.
# 2. Runs ../shared/bench/peers/run-peers.sh with the archive as the extra peer on
#    /search?q=QUERY: Datasette (table and ranked search), nginx serving a static page, the
#    SQLite and tantivy-py loops and Pagefind, all on the same corpus and queries.
# 3. Runs it twice more with only nginx beside the archive, rotating through area slugs
#    (/areas/SLUG) and article slugs (/articles/SLUG) instead of queries.
# 4. Runs the search once more beside Datasette with the response cache off
#    (`serve --cache-mb 0`): every request renders.
# ONLY="areas articles" runs just those of the four (search areas articles search-uncached).
# Tables go to target/bench/web-COUNT/{search,areas,articles,search-uncached}/results.md;
# the server's RSS after load is in each run's log line "send-archive RSS after load".
set -euo pipefail
cd "$(dirname "$0")/.."
COUNT="${1:-10000}"
SHARED="${SHARED:-../shared}"
ROOT="$PWD"
WORK="$ROOT/target/bench/web-$COUNT"
CORPUS="$ROOT/target/bench/corpus-$COUNT"
INDEX="$WORK/index"
BIN="$ROOT/target/release/send-archive"
PEERS_SH="$SHARED/bench/peers/run-peers.sh"

[ -x "$PEERS_SH" ] || [ -f "$PEERS_SH" ] || { echo "needs $PEERS_SH (set SHARED=...)" >&2; exit 2; }
mkdir -p "$WORK"
if [ ! -d "$CORPUS" ] || [ "$(ls "$CORPUS" | wc -l)" -ne "$COUNT" ]; then
  rm -rf "$CORPUS"
  python3 "$SHARED/tools/gen-corpus.py" --count "$COUNT" --seed 1 --out "$CORPUS" --quiet
fi
cargo build --release --quiet
"$BIN" ingest --quiet --data "$CORPUS" --index "$INDEX" || true

# Slugs to rotate through for the page benchmarks.
"$BIN" search --no-ingest --index "$INDEX" --limit 100 --json "" \
  | python3 -c 'import json,sys; print("\n".join(h["slug"] for h in json.load(sys.stdin)["hits"]))' > "$WORK/article-slugs.txt"
grep -v '^#' data/reference/local-areas.tsv | sed 1d | cut -f2 | python3 -c '
import re, sys
for name in sys.stdin.read().splitlines()[:60]:
    print(re.sub(r"[^a-z0-9]+", "-", name.lower().replace("&", " ").replace("\x27", "")).strip("-"))' > "$WORK/area-slugs.txt"

serve="$BIN serve --data /nonexistent --index \"$INDEX\" --addr 127.0.0.1:\$PORT"
ONLY="${ONLY:-search areas articles search-uncached}"
run() { # NAME PATH QUERIES PEERS [SERVE-FLAGS]
  case " $ONLY " in *" $1 "*) ;; *) return 0 ;; esac
  EXTRA_NAME=send-archive EXTRA_SERVE="$serve ${5:-}" EXTRA_PATH="$2" EXTRA_SIZE_PATH="$INDEX" \
    QUERIES="$3" PEERS="$4" bash "$PEERS_SH" "$CORPUS" "$WORK/$1"
}
run search '/search?q=' "$SHARED/bench/peers/queries.txt" "datasette nginx sqlite tantivy pagefind"
run areas '/areas/' "$WORK/area-slugs.txt" "nginx"
run articles '/articles/' "$WORK/article-slugs.txt" "nginx"
run search-uncached '/search?q=' "$SHARED/bench/peers/queries.txt" "datasette" "--cache-mb 0"
for r in $ONLY; do echo "== $r"; cat "$WORK/$r/results.md"; grep -h "RSS after load" "$WORK/$r"/*.log 2>/dev/null || true; done
