#!/usr/bin/env bash
# Allocation per request on `pier serve` (issue 13 item 2): the example MLP, one 784-float row per request, driven
# by wrk (bench/post.lua, -t2 -c32). After a warm-up it measures, over one run of DURATION:
#   - bytes allocated per request, exact: JFR jdk.ThreadAllocationStatistics (every thread's allocation counter)
#     at the start and the end of the run, summed over threads, divided by the requests wrk counted;
#   - where they come from: a second run with JFR's jdk.ObjectAllocationSample (stack traces), the samples'
#     weights summed by allocated class and allocating frame, scaled to bytes per request (TOP rows).
# Usage: bench/alloc.sh [tf|v2|binary]...   (default: tf; each names a row: TF Serving JSON, V2 JSON, V2 binary)
# Environment: DURATION (10s), WARMUP (10s), TOP (15), PORT (28701). Load goes to 127.0.0.1 only.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
py=/usr/bin/python3
tools="$root/bench/ledger_tools.py"
duration="${DURATION:-10s}"
warmup="${WARMUP:-10s}"
top="${TOP:-15}"
port="${PORT:-28701}"
rows=("$@"); [ ${#rows[@]} -gt 0 ] || rows=(tf)
command -v wrk >/dev/null || { echo "alloc.sh: wrk is needed (apt-get install wrk)" >&2; exit 1; }
source "$root/bin/lib/java.sh"
pier_find_java
if curl -s -o /dev/null "http://127.0.0.1:$port/"; then echo "alloc.sh: 127.0.0.1:$port is in use; set PORT" >&2; exit 1; fi

work="$(mktemp -d)"
pid=""
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

"$root/bin/pier" example-model --output "$work/models" >/dev/null
"$py" "$tools" inputs mnist 784 1 "$work"
"$root/bin/pier" serve --model-repository "$work/models" --host 127.0.0.1 --http-port "$port" --grpc-port 0 \
  >"$work/serve.log" 2>&1 &
pid=$!
for _ in $(seq 240); do
  curl -sf "http://127.0.0.1:$port/v2/health/ready" >/dev/null 2>&1 && break
  kill -0 "$pid" 2>/dev/null || { cat "$work/serve.log"; exit 1; }
  sleep 0.5
done
"$JAVA_HOME/bin/jcmd" "$pid" JFR.start name=init >/dev/null   # JFR's own start-up, outside the runs
"$JAVA_HOME/bin/jcmd" "$pid" JFR.stop name=init >/dev/null    # stopped without a file: nothing written
cat >"$work/sample.jfc" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<configuration version="2.0" label="allocation samples">
  <event name="jdk.ObjectAllocationSample"><setting name="enabled">true</setting>
    <setting name="throttle">5000/s</setting><setting name="stackTrace">true</setting></event>
</configuration>
EOF
echo "== $(nproc) cores, load average $(cut -d' ' -f1 /proc/loadavg), $(git -C "$root" rev-parse --short HEAD)$(git -C "$root" diff --quiet || echo '+changes'); warm-up $warmup, runs of $duration"
for row in "${rows[@]}"; do
  case "$row" in
    tf) args=(url="http://127.0.0.1:$port/v1/models/mnist:predict" body="$work/mnist-tf.json") ;;
    v2) args=(url="http://127.0.0.1:$port/v2/models/mnist/infer" body="$work/mnist-v2.json") ;;
    binary) args=(url="http://127.0.0.1:$port/v2/models/mnist/infer" body="$work/mnist-v2.bin"
                  content_type=application/octet-stream header="Inference-Header-Content-Length: $(cat "$work/mnist-v2.bin.len")") ;;
    *) echo "alloc.sh: unknown row '$row' (expected tf, v2 or binary)" >&2; exit 2 ;;
  esac
  echo "== $row: $(stat -c %s "${args[1]#body=}") bytes per request body"
  : >"$work/rows.jsonl"
  "$py" "$tools" measure "$work/rows.jsonl" round=1 server=Pier row="$row" tool=wrk pids="$pid" lua="$root/bench/post.lua" \
    warmup="$warmup" duration="$duration" java_home="$JAVA_HOME" jfr_pid="$pid" "${args[@]}"
  "$py" - "$work/rows.jsonl" <<'EOF'
import json, sys
r = json.loads(open(sys.argv[1]).read().splitlines()[-1])
print("   by thread kind (B/request): " + ", ".join(f"{k} {v:,.0f}" for k, v in sorted(r["alloc_kinds"].items())))
EOF
  # the allocation sites: a sampled run; weights are JFR's estimate of the bytes each sample stands for
  "$JAVA_HOME/bin/jcmd" "$pid" JFR.start name=sites settings="$work/sample.jfc" >/dev/null
  line="$(env PIER_BODY="${args[1]#body=}" ${args[2]:+PIER_CONTENT_TYPE="${args[2]#content_type=}"} \
    ${args[3]:+PIER_HEADER="${args[3]#header=}"} wrk -t2 -c32 -d"$duration" -s "$root/bench/post.lua" "${args[0]#url=}" | grep '^PIER_WRK')"
  "$JAVA_HOME/bin/jcmd" "$pid" JFR.stop name=sites filename="$work/sites.jfr" >/dev/null
  requests="$(sed -E 's/.* requests=([0-9]+).*/\1/' <<<"$line")"
  "$JAVA_HOME/bin/jfr" print --json --stack-depth 12 --events jdk.ObjectAllocationSample "$work/sites.jfr" >"$work/sites.json"
  "$py" - "$work/sites.json" "$requests" "$top" <<'EOF'
import collections, json, sys
events = json.load(open(sys.argv[1]))["recording"]["events"]
requests, top = int(sys.argv[2]), int(sys.argv[3])
sites = collections.Counter()
total = 0
def frame(f):
    m = f["method"]
    return f'{m["type"]["name"].rsplit(".", 1)[-1]}.{m["name"]}:{f.get("lineNumber", "?")}'
for e in events:
    v = e["values"]
    w = int(v["weight"])
    total += w
    frames = (v.get("stackTrace") or {}).get("frames") or []
    # the allocating frame, and the first frame of Pier's own code above it (who asked for it)
    own = next((frame(f) for f in frames if f["method"]["type"]["name"].startswith("dev.pier.")), "-")
    first = frame(frames[0]) if frames else "?"
    sites[(v["objectClass"]["name"], first, own)] += w
print(f"   sampled: {total / requests:,.0f} B/request over {requests} requests; top sites (B/request, class, allocating frame, Pier frame):")
for (cls, first, own), w in sites.most_common(top):
    print(f"   {w / requests:8,.0f}  {cls:32.32}  {first:44.44}  {own}")
EOF
done
