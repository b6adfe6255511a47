#!/usr/bin/env bash
# Inline calls against the thread hand-off (issue 13 item 4), on one build: pier serve of the example MLP with
# -Dpier.batching.inline-max-nanos=0 (every call handed to an execution thread) and with the default (a call
# predicted under 100 µs runs on the caller's thread), alternating, ROUNDS times. wrk -t2 -c32 posts one
# 784-float TF Serving row to /v1/models/mnist:predict: 8 s warm-up, then DURATION measured, with the server's
# CPU (utime+stime from /proc) over the measured run. Load goes to 127.0.0.1 only; servers are stopped on exit.
# Environment: ROUNDS (2), DURATION (8s), PORT (28801). Needs wrk, curl, python3, a JDK >= 21 and Maven.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds="${ROUNDS:-2}"; duration="${DURATION:-8s}"; port="${PORT:-28801}"
work="$(mktemp -d)"; pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT INT TERM
"$root/bin/pier" example-model --output "$work/repo" >/dev/null
python3 -c 'import json,random; random.seed(1); print(json.dumps({"instances":[[random.random() for _ in range(784)]]}))' > "$work/tf.json"
url="http://127.0.0.1:$port/v1/models/mnist:predict"
one() {  # name java-opts
  PIER_JAVA_OPTS="$2" "$root/bin/pier" serve --model-repository "$work/repo" --host 127.0.0.1 --http-port "$port" \
    --grpc-port $((port + 1)) --no-drift >"$work/$1.log" 2>&1 & pid=$!
  for _ in $(seq 200); do curl -sf "http://127.0.0.1:$port/v2/health/ready" >/dev/null && break; sleep 0.2; done
  local java; java="$(pgrep -f "java.*--http-port $port" | head -1)"
  PIER_BODY="$work/tf.json" wrk -t2 -c32 -d8s -s "$root/bench/post.lua" "$url" >/dev/null
  local t0 t1 out
  t0=$(awk '{print $14+$15}' "/proc/$java/stat")
  out=$(PIER_BODY="$work/tf.json" wrk -t2 -c32 -d"$duration" --latency -s "$root/bench/post.lua" "$url" | grep PIER_WRK)
  t1=$(awk '{print $14+$15}' "/proc/$java/stat")
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
  echo "$1 $out cpu_ticks=$((t1 - t0)) load=$(cut -d' ' -f1 /proc/loadavg)"
}
hz="$(getconf CLK_TCK)"
for _ in $(seq "$rounds"); do one handoff "-Dpier.batching.inline-max-nanos=0"; one inline ""; done |
  awk -v hz="$hz" '{split($3,a,"="); split($6,d,"="); split($7,p5,"="); split($8,p9,"="); split($10,c,"=");
    printf "%-8s %7.0f req/s  p50 %5.2f ms  p99 %6.2f ms  CPU %4.0f µs/req  %s\n", $1, a[2]/(d[2]/1e6),
      p5[2]/1000, p9[2]/1000, c[2]*1e6/hz/a[2], $11}'
