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
if [ -z "${COMPARE_ONLY:-}" ]; then   # COMPARE_ONLY=1 re-reads the last run's outputs and times
rm -f "$OUT/times.txt"
for run in 1 2 3; do
  measure lesionlink java -Xmx$HEAP -jar "$JAR" resample --input "$OUT/input.nii" \
      --reference "$OUT/reference.nii.gz" --interpolation linear --output "$OUT/lesionlink.nii"
  measure peer $PY bench/large-volume/peer_resample.py "$OUT/input.nii" "$OUT/reference.nii.gz" "$OUT/peer.nii"
done
fi

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
src, ref = nib.load(f"{out}/input.nii"), nib.load(f"{out}/reference.nii.gz")
same_affine = np.allclose(nib.load(f"{out}/lesionlink.nii").affine, nib.load(f"{out}/peer.nii").affine, atol=1e-4)
# The two differ by design in the outermost half voxel (LesionLink clamps to the edge voxel there and fills
# beyond; scipy's constant mode blends towards cval). Compare where the source point is >= 1 voxel inside.
m = np.linalg.inv(src.affine) @ ref.affine
assert np.allclose(m[2, :2], 0) and np.allclose(m[:2, 2], 0), "the interior mask below assumes a rotation about S"
ii, jj = np.meshgrid(np.arange(ref.shape[0]), np.arange(ref.shape[1]), indexing="ij")
inside_ij = np.ones(ref.shape[:2], bool)
for ax in range(2):
    c = m[ax, 0] * ii + m[ax, 1] * jj + m[ax, 3]
    inside_ij &= (c >= 1) & (c <= src.shape[ax] - 2)
kk = m[2, 2] * np.arange(ref.shape[2]) + m[2, 3]
inside = inside_ij[:, :, None] & ((kk >= 1) & (kk <= src.shape[2] - 2))[None, None, :]
d = np.abs(a - b)
print(f"wall time (median of 3): LesionLink {ll_t:.2f} s, peer {peer_t:.2f} s, ratio {ll_t / peer_t:.2f}")
print(f"peak RSS  (median of 3): LesionLink {ll_m:.0f} MiB, peer {peer_m:.0f} MiB, ratio {ll_m / peer_m:.2f}")
print(f"outputs: same affine {same_affine}; interior ({inside.mean():.1%} of voxels): max |diff| {d[inside].max()}, "
      f"differing {np.count_nonzero(d[inside])}; border band: differing {np.count_nonzero(d[~inside])} of {np.count_nonzero(~inside)}")
PYEOF
