#!/usr/bin/env bash
# One run, one machine: the quickstart's image graph (issue 18) against the plain model it wraps.
#   (a) mnist_image: TF Serving REST :predict with one {"b64": PNG} instance -> pier_image decode, mnist, pier_labels
#   (b) mnist:       TF Serving REST :predict with the same image as 784 floats (what a client must compute itself)
# Both on one pier serve process, same reference MLP weights (pier example-model), driven by Debian's wrk
# (bench/post.lua posts the body) at 1, 8 and 32 connections after a 3 s warm-up each. Prints req/s, p50 and p99
# for each and the ratio (a)/(b). Load goes to 127.0.0.1 only; each step is bounded in time; the server is killed on exit. Needs python3, curl, wrk, MNIST in ~/.cache/pier/mnist (pier
# quickstart fetches it), a JDK >= 21 and Maven for bin/pier.
# Environment: DURATION (per measured step, default 10s), HTTP_PORT / GRPC_PORT (default 18561 / 18560).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
pier="$root/bin/pier"
duration="${DURATION:-10s}"
http_port="${HTTP_PORT:-18561}"
grpc_port="${GRPC_PORT:-18560}"
mnist_dir="${PIER_DATA_DIR:-$HOME/.cache/pier/mnist}"
[ -f "$mnist_dir/t10k-images-idx3-ubyte" ] || { echo "image_graph.sh: MNIST not found in $mnist_dir (run bin/pier quickstart once)" >&2; exit 1; }

work="$(mktemp -d)"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

echo "== machine: $(nproc) cores, $(uname -sr); duration per step $duration"
"$pier" example-model --output "$work/models" >/dev/null
repo="$work/models"
cat > "$repo/mnist/config.yaml" <<'YAML'
max_batch_size: 0
input: [{name: input, data_type: TYPE_FP32, dims: [-1, 784]}]
output: [{name: probabilities, data_type: TYPE_FP32, dims: [-1, 10]}]
YAML
# the graph exactly as pier quickstart writes it (dev.pier.quickstart.ImageGraphFiles)
mkdir -p "$repo/mnist_png" "$repo/mnist_labels" "$repo/mnist_image"
cat > "$repo/mnist_png/config.yaml" <<'YAML'
platform: pier_image
input: [{name: image, data_type: TYPE_STRING, dims: [-1]}]
output: [{name: pixels, data_type: TYPE_FP32, dims: [-1, 784]}]
parameters: {width: {string_value: "28"}, height: {string_value: "28"}, channels: {string_value: "1"}}
YAML
cat > "$repo/mnist_labels/config.yaml" <<'YAML'
platform: pier_labels
input: [{name: probabilities, data_type: TYPE_FP32, dims: [-1, 10]}]
output:
  - {name: classes, data_type: TYPE_STRING, dims: [-1], label_filename: labels.txt}
  - {name: scores, data_type: TYPE_FP32, dims: [-1]}
YAML
seq 0 9 > "$repo/mnist_labels/labels.txt"
cat > "$repo/mnist_image/config.yaml" <<'YAML'
platform: ensemble
input: [{name: image, data_type: TYPE_STRING, dims: [-1]}]
output:
  - {name: classes, data_type: TYPE_STRING, dims: [-1]}
  - {name: scores, data_type: TYPE_FP32, dims: [-1]}
  - {name: probabilities, data_type: TYPE_FP32, dims: [-1, 10]}
ensemble_scheduling:
  step:
    - {model_name: mnist_png, input_map: {image: image}, output_map: {pixels: pixels}}
    - {model_name: mnist, input_map: {input: pixels}, output_map: {probabilities: probabilities}}
    - {model_name: mnist_labels, input_map: {probabilities: probabilities}, output_map: {classes: classes, scores: scores}}
YAML

# the first MNIST test image as an 8-bit grey PNG, and the same pixels / 255 as floats
python3 - "$mnist_dir/t10k-images-idx3-ubyte" "$work" <<'PY'
import base64, json, struct, sys, zlib
raw = open(sys.argv[1], 'rb').read()[16:16 + 784]
rows = b''.join(b'\x00' + raw[r * 28:(r + 1) * 28] for r in range(28))
chunk = lambda t, d: struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d) & 0xffffffff)
png = b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', 28, 28, 8, 0, 0, 0, 0)) \
      + chunk(b'IDAT', zlib.compress(rows)) + chunk(b'IEND', b'')
json.dump({"instances": [{"b64": base64.b64encode(png).decode()}]}, open(sys.argv[2] + '/png.json', 'w'))
json.dump({"instances": [[b / 255 for b in raw]]}, open(sys.argv[2] + '/floats.json', 'w'))
print("== request bodies: PNG %d bytes (%d bytes of JSON), floats %d bytes of JSON"
      % (len(png), len(open(sys.argv[2] + '/png.json').read()), len(open(sys.argv[2] + '/floats.json').read())))
PY

"$pier" serve --model-repository "$repo" --http-port "$http_port" --grpc-port "$grpc_port" --host 127.0.0.1 \
  >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 600); do curl -fs "http://127.0.0.1:$http_port/v2/health/ready" >/dev/null 2>&1 && break; sleep 0.1; done
curl -fs "http://127.0.0.1:$http_port/v2/health/ready" >/dev/null || { cat "$work/server.log"; exit 1; }
echo "== answer of mnist_image: $(curl -s -d @"$work/png.json" "http://127.0.0.1:$http_port/v1/models/mnist_image:predict" | head -c 160)"

run() {  # model body concurrency; wrk (Debian) drives the load, one thread per connection up to 2
  local threads=$(( $3 < 2 ? 1 : 2 ))
  PIER_BODY="$2" wrk -t"$threads" -c"$3" -d3s -s "$root/bench/post.lua" \
    "http://127.0.0.1:$http_port/v1/models/$1:predict" >/dev/null
  PIER_BODY="$2" wrk -t"$threads" -c"$3" -d"$duration" --latency -s "$root/bench/post.lua" \
    "http://127.0.0.1:$http_port/v1/models/$1:predict" | grep PIER_WRK > "$work/$1-$3.wrk"
  awk -v m="$1" -v c="$3" '{split($2,a,"="); split($3,e,"="); split($5,d,"="); split($6,p5,"="); split($7,p9,"=");
    printf "   %-12s c=%-2s %8.0f req/s  p50 %.3f ms  p99 %.3f ms  errors %d\n", m, c, a[2]/(d[2]/1e6), p5[2]/1000, p9[2]/1000, e[2]}' \
    "$work/$1-$3.wrk"
}
rate() { awk '{split($2,a,"="); split($5,d,"="); printf "%.1f", a[2]/(d[2]/1e6)}' "$work/$1-$2.wrk"; }
for c in 1 8 32; do
  run mnist_image "$work/png.json" "$c"
  run mnist "$work/floats.json" "$c"
  printf '   ratio image graph / plain model at c=%s: %.3f\n' "$c" \
    "$(python3 -c "print($(rate mnist_image "$c") / $(rate mnist "$c"))")"
done
