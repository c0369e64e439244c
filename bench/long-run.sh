#!/usr/bin/env bash
# bench/long-run.sh — a soak: the server under mixed load for MINUTES, with re-ingests and
# ingests killed part-way, watching for leaks, errors and slow answers.
#
# 1. Generates COUNT (default 2000) synthetic articles with ../shared/tools/gen-corpus.py
#    into a temporary copy (benchmark-only; never part of data/), builds the release binary
#    and ingests them.
# 2. Starts `serve` and CLIENTS (default 4) load clients (python3, keep-alive) for MINUTES
#    (default 10) minutes, mixing searches, area pages, article pages, data downloads
#    (JSON, CSV, feeds) and hostile requests (bad escapes, overlong queries, markup,
#    absurd pages, unknown filters, odd methods).
# 3. Every INGEST_EVERY (default 30) seconds changes the corpus (touches files, rewrites
#    one, adds one) and ingests; every KILL_EVERY-th time (default 3) it first starts an
#    ingest and kills it with SIGKILL part-way (after 20 to 600 ms). For the issue's long
#    run (a 10-minute soak with 50 kills and over 100,000 requests):
#    MINUTES=10 INGEST_EVERY=5 KILL_EVERY=2 bash bench/long-run.sh
# 4. Every SAMPLE_EVERY (default 10) seconds samples the server's RSS, open file
#    descriptors and threads from /proc, and the generation /healthz reports.
# Prints a summary table: per kind of request the count, errors and latency percentiles;
# the server's resources at the start, at their peak and at the end; the ingests.
# An error is a 5xx, a dropped connection, a timeout, or (for ordinary requests) any status
# but 200/304; hostile requests may be 4xx. Work files go under a temporary folder, kept
# when KEEP=1. BIN=path uses that binary instead of building the release one. Linux only
# (/proc).
set -euo pipefail
cd "$(dirname "$0")/.."
MINUTES="${MINUTES:-10}"
COUNT="${COUNT:-2000}"
CLIENTS="${CLIENTS:-4}"
INGEST_EVERY="${INGEST_EVERY:-30}"
KILL_EVERY="${KILL_EVERY:-3}"
SAMPLE_EVERY="${SAMPLE_EVERY:-10}"
SHARED="${SHARED:-../shared}"
ROOT="$PWD"

[ -f "$SHARED/tools/gen-corpus.py" ] || { echo "needs $SHARED/tools/gen-corpus.py (set SHARED=...)" >&2; exit 2; }
command -v python3 >/dev/null || { echo "needs python3" >&2; exit 2; }
command -v curl >/dev/null || { echo "needs curl" >&2; exit 2; }
# BIN=path runs that binary instead of building the release one.
if [ -z "${BIN:-}" ]; then
  cargo build --release --quiet
  BIN="${CARGO_TARGET_DIR:-$ROOT/target}/release/send-archive"
fi

