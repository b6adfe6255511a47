#!/usr/bin/env bash
# The benchmark ledger: Pier against the peer a user would pick instead, on one machine, in one run, driven only
# by outside load generators: Debian `wrk` (bench/post.lua posts the body) for every HTTP row and Debian
# nghttp2-client's `h2load` (a pre-encoded gRPC frame) for the gRPC row, the same warm-up for every server.
#   each server's HTTP ceiling: Pier GET /v2/health/live, the peer's trivial GET /ping
#   Pier (bin/pier serve): TF Serving REST JSON, KServe V2 REST JSON, V2 REST binary tensors, V2 gRPC ModelInfer
#   the peer: FastAPI + PyTorch under `uvicorn --workers 2 --loop uvloop --http httptools`, the same MNIST MLP
#             as TorchScript, TF Serving :predict with a pydantic body model and with a raw Request handler
#   calibration: `pier bench` against Pier's TF Serving JSON endpoint, next to wrk's figure for it
# plus Pier's server CPU per request (/proc/PID/stat) and allocation per request (JFR thread allocation
# statistics, last round). Servers alternate within every round (Pier first in odd rounds, the peer first in
# even ones). Prints every row and replaces the "## Ledger" section of docs/benchmarks.md.
# Load goes to 127.0.0.1 only; every step is bounded in time; servers are stopped on exit. About 6 minutes.
# Needs: wrk, h2load (apt-get install wrk nghttp2-client), curl, /usr/bin/python3 with Debian's python3-torch,
# python3-onnx, python3-fastapi, python3-uvicorn, python3-uvloop, python3-httptools; a JDK >= 21 (with jcmd and
# jfr) and Maven for bin/pier.
# Environment: DURATION (10s per measured step), WARMUP (3s before each step), SERVER_WARMUP (5s per route, once
# before round 1), ROUNDS (2), CONNECTIONS (32),
# PEER_WORKERS (2), HTTP_PORT / GRPC_PORT / PEER_PORT (28501 / 28500 / 28601), DOCS (docs/benchmarks.md;
# "-" prints the section instead).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
pier="$root/bin/pier"
py=/usr/bin/python3   # Debian's python3, where python3-torch lives (not a pyenv python3 on PATH)
tools="$root/bench/ledger_tools.py"
duration="${DURATION:-10s}"
warmup="${WARMUP:-3s}"
server_warmup="${SERVER_WARMUP:-5s}"
rounds="${ROUNDS:-2}"
connections="${CONNECTIONS:-32}"
peer_workers="${PEER_WORKERS:-2}"
http_port="${HTTP_PORT:-28501}"
grpc_port="${GRPC_PORT:-28500}"
peer_port="${PEER_PORT:-28601}"
docs="${DOCS:-$root/docs/benchmarks.md}"
command_line="bash bench/ledger.sh"
for v in DURATION WARMUP SERVER_WARMUP ROUNDS CONNECTIONS PEER_WORKERS; do
  if [ -n "${!v:-}" ]; then command_line="$v=${!v} $command_line"; fi
done
load_at_start="$(cut -d' ' -f1 /proc/loadavg)"
started="$(date -u '+%Y-%m-%d %H:%M UTC')"
t_start=$SECONDS

for tool in wrk h2load curl; do
  command -v "$tool" >/dev/null || { echo "ledger.sh: $tool is needed (apt-get install wrk nghttp2-client curl)" >&2; exit 1; }
done
"$py" -c 'import torch, onnx, fastapi, uvicorn, uvloop, httptools' 2>/dev/null || {
  echo "ledger.sh: $py needs torch, onnx, fastapi, uvicorn, uvloop and httptools: apt-get install python3-torch" \
       "python3-onnx python3-fastapi python3-uvicorn python3-uvloop python3-httptools" >&2
  exit 1; }
# shellcheck source=../bin/lib/java.sh
source "$root/bin/lib/java.sh"
pier_find_java
[ -x "$JAVA_HOME/bin/jcmd" ] && [ -x "$JAVA_HOME/bin/jfr" ] || { echo "ledger.sh: $JAVA_HOME has no jcmd/jfr" >&2; exit 1; }

work="$(mktemp -d)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

wait_ready() {  # url pid log
  for _ in $(seq 240); do
    curl -sf "$1" >/dev/null 2>&1 && return 0
    kill -0 "$2" 2>/dev/null || { echo "server exited:"; cat "$3"; exit 1; }
    sleep 0.5
  done
  echo "server not ready at $1:"; cat "$3"; exit 1
}

for port in "$http_port" "$grpc_port" "$peer_port"; do  # another server on a port would be measured instead
  if curl -s -o /dev/null "http://127.0.0.1:$port/"; then
    echo "ledger.sh: 127.0.0.1:$port is already in use; choose other HTTP_PORT / GRPC_PORT / PEER_PORT" >&2; exit 1
  fi
