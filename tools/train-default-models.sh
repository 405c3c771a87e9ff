#!/usr/bin/env bash
# Reproduces the models that ship in models/ with Meadow's own code, on the CPU:
# Pastoral-Synth data, Meadow's CLIP (about 8 minutes on 2 cores), the small-64-resize decoder with image
# conditioning, dropout 0.5 on z and the CLIP-consistency term, drawing with condition noise 0.25 (about 60 minutes to 3 hours on 2 cores, depending on the machine), and the judge CLIP that grades decoders (meadow eval) and
# names reverse captions in the gallery (about 6 minutes), and the scene judge that reads objects (about 8 minutes).
# Results land in ./trained-models (or $1).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-trained-models}"
mkdir -p "$out"
cd "$out"
meadow="$root/meadow"

"$meadow" synth --count 10000 --size 64 --seed 1 --out synth-clip
"$meadow" synth --count 9000 --size 64 --seed 2 --out synth-9k
"$meadow" train-clip --data synth-clip --out meadow-clip-v1 --epochs 15 --id meadow-clip-v1
"$meadow" train --data synth-9k --clip meadow-clip-v1 --preset small-64-resize --conditioning image --dropout 0.5 \
  --clip-weight 1000 --epochs 65 --condition-noise 0.25 --out small-64-resize-clip-v6 --id small-64-resize-clip-v6
# The diffusion prior (about 3 minutes), on the decoders' own snapshot, and the decoder that draws through it:
# mirrored borders and the CLIP term on random crops (no edge lines), 40 epochs (about 60 minutes), paired with the
# prior under its own id (the card names the prior; both are activated together).
"$meadow" train-prior --data synth-9k --clip meadow-clip-v1 --out meadow-prior-v1 --epochs 30 --id meadow-prior-v1
"$meadow" train --data synth-9k --clip meadow-clip-v1 --preset small-64-resize-reflect --conditioning image \
  --dropout 0.5 --clip-weight 1000 --clip-view-scale 0.75 --epochs 40 --out small-64-resize-reflect-v7-alone \
  --id small-64-resize-reflect-v7-alone
"$meadow" pair-prior --decoder small-64-resize-reflect-v7-alone --prior meadow-prior-v1 \
  --id small-64-resize-reflect-v7 --out small-64-resize-reflect-v7
# The judge: other renders (seed 3), another seed, so that decoders are not graded by their own teacher.
"$meadow" synth --count 8000 --size 64 --seed 3 --out synth-judge
"$meadow" train-clip --data synth-judge --out judge/meadow-judge-clip-v1 --epochs 12 --seed 7 --id meadow-judge-clip-v1
# The scene judge: a CNN on 20,000 renders (seed 21) with their scene graphs, measured on 2,000 others (seed 22).
"$meadow" train-scene-judge --out judge/meadow-scene-judge-v1 --renders 20000 --held-out 2000 --epochs 12 --seed 21 \
  --id meadow-scene-judge-v1
echo "Models written to $(pwd): meadow-clip-v1, meadow-prior-v1, small-64-resize-reflect-v7, small-64-resize-clip-v6, judge/meadow-judge-clip-v1 and judge/meadow-scene-judge-v1"
