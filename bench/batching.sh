#!/usr/bin/env bash
# Issue 4's batching benchmark, one run on this machine: for the MNIST MLP and a ResNet-18-sized CNN, `pier serve`
# with dynamic batching off and on, driven over V2 REST with binary tensors (one seeded random row per request,
# closed loop at CONCURRENCY connections), then raw in-process ONNX Runtime at the batch size the batcher formed
# (`pier bench --in-process --threads 2`: the server also runs two executions per version on this machine).
# Prints throughput, p50/p99, the mean batch size (the server's nv_inference_count ÷ nv_inference_exec_count over
# the measured run), the server/raw ratio, and the CPU cores the server and the load generator used meanwhile
# (utime + stime from /proc), so the reader sees how the machine's cores were shared; per_core compares the
# server's rows per core-second with raw ORT's (`pier bench --in-process` reports its process's cores), which
# stays meaningful when the load generator or other work takes part of the cores.
# Load generators (LOAD, one or both, in that order against the same server):
#   wrk    Debian wrk -t2 --latency with bench/post.lua, measured by bench/ledger_tools.py (the Ledger's tools):
#          a WARMUP run, then the measured run; p50/p99 are wrk's
#   pier   `pier bench --protocol rest --binary` (a JVM): its own warm-up and figures; the CPU window starts
#          WARMUP + 2 s after its start (after its JVM start and warm-up) and lasts DURATION - 3 s
# Load goes to 127.0.0.1 only; each step is bounded by DURATION; servers are killed on exit.
# Environment: DURATION (default 15s), WARMUP (3s), CONCURRENCY (32), LOAD ("wrk"; "wrk pier" runs both),
# MODELS ("mnist cnn"), MODES ("off on"), DELAY_US (max_queue_delay_microseconds, 2000), PREFERRED
# (preferred_batch_size, e.g. "8,16"; none by default), INSTANCES (instance_group count: executions at once per
# version; the server's default, one per core, when unset).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
pier="$root/bin/pier"
tools="$root/bench/ledger_tools.py"
duration="${DURATION:-15s}"; warmup="${WARMUP:-3s}"; concurrency="${CONCURRENCY:-32}"; delay_us="${DELAY_US:-2000}"
loads="${LOAD:-wrk}"; models="${MODELS:-mnist cnn}"; modes="${MODES:-off on}"
preferred="${PREFERRED:-}"; instances="${INSTANCES:-}"
for load in $loads; do
  case "$load" in
    wrk) command -v wrk >/dev/null || { echo "batching.sh: LOAD=wrk needs wrk (apt-get install wrk)" >&2; exit 1; } ;;
    pier) ;;
    *) echo "batching.sh: LOAD takes wrk and/or pier, got '$load'" >&2; exit 1 ;;
  esac
