#!/usr/bin/env bash
# Where request tracing's cost goes (issue 16): for each variant, pier serve of the example MLP under wrk
# (-t2 -c32, one 784-float KServe V2 JSON row per request, bench/post.lua) measured after a warm-up:
#   - CPU µs per request (the server's process-tree ticks / requests) and bytes allocated per request (exact: JFR
#     jdk.ThreadAllocationStatistics over the run), via bench/ledger_tools.py measure;
#   - with ALLOC=1, a run with JFR jdk.ObjectAllocationSample: the bytes per request allocated with tracing code
#     (dev.pier.tracing, io.opentelemetry) on the stack, by site (bench/jfr_alloc.py);
#   - with PROFILE=1, a run with JFR jdk.ExecutionSample (every 2 ms on each thread): the TOP frames by
#     share of samples, the top frame of Pier or OpenTelemetry code above the JDK, and the sampled threads.
# Variants (VARIANTS, default "off off+tp on"):
#   off      no --otlp-endpoint, requests without traceparent
#   off+tp   tracing off, every request carries a W3C traceparent (its trace id goes to logs and the prediction log)
#   on       --otlp-endpoint to a local OTLP/HTTP sink, every request sampled (5 spans, batched export)
#   on-grpc  the same over OTLP/gRPC (--otlp-protocol grpc) to a local h2c sink
#   base     this checkout with the tracing hooks taken out of RunningServer (built once into a temp copy)
# Usage: [VARIANTS="base off off+tp on"] [ROUNDS=1] [DURATION=10s] [WARMUP=8s] [PROFILE=1] bash bench/tracing_profile.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
py=/usr/bin/python3
VARIANTS="${VARIANTS:-off off+tp on}"; ROUNDS="${ROUNDS:-1}"; DURATION="${DURATION:-10s}"; WARMUP="${WARMUP:-8s}"
TOP="${TOP:-25}"; port="${PORT:-28790}"
source "$root/bin/lib/java.sh"; pier_find_java
work="$(mktemp -d)"; pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT INT TERM
"$root/bin/pier" example-model --output "$work/repo" >/dev/null
"$py" "$root/bench/ledger_tools.py" inputs mnist 784 1 "$work" >/dev/null
"$py" "$root/bench/otlp_sink.py" $((port + 9)) $((port + 8)) & pids+=($!)
tp="traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"

pier_dir() {  # the checkout a variant runs from; base: a copy of this one without the tracing hooks
  if [ "$1" != base ]; then echo "$root"; return; fi
  local b="$work/base"
  if [ ! -d "$b" ]; then
    mkdir -p "$b"
    (cd "$root" && git ls-files -z | xargs -0 tar -cf - | tar -xf - -C "$b")
    cp -r "$root/src" "$b/"   # uncommitted changes too
    "$py" - "$b/src/main/java/dev/pier/server/RunningServer.java" <<'PY'
import re, sys
p = sys.argv[1]; s = open(p).read(); n = s
n = n.replace("new ExecutionTimings(metrics, tracing.exporting())", "metrics")
n = re.sub(r"new TracingService\((new MonitoringService\(core, taps\))\)", r"\1", n)
n = n.replace("next -> new TracingHttpHandler(tracing, next)", "next -> next")
assert n != s and "TracingHttpHandler(" not in n and "TracingService(" not in n, "RunningServer changed: update bench/tracing_profile.sh"
open(p, "w").write(n)
PY
    echo "building the base (tracing hooks removed) ..." >&2
    (cd "$b" && nice -n 5 mvn -B -o -q -DskipTests compile >"$work/base-build.log" 2>&1) || { cat "$work/base-build.log" >&2; exit 1; }
    touch "$b/target/.pier-built"
  fi
  echo "$b"
}

cat >"$work/cpu.jfc" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<configuration version="2.0" label="cpu samples">
  <event name="jdk.ExecutionSample"><setting name="enabled">true</setting><setting name="period">2 ms</setting></event>
</configuration>
XML
cat >"$work/sites.jfc" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<configuration version="2.0" label="allocation samples">
  <event name="jdk.ObjectAllocationSample"><setting name="enabled">true</setting>
    <setting name="throttle">5000/s</setting><setting name="stackTrace">true</setting></event>
