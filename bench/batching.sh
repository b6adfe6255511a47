#!/usr/bin/env bash
# Issue 4's batching benchmark, one run on this machine: for the MNIST MLP and a ResNet-18-sized CNN, raw
# in-process ONNX Runtime at the batch size the batcher forms (2 threads, as the server runs 2 executions per
# version), then `pier serve` with dynamic batching off and on, driven by `pier bench` (V2 REST, binary tensors,
# closed loop at CONCURRENCY clients). Prints throughput, p50/p99, mean batch size and the server/raw ratio.
# Load goes to 127.0.0.1 only; each step is bounded by DURATION; servers are killed on exit.
# Environment: DURATION (default 15s), CONCURRENCY (default 32), DELAY_US (max_queue_delay_microseconds, 2000).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
pier="$root/bin/pier"
duration="${DURATION:-15s}"; concurrency="${CONCURRENCY:-32}"; delay_us="${DELAY_US:-2000}"
work="$(mktemp -d)"; server_pid=""
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT INT TERM
json() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2], {'d': d}))" "$@"; }

"$pier" example-model --kind mlp --output "$work/src" >/dev/null
"$pier" example-model --kind cnn --output "$work/src" >/dev/null
for mode in off on; do
  for m in mnist cnn; do
    mkdir -p "$work/$mode/$m/1" && cp "$work/src/$m/1/model.onnx" "$work/$mode/$m/1/"
    { echo "max_batch_size: 64"; [ "$mode" = on ] && echo "dynamic_batching: {max_queue_delay_microseconds: $delay_us, max_queue_size: 1024}"; } > "$work/$mode/$m/config.yaml"
  done
done

echo "== $(nproc) cores; $duration per step; $concurrency clients; max_queue_delay ${delay_us} us"
printf '%-6s %-8s %12s %10s %10s %8s %10s\n' model batching req/s p50_ms p99_ms batch vs_raw
for m in mnist cnn; do
  declare -A raw=()
  for mode in off on; do
    "$pier" serve --model-repository "$work/$mode" --host 127.0.0.1 --http-port 18541 --grpc-port 18540 >"$work/serve.log" 2>&1 &
    server_pid=$!
    for _ in $(seq 240); do curl -sf http://127.0.0.1:18541/v2/health/ready >/dev/null && break; sleep 0.25; done
    "$pier" bench --url http://127.0.0.1:18541 --model "$m" --protocol rest --binary --concurrency "$concurrency" \
      --duration "$duration" --warmup 3s --json "$work/$m-$mode.json" >/dev/null
    kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""
    batch=$(json "$work/$m-$mode.json" "d['steps'][0]['mean_batch_size'] or 1")
    b=$(python3 -c "print(max(1, round($batch)))")
    if [ -z "${raw[$b]:-}" ]; then
      "$pier" bench --in-process "$work/src/$m/1/model.onnx" --batch-size "$b" --threads 2 --duration "$duration" \
        --warmup 3s --json "$work/raw-$m-$b.json" >/dev/null
      raw[$b]=$(json "$work/raw-$m-$b.json" "d['requestsPerSecond'] * d['batchSize']")
    fi
    json "$work/$m-$mode.json" "'%-6s %-8s %12.1f %10.2f %10.2f %8.2f %10.2f  (raw ORT batch %d, 2 threads: %.1f rows/s)' % ('$m', '$mode', d['steps'][0]['throughput'], d['steps'][0]['p50_ms'], d['steps'][0]['p99_ms'], $batch, d['steps'][0]['throughput'] / ${raw[$b]}, $b, ${raw[$b]})"
  done
  unset raw
done
