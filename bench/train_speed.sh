#!/usr/bin/env bash
# Issue 3's training-speed benchmark: seconds per epoch of the reference MLP (784-128-10, Adam lr 0.001,
# batch 32, 48,000 training images) in Pier (DJL + PyTorch engine, 1 intra-op thread) and in PyTorch from
# Python (Debian's python3-torch) with 1 and with 2 threads, in one run, and the ratio Pier / PyTorch.
# Usage: bench/train_speed.sh [EPOCHS]   (needs: apt-get install python3-torch)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
epochs="${1:-3}"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
data="${PIER_DATA_DIR:-$HOME/.cache/pier/mnist}"

"$root/bin/pier" train --dataset mnist:train --arch mlp:128 --epochs "$epochs" --batch-size 32 --optimizer adam \
  --lr 0.001 --validation-split 0.2 --seed 42 --output "$work/model.onnx" --log "$work/train.json" --no-progress >/dev/null
pier_s=$(/usr/bin/python3 -c "import json,sys; e=json.load(open('$work/train.json'))['epochs']; s=[x['seconds'] for x in e[1:] or e]; print(sum(s)/len(s))")
for t in 1 2; do
  /usr/bin/python3 "$root/bench/torch_mnist_mlp.py" "$data" "$epochs" "$t" > "$work/torch$t.txt"
done
torch1=$(grep TORCH_EPOCH "$work/torch1.txt" | tail -n +2 | sed 's/.*seconds=\([0-9.]*\).*/\1/' | awk '{s+=$1;n++} END {print s/n}')
torch2=$(grep TORCH_EPOCH "$work/torch2.txt" | tail -n +2 | sed 's/.*seconds=\([0-9.]*\).*/\1/' | awk '{s+=$1;n++} END {print s/n}')
printf 'seconds per epoch (mean of epochs 2..%s): pier %.2f | pytorch 1 thread %.2f | pytorch 2 threads %.2f\n' "$epochs" "$pier_s" "$torch1" "$torch2"
printf 'ratio pier / pytorch(1 thread) = %.2f ; pier / pytorch(2 threads) = %.2f\n' \
  "$(echo "$pier_s / $torch1" | bc -l)" "$(echo "$pier_s / $torch2" | bc -l)"
