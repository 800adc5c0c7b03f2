#!/usr/bin/env bash
# Benchmark: `lesionlink evaluate` vs a numpy/scipy peer doing the same evaluation, in the same run.
# N synthetic brain cases (240x240x155, 1 mm, BraTS labels), 2 models, regions ET/TC/WT, every metric
# (Dice, HD, HD95, sensitivity, specificity, volumes, BraTS-METS lesion-wise) and the statistics.
# The peer is about 5x slower, so to keep the run near 10 minutes it evaluates only the first PEER_N cases
# (default 20) and the ratio is taken per case: (wall / cases evaluated).
# Usage: bench/evaluate/run.sh   (N=100, PEER_N=20 by default; data are generated once into bench/out/evaluate/)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
N=${N:-100}
PEER_N=${PEER_N:-20}
PY=/usr/bin/python3
out=bench/out/evaluate
data=$out/data-$N
[ -f target/lesionlink.jar ] || mvn -B -ntp -q package -DskipTests
if [ ! -f "$data/.complete" ]; then
  echo "generating $N cases x (truth + 2 models) in $data ..."
  rm -rf "$data"
  "$PY" bench/evaluate/gen_cases.py "$data" "$N"
  touch "$data/.complete"
fi

measure() { # label, command... ; prints wall seconds and peak RSS
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$out/$label.time" "$@" > "$out/$label.log" 2>&1
  read -r wall rss < "$out/$label.time"
  echo "$label: ${wall} s wall, $((rss / 1024)) MiB peak RSS"
  eval "${label}_wall=$wall; ${label}_rss=$rss"
}

rm -rf "$out/java" "$out/java1" "$out/python"
measure lesionlink java -jar target/lesionlink.jar evaluate --truth "$data/truth" \
  --pred "good=$data/good" --pred "rough=$data/rough" --task brain --threads 2 --out "$out/java"
measure lesionlink_1thread java -jar target/lesionlink.jar evaluate --truth "$data/truth" \
  --pred "good=$data/good" --pred "rough=$data/rough" --task brain --threads 1 --out "$out/java1"
measure scipy "$PY" bench/evaluate/reference_eval.py "$data" "$out/python" "$PEER_N" good rough
"$PY" bench/evaluate/compare.py "$out/java/cases.csv" "$out/python/cases.csv"
per_case() { echo "scale=3; $1 / $2" | bc; }
ll2=$(per_case "$lesionlink_wall" "$N"); ll1=$(per_case "$lesionlink_1thread_wall" "$N"); py=$(per_case "$scipy_wall" "$PEER_N")
echo "wall per case: LesionLink ${ll2} s (2 threads), ${ll1} s (1 thread); scipy peer ${py} s (1 process)"
echo "ratio LesionLink / scipy peer, per case: $(echo "scale=3; $ll2 / $py" | bc) (2 threads), $(echo "scale=3; $ll1 / $py" | bc) (1 thread);" \
  "peak RSS $(echo "scale=3; $lesionlink_rss / $scipy_rss" | bc)"