done
work="$(mktemp -d)"; server_pid=""
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT INT TERM
json() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2], {'d': d}))" "$@"; }
# the CPU window of `pier bench`, which warms up by itself: after its JVM start and warm-up, up to
# about its end
read -r cpu_skip cpu_span < <(python3 -c "import sys; sys.path.insert(0, '$root/bench'); import ledger_tools as t
print(t.seconds('$warmup') + 2, max(1, t.seconds('$duration') - 3))")

"$pier" example-model --kind mlp --output "$work/src" >/dev/null
"$pier" example-model --kind cnn --output "$work/src" >/dev/null
python3 "$tools" inputs mnist 784 1 "$work"
python3 "$tools" inputs cnn 3x32x32 1 "$work"
for mode in $modes; do
  for m in $models; do
    mkdir -p "$work/$mode/$m/1" && cp "$work/src/$m/1/model.onnx" "$work/$mode/$m/1/"
    {
      echo "max_batch_size: 64"
      [ -n "$instances" ] && echo "instance_group: [{count: $instances, kind: KIND_CPU}]"
      [ "$mode" = on ] && echo "dynamic_batching: {max_queue_delay_microseconds: $delay_us, max_queue_size: 1024${preferred:+, preferred_batch_size: [$preferred]}}"
    } > "$work/$mode/$m/config.yaml"
  done
done

url=http://127.0.0.1:18541
# one line of JSON per step in $work/$m-$mode-$load.json: rps, p50_ms, p99_ms, mean_batch, cpu_cores, client_cores
step_wrk() {  # model mode
  : >"$work/rows.jsonl"
  python3 "$tools" measure "$work/rows.jsonl" round=1 server=pier row="$1 $2" tool=wrk pids="$server_pid" \
    warmup="$warmup" duration="$duration" connections="$concurrency" lua="$root/bench/post.lua" \
    url="$url/v2/models/$1/infer" body="$work/$1-v2.bin" content_type=application/octet-stream \
    header="Inference-Header-Content-Length: $(cat "$work/$1-v2.bin.len")" metrics="$url/metrics" model="$1" >/dev/null
  tail -1 "$work/rows.jsonl" >"$work/$1-$2-wrk.json"
}
step_pier() {  # model mode
  python3 "$tools" window "$work/cpu.json" "$cpu_skip" "$cpu_span" "$server_pid" "$pier" bench --url "$url" \
    --model "$1" --protocol rest --binary --concurrency "$concurrency" --duration "$duration" --warmup "$warmup" --json "$work/bench.json"
  python3 - "$work/bench.json" "$work/cpu.json" >"$work/$1-$2-pier.json" <<'EOF'
import json, sys
s = json.load(open(sys.argv[1]))["steps"][0]
c = json.load(open(sys.argv[2]))
print(json.dumps({"rps": s["throughput"], "p50_ms": s["p50_ms"], "p99_ms": s["p99_ms"], "errors": s["errors"],
                  "mean_batch": s["mean_batch_size"], **c}))
EOF
}

echo "== $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); $duration per step after $warmup warm-up;" \
  "$concurrency connections; max_queue_delay ${delay_us} us${preferred:+; preferred_batch_size [$preferred]}${instances:+; $instances executions}"
printf '%-6s %-3s %-5s %10s %9s %9s %6s %7s %7s %7s %8s  %s\n' \
  model bat load req/s p50_ms p99_ms batch vs_raw server client per_core "raw ORT, 2 threads"
declare -A raw=() raw_cores=()
for m in $models; do
  for mode in $modes; do
    "$pier" serve --model-repository "$work/$mode" --host 127.0.0.1 --http-port 18541 --grpc-port 18540 >"$work/serve.log" 2>&1 &
    server_pid=$!   # bin/pier execs the JVM, so this is the server's process
    for _ in $(seq 240); do curl -sf "$url/v2/health/ready" >/dev/null && break; sleep 0.25; done
    for load in $loads; do "step_$load" "$m" "$mode"; done
    kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""
    for load in $loads; do
      r="$work/$m-$mode-$load.json"
      b=$(json "$r" "max(1, round(d['mean_batch'] or 1))")
      if [ -z "${raw[$m-$b]:-}" ]; then
        "$pier" bench --in-process "$work/src/$m/1/model.onnx" --batch-size "$b" --threads 2 --duration "$duration" \
          --warmup "$warmup" --json "$work/raw-$m-$b.json" >/dev/null
        raw[$m-$b]=$(json "$work/raw-$m-$b.json" "d['requestsPerSecond'] * d['batchSize']")
        raw_cores[$m-$b]=$(json "$work/raw-$m-$b.json" "d['cpuCores']")
      fi
      json "$r" "'%-6s %-3s %-5s %10.1f %9.2f %9.2f %6.2f %7.2f %7.2f %7.2f %8.2f  batch %d: %.1f rows/s on %.2f cores%s' % (
        '$m', '$mode', '$load', d['rps'], d['p50_ms'], d['p99_ms'], d['mean_batch'] or 1, d['rps'] / ${raw[$m-$b]},
        d['cpu_cores'], d['client_cores'], (d['rps'] / d['cpu_cores']) / (${raw[$m-$b]} / ${raw_cores[$m-$b]}),
        $b, ${raw[$m-$b]}, ${raw_cores[$m-$b]}, '  ERRORS %d' % d['errors'] if d['errors'] else '')"
    done
  done
done
echo "== load average at the end $(cut -d' ' -f1-3 /proc/loadavg). server / client: CPU cores each used during the"
echo "   measured run; per_core: the server's rows per core-second ÷ raw ORT's (its whole JVM's cores over its measured run)"
