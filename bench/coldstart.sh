#!/usr/bin/env bash
# Cold start: from `bin/pier serve --model-repository R` to the first 200 on :predict, RUNS times (default 5).
# Usage: bench/coldstart.sh [REPOSITORY [MODEL]]   (default: the example MLP, generated into a temp dir)
# Environment: RUNS (5), PORT (18591), PIER (bin/pier), extra JVM options through PIER_JAVA_OPTS as usual.
# Prints one line per run and "cold start: min/median/max" in seconds. Load goes to 127.0.0.1 only.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
pier="${PIER:-$root/bin/pier}"
runs="${RUNS:-5}"
port="${PORT:-18591}"
work="$(mktemp -d)"
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT INT TERM
repo="${1:-}"
model="${2:-mnist}"
if [ -z "$repo" ]; then
  repo="$work/models"
  "$pier" example-model --output "$repo" --kind mlp >/dev/null
fi
/usr/bin/python3 -c "import json; json.dump({'instances': [[0.5] * 784]}, open('$work/body.json', 'w'))"
"$pier" --version >/dev/null 2>&1 || true   # builds once if sources changed, outside the timing
times=()
for i in $(seq "$runs"); do
  start=$(date +%s.%N)
  "$pier" serve --model-repository "$repo" --host 127.0.0.1 --http-port "$port" --grpc-port 0 >"$work/serve-$i.log" 2>&1 &
  pid=$!
  code=000
  for _ in $(seq 3000); do
    code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
      --data-binary @"$work/body.json" "http://127.0.0.1:$port/v1/models/$model:predict" 2>/dev/null || true)
    [ "$code" = 200 ] && break
    kill -0 "$pid" 2>/dev/null || { echo "server exited:" >&2; cat "$work/serve-$i.log" >&2; exit 1; }
    sleep 0.01
  done
  end=$(date +%s.%N)
  [ "$code" = 200 ] || { echo "no 200 within 30 s" >&2; cat "$work/serve-$i.log" >&2; exit 1; }
  t=$(echo "$end - $start" | bc -l)
  times+=("$t")
  printf 'run %d: %.3f s  (%s)\n' "$i" "$t" "$(grep -o 'ready in [0-9.]* s' "$work/serve-$i.log" | head -1)"
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
done
printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "cold start: min %.3f s, median %.3f s, max %.3f s (%d runs)\n", a[1], a[int((NR+1)/2)], a[NR], NR}'
