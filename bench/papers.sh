#!/usr/bin/env bash
# Issue 5's paper reproductions on MNIST (benchmarks, not tests): trains the dense baselines with `pier train`,
# compresses them with `pier compress`, and prints the paper's result, ours, and whether the target is met.
#
# Usage: bench/papers.sh han-lenet300 | han-lenet5 | hinton | all
# Environment (defaults are what docs/compression.md reports; raise them on a machine with time to spare):
#   WORK=/tmp/pier-papers        models, logs and reports (kept, so a second run reuses trained baselines)
#   DENSE_EPOCHS=20              LeNet-300-100 dense training
#   LENET5_EPOCHS=8              LeNet-5 (Caffe 20-50-500-10) dense training
#   PRUNE_STEPS=5                iterative prune -> retrain cycles (cubic ramp)
#   RETRAIN_EPOCHS_300=2         retraining epochs per cycle, LeNet-300-100
#   RETRAIN_EPOCHS_5=1           retraining epochs per cycle, LeNet-5
#   FINAL_EPOCHS_5=1             LeNet-5: one more fixed-mask retraining cycle at the final sparsity
#   TEACHER_EPOCHS="2 5 12 20 40 80"  Hinton teacher 784-1200-1200-10 (dropout 0.5, ±2 px jitter): cosine cycles,
#                                each resuming the previous to the next total (warm restarts; one number = one cycle)
#   STUDENT_EPOCHS=20            the 784-800-800-10 student, alone and distilled (T=20, alpha 0.9)
#   STUDENT_SCHEDULES="constant cosine"  the students' learning-rate schedules, one comparison each
# docs/compression.md's best Hinton row: TEACHER_EPOCHS="2 5 12 20 40 80 120" STUDENT_EPOCHS=40 (about 2 h more)
# All training: Adam lr 1e-3, batch 64, the whole 60,000-image training set, seed 42; retraining at 1e-4
# (a tenth of it, masks fixed); every figure is measured on the 10,000 MNIST test images.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
pier="$root/bin/pier"
work="${WORK:-/tmp/pier-papers}"
mkdir -p "$work"
choice="${1:-}"

acc() { jq -r "$2" "$1"; }
errors() { python3 -c "print(round((1 - $1) * 10000))"; }
verdict() { if [ "$1" = 1 ]; then echo "MET"; else echo "NOT MET"; fi; }

train() { # out arch epochs [extra...]
  local out="$1" arch="$2" epochs="$3"; shift 3
  if [ ! -f "$out" ]; then
    "$pier" train --dataset mnist:train --arch "$arch" --epochs "$epochs" --batch-size 64 --validation-split 0 \
      --seed 42 --no-progress --output "$out" "$@" >"$out.log" 2>&1
  fi
}

han() { # name arch epochs retrain-epochs paper-line sparsity-options...
  local name="$1" arch="$2" epochs="$3" retrain="$4" paper="$5"; shift 5
  local dense="$work/$name.onnx" pruned="$work/$name.pruned.onnx"
  train "$dense" "$arch" "$epochs"
  "$pier" compress prune --model "$dense" --dataset mnist:test --method magnitude "$@" --schedule iterative \
    --steps "${PRUNE_STEPS:-5}" --retrain-epochs "$retrain" --retrain-data mnist:train --retrain-lr 1e-4 \
    --latency-runs 50 --output "$pruned" | tee "$work/$name.prune.txt"
  local r="$pruned.compress.json" final="$pruned.compress.json"
  if [ "${FINAL_EPOCHS:-0}" -gt 0 ]; then
    # one more cycle at the final targets: the masks are those of the last cycle (the zeros are the smallest
    # weights and exactly as many as the target), so this only retrains with the masks fixed
    "$pier" compress prune --model "$pruned" --dataset mnist:test --method magnitude "$@" --schedule iterative \
      --steps 1 --retrain-epochs "$FINAL_EPOCHS" --retrain-data mnist:train --retrain-lr 1e-4 --latency-runs 50 \
      --output "$work/$name.final.onnx" | tee "$work/$name.final.txt"
    final="$work/$name.final.onnx.compress.json"
  fi
  local e0 e1 w0 w1
  e0=$(python3 -c "print(100 * (1 - $(acc "$r" .before.accuracy)))")
  e1=$(python3 -c "print(100 * (1 - $(acc "$final" .after.accuracy)))")
  w0=$(jq '[.layers[] | .shapeBefore | reduce .[] as $d (1; . * $d)] | add' "$r")
  w1=$(jq '[.layers[].nonZero] | add' "$final")
  local ok
  ok=$(python3 -c "print(int($w0 / $w1 >= 12 and $e1 <= $e0 + 0.1 + 1e-9))")
  printf '\n== %s\npaper: %s\nours:  dense error %.2f%% -> pruned %.2f%%, weights %d -> %d non-zero (%.2fx)\n' \
    "$name" "$paper" "$e0" "$e1" "$w0" "$w1" "$(python3 -c "print($w0 / $w1)")"
  echo "target (>= 12x fewer non-zero weights, error <= dense + 0.1 pp): $(verdict "$ok")"
}

