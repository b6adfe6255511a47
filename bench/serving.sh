#!/usr/bin/env bash
# One run, one machine: how much of raw ONNX Runtime's speed survives Pier's serving path, for the MNIST MLP.
#   (a) raw in-process ONNX Runtime, batch 1, one thread          (pier bench --in-process)
#   (b) pier serve, TF Serving REST :predict, wrk at 32 connections, and at 1 connection (low-load latency)
#   (c) pier serve, KServe V2 gRPC, pier bench --protocol grpc --concurrency 32
# Prints requests/s, p50, p99, the ratio (b)/(a), server CPU per request (from /proc/PID/stat utime+stime)
# and the low-load p50 next to the raw batch-1 p50. Load goes to 127.0.0.1 only; every step is bounded in time;
# the server is killed on exit. Needs: wrk (Debian package wrk), python3, curl; a JDK >= 21 and Maven for bin/pier.
# Environment: DURATION (per measured step, default 15s), HTTP_PORT / GRPC_PORT (default 18501 / 18500).
# Run it on a quiet machine: the client (wrk / pier bench) shares the cores with the server.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
pier="$root/bin/pier"
duration="${DURATION:-15s}"
http_port="${HTTP_PORT:-18501}"
grpc_port="${GRPC_PORT:-18500}"
for tool in wrk python3 curl; do
  command -v "$tool" >/dev/null || { echo "serving.sh: $tool is needed (apt-get install $tool)" >&2; exit 1; }
done

work="$(mktemp -d)"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

json() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2], {'d': d}))" "$@"; }
ticks() { awk '{print $14 + $15}' "/proc/$server_pid/stat"; }  # utime + stime of the server, in clock ticks
clk_tck="$(getconf CLK_TCK)"

echo "== machine: $(nproc) cores, $(uname -sr); duration per step $duration"
"$pier" example-model --output "$work/models" >/dev/null
model="$work/models/mnist/1/model.onnx"

echo "== (a) raw in-process ONNX Runtime, batch 1, 1 thread"
"$pier" bench --in-process "$model" --batch-size 1 --threads 1 --warmup 3s --duration "$duration" --json "$work/a.json" >/dev/null
a_rps="$(json "$work/a.json" 'd["requestsPerSecond"]')"
a_p50="$(json "$work/a.json" 'd["latency"]["p50Ms"]')"
a_p99="$(json "$work/a.json" 'd["latency"]["p99Ms"]')"
printf '   %.0f inferences/s  p50 %.3f ms  p99 %.3f ms\n' "$a_rps" "$a_p50" "$a_p99"

echo "== starting pier serve on 127.0.0.1:$http_port (REST) and :$grpc_port (gRPC)"
"$pier" serve --model-repository "$work/models" --host 127.0.0.1 --http-port "$http_port" --grpc-port "$grpc_port" \
  >"$work/serve.log" 2>&1 &
server_pid=$!
for _ in $(seq 120); do
  curl -sf "http://127.0.0.1:$http_port/v2/health/ready" >/dev/null 2>&1 && break
  kill -0 "$server_pid" 2>/dev/null || { echo "pier serve exited:"; cat "$work/serve.log"; exit 1; }
  sleep 0.5
done
curl -sf "http://127.0.0.1:$http_port/v2/health/ready" >/dev/null || { echo "pier serve not ready:"; cat "$work/serve.log"; exit 1; }

# one MNIST-shaped row in TF Serving's row format, the same body for every request
python3 -c "import random; random.seed(42); print('{\"instances\": [[' + ','.join('%.4f' % random.random() for _ in range(784)) + ']]}')" >"$work/body.json"
url="http://127.0.0.1:$http_port/v1/models/mnist:predict"
wrk_run() {  # connections duration -> the PIER_WRK line
  PIER_BODY="$work/body.json" timeout 600 wrk -t "$(( $1 < 2 ? 1 : 2 ))" -c "$1" -d "$2" -s "$root/bench/post.lua" "$url" | grep '^PIER_WRK'
}
field() { sed -E "s/.* $1=([0-9]+).*/\1/" <<<"$2"; }

echo "== (b) pier serve, TF Serving REST :predict, wrk 32 connections"
wrk_run 32 3s >/dev/null  # warm-up: JIT, connections, ORT arenas
t0="$(ticks)"
line="$(wrk_run 32 "$duration")"
t1="$(ticks)"
b_n="$(field requests "$line")"; b_err="$(field errors "$line")"; b_us="$(field duration_us "$line")"
b_p50="$(field p50_us "$line")"; b_p99="$(field p99_us "$line")"
b_rps="$(python3 -c "print($b_n / ($b_us / 1e6))")"
b_cpu="$(python3 -c "print(($t1 - $t0) / $clk_tck * 1e6 / max(1, $b_n))")"
printf '   %.0f req/s  p50 %.3f ms  p99 %.3f ms  errors %d  server CPU %.1f us/request\n' \
  "$b_rps" "$(python3 -c "print($b_p50/1000)")" "$(python3 -c "print($b_p99/1000)")" "$b_err" "$b_cpu"
printf '   ratio (b)/(a) throughput: %.3f\n' "$(python3 -c "print($b_rps / $a_rps)")"

echo "== (b') low load: wrk 1 connection"
line="$(wrk_run 1 "$duration")"
l_p50="$(field p50_us "$line")"
printf '   p50 %.3f ms at 1 connection vs raw batch-1 p50 %.3f ms: serving adds %.3f ms\n' \
  "$(python3 -c "print($l_p50/1000)")" "$a_p50" "$(python3 -c "print($l_p50/1000 - $a_p50)")"

echo "== (c) pier serve, KServe V2 gRPC, pier bench --concurrency 32"
"$pier" bench --url "http://127.0.0.1:$grpc_port" --model mnist --protocol grpc --concurrency 32 \
  --warmup 0s --duration 3s --json "$work/c-warmup.json" >/dev/null  # warm-up of the server's gRPC path
t0="$(ticks)"
"$pier" bench --url "http://127.0.0.1:$grpc_port" --model mnist --protocol grpc --concurrency 32 \
  --warmup 0s --duration "$duration" --slo-p99 1000ms --json "$work/c.json" >"$work/c.log"
t1="$(ticks)"
c_rps="$(json "$work/c.json" 'd["steps"][0]["throughput"]')"
c_n="$(json "$work/c.json" 'd["steps"][0]["requests"]')"
printf '   %.0f req/s  p50 %.3f ms  p99 %.3f ms  errors %d  ratio (c)/(a) %.3f\n' "$c_rps" \
  "$(json "$work/c.json" 'd["steps"][0]["p50_ms"]')" "$(json "$work/c.json" 'd["steps"][0]["p99_ms"]')" \
  "$(json "$work/c.json" 'd["steps"][0]["errors"]')" "$(python3 -c "print($c_rps / $a_rps)")"
# the interval also covers the client JVM's start, when the server is idle
printf '   server CPU %.1f us/request\n' \
  "$(python3 -c "print(($t1 - $t0) / $clk_tck * 1e6 / max(1, $c_n))")"
