#!/usr/bin/env bash
# Profiles the V2 REST binary and V2 gRPC rows of the ledger (issue 13) on a running `pier serve` of the example
# MLP: async-profiler 4.1 (Maven Central tools.profiler:async-profiler, its jar's linux-x64/libasyncProfiler.so)
# attached with jcmd after a warm-up, one cpu and one alloc run per row, each written as collapsed stacks to
# OUT/ROW-EVENT.collapsed, with the server's CPU per request (utime+stime over the run ÷ requests) on stdout.
# The bodies are the ledger's (bench/ledger_tools.py inputs mnist 784 1): a 784-float row, binary tensor
# extension for REST, one length-prefixed ModelInferRequest with raw_input_contents for gRPC.
# ROWS="tf" profiles the TF Serving JSON row instead (the ledger's {"instances": [[784 floats]]} body);
# bench/profile_groups.py OUT/ROW-cpu.collapsed groups a cpu profile's samples as docs/benchmarks.md reports them.
# Usage: bench/binary_grpc_profile.sh OUT   Environment: ROWS ("binary grpc"), DURATION (15), WARMUP (10),
# PORT (28721).
# Load goes to 127.0.0.1 only; the server is stopped on exit.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$(mkdir -p "$1" && cd "$1" && pwd)"
duration="${DURATION:-15}"; warmup="${WARMUP:-10}"; port="${PORT:-28721}"; grpc=$((port + 1))
source "$root/bin/lib/java.sh"; pier_find_java
lib="$out/libasyncProfiler.so"
[ -f "$lib" ] || (cd "$out" && unzip -o -q "$HOME/.m2/repository/tools/profiler/async-profiler/4.1/async-profiler-4.1.jar" \
  linux-x64/libasyncProfiler.so && mv linux-x64/libasyncProfiler.so . && rmdir linux-x64)
work="$(mktemp -d)"; pid=""
cleanup() { [ -n "$pid" ] && { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; }; rm -rf "$work"; }
trap cleanup EXIT INT TERM
"$root/bin/pier" example-model --output "$work/models" >/dev/null
/usr/bin/python3 "$root/bench/ledger_tools.py" inputs mnist 784 1 "$work"
PIER_JAVA_OPTS=-XX:+EnableDynamicAgentLoading "$root/bin/pier" serve --model-repository "$work/models" \
  --host 127.0.0.1 --http-port "$port" --grpc-port "$grpc" --no-drift >"$work/serve.log" 2>&1 &
pid=$!
for _ in $(seq 240); do curl -sf "http://127.0.0.1:$port/v2/health/ready" >/dev/null && break; sleep 0.5; done
tf() {  # seconds
  PIER_BODY="$work/mnist-tf.json" wrk -t2 -c32 -d"$1"s -s "$root/bench/post.lua" \
    "http://127.0.0.1:$port/v1/models/mnist:predict" | sed -n 's/^PIER_WRK requests=\([0-9]*\).*/\1/p'
}
binary() {  # seconds
  PIER_BODY="$work/mnist-v2.bin" PIER_CONTENT_TYPE=application/octet-stream \
    PIER_HEADER="Inference-Header-Content-Length: $(cat "$work/mnist-v2.bin.len")" \
    wrk -t2 -c32 -d"$1"s -s "$root/bench/post.lua" "http://127.0.0.1:$port/v2/models/mnist/infer" \
    | sed -n 's/^PIER_WRK requests=\([0-9]*\).*/\1/p'
}
grpc() {  # seconds
  h2load -t2 -c32 -m1 -D"$1" -d "$work/mnist.grpc" -H 'content-type: application/grpc' -H 'te: trailers' \
    "http://127.0.0.1:$grpc/inference.GRPCInferenceService/ModelInfer" \
    | sed -n 's/^requests: .* \([0-9]*\) succeeded.*/\1/p'
}
ticks() { awk '{print $14+$15}' "/proc/$pid/stat"; }
hz="$(getconf CLK_TCK)"
echo "== $(nproc) cores, load average $(cut -d' ' -f1 /proc/loadavg), $(git -C "$root" rev-parse --short HEAD)$(git -C "$root" diff --quiet || echo '+changes')"
for row in ${ROWS:-binary grpc}; do
  "$row" "$warmup" >/dev/null
  for event in cpu alloc; do
    "$JAVA_HOME/bin/jcmd" "$pid" JVMTI.agent_load "$lib" "\"start,event=$event\"" >/dev/null
    t0=$(ticks); n=$("$row" "$duration"); t1=$(ticks)
    "$JAVA_HOME/bin/jcmd" "$pid" JVMTI.agent_load "$lib" "\"stop,file=$out/$row-$event.collapsed,collapsed\"" >/dev/null
    echo "$row $event: $n requests in ${duration}s, $(( (t1 - t0) * 1000000 / hz / n )) µs CPU/request (profiler on), load $(cut -d' ' -f1 /proc/loadavg)"
  done
done