done
echo "== machine: $(nproc) cores, load average $load_at_start, $(uname -sr); $duration per step after $warmup warm-up; $rounds rounds"
"$pier" example-model --output "$work/models" >/dev/null
"$py" "$tools" inputs mnist 784 1 "$work"
echo "== ONNX -> TorchScript for the peer: $("$py" "$root/bench/ledger_export_torchscript.py" "$work/models/mnist/1/model.onnx" "$work/mnist.pt")"

echo "== starting pier serve on 127.0.0.1:$http_port (REST) and :$grpc_port (gRPC)"
"$pier" serve --model-repository "$work/models" --host 127.0.0.1 --http-port "$http_port" --grpc-port "$grpc_port" \
  >"$work/serve.log" 2>&1 &
pier_pid=$!   # bin/pier execs the JVM, so this is the Java process
pids+=("$pier_pid")
wait_ready "http://127.0.0.1:$http_port/v2/health/ready" "$pier_pid" "$work/serve.log"

echo "== starting the peer (FastAPI + PyTorch, uvicorn --workers $peer_workers --loop uvloop --http httptools) on 127.0.0.1:$peer_port"
PEER_MODELS="mnist=$work/mnist.pt" "$py" -m uvicorn ledger_peer_server:app --app-dir "$root/bench" \
  --host 127.0.0.1 --port "$peer_port" --workers "$peer_workers" --loop uvloop --http httptools --no-access-log \
  >"$work/peer.log" 2>&1 &
peer_pid=$!
pids+=("$peer_pid")
wait_ready "http://127.0.0.1:$peer_port/v1/models/mnist" "$peer_pid" "$work/peer.log"

agreement=""
for path in v1/models/mnist:predict raw/v1/models/mnist:predict; do
  d="$("$py" "$tools" compare "$work/mnist-tf.json" \
    "http://127.0.0.1:$http_port/v1/models/mnist:predict" "http://127.0.0.1:$peer_port/$path")" || {
    echo "the peer's predictions ($path) differ from Pier's by $d: not the same network"; exit 1; }
  agreement="${agreement:+$agreement, }$d"
done
echo "== Pier and the peer agree (largest difference of the predictions: $agreement)"
# h2load counts HTTP 200s; a gRPC failure is a 200 with a non-zero grpc-status trailer, so check one call first
grpc_status="$(curl -s --http2-prior-knowledge -o /dev/null -D - -H 'content-type: application/grpc' -H 'te: trailers' \
  --data-binary @"$work/mnist.grpc" "http://127.0.0.1:$grpc_port/inference.GRPCInferenceService/ModelInfer" \
  | tr -d '\r' | sed -n 's/^grpc-status: *//Ip' | tail -1)"
[ "$grpc_status" = 0 ] || { echo "the gRPC frame was not answered with grpc-status 0 (got '$grpc_status')"; exit 1; }
# the first JFR start loads JFR's own classes in the server: do it once here, outside every measured step
"$JAVA_HOME/bin/jcmd" "$pier_pid" JFR.start name=ledger-init >/dev/null
"$JAVA_HOME/bin/jcmd" "$pier_pid" JFR.stop name=ledger-init >/dev/null   # stopped without a file: nothing written

: >"$work/rows.jsonl"
measure() { "$py" "$tools" measure "$work/rows.jsonl" round="$round" warmup="$warmup" duration="$duration" \
  connections="$connections" java_home="$JAVA_HOME" "$@"; }
