#!/usr/bin/env bash
# Cost of request tracing (issue 16): wrk -t2 -c32 posting one 784-float KServe V2 row to pier serve of the example
# MLP, in rounds that alternate the variants so that machine load hits each alike:
#   base     the server built from BASE (a checkout of the commit before tracing), if BASE is set
#   off      this server, tracing off (no --otlp-endpoint), requests without traceparent
#   off+tp   tracing off, every request with a W3C traceparent (trace id to logs and prediction log only)
#   on       --otlp-endpoint to a local OTLP/HTTP sink (every request traced: 5 spans, batched export)
# Usage: [BASE=/path/to/old/checkout] [ROUNDS=3] [DURATION=8s] bash bench/tracing.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROUNDS="${ROUNDS:-3}"; DURATION="${DURATION:-8s}"
work="$(mktemp -d)"; pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
"$root/bin/pier" example-model --output "$work/repo" >/dev/null
python3 -c 'import json; print(json.dumps({"inputs":[{"name":"input","shape":[1,784],"datatype":"FP32","data":[0.5]*784}]}))' > "$work/body.json"
# an OTLP/HTTP sink that accepts and drops spans
cat > "$work/sink.py" <<'PY'
import http.server, sys
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(200); self.send_header("Content-Type", "application/x-protobuf"); self.send_header("Content-Length", "0"); self.end_headers()
    def log_message(self, *a): pass
http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
PY
python3 "$work/sink.py" 18899 & pids+=($!)
cat > "$work/tp.lua" <<'LUA'
wrk.headers["traceparent"] = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
LUA
run() {  # name pierdir extra-serve-args... ; prints one line
  local name="$1" dir="$2"; shift 2
  "$dir/bin/pier" serve --model-store "$work/repo" --host 127.0.0.1 --http-port 18890 --grpc-port 18891 --no-drift "$@" >"$work/$name.log" 2>&1 & local pid=$!
  for _ in $(seq 120); do curl -sf http://127.0.0.1:18890/v2/health/ready >/dev/null && break; sleep 0.5; done
  local script="$root/bench/post.lua"
  if [ "$name" = "off+tp" ]; then cat "$root/bench/post.lua" "$work/tp.lua" > "$work/post-tp.lua"; script="$work/post-tp.lua"; fi
  PIER_BODY="$work/body.json" wrk -t2 -c32 -d3s -s "$script" http://127.0.0.1:18890/v2/models/mnist/infer >/dev/null
  local out; out="$(PIER_BODY="$work/body.json" wrk -t2 -c32 -d"$DURATION" --latency -s "$script" http://127.0.0.1:18890/v2/models/mnist/infer | grep PIER_WRK)"
  kill "$pid"; wait "$pid" 2>/dev/null || true
  echo "$name $out"
}
for r in $(seq "$ROUNDS"); do
  [ -n "${BASE:-}" ] && run base "$BASE"
  run off "$root"
  run off+tp "$root"
  run on "$root" --otlp-endpoint http://127.0.0.1:18899
done | awk '{split($3,a,"="); split($6,d,"="); split($7,p5,"="); split($8,p9,"=");
  rps=a[2]/(d[2]/1e6); printf "%-7s req/s %8.0f  p50 %6.2f ms  p99 %6.2f ms\n", $1, rps, p5[2]/1000, p9[2]/1000;
  s[$1]+=rps; n[$1]++} END {for (k in s) printf "mean %-7s %8.0f req/s over %d runs\n", k, s[k]/n[k], n[k]}'
