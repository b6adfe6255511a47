#!/usr/bin/env bash
# Same-run A/B of two builds of Pier on the ledger's V2 REST binary and V2 gRPC rows (issue 13): OLD and NEW are
# jars of target/classes (e.g. `jar --create --file /tmp/old.jar -C target/classes .` before a change). Both serve
# the example MLP at once (`pier serve` on two port pairs), both are warmed up (WARMUP per row with the same tool),
# then the steps alternate between them, ROUNDS times: ceiling (GET /v2/health/live, wrk), V2 REST binary (wrk +
# bench/post.lua) and V2 gRPC (h2load, a pre-encoded ModelInfer frame), old then new for each row, so that the
# shared machine's changing load falls on both alike. Each step goes through bench/ledger_tools.py measure:
# req/s, p50/p99, server CPU per request (utime+stime ÷ requests) and bytes allocated per request (JFR
# jdk.ThreadAllocationStatistics over the step ÷ requests), with the load average after each step.
# The JVMs start as bin/pier starts `pier serve` (generational ZGC, ONNX Runtime's unpacked native libraries)
# but without the class-data archive, which is keyed to one jar. Load goes to 127.0.0.1 only.
# Usage: bench/binary_grpc_ab.sh OLD.jar NEW.jar
# Environment: ROUNDS (3), DURATION (6s), WARMUP (10s), PORT (28731; the new build gets PORT+2 and PORT+3).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
old="$1"; new="$2"
rounds="${ROUNDS:-3}"; duration="${DURATION:-6s}"; warmup="${WARMUP:-10s}"; port="${PORT:-28731}"
py=/usr/bin/python3; tools="$root/bench/ledger_tools.py"
source "$root/bin/lib/java.sh"; pier_find_java
. "$root/bin/lib/ort.sh"; pier_ort_native_dir "$root/target" "$root/target/runtime-classpath.txt"
work="$(mktemp -d)"; pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT INT TERM
"$root/bin/pier" example-model --output "$work/models" >/dev/null
"$py" "$tools" inputs mnist 784 1 "$work"
deps="$(cat "$root/target/runtime-classpath.txt")"
echo "== $(nproc) cores, load average $(cut -d' ' -f1 /proc/loadavg); old $old, new $new; $warmup warm-up, $duration per step"
declare -A pid_of http_of grpc_of
start() {  # name jar http-port
  ORT_DISABLE_TELEMETRY=1 "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow \
    -XX:+UseZGC "-Donnxruntime.native.path=$PIER_ORT_NATIVE_DIR" -cp "$2:$deps" dev.pier.cli.PierCli \
    serve --model-repository "$work/models" --host 127.0.0.1 --http-port "$3" --grpc-port $(($3 + 1)) --no-drift \
    >"$work/serve-$1.log" 2>&1 &
  pids+=("$!"); pid_of[$1]=$!; http_of[$1]=$3; grpc_of[$1]=$(($3 + 1))
}
start old "$old" "$port"
start new "$new" $((port + 2))
for name in old new; do
  for _ in $(seq 240); do curl -sf "http://127.0.0.1:${http_of[$name]}/v2/health/ready" >/dev/null && break; sleep 0.5; done
  "$JAVA_HOME/bin/jcmd" "${pid_of[$name]}" JFR.start name=init >/dev/null
  "$JAVA_HOME/bin/jcmd" "${pid_of[$name]}" JFR.stop name=init >/dev/null
done
: >"$work/rows.jsonl"
step() {  # round name row warmup
  local m=("$py" "$tools" measure "$work/rows.jsonl" round="$1" server="$2" row="$3" pids="${pid_of[$2]}"
    warmup="$4" duration="$duration" java_home="$JAVA_HOME")
  echo "-- round $1, $2: $3"
  case "$3" in
    ceiling) "${m[@]}" tool=wrk lua="$root/bench/post.lua" url="http://127.0.0.1:${http_of[$2]}/v2/health/live" ;;
    binary) "${m[@]}" tool=wrk jfr_pid="${pid_of[$2]}" lua="$root/bench/post.lua" \
      url="http://127.0.0.1:${http_of[$2]}/v2/models/mnist/infer" body="$work/mnist-v2.bin" \
      content_type=application/octet-stream header="Inference-Header-Content-Length: $(cat "$work/mnist-v2.bin.len")" ;;
    grpc) "${m[@]}" tool=h2load jfr_pid="${pid_of[$2]}" body="$work/mnist.grpc" \
      url="http://127.0.0.1:${grpc_of[$2]}/inference.GRPCInferenceService/ModelInfer" ;;
  esac
}
for r in $(seq "$rounds"); do
  for row in ceiling binary grpc; do
    # the first round warms each server up on each row; later rounds settle for 1 s before each step
    for name in old new; do step "$r" "$name" "$row" "$([ "$r" = 1 ] && echo "$warmup" || echo 1s)"; done
  done
done
"$py" - "$work/rows.jsonl" <<'EOF'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
ceil = {(r["round"], r["server"]): r["rps"] for r in rows if r["row"] == "ceiling"}
rows.sort(key=lambda r: (r["round"], ["ceiling", "binary", "grpc"].index(r["row"]), r["server"] != "old"))
print("| round | build | row | req/s | of own ceiling | p99 (ms) | CPU (µs/req) | allocated (B/req) | load |")
print("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | --- |")
for r in rows:
    share = "—" if r["row"] == "ceiling" else f"{100 * r['rps'] / ceil[(r['round'], r['server'])]:.1f} %"
    alloc = f"{r['alloc_b']:,.0f}" if "alloc_b" in r else "—"
    print(f"| {r['round']} | {r['server']} | {r['row']} | {r['rps']:,.0f} | {share} | {r['p99_ms']:.2f} | "
          f"{r['cpu_us']:.0f} | {alloc} | {r['load']} |")
EOF
"$py" - "$work/rows.jsonl" <<'EOF'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
print()
print("| row | old: median req/s, CPU µs/req, B/req | new: median req/s, CPU µs/req, B/req | new ÷ old, median of the rounds' ratios: req/s, CPU/req |")
print("| --- | --- | --- | --- |")
for row in ("ceiling", "binary", "grpc"):
    by = {s: [r for r in rows if r["row"] == row and r["server"] == s] for s in ("old", "new")}
    med = lambda s, k: statistics.median(r[k] for r in by[s])
    pairs = list(zip(by["old"], by["new"]))
    rate = statistics.median(n["rps"] / o["rps"] for o, n in pairs)
    cpu = statistics.median(n["cpu_us"] / o["cpu_us"] for o, n in pairs)
    cell = lambda s: f"{med(s, 'rps'):,.0f}, {med(s, 'cpu_us'):.0f}, " + (f"{med(s, 'alloc_b'):,.0f}" if row != "ceiling" else "—")
    print(f"| {row} | {cell('old')} | {cell('new')} | {rate:.2f}×, {cpu:.2f}× |")
EOF
