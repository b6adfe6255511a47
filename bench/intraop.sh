#!/usr/bin/env bash
# ONNX Runtime intra-op threads for the MNIST MLP under load (issue 13 item 4): `pier serve` of the example MLP
# with `intra_op_thread_count` 1 (the default) and $(nproc), set in the model's config.yaml, the two servers
# alternating over ROUNDS rounds; each step `wrk -t2 -c32` posting one 784-float TF Serving row, WARMUP then
# DURATION. Prints req/s, p50, p99 and server CPU per request. Load goes to 127.0.0.1 only.
# Environment: DURATION (10s), WARMUP (5s), ROUNDS (2), PORT (28801).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
py=/usr/bin/python3
tools="$root/bench/ledger_tools.py"
duration="${DURATION:-10s}"
warmup="${WARMUP:-5s}"
rounds="${ROUNDS:-2}"
port="${PORT:-28801}"
cores="$(nproc)"
command -v wrk >/dev/null || { echo "intraop.sh: wrk is needed (apt-get install wrk)" >&2; exit 1; }
if curl -s -o /dev/null "http://127.0.0.1:$port/"; then echo "intraop.sh: 127.0.0.1:$port is in use; set PORT" >&2; exit 1; fi
work="$(mktemp -d)"
pid=""
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT INT TERM
"$py" "$tools" inputs mnist 784 1 "$work"
for t in 1 "$cores"; do
  "$root/bin/pier" example-model --output "$work/repo-$t" >/dev/null
  printf 'parameters:\n  intra_op_thread_count: {string_value: "%s"}\n' "$t" >"$work/repo-$t/mnist/config.yaml"
done
echo "== $cores cores, load average $(cut -d' ' -f1 /proc/loadavg); $duration per step after $warmup"
for round in $(seq "$rounds"); do
  order="1 $cores"; [ $((round % 2)) = 0 ] && order="$cores 1"
  for t in $order; do
    "$root/bin/pier" serve --model-repository "$work/repo-$t" --host 127.0.0.1 --http-port "$port" --grpc-port 0 \
      >"$work/serve.log" 2>&1 &
    pid=$!
    for _ in $(seq 240); do
      curl -sf "http://127.0.0.1:$port/v2/health/ready" >/dev/null 2>&1 && break
      kill -0 "$pid" 2>/dev/null || { cat "$work/serve.log"; exit 1; }
      sleep 0.5
    done
    echo "-- round $round, intra_op_thread_count $t"
    "$py" "$tools" measure "$work/rows.jsonl" round="$round" server=Pier row="intra-op $t" tool=wrk pids="$pid" \
      lua="$root/bench/post.lua" warmup="$warmup" duration="$duration" \
      url="http://127.0.0.1:$port/v1/models/mnist:predict" body="$work/mnist-tf.json"
    kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
  done
done
