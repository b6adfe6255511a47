#!/usr/bin/env bash
# The benchmark ledger: one run, one machine, the same models and inputs, side by side:
#   raw in-process ONNX Runtime (pier bench --in-process), at 1 thread and at min(cores, max concurrency);
#   raw in-process PyTorch running the peer's TorchScript model (1 thread)
#   pier serve over TF Serving REST/JSON, KServe V2 REST/JSON, V2 REST binary tensors and V2 gRPC
#   the peer a user would pick instead: FastAPI/uvicorn + PyTorch serving the same network as TorchScript
# for the reference MLP (784-128-10) and a ResNet-18-sized CNN (3x32x32). Every HTTP server is driven by the
# same load generator (pier bench, closed loop, --concurrency $CONCURRENCY) with the same seeded request.
# Prints every figure and its ratios, and replaces the "## Ledger" section of docs/benchmarks.md.
# Load goes to 127.0.0.1 only; every step is bounded (DURATION + WARMUP); servers are stopped on exit.
# Needs: /usr/bin/python3 with Debian's python3-torch, python3-onnx, python3-fastapi, python3-uvicorn; curl;
# a JDK >= 21 and Maven for bin/pier. About 7 minutes with the defaults on a quiet machine.
# Environment: DURATION (default 10s), WARMUP (2s, before each step), SERVER_WARMUP (5s per server path, once), CONCURRENCY (1,16), PEER_WORKERS (cores),
# HTTP_PORT / GRPC_PORT / PEER_PORT (18501 / 18500 / 18601), DOCS (docs/benchmarks.md; "-" prints the section instead).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
pier="$root/bin/pier"
py=/usr/bin/python3   # Debian's python3, where python3-torch lives (not a pyenv python3 on PATH)
duration="${DURATION:-10s}"
warmup="${WARMUP:-2s}"
server_warmup="${SERVER_WARMUP:-5s}"
concurrency="${CONCURRENCY:-1,16}"
http_port="${HTTP_PORT:-18501}"
grpc_port="${GRPC_PORT:-18500}"
peer_port="${PEER_PORT:-18601}"
cores="$(nproc)"
peer_workers="${PEER_WORKERS:-$cores}"
docs="${DOCS:-$root/docs/benchmarks.md}"
command_line="bash bench/ledger.sh"
for v in PEER_WORKERS CONCURRENCY WARMUP SERVER_WARMUP DURATION; do
  if [ -n "${!v:-}" ]; then command_line="$v=${!v} $command_line"; fi
done
load_at_start="$(cut -d' ' -f1 /proc/loadavg)"
started="$(date -u '+%Y-%m-%d %H:%M UTC')"

command -v curl >/dev/null || { echo "ledger.sh: curl is needed" >&2; exit 1; }
"$py" -c 'import torch, onnx, fastapi, uvicorn' 2>/dev/null || {
  echo "ledger.sh: $py needs torch, onnx, fastapi and uvicorn: apt-get install python3-torch python3-onnx python3-fastapi python3-uvicorn" >&2
  exit 1; }
max_conc="$(tr ',' '\n' <<<"$concurrency" | sort -n | tail -1)"
raw_threads="1"
wide=$(( cores < max_conc ? cores : max_conc ))
if [ "$wide" -gt 1 ]; then raw_threads="1 $wide"; fi

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

echo "== machine: $cores cores, load average $load_at_start, $(uname -sr); $duration per step after $warmup warm-up; concurrency $concurrency"
"$pier" example-model --output "$work/models" >/dev/null
"$pier" example-model --kind cnn --output "$work/models" >/dev/null
declare -A shape=([mnist]=784 [cnn]=3x32x32)
seed=1
for m in mnist cnn; do
  "$py" "$root/bench/ledger_tools.py" inputs "$m" "${shape[$m]}" "$seed" "$work"
  seed=$((seed + 1))
  echo "== $m: ONNX -> TorchScript for the peer: $("$py" "$root/bench/ledger_export_torchscript.py" "$work/models/$m/1/model.onnx" "$work/$m.pt")"
done

: >"$work/results.tsv"
record() { printf '%s\t%s\t%s\t%s\t%s\n' "$@" >>"$work/results.tsv"; }

for m in mnist cnn; do
  for t in $raw_threads; do
    echo "== $m: raw in-process ONNX Runtime, batch 1, $t thread(s)"
    "$pier" bench --in-process "$work/models/$m/1/model.onnx" --input "$work/$m-v2.json" --threads "$t" \
      --warmup "$warmup" --duration "$duration" --json "$work/raw-$m-$t.json" | sed -n '2p'
    record "$m" raw raw "$t" "$work/raw-$m-$t.json"
  done
  echo "== $m: raw in-process PyTorch (the peer's TorchScript model), batch 1, 1 thread"
  "$py" "$root/bench/ledger_tools.py" torchraw "$work/$m.pt" "$work/$m-tf.json" "$duration" "$warmup" "$work/torch-$m.json"
  record "$m" torchraw "raw PyTorch" 1 "$work/torch-$m.json"