pier_url="http://127.0.0.1:$http_port"
peer_url="http://127.0.0.1:$peer_port"
pier_rows() {
  local alloc=()
  [ "$round" = "$rounds" ] && alloc=(jfr_pid="$pier_pid")
  echo "== round $round: Pier"
  echo "-- HTTP ceiling: GET /v2/health/live";   measure server=Pier row=ceiling tool=wrk pids="$pier_pid" \
    lua="$root/bench/post.lua" url="$pier_url/v2/health/live"
  echo "-- TF Serving REST JSON";                measure server=Pier row="TF Serving REST JSON" tool=wrk pids="$pier_pid" \
    lua="$root/bench/post.lua" url="$pier_url/v1/models/mnist:predict" body="$work/mnist-tf.json" "${alloc[@]}"
  echo "-- calibration: pier bench on the same endpoint"
  "$pier" bench --url "$pier_url" --model mnist --protocol tfserving --input "$work/mnist-tf.json" \
    --concurrency "$connections" --warmup "$warmup" --duration "$duration" --slo-p99 10s --json "$work/cal.json" >/dev/null
  "$py" - "$work/cal.json" "$work/rows.jsonl" "$round" <<'EOF'
import json, sys
s = json.load(open(sys.argv[1]))["steps"][0]
r = {"round": int(sys.argv[3]), "server": "pier bench", "row": "TF Serving REST JSON", "tool": "pier bench",
     "rps": s["throughput"], "p50_ms": s["p50_ms"], "p99_ms": s["p99_ms"], "errors": s["errors"],
     "load": open("/proc/loadavg").read().split()[0]}
open(sys.argv[2], "a").write(json.dumps(r) + "\n")
print(f"  {r['rps']:>9,.0f} req/s  p50 {r['p50_ms']:7.3f} ms  p99 {r['p99_ms']:7.3f} ms  errors {r['errors']}")
EOF
  echo "-- KServe V2 REST JSON";                 measure server=Pier row="V2 REST JSON" tool=wrk pids="$pier_pid" \
    lua="$root/bench/post.lua" url="$pier_url/v2/models/mnist/infer" body="$work/mnist-v2.json" "${alloc[@]}"
  echo "-- KServe V2 REST binary tensors";       measure server=Pier row="V2 REST binary" tool=wrk pids="$pier_pid" \
    lua="$root/bench/post.lua" url="$pier_url/v2/models/mnist/infer" body="$work/mnist-v2.bin" \
    content_type=application/octet-stream header="Inference-Header-Content-Length: $(cat "$work/mnist-v2.bin.len")" "${alloc[@]}"
  echo "-- KServe V2 gRPC ModelInfer (h2load)";  measure server=Pier row="V2 gRPC ModelInfer" tool=h2load pids="$pier_pid" \
    url="http://127.0.0.1:$grpc_port/inference.GRPCInferenceService/ModelInfer" body="$work/mnist.grpc" "${alloc[@]}"
}
peer_rows() {
  echo "== round $round: peer"
  echo "-- HTTP ceiling: GET /ping";             measure server=peer row=ceiling tool=wrk pids="$peer_pid" \
    lua="$root/bench/post.lua" url="$peer_url/ping"
  echo "-- TF Serving JSON, pydantic model";     measure server=peer row="TF Serving JSON, pydantic model" tool=wrk \
    pids="$peer_pid" lua="$root/bench/post.lua" url="$peer_url/v1/models/mnist:predict" body="$work/mnist-tf.json"
  echo "-- TF Serving JSON, raw Request";        measure server=peer row="TF Serving JSON, raw Request" tool=wrk \
    pids="$peer_pid" lua="$root/bench/post.lua" url="$peer_url/raw/v1/models/mnist:predict" body="$work/mnist-tf.json"
}
# Once, before round 1, every route of both servers is driven for SERVER_WARMUP with the tool of its row (JIT,
# connection set-up, ONNX Runtime arenas, PyTorch's first calls); none of it is measured.
echo "== warming up every route of both servers for $server_warmup each (not measured)"
for target in "$pier_url/v2/health/live" "$pier_url/v1/models/mnist:predict $work/mnist-tf.json" \
              "$pier_url/v2/models/mnist/infer $work/mnist-v2.json" "$peer_url/ping" \
              "$peer_url/v1/models/mnist:predict $work/mnist-tf.json" "$peer_url/raw/v1/models/mnist:predict $work/mnist-tf.json"; do
  set -- $target
  PIER_BODY="${2:-}" wrk -t2 -c"$connections" -d"$server_warmup" -s "$root/bench/post.lua" "$1" >/dev/null
done
PIER_BODY="$work/mnist-v2.bin" PIER_CONTENT_TYPE=application/octet-stream \
  PIER_HEADER="Inference-Header-Content-Length: $(cat "$work/mnist-v2.bin.len")" \
  wrk -t2 -c"$connections" -d"$server_warmup" -s "$root/bench/post.lua" "$pier_url/v2/models/mnist/infer" >/dev/null
h2load -t2 -c"$connections" -m1 -D"${server_warmup%s}" -d "$work/mnist.grpc" -H 'content-type: application/grpc' \
  -H 'te: trailers' "http://127.0.0.1:$grpc_port/inference.GRPCInferenceService/ModelInfer" >/dev/null

for round in $(seq "$rounds"); do
  if [ $((round % 2)) = 1 ]; then pier_rows; peer_rows; else peer_rows; pier_rows; fi
done

"$py" - "$work/machine.json" <<EOF
import json, sys, torch, fastapi, uvicorn
json.dump({"cores": $(nproc), "load": "$load_at_start", "load_end": "$(cut -d' ' -f1 /proc/loadavg)",
           "started": "$started", "took": $((SECONDS - t_start)), "duration": "$duration", "warmup": "$warmup",
           "rounds": $rounds, "connections": $connections, "torch": torch.__version__, "fastapi": fastapi.__version__,
           "uvicorn": uvicorn.__version__, "peer_workers": $peer_workers, "agreement": "$agreement"},
          open(sys.argv[1], "w"))
EOF
echo "== ledger"
"$py" "$tools" report "$work" "$docs" "$command_line"
