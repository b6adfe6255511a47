#!/usr/bin/env bash
# Issue 5's int8 reproduction (Krishnamoorthi 2018 / ONNX Runtime's published int8 results), one run on this
# machine: static int8 (QOperator: QLinearConv/QLinearMatMul, per-channel weights, min-max calibration)
#  1. LeNet-5 trained on MNIST (EPOCHS, default 3; LENET=lenet5-caffe, Caffe's 20-50-500-10 as in Han et al.,
#     or lenet5, LeCun's 6-16-120-84): fp32 vs int8 accuracy on the 10k test set, file sizes, and the most a
#     file can shrink when weights become int8 (biases stay 32-bit, each per-channel scale adds 5 bytes);
#  2. the ResNet-18-sized example CNN (17 3x3 convs, 11 M weights, 3x32x32, random weights): fp32 vs int8
#     batch-1 latency through in-process ONNX Runtime (1 intra-op thread), measured in this run as ROUNDS
#     alternating fp32/int8 measurements (so load from other processes hits both alike); median p50 of each.
# Environment: EPOCHS (3), ROUNDS (3), DURATION per measurement (8s), CALIBRATION (mnist:train:1000),
# FORMAT (qoperator or qdq), LENET. Keeps its files in WORK (default: a temporary folder, removed at the end).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
pier="$root/bin/pier"
epochs="${EPOCHS:-3}"; rounds="${ROUNDS:-3}"; duration="${DURATION:-8s}"; calibration="${CALIBRATION:-mnist:train:1000}"; format="${FORMAT:-qoperator}"
lenet="${LENET:-lenet5-caffe}"
work="${WORK:-}"; own=""
if [ -z "$work" ]; then work="$(mktemp -d)"; own=1; fi
cleanup() { [ -n "$own" ] && rm -rf "$work"; true; }
trap cleanup EXIT INT TERM
json() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2], {'d': d}))" "$@"; }
quiet() { "$@" 2>&1 | grep -vE ' (INFO|WARN) ' || true; }

echo "== $(nproc) cores, $(grep -o -m1 'avx512_vnni' /proc/cpuinfo || echo 'no avx512_vnni'); format $format"
if [ ! -f "$work/$lenet.onnx" ]; then
  quiet "$pier" train --dataset mnist:train --arch "$lenet" --epochs "$epochs" --validation-split 0 --seed 42 \
    --no-progress --output "$work/$lenet.onnx"
fi
quiet "$pier" compress quantize --model "$work/$lenet.onnx" --mode static --method minmax --per-channel \
  --format "$format" --calibration "$calibration" --dataset mnist:test --output "$work/$lenet.int8.onnx"

[ -f "$work/cnn/cnn/1/model.onnx" ] || "$pier" example-model --kind cnn --output "$work/cnn" >/dev/null
cnn="$work/cnn/cnn/1/model.onnx"
# random weights: calibration and evaluation inputs are seeded uniform images (accuracy figures mean nothing)
quiet "$pier" compress quantize --model "$cnn" --mode static --method minmax --per-channel --format "$format" \
  --calibration random:32 --dataset random:64 --latency-runs 50 --output "$work/cnn.int8.onnx"
for r in $(seq "$rounds"); do
  for m in fp32 int8; do
    f="$cnn"; [ "$m" = int8 ] && f="$work/cnn.int8.onnx"
    quiet "$pier" bench --in-process "$f" --batch-size 1 --threads 1 --intra-op-threads 1 --duration "$duration" \
      --warmup 2s --json "$work/cnn-$m-$r.json" >/dev/null
    echo "round $r $m: p50 $(json "$work/cnn-$m-$r.json" "d['latency']['p50Ms']") ms"
  done
done

l="$work/$lenet.int8.onnx.compress.json"
echo
echo "== results"
echo "LeNet-5 variant: $lenet"
json "$l" "'LeNet-5 accuracy (10k test): fp32 %.4f  int8 %.4f  drop %.2f pp' % (d['before']['accuracy'], d['after']['accuracy'], (d['before']['accuracy'] - d['after']['accuracy']) * 100)"
json "$l" "'LeNet-5 file: fp32 %d bytes  int8 %d bytes  %.2fx smaller' % (d['before']['sizeBytes'], d['after']['sizeBytes'], d['before']['sizeBytes'] / d['after']['sizeBytes'])"
python3 - "$l" <<'PY'
import json, math, sys
d = json.load(open(sys.argv[1]))
# the smallest int8 file: 1 byte per quantized weight, 4 per other parameter (biases stay float or int32), and
# 5 per output channel (float scale + int8 zero point); graph metadata ignored, so this bounds the ratio from above
w = sum(math.prod(l["shapeBefore"]) for l in d["layers"])
c = sum(l["shapeBefore"][0 if "Conv" in l["note"] else -1] for l in d["layers"])
floor = w + 4 * (d["before"]["parameters"] - w) + 5 * c
print(f"LeNet-5 file ceiling: int8 weights {w:,} B + other parameters {4 * (d['before']['parameters'] - w):,} B + "
      f"scales {5 * c:,} B = {floor:,} B at least, so at most {d['before']['sizeBytes'] / floor:.3f}x smaller")
PY
c="$work/cnn.int8.onnx.compress.json"
json "$c" "'ResNet-18-sized CNN file: fp32 %d bytes  int8 %d bytes  %.2fx smaller' % (d['before']['sizeBytes'], d['after']['sizeBytes'], d['before']['sizeBytes'] / d['after']['sizeBytes'])"
python3 - "$work" "$rounds" "$duration" <<'PY'
import json, statistics, sys
work, rounds, duration = sys.argv[1], int(sys.argv[2]), sys.argv[3]
p50 = {m: [json.load(open(f"{work}/cnn-{m}-{r}.json"))["latency"]["p50Ms"] for r in range(1, rounds + 1)] for m in ("fp32", "int8")}
f, i = statistics.median(p50["fp32"]), statistics.median(p50["int8"])
print(f"ResNet-18-sized CNN batch-1 latency (in-process ORT, 1 thread, median of {rounds} x {duration}): "
      f"fp32 p50 {f:.3f} ms  int8 p50 {i:.3f} ms  speed-up {f / i:.2f}x   (rounds fp32 {p50['fp32']}, int8 {p50['int8']})")
PY
