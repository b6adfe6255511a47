#!/usr/bin/env bash
# Paired variant of bench/tracing.sh for a busy machine: two servers run side by side and two wrk clients load
# them at the same time, so both see the same background load; the figure is the ratio of their throughputs.
# Usage: A="name dir [serve args]" B="name dir [serve args]" [ROUNDS=3] [DURATION=10s] bash bench/tracing_paired.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROUNDS="${ROUNDS:-3}"; DURATION="${DURATION:-10s}"
work="$(mktemp -d)"; pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
"$root/bin/pier" example-model --output "$work/repo" >/dev/null
python3 -c 'import json; print(json.dumps({"inputs":[{"name":"input","shape":[1,784],"datatype":"FP32","data":[0.5]*784}]}))' > "$work/body.json"
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
start() {  # port dir args...
  local port="$1" dir="$2"; shift 2
  "$dir/bin/pier" serve --model-store "$work/repo" --host 127.0.0.1 --http-port "$port" --grpc-port $((port + 1)) --no-drift --event-loops 1 --workers 1 "$@" >"$work/$port.log" 2>&1 & pids+=($!)
  for _ in $(seq 240); do curl -sf "http://127.0.0.1:$port/v2/health/ready" >/dev/null && return; sleep 0.5; done
  echo "server on $port did not start" >&2; cat "$work/$port.log" >&2; exit 1
}
read -r an ad aargs <<<"$A"; read -r bn bd bargs <<<"$B"
start 18870 "$ad" ${aargs:-}; start 18880 "$bd" ${bargs:-}
load() { PIER_BODY="$work/body.json" wrk -t1 -c16 -d"$1" --latency -s "$root/bench/post.lua" "http://127.0.0.1:$2/v2/models/mnist/infer"; }
load 3s 18870 >/dev/null & load 3s 18880 >/dev/null; wait %1 2>/dev/null || true
for r in $(seq "$ROUNDS"); do
  load "$DURATION" 18870 | grep PIER_WRK > "$work/a" & load "$DURATION" 18880 | grep PIER_WRK > "$work/b"; wait
  ra=$(awk '{split($2,a,"="); split($5,d,"="); printf "%.0f", a[2]/(d[2]/1e6)}' "$work/a")
  rb=$(awk '{split($2,a,"="); split($5,d,"="); printf "%.0f", a[2]/(d[2]/1e6)}' "$work/b")
  echo "round $r: $an $ra req/s, $bn $rb req/s, $bn/$an = $(awk -v a="$ra" -v b="$rb" 'BEGIN{printf "%.3f", b/a}')"
done
