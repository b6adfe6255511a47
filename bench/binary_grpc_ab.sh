#!/usr/bin/env bash
# Same-run A/B of two builds of Pier on the ledger's V2 REST binary and V2 gRPC rows (issue 13): OLD and NEW are
# jars of target/classes (e.g. `jar --create --file /tmp/old.jar -C target/classes .` before a change), each served
# in turn by `pier serve` of the example MLP, alternating, ROUNDS times. Per server: the ceiling
# (GET /v2/health/live, wrk), then the binary row (wrk + bench/post.lua) and the gRPC row (h2load, a pre-encoded
# ModelInfer frame), each after WARMUP with the same tool, through bench/ledger_tools.py measure: req/s, p50/p99,
# server CPU per request (utime+stime ÷ requests) and bytes allocated per request (JFR
# jdk.ThreadAllocationStatistics over the run ÷ requests), with the load average after each step.
# The JVM is started as bin/pier starts `pier serve` (generational ZGC, ONNX Runtime's unpacked native libraries)
# but without the class-data archive, which is keyed to one jar. Load goes to 127.0.0.1 only.
# Usage: bench/binary_grpc_ab.sh OLD.jar NEW.jar   Environment: ROUNDS (2), DURATION (8s), WARMUP (8s), PORT (28731).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
old="$1"; new="$2"
rounds="${ROUNDS:-2}"; duration="${DURATION:-8s}"; warmup="${WARMUP:-8s}"; port="${PORT:-28731}"; grpc=$((port + 1))
py=/usr/bin/python3; tools="$root/bench/ledger_tools.py"
source "$root/bin/lib/java.sh"; pier_find_java
. "$root/bin/lib/ort.sh"; pier_ort_native_dir "$root/target" "$root/target/runtime-classpath.txt"
work="$(mktemp -d)"; pid=""
cleanup() { [ -n "$pid" ] && { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; }; rm -rf "$work"; }
trap cleanup EXIT INT TERM
"$root/bin/pier" example-model --output "$work/models" >/dev/null
"$py" "$tools" inputs mnist 784 1 "$work"
deps="$(cat "$root/target/runtime-classpath.txt")"
echo "== $(nproc) cores, load average $(cut -d' ' -f1 /proc/loadavg); old $old, new $new; $warmup warm-up, $duration per step"
: >"$work/rows.jsonl"
one() {  # round name jar
  ORT_DISABLE_TELEMETRY=1 "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow \
    -XX:+UseZGC "-Donnxruntime.native.path=$PIER_ORT_NATIVE_DIR" -cp "$3:$deps" dev.pier.cli.PierCli \
    serve --model-repository "$work/models" --host 127.0.0.1 --http-port "$port" --grpc-port "$grpc" --no-drift \
    >"$work/serve-$2.log" 2>&1 &
  pid=$!
  for _ in $(seq 240); do curl -sf "http://127.0.0.1:$port/v2/health/ready" >/dev/null && break; sleep 0.5; done
  "$JAVA_HOME/bin/jcmd" "$pid" JFR.start name=init >/dev/null; "$JAVA_HOME/bin/jcmd" "$pid" JFR.stop name=init >/dev/null
  local m=("$py" "$tools" measure "$work/rows.jsonl" round="$1" server="$2" pids="$pid" warmup="$warmup"
    duration="$duration" java_home="$JAVA_HOME")
  echo "-- round $1, $2: ceiling";   "${m[@]}" row=ceiling tool=wrk lua="$root/bench/post.lua" url="http://127.0.0.1:$port/v2/health/live"
  echo "-- round $1, $2: V2 REST binary"; "${m[@]}" row=binary tool=wrk jfr_pid="$pid" lua="$root/bench/post.lua" \
    url="http://127.0.0.1:$port/v2/models/mnist/infer" body="$work/mnist-v2.bin" content_type=application/octet-stream \
    header="Inference-Header-Content-Length: $(cat "$work/mnist-v2.bin.len")"
  echo "-- round $1, $2: V2 gRPC";   "${m[@]}" row=grpc tool=h2load jfr_pid="$pid" body="$work/mnist.grpc" \
    url="http://127.0.0.1:$grpc/inference.GRPCInferenceService/ModelInfer"
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
}
for r in $(seq "$rounds"); do one "$r" old "$old"; one "$r" new "$new"; done
"$py" - "$work/rows.jsonl" <<'EOF'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
ceil = {(r["round"], r["server"]): r["rps"] for r in rows if r["row"] == "ceiling"}
print("| round | build | row | req/s | of own ceiling | p99 (ms) | CPU (µs/req) | allocated (B/req) | load |")
print("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | --- |")
for r in rows:
    share = "—" if r["row"] == "ceiling" else f"{100 * r['rps'] / ceil[(r['round'], r['server'])]:.1f} %"
    alloc = f"{r['alloc_b']:,.0f}" if "alloc_b" in r else "—"
    print(f"| {r['round']} | {r['server']} | {r['row']} | {r['rps']:,.0f} | {share} | {r['p99_ms']:.2f} | "
          f"{r['cpu_us']:.0f} | {alloc} | {r['load']} |")
EOF