WORK="$(mktemp -d)"
SERVER=""
LOAD=""
cleanup() {
  [ -n "$LOAD" ] && kill "$LOAD" 2>/dev/null || true
  [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null || true
  if [ "${KEEP:-0}" = 1 ]; then echo "work files kept in $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

CORPUS="$WORK/corpus"
INDEX="$WORK/index"
python3 "$SHARED/tools/gen-corpus.py" --count "$COUNT" --seed 1 --out "$CORPUS" --quiet
started_at="$(date -u '+%Y-%m-%d %H:%M UTC')"
"$BIN" ingest --quiet --data "$CORPUS" --index "$INDEX" >/dev/null || [ $? -eq 2 ]

# The server, on a free port; its address from its first line.
"$BIN" serve --data "$CORPUS" --index "$INDEX" --addr 127.0.0.1:0 >"$WORK/serve.out" 2>"$WORK/serve.err" &
SERVER=$!
for _ in $(seq 600); do
  ADDR="$(grep -o 'http://[0-9.:]*' "$WORK/serve.out" 2>/dev/null | head -1 | sed 's|http://||')" || true
  [ -n "$ADDR" ] && break
  kill -0 "$SERVER" 2>/dev/null || { cat "$WORK/serve.err" >&2; exit 1; }
  sleep 0.1
done
[ -n "$ADDR" ] || { echo "serve did not start" >&2; exit 1; }

# Slugs to rotate through.
"$BIN" search --no-ingest --index "$INDEX" --limit 200 --json "" \
  | python3 -c 'import json,sys; print("\n".join(h["slug"] for h in json.load(sys.stdin)["hits"]))' >"$WORK/articles.txt"
curl -fsS "http://$ADDR/api/areas" \
  | python3 -c 'import json,sys; print("\n".join(a["slug"] for a in json.load(sys.stdin)["areas"]))' >"$WORK/areas.txt"

# The load clients: one thread per client, each with its own keep-alive connection.
cat >"$WORK/load.py" <<'PY'
import http.client, json, random, sys, threading, time
addr, seconds, clients, work = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
host, port = addr.rsplit(":", 1)
articles = open(f"{work}/articles.txt").read().split()
areas = open(f"{work}/areas.txt").read().split()
queries = ["waiting times", "ehcp", "\"written statement of action\"", "parent carer forum",
           "autism", "tribunal", "speech and language", "inconsistent -positive", "alternative provision",
           "transport", "mental health", "transitions", "outcome:positive", "area:dudley", "year:2023"]
hostile = [
    "/search?q=%FF%FE%00", "/search?q=%", "/search?q=%%25%2", "/search?q=" + "a" * 5000,
    "/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E", "/search?q=%22%3E%3Cimg%20src%3Dx%3E",
    "/search?q=((((((((", "/search?q=title%3A(", "/search?page=99999999999999999999",
    "/search?page=-3&sort=sideways", "/search?area=..%2F..%2Fetc%2Fpasswd", "/search?nosuch=1&q=a&q=b",
    "/api/search?q=%3D1%2B1%7Ccmd", "/areas/%2E%2E%2F%2E%2E", "/articles/" + "x" * 3000,
    "/static/..%2FCargo.toml", "/areas/%00?page=-1", "/quotes?speaker=%3Cb%3E&page=1e99",
    "/data/articles.csv?q=%3D2%2B3", "/themes/%E2%80%AE%0D%0A", "/api/articles/%C0%AE%C0%AE",
]
pages = ["/", "/areas", "/themes", "/quotes", "/data", "/search/help", "/feed.xml", "/sitemap.xml"]
data = ["/data/inspections.csv", "/data/articles.csv", "/api/inspections", "/api/areas", "/api/search?q=autism&page=2"]
kinds = [("search", 30), ("area", 20), ("article", 20), ("page", 10), ("data", 8), ("hostile", 12)]
total_weight = sum(w for _, w in kinds)
lock = threading.Lock()
stats = {k: {"n": 0, "errors": 0, "lat": [], "status": {}} for k, _ in kinds}
examples = []
stop_at = time.time() + seconds

def pick(rng):
    r = rng.uniform(0, total_weight)
    for kind, w in kinds:
        r -= w
        if r <= 0:
            break
    if kind == "search":
        q = rng.choice(queries).replace(" ", "+").replace('"', "%22").replace(":", "%3A")
        return kind, f"/search?q={q}&page={rng.randint(1, 3)}", "GET", {}
    if kind == "area":
        return kind, f"/areas/{rng.choice(areas)}", "GET", {}
    if kind == "article":
        return kind, f"/articles/{rng.choice(articles)}", "GET", {"Accept": rng.choice(["text/html", "application/json"])}
    if kind == "page":
        return kind, rng.choice(pages), "GET", {}
    if kind == "data":
        return kind, rng.choice(data), "GET", {"Accept-Encoding": "gzip"}
    path = rng.choice(hostile)
    method = rng.choice(["GET", "GET", "GET", "HEAD", "POST", "OPTIONS"])
    return kind, path, method, {"Accept": rng.choice(["*/*", "text/csv", ";;;", "application/json;q=0"])}

def client(n):
    rng = random.Random(n)
    conn = None
    while time.time() < stop_at:
        kind, path, method, headers = pick(rng)
        t0 = time.perf_counter()
        try:
            if conn is None:
                conn = http.client.HTTPConnection(host, int(port), timeout=30)
            conn.request(method, path, headers=headers)
            resp = conn.getresponse()
            resp.read()
            status = resp.status
            if resp.getheader("connection", "").lower() == "close":
                conn.close(); conn = None
        except Exception as e:
            status = type(e).__name__
            if conn is not None:
                conn.close()
            conn = None
        ms = (time.perf_counter() - t0) * 1000
        if kind == "hostile":
            bad = not isinstance(status, int) or status >= 500
        else:
            bad = status not in (200, 304)
        with lock:
            s = stats[kind]
            s["n"] += 1
            s["lat"].append(ms)
            s["status"][str(status)] = s["status"].get(str(status), 0) + 1
            if bad:
                s["errors"] += 1
                if len(examples) < 20:
                    examples.append(f"{kind} {method} {path[:80]} -> {status}")

threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
for t in threads: t.start()
for t in threads: t.join()

def pct(values, p):
    if not values: return 0.0
    values = sorted(values)
    return values[min(len(values) - 1, int(p / 100 * len(values)))]
out = {}
for kind, s in stats.items():
    out[kind] = {"n": s["n"], "errors": s["errors"], "status": s["status"],
                 "p50": pct(s["lat"], 50), "p90": pct(s["lat"], 90), "p99": pct(s["lat"], 99),
                 "max": max(s["lat"], default=0.0)}
all_lat = [x for s in stats.values() for x in s["lat"]]
out["all"] = {"n": sum(s["n"] for s in stats.values()), "errors": sum(s["errors"] for s in stats.values()),
              "p50": pct(all_lat, 50), "p90": pct(all_lat, 90), "p99": pct(all_lat, 99), "max": max(all_lat, default=0.0),
              "rate": sum(s["n"] for s in stats.values()) / seconds}
out["examples"] = examples
json.dump(out, open(f"{work}/load.json", "w"))
PY

SECONDS_TOTAL=$((MINUTES * 60))
python3 "$WORK/load.py" "$ADDR" "$SECONDS_TOTAL" "$CLIENTS" "$WORK" &
LOAD=$!

# Samples: time, RSS (kB), open fds, threads, generation.
sample() {
  local rss fds threads gen
  rss=$(awk '/^VmRSS/ {print $2}' "/proc/$SERVER/status")
  fds=$(ls "/proc/$SERVER/fd" | wc -l)
  threads=$(ls "/proc/$SERVER/task" | wc -l)
  gen=$(curl -fsS --max-time 10 "http://$ADDR/healthz" | python3 -c 'import json,sys; print(json.load(sys.stdin)["generation"])' 2>/dev/null || echo "healthz-failed")
  echo "$(date +%s) $rss $fds $threads $gen" >>"$WORK/samples.txt"
}

ingest_ok=0; ingest_failed=0; killed=0; round=0
t_start=$(date +%s); next_ingest=$((t_start + INGEST_EVERY)); next_sample=$t_start
files=("$CORPUS"/*.txt)
while kill -0 "$LOAD" 2>/dev/null; do
  now=$(date +%s)
  if [ "$now" -ge "$next_sample" ]; then sample; next_sample=$((now + SAMPLE_EVERY)); fi
  if [ "$now" -ge "$next_ingest" ]; then
    round=$((round + 1))
    # Touch a few files (a no-op for the index), rewrite one and add one (a new generation).
    for i in 1 2 3; do touch "${files[$(((round * 7 + i) % ${#files[@]}))]}"; done
    victim="${files[$((round % ${#files[@]}))]}"
    printf '\nUpdated in soak round %s: the council responded to the inspection.\n' "$round" >>"$victim"
    sed "s/\$/ (soak copy $round)/" "${files[$(((round * 13) % ${#files[@]}))]}" >"$CORPUS/soak-added-$round.txt"
    if [ $((round % KILL_EVERY)) -eq 0 ]; then
      "$BIN" ingest --quiet --data "$CORPUS" --index "$INDEX" >/dev/null 2>&1 &
      victim_pid=$!
      sleep "0.$(printf '%03d' $(((round * 137) % 580 + 20)))"
      kill -9 "$victim_pid" 2>/dev/null && killed=$((killed + 1)) || true
      wait "$victim_pid" 2>/dev/null || true
    fi
    if "$BIN" ingest --quiet --data "$CORPUS" --index "$INDEX" >>"$WORK/ingest.log" 2>&1 || [ $? -eq 2 ]; then
      ingest_ok=$((ingest_ok + 1))
    else
      ingest_failed=$((ingest_failed + 1))
    fi
    next_ingest=$(($(date +%s) + INGEST_EVERY))
  fi
  sleep 1
done
wait "$LOAD" || true
LOAD=""
sample
alive=yes; kill -0 "$SERVER" 2>/dev/null || alive=no
health=$(curl -fsS --max-time 10 "http://$ADDR/healthz" || echo "failed")

echo "# Long run, started $started_at: $MINUTES min, $COUNT articles, $CLIENTS clients, $(nproc) cores"
echo "# command: MINUTES=$MINUTES COUNT=$COUNT CLIENTS=$CLIENTS INGEST_EVERY=$INGEST_EVERY bench/long-run.sh"
echo
python3 - "$WORK/load.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
print("| requests | count | errors | p50 ms | p90 ms | p99 ms | max ms | statuses |")
print("|---|---:|---:|---:|---:|---:|---:|---|")
for kind in ["search", "area", "article", "page", "data", "hostile"]:
    s = d[kind]
    statuses = ", ".join(f"{k}: {v}" for k, v in sorted(s["status"].items()))
    print(f"| {kind} | {s['n']} | {s['errors']} | {s['p50']:.1f} | {s['p90']:.1f} | {s['p99']:.1f} | {s['max']:.1f} | {statuses} |")
a = d["all"]
print(f"| **all** | {a['n']} | {a['errors']} | {a['p50']:.1f} | {a['p90']:.1f} | {a['p99']:.1f} | {a['max']:.1f} | {a['rate']:.0f} req/s |")
for e in d["examples"]:
    print("error:", e)
PY
echo
awk '
  NR == 1 { r0 = $2; f0 = $3; t0 = $4 }
  { if ($2 > rmax) rmax = $2; if ($3 > fmax) fmax = $3; if ($4 > tmax) tmax = $4; r = $2; f = $3; t = $4
    if ($5 != g) { gens++; g = $5 } if ($5 == "healthz-failed") hf++ }
  END {
    print "| server | start | peak | end |"
    print "|---|---:|---:|---:|"
    printf "| RSS (MB) | %.1f | %.1f | %.1f |\n", r0 / 1024, rmax / 1024, r / 1024
    printf "| open fds | %d | %d | %d |\n", f0, fmax, f
    printf "| threads | %d | %d | %d |\n", t0, tmax, t
    printf "\ngenerations seen by /healthz: %d (in %d samples; %d healthz failures)\n", gens, NR, hf + 0
  }' "$WORK/samples.txt"
echo "ingests: $ingest_ok succeeded, $ingest_failed failed, $killed killed part-way (SIGKILL); server alive at the end: $alive"
echo "healthz at the end: $health"
echo "server log lines with WARN or ERROR: $(grep -c 'WARN\|ERROR' "$WORK/serve.err" || true)"