done

echo "== starting pier serve on 127.0.0.1:$http_port (REST) and :$grpc_port (gRPC)"
"$pier" serve --model-repository "$work/models" --host 127.0.0.1 --http-port "$http_port" --grpc-port "$grpc_port" \
  >"$work/serve.log" 2>&1 &
pier_pid=$!
pids+=("$pier_pid")
wait_ready "http://127.0.0.1:$http_port/v2/health/ready" "$pier_pid" "$work/serve.log"

echo "== starting the peer (FastAPI/uvicorn + PyTorch TorchScript, $peer_workers workers) on 127.0.0.1:$peer_port"
PEER_MODELS="mnist=$work/mnist.pt,cnn=$work/cnn.pt" "$py" -m uvicorn ledger_peer_server:app --app-dir "$root/bench" \
  --host 127.0.0.1 --port "$peer_port" --workers "$peer_workers" --no-access-log >"$work/peer.log" 2>&1 &
peer_pid=$!
pids+=("$peer_pid")
for m in mnist cnn; do wait_ready "http://127.0.0.1:$peer_port/v1/models/$m" "$peer_pid" "$work/peer.log"; done

agreement=""
for m in mnist cnn; do
  d="$("$py" "$root/bench/ledger_tools.py" compare "$work/$m-tf.json" \
    "http://127.0.0.1:$http_port/v1/models/$m:predict" "http://127.0.0.1:$peer_port/v1/models/$m:predict")" || {
    echo "the peer's $m predictions differ from Pier's by $d: not the same network"; exit 1; }
  echo "== $m: Pier and the peer agree (largest difference of the predictions $d)"
  agreement="${agreement:+$agreement, }$m $d"
done

sweep() {  # model kind label protocol port input [extra args]
  local m="$1" kind="$2" label="$3" proto="$4" port="$5" input="$6"; shift 6
  local out="$work/$m-$kind-$proto$*.json"; out="${out// /}"
  echo "== $m: $label"
  "$pier" bench --url "http://127.0.0.1:$port" --model "$m" --protocol "$proto" --input "$input" "$@" \
    --concurrency "$concurrency" --warmup "$warmup" --duration "$duration" --slo-p99 10s --json "$out" \
    | grep '^  concurrency'
  record "$m" "$kind" "$label" 0 "$out"
}

# Both servers' code paths are warmed up (JIT, connection pools, ONNX Runtime arenas) before anything is measured:
# otherwise the first row measured (Pier's TF Serving JSON) pays the JIT's compile time inside its own steps
# (seen: 4,220 req/s where the same path gives ~8,800 once warm).
echo "== warming up every server path for $server_warmup each (not measured)"
for m in mnist cnn; do
  for args in "tfserving $http_port $work/$m-tf.json" "rest $http_port $work/$m-v2.json" \
              "rest $http_port $work/$m-v2.json --binary" "grpc $grpc_port $work/$m-v2.json" "tfserving $peer_port $work/$m-tf.json"; do
    set -- $args
    "$pier" bench --url "http://127.0.0.1:$2" --model "$m" --protocol "$1" --input "$3" "${@:4}" \
      --concurrency 16 --warmup 1s --duration "$server_warmup" --slo-p99 10s --json "$work/warmup.json" >/dev/null
  done
done

for m in mnist cnn; do
  sweep "$m" pier "Pier TF Serving REST/JSON" tfserving "$http_port" "$work/$m-tf.json"
  sweep "$m" pier "Pier KServe V2 REST/JSON" rest "$http_port" "$work/$m-v2.json"
  sweep "$m" pier "Pier KServe V2 REST binary" rest "$http_port" "$work/$m-v2.json" --binary
  sweep "$m" pier "Pier KServe V2 gRPC" grpc "$grpc_port" "$work/$m-v2.json"
  sweep "$m" peer "peer FastAPI+PyTorch (TF Serving JSON)" tfserving "$peer_port" "$work/$m-tf.json"
done

"$py" - "$work/machine.json" <<EOF
import json, sys, torch, fastapi, uvicorn
json.dump({"cores": $cores, "load": "$load_at_start", "started": "$started", "duration": "$duration", "warmup": "$warmup",
           "torch": torch.__version__, "fastapi": fastapi.__version__, "uvicorn": uvicorn.__version__,
           "peer_workers": $peer_workers, "agreement": "$agreement"}, open(sys.argv[1], "w"))
EOF
echo "== ledger (throughput in requests/s; ratios: to raw ORT, and to Pier's TF Serving REST/JSON at the same concurrency)"
"$py" "$root/bench/ledger_tools.py" report "$work" "$docs" "$command_line"
