#!/usr/bin/env bash
# Large-volume benchmark: LesionLink vs nibabel+scipy reading a 512x512x400 int16 NIfTI, resampling it
# trilinearly onto a rotated grid of the same size, and writing the result. Reports wall time and peak
# resident memory of each process (GNU time), their ratios, and how far the two outputs differ.
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=/usr/bin/python3
OUT=bench/out/large-volume
JAR=target/lesionlink.jar
# The heap cap proves the point: input (200 MB) + output (200 MB) + headroom. A run that copied the
# volume once more would not fit.
HEAP=${HEAP:-640m}
mkdir -p "$OUT"
[ -f "$JAR" ] || { echo "build first: mvn -B -ntp -q package -DskipTests" >&2; exit 1; }
[ -f "$OUT/input.nii" ] || $PY bench/large-volume/make_input.py "$OUT"

measure() { # name, command...: appends "name seconds maxRSS_kB"
  local name=$1; shift
  /usr/bin/time -f "$name %e %M" -a -o "$OUT/times.txt" "$@"
}
rm -f "$OUT/times.txt"
for run in 1 2 3; do
  measure lesionlink java -Xmx$HEAP -jar "$JAR" resample --input "$OUT/input.nii" \
      --reference "$OUT/reference.nii.gz" --interpolation linear --output "$OUT/lesionlink.nii"
  measure peer $PY bench/large-volume/peer_resample.py "$OUT/input.nii" "$OUT/reference.nii.gz" "$OUT/peer.nii"
done

$PY - "$OUT" <<'PYEOF'
import sys, statistics as st
import nibabel as nib, numpy as np
out = sys.argv[1]
rows = [l.split() for l in open(f"{out}/times.txt")]
def med(name, col): return st.median(float(r[col]) for r in rows if r[0] == name)
ll_t, peer_t = med("lesionlink", 1), med("peer", 1)
ll_m, peer_m = med("lesionlink", 2) / 1024, med("peer", 2) / 1024
a = np.asanyarray(nib.load(f"{out}/lesionlink.nii").dataobj).astype(np.int32)
b = np.asanyarray(nib.load(f"{out}/peer.nii").dataobj).astype(np.int32)
same_affine = np.allclose(nib.load(f"{out}/lesionlink.nii").affine, nib.load(f"{out}/peer.nii").affine, atol=1e-4)
d = np.abs(a - b)
print(f"wall time (median of 3): LesionLink {ll_t:.2f} s, peer {peer_t:.2f} s, ratio {ll_t / peer_t:.2f}")
print(f"peak RSS  (median of 3): LesionLink {ll_m:.0f} MiB, peer {peer_m:.0f} MiB, ratio {ll_m / peer_m:.2f}")
print(f"outputs: same affine {same_affine}, max |diff| {d.max()}, voxels differing {np.count_nonzero(d)} of {d.size}")
PYEOF