teacher_restarts() { # out: trains the Hinton teacher as a chain of cosine cycles, each resuming the last to a new total
  local out="$1" done_epochs n
  for n in ${TEACHER_EPOCHS:-2 5 12 20 40 80}; do
    done_epochs=$(jq -r .completedEpochs "$out.checkpoints/state.json" 2>/dev/null || echo 0)
    [ "$done_epochs" -ge "$n" ] && continue
    local resume=(); [ "$done_epochs" -gt 0 ] && resume=(--resume)
    "$pier" train --dataset mnist:train --arch "$root/bench/papers/hinton-teacher.yaml" --epochs "$n" --batch-size 64 \
      --validation-split 0 --seed 42 --no-progress --schedule cosine --jitter 2 "${resume[@]}" --output "$out" >>"$out.log" 2>&1
  done
}

hinton() {
  local teacher="$work/hinton-teacher.onnx" epochs="${STUDENT_EPOCHS:-20}"
  teacher_restarts "$teacher"
  printf '\n== hinton\npaper: teacher 67 errors; student alone 146; distilled (T=20) 74 (closes 91%% of the gap)\n'
  local schedule
  for schedule in ${STUDENT_SCHEDULES:-constant cosine}; do
    # the same recipe (Adam 1e-3, batch 64, this schedule, these epochs) for both students: only the loss differs
    local alone="$work/hinton-student-alone-$schedule-$epochs.onnx" distilled="$work/hinton-distilled-$schedule-$epochs.onnx"
    train "$alone" mlp:800,800 "$epochs" --schedule "$schedule"
    "$pier" evaluate --model "$alone" --dataset mnist:test --json "$alone.eval.json" >/dev/null 2>&1
    "$pier" compress distill --teacher "$teacher" --student mlp:800,800 --temperature 20 --alpha 0.9 \
      --epochs "$epochs" --schedule "$schedule" --batch-size 64 --train-data mnist:train --dataset mnist:test \
      --latency-runs 50 --output "$distilled" >"$distilled.txt" 2>&1
    local r="$distilled.compress.json" et es ed closed
    et=$(errors "$(acc "$r" .before.accuracy)")
    ed=$(errors "$(acc "$r" .after.accuracy)")
    es=$(errors "$(jq -r .accuracy "$alone.eval.json")")
    closed=$(python3 -c "g = $es - $et; print(round((($es - $ed) / g) * 100, 1) if g > 0 else float('nan'))")
    printf 'ours (students %d epochs, %s rate): teacher %d errors; student alone %d; distilled (T=20) %d (closes %s%% of the gap)\n' \
      "$epochs" "$schedule" "$et" "$es" "$ed" "$closed"
    echo "  target (distilled closes >= 75% of the gap between student alone and teacher): $(verdict "$(python3 -c "print(int(float('$closed') >= 75))")")"
  done
}

case "$choice" in
  han-lenet300) han lenet300 mlp:300,100 "${DENSE_EPOCHS:-20}" "${RETRAIN_EPOCHS_300:-2}" \
    "LeNet-300-100 1.64% -> 1.59% error, 267K -> 22K weights (12x)" --sparsity 0.92 --layer-sparsity 2=0.91,3=0.74 ;;
  han-lenet5) FINAL_EPOCHS="${FINAL_EPOCHS_5:-1}" han lenet5 lenet5-caffe "${LENET5_EPOCHS:-8}" "${RETRAIN_EPOCHS_5:-1}" \
    "LeNet-5 0.80% -> 0.77% error, 431K -> 36K weights (12x)" --sparsity 0.925 --layer-sparsity 1=0.34,2=0.88,4=0.81 ;;
  hinton) hinton ;;
  all) "$0" han-lenet300; "$0" han-lenet5; "$0" hinton ;;
  *) echo "usage: bench/papers.sh han-lenet300 | han-lenet5 | hinton | all" >&2; exit 2 ;;
esac
