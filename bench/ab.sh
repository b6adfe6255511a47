#!/usr/bin/env bash
# Same-run A/B of serving variants (issue 13): each variant is a checkout and JVM options; every round starts
# each variant's `pier serve` in turn on the example MLP, drives one ledger row with wrk (TF Serving JSON by
# default; ROW=v2|binary|ceiling for the others) through bench/ledger_tools.py's `measure` (warm-up, then a
# measured run with the server's CPU time and JFR's per-thread allocation counters), and stops it. Variants
# alternate inside each round, so they share the machine's load; compare them only within a round.
# Usage: VARIANTS=$'base /tmp/pier-base\nheap . -Xms1g -Xmx1g' bench/ab.sh
#   one variant per line: NAME CHECKOUT [OPTIONS...] (CHECKOUT "." is this one; its bin/pier builds it); options
#   that start with "--" go to `pier serve` (e.g. --event-loops 1, with the value as the next word), the rest to
#   the JVM
# Environment: ROUNDS (2), WARMUP (8s), DURATION (8s), ROW (tf), PORT (28901). Load goes to 127.0.0.1 only.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
py=/usr/bin/python3
tools="$root/bench/ledger_tools.py"
rounds="${ROUNDS:-2}"; warmup="${WARMUP:-8s}"; duration="${DURATION:-8s}"; row="${ROW:-tf}"; port="${PORT:-28901}"
[ -n "${VARIANTS:-}" ] || { echo "ab.sh: set VARIANTS (one 'NAME CHECKOUT [JVM OPTIONS]' per line)" >&2; exit 2; }
command -v wrk >/dev/null || { echo "ab.sh: wrk is needed (apt-get install wrk)" >&2; exit 1; }
source "$root/bin/lib/java.sh"
pier_find_java
work="$(mktemp -d)"; pid=""
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT INT TERM
"$root/bin/pier" example-model --output "$work/models" >/dev/null
"$py" "$tools" inputs mnist 784 1 "$work"
base="http://127.0.0.1:$port"
case "$row" in
  tf) args=(url="$base/v1/models/mnist:predict" body="$work/mnist-tf.json") ;;
  v2) args=(url="$base/v2/models/mnist/infer" body="$work/mnist-v2.json") ;;
  binary) args=(url="$base/v2/models/mnist/infer" body="$work/mnist-v2.bin" content_type=application/octet-stream
                header="Inference-Header-Content-Length: $(cat "$work/mnist-v2.bin.len")") ;;
  ceiling) args=(url="$base/v2/health/live") ;;
  *) echo "ab.sh: unknown ROW '$row' (expected tf, v2, binary or ceiling)" >&2; exit 2 ;;
esac
echo "== $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg), row $row, warm-up $warmup, runs of $duration"
for r in $(seq "$rounds"); do
  while read -r name checkout opts; do
    [ -n "$name" ] || continue
    [ "$checkout" = . ] && checkout="$root"
    jvm=(); serve=(); next_is_value=0
    for o in $opts; do
      if [ "$next_is_value" = 1 ]; then serve+=("$o"); next_is_value=0
      elif [[ "$o" == --* ]]; then serve+=("$o"); [[ "$o" == *=* ]] || next_is_value=1
      else jvm+=("$o"); fi
    done
    PIER_JAVA_OPTS="${jvm[*]:-}" "$checkout/bin/pier" serve --model-repository "$work/models" --host 127.0.0.1 \
      --http-port "$port" --grpc-port 0 --no-drift "${serve[@]}" >"$work/$name.log" 2>&1 &
    pid=$!
    for _ in $(seq 600); do
      curl -sf "$base/v2/health/ready" >/dev/null 2>&1 && break
      kill -0 "$pid" 2>/dev/null || { cat "$work/$name.log"; exit 1; }
      sleep 0.2
    done
    java="$(pgrep -f "java.*--http-port $port" | head -1)"
    printf 'round %s %-10s' "$r" "$name"
    "$py" "$tools" measure "$work/rows.jsonl" round="$r" server="$name" row="$row" tool=wrk pids="$java" \
      lua="$root/bench/post.lua" warmup="$warmup" duration="$duration" java_home="$JAVA_HOME" jfr_pid="$java" "${args[@]}"
    kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
  done <<<"$VARIANTS"
done
