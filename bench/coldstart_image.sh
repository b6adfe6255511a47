#!/usr/bin/env bash
# Cold start of the container image's JVM command line, first start of a container (no archive in /tmp yet)
# against a restart (the archive the previous run wrote at exit), alternated RUNS times (default 4).
# Runs the image's entrypoint (ImageLayout.entrypoint(): the same flags, Pier's classes as one jar, the serving
# jars) with this machine's JDK, outside a container, so no image registry or base image is needed; the archive
# goes to a temporary directory instead of /tmp/pier-serve.jsa. Prints the wall time and the JVM's CPU time to the
# first 200 on :predict. Usage: bench/coldstart_image.sh   (PORT, RUNS as in bench/coldstart.sh)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/bin/lib/java.sh"
pier_find_java
runs="${RUNS:-4}"
port="${PORT:-18592}"
work="$(mktemp -d)"
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT INT TERM
"$root/bin/pier" example-model --output "$work/models" --kind mlp >/dev/null
mkdir -p "$work/app/classes" "$work/app/libs"
cp "$root/target/pier-classes.jar" "$work/app/classes/pier.jar"
# the serving jars, as ImageLayout.servingJar chooses them
for j in $(tr ':' '\n' <"$root/target/runtime-classpath.txt"); do
  case "$(basename "$j")" in
    pytorch-native-*|pytorch-jni-*|pytorch-engine-*|kubernetes-*|zjsonpatch-*|snakeyaml-engine-*|jib-*|google-http-client*|httpclient-4*|httpcore-4*) ;;
    *) cp "$j" "$work/app/libs/" ;;
  esac
done
/usr/bin/python3 -c "import json; json.dump({'instances': [[0.5] * 784]}, open('$work/body.json', 'w'))"
archive="$work/pier-serve.jsa"
zgen=(); [ "$(pier_java_home_major "$JAVA_HOME")" -lt 24 ] && zgen=(-XX:+ZGenerational)
tick=$(getconf CLK_TCK)
echo "JDK $JAVA_HOME; load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)"
for i in $(seq "$runs"); do
  for kind in first restart; do
    [ "$kind" = first ] && rm -f "$archive"
    start=$(date +%s.%N)
    ORT_DISABLE_TELEMETRY=1 "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -XX:MaxRAMPercentage=70 -XX:+UseZGC "${zgen[@]}" \
      -XX:+AutoCreateSharedArchive "-XX:SharedArchiveFile=$archive" -Xlog:cds=off -Xlog:cds+dynamic=off \
      -cp "$work/app/classes/pier.jar:$work/app/libs/*" dev.pier.cli.PierCli \
      serve --model-repository "$work/models" --host 127.0.0.1 --http-port "$port" --grpc-port 0 --drain-seconds 0 >"$work/log" 2>&1 &
    pid=$!
    for _ in $(seq 3000); do
      [ "$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' --data-binary @"$work/body.json" \
        "http://127.0.0.1:$port/v1/models/mnist:predict" 2>/dev/null || true)" = 200 ] && break
      kill -0 "$pid" 2>/dev/null || { cat "$work/log" >&2; exit 1; }
      sleep 0.01
    done
    end=$(date +%s.%N)
    cpu=$(awk -v t="$tick" '{sub(/^.*\) /, ""); printf "%.3f", ($12 + $13) / t}' "/proc/$pid/stat")
    printf '%-8s run %d: %.3f s, cpu %s s  (load %s)\n' "$kind" "$i" "$(echo "$end - $start" | bc -l)" "$cpu" "$(cut -d' ' -f1 /proc/loadavg)"
    kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
    [ -f "$archive" ] || echo "  (no archive written at exit)"
  done
done
