#!/usr/bin/env bash
# Collector comparison on `pier serve` of the example MLP under wrk -t2 -c32 posting one TF Serving MNIST row:
# throughput, p50/p99, and the longest GC pause and safepoint from the JVM's own log. The variants alternate,
# ROUNDS times (default 2), so a busy machine hurts them alike. Usage: bench/gc.sh ['NAME=JVM OPTS' ...]
# Environment: DURATION (10s), ROUNDS (2), PORT (18597). Load goes to 127.0.0.1 only.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
duration="${DURATION:-10s}"; rounds="${ROUNDS:-2}"; port="${PORT:-18597}"
work="$(mktemp -d)"; pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT INT TERM
if [ $# -eq 0 ]; then
  set -- "G1=-XX:+UseG1GC" "ZGC=-XX:+UseZGC" "Parallel=-XX:+UseParallelGC" "G1-pretouch-512m=-XX:+UseG1GC -Xms512m -Xmx512m -XX:+AlwaysPreTouch" \
         "ZGC-pretouch-512m=-XX:+UseZGC -Xms512m -Xmx512m -XX:+AlwaysPreTouch"
fi
"$root/bin/pier" example-model --output "$work/models" --kind mlp >/dev/null
/usr/bin/python3 -c "import json, random; r = random.Random(1); json.dump({'instances': [[round(r.random(), 6) for _ in range(784)]]}, open('$work/body.json', 'w'))"
printf '%-20s %10s %9s %9s %12s %14s\n' variant "req/s" "p50 ms" "p99 ms" "max GC ms" "max safept ms"
for r in $(seq "$rounds"); do
  for v in "$@"; do
    name="${v%%=*}"; opts="${v#*=}"
    PIER_CDS=0 PIER_JAVA_OPTS="$opts -Xlog:gc*,safepoint:file=$work/gc.log" "$root/bin/pier" serve --model-repository "$work/models" \
      --host 127.0.0.1 --http-port "$port" --grpc-port 0 --drain-seconds 0 --no-drift >"$work/serve.log" 2>&1 &
    pid=$!
    for _ in $(seq 600); do curl -sf "http://127.0.0.1:$port/v2/health/ready" >/dev/null && break; sleep 0.1; done
    url="http://127.0.0.1:$port/v1/models/mnist:predict"
    PIER_BODY="$work/body.json" wrk -t2 -c32 -d3s -s "$root/bench/post.lua" "$url" >/dev/null   # warm-up
    : >"$work/gc.log.mark"; marked=$(wc -l <"$work/gc.log")
    out="$(PIER_BODY="$work/body.json" wrk -t2 -c32 -d"$duration" --latency -s "$root/bench/post.lua" "$url")"
    tail -n +"$((marked + 1))" "$work/gc.log" >"$work/gc.measured"
    kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
    line="$(grep '^PIER_WRK' <<<"$out")"
    req=$(sed 's/.*requests=\([0-9]*\).*/\1/' <<<"$line"); us=$(sed 's/.*duration_us=\([0-9]*\).*/\1/' <<<"$line")
    p50=$(sed 's/.*p50_us=\([0-9]*\).*/\1/' <<<"$line"); p99=$(sed 's/.*p99_us=\([0-9]*\).*/\1/' <<<"$line")
    gcmax=$(grep -E 'Pause' "$work/gc.measured" | grep -oE '[0-9.]+ms$' | tr -d ms | sort -g | tail -1 || true)
    spmax=$(grep -oE 'Total: [0-9]+ ns' "$work/gc.measured" | awk '{print $2/1e6}' | sort -g | tail -1 || true)
    printf '%-20s %10.0f %9.2f %9.2f %12s %14s\n' "$name" "$(echo "$req * 1000000 / $us" | bc -l)" "$(echo "$p50/1000" | bc -l)" \
      "$(echo "$p99/1000" | bc -l)" "${gcmax:-none}" "${spmax:-none}"
  done
done
