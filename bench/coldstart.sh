#!/usr/bin/env bash
# Cold start: from `bin/pier serve --model-repository R` to the first 200 on :predict, RUNS times (default 5).
# Usage: bench/coldstart.sh [REPOSITORY [MODEL]]   (default: the example MLP, generated into a temp dir)
# Environment: RUNS (5), PORT (18591), PIER (bin/pier), extra JVM options through PIER_JAVA_OPTS as usual.
# VARIANTS: '|'-separated sets of environment assignments, run alternately in every round so that they share the
# machine's load, e.g. VARIANTS='PIER_CDS=0|PIER_CDS=1' (default: one variant, the environment as it is); a
# PIER=... in a variant runs that launcher (another checkout's bin/pier: before and after a change).
# Prints one line per run and, per variant, "cold start: min/median/max" in seconds, for the wall time from launch
# to the first 200 and for the JVM's CPU time (utime + stime of the process, /proc/PID/stat) at that moment: a
# busy machine stretches the wall time by its queue for the cores, the CPU time far less. Load goes to 127.0.0.1.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
pier="${PIER:-$root/bin/pier}"
runs="${RUNS:-5}"
port="${PORT:-18591}"
IFS='|' read -r -a variants <<<"${VARIANTS:-}"
[ "${#variants[@]}" -gt 0 ] || variants=("")
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
tick=$(getconf CLK_TCK)
cpu_of() {  # utime + stime of process $1 in seconds (fields 14 and 15 of /proc/PID/stat, after the "(comm)")
  awk -v t="$tick" '{sub(/^.*\) /, ""); printf "%.3f", ($12 + $13) / t}' "/proc/$1/stat" 2>/dev/null || echo nan
}
echo "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)"
for i in $(seq "$runs"); do
  for v in "${!variants[@]}"; do
    launcher="$pier"
    for kv in ${variants[$v]}; do case "$kv" in PIER=*) launcher="${kv#PIER=}" ;; esac; done
    start=$(date +%s.%N)
    env ${variants[$v]} "$launcher" serve --model-repository "$repo" --host 127.0.0.1 --http-port "$port" --grpc-port 0 \
      >"$work/serve-$i-$v.log" 2>&1 &
    pid=$!
    code=000
    for _ in $(seq 3000); do
      code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
        --data-binary @"$work/body.json" "http://127.0.0.1:$port/v1/models/$model:predict" 2>/dev/null || true)
      [ "$code" = 200 ] && break
      kill -0 "$pid" 2>/dev/null || { echo "server exited:" >&2; cat "$work/serve-$i-$v.log" >&2; exit 1; }
      sleep 0.01
    done
    end=$(date +%s.%N)
    cpu=$(cpu_of "$pid")
    [ "$code" = 200 ] || { echo "no 200 within 30 s" >&2; cat "$work/serve-$i-$v.log" >&2; exit 1; }
    t=$(echo "$end - $start" | bc -l)
    # the first 200 can come before the banner (both ports are bound before it prints): wait for the banner, out of
    # the timing, so that the line below and COLDSTART_SHOW_LOG's trace are complete
    for _ in $(seq 300); do grep -q 'ready in' "$work/serve-$i-$v.log" && break; sleep 0.01; done
    echo "$t $cpu" >>"$work/times-$v"
    printf 'run %d%s: %.3f s, cpu %s s  (%s; load %s)\n' "$i" "${variants[$v]:+ [${variants[$v]}]}" "$t" "$cpu" \
      "$(grep -o 'ready in [0-9.]* s' "$work/serve-$i-$v.log" | head -1)" "$(cut -d' ' -f1 /proc/loadavg)"
    [ -n "${COLDSTART_SHOW_LOG:-}" ] && grep '^pier: start-up' "$work/serve-$i-$v.log" || true
    kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
  done
done
for v in "${!variants[@]}"; do
  for col in 1 2; do
    cut -d' ' -f"$col" "$work/times-$v" | sort -n | awk -v what="$([ $col = 1 ] && echo 'cold start' || echo 'cpu to first 200')" \
      -v name="${variants[$v]:+ [${variants[$v]}]}" \
      '{a[NR]=$1} END {printf "%s%s: min %.3f s, median %.3f s, max %.3f s (%d runs)\n", what, name, a[1], a[int((NR+1)/2)], a[NR], NR}'
  done
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
