#!/usr/bin/env bash
# Segment benchmark: `lesionlink segment` vs a Python/PyTorch peer running the same pipeline (the
# reference_pipeline.py the tests check LesionLink against) with the same TorchScript model on the same
# 4-channel 128x128x96 case, one run each, on the same machine. Reports wall time and peak resident memory
# (GNU time), their ratios, per-stage times, and whether the two label maps are equal.
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=/usr/bin/python3
OUT=bench/out/segment
JAR=target/lesionlink.jar
mkdir -p "$OUT"
[ -f "$JAR" ] || { echo "build first: mvn -B -ntp -q package -DskipTests" >&2; exit 1; }
[ -f "$OUT/model/model.json" ] && [ -f "$OUT/case/t2f.nii.gz" ] || $PY bench/segment/make_inputs.py "$OUT"
CASE=$OUT/case
INPUTS=(t1c="$CASE/t1c.nii.gz" t1n="$CASE/t1n.nii.gz" t2w="$CASE/t2w.nii.gz" t2f="$CASE/t2f.nii.gz")
# Extra LesionLink options for a variant, e.g. LL_OPTS="--threads 2"
LL_OPTS=${LL_OPTS:-}

rm -f "$OUT/times.txt"
/usr/bin/time -f "lesionlink %e %M" -a -o "$OUT/times.txt" \
  java -jar "$JAR" segment --model "$OUT/model" --device cpu $LL_OPTS \
      $(printf -- '--input %s ' "${INPUTS[@]}") --output "$OUT/lesionlink.nii.gz" --report "$OUT/lesionlink.json"
/usr/bin/time -f "peer %e %M" -a -o "$OUT/times.txt" \
  $PY bench/segment/peer_segment.py "$OUT/model" "$OUT/peer.nii.gz" "$OUT/peer.json" "${INPUTS[@]}"

$PY - "$OUT" <<'PYEOF'
import json, sys
import nibabel as nib, numpy as np
out = sys.argv[1]
rows = {l.split()[0]: l.split()[1:] for l in open(f"{out}/times.txt")}
ll_t, ll_m = float(rows["lesionlink"][0]), float(rows["lesionlink"][1]) / 1024
pe_t, pe_m = float(rows["peer"][0]), float(rows["peer"][1]) / 1024
a, b = nib.load(f"{out}/lesionlink.nii.gz"), nib.load(f"{out}/peer.nii.gz")
la, lb = np.asarray(a.dataobj), np.asarray(b.dataobj)
print(f"wall time: LesionLink {ll_t:.1f} s, peer {pe_t:.1f} s, ratio {ll_t / pe_t:.2f}")
print(f"peak RSS:  LesionLink {ll_m:.0f} MiB, peer {pe_m:.0f} MiB, ratio {ll_m / pe_m:.2f}")
print(f"label maps: same affine {np.allclose(a.affine, b.affine, atol=1e-4)}, voxels differing "
      f"{int((la != lb).sum())} of {la.size}, labelled {int((la != 0).sum())} / {int((lb != 0).sum())}")
ll = json.load(open(f"{out}/lesionlink.json"))["timingsMs"]
pe = json.load(open(f"{out}/peer.json"))["timingsMs"]
print("stage times (ms): LesionLink", ll)
print("                  peer      ", pe)
print(f"inference stage: LesionLink {ll['inference']} ms, peer {pe['inference']} ms, ratio {ll['inference'] / pe['inference']:.2f}")
PYEOF