</configuration>
XML
echo "== $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(git -C "$root" rev-parse --short HEAD)$(git -C "$root" diff --quiet || echo '+changes'); warm-up $WARMUP, runs of $DURATION"
for r in $(seq "$ROUNDS"); do
  for v in $VARIANTS; do
    dir="$(pier_dir "$v")"; args=(); header=""
    case "$v" in
      base|off) ;;
      off+tp) header="$tp" ;;
      on) args=(--otlp-endpoint "http://127.0.0.1:$((port + 9))") ;;
      on-grpc) args=(--otlp-endpoint "http://127.0.0.1:$((port + 8))" --otlp-protocol grpc) ;;
      *) echo "unknown variant $v (expected base, off, off+tp, on, on-grpc)" >&2; exit 2 ;;
    esac
    "$dir/bin/pier" serve --model-store "$work/repo" --host 127.0.0.1 --http-port "$port" --grpc-port 0 --no-drift \
      "${args[@]}" >"$work/serve.log" 2>&1 & pid=$!; pids+=("$pid")
    for _ in $(seq 240); do curl -sf "http://127.0.0.1:$port/v2/health/ready" >/dev/null 2>&1 && break
      kill -0 "$pid" 2>/dev/null || { cat "$work/serve.log" >&2; exit 1; }; sleep 0.5; done
    "$JAVA_HOME/bin/jcmd" "$pid" JFR.start name=init >/dev/null; "$JAVA_HOME/bin/jcmd" "$pid" JFR.stop name=init >/dev/null
    printf '%-8s' "$v"
    "$py" "$root/bench/ledger_tools.py" measure "$work/rows.jsonl" round="$r" server=Pier row="$v" tool=wrk pids="$pid" \
      lua="$root/bench/post.lua" warmup="$WARMUP" duration="$DURATION" java_home="$JAVA_HOME" jfr_pid="$pid" \
      url="http://127.0.0.1:$port/v2/models/mnist/infer" body="$work/mnist-v2.json" ${header:+header="$header"}
    if [ "${ALLOC:-0}" = 1 ]; then
      "$JAVA_HOME/bin/jcmd" "$pid" JFR.start name=alloc settings="$work/sites.jfc" >/dev/null
      line="$(PIER_BODY="$work/mnist-v2.json" PIER_HEADER="$header" wrk -t2 -c32 -d"$DURATION" -s "$root/bench/post.lua" \
        "http://127.0.0.1:$port/v2/models/mnist/infer" | grep '^PIER_WRK')"
      "$JAVA_HOME/bin/jcmd" "$pid" JFR.stop name=alloc filename="$work/sites.jfr" >/dev/null
      "$JAVA_HOME/bin/jfr" print --json --stack-depth 40 --events jdk.ObjectAllocationSample "$work/sites.jfr" >"$work/sites.json"
      [ -n "${KEEP:-}" ] && cp "$work/sites.jfr" "$work/sites.json" "$KEEP"; "$py" "$root/bench/jfr_alloc.py" "$work/sites.json" "$(sed -E 's/.* requests=([0-9]+).*/\1/' <<<"$line")" "$TOP"
    fi
    if [ "${PROFILE:-0}" = 1 ]; then
      "$JAVA_HOME/bin/jcmd" "$pid" JFR.start name=cpu settings="$work/cpu.jfc" >/dev/null
      PIER_BODY="$work/mnist-v2.json" PIER_HEADER="$header" wrk -t2 -c32 -d"$DURATION" -s "$root/bench/post.lua" \
        "http://127.0.0.1:$port/v2/models/mnist/infer" >/dev/null
      "$JAVA_HOME/bin/jcmd" "$pid" JFR.stop name=cpu filename="$work/cpu.jfr" >/dev/null
      "$JAVA_HOME/bin/jfr" print --json --stack-depth 64 --events jdk.ExecutionSample "$work/cpu.jfr" >"$work/cpu.json"
      "$py" "$root/bench/jfr_top.py" "$work/cpu.json" "$TOP"
    fi
    kill "$pid"; wait "$pid" 2>/dev/null || true
  done
done
