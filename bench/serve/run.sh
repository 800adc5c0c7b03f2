#!/usr/bin/env bash
# Serve benchmark: the segment benchmark's model and case (bench/segment/make_inputs.py; 4 channels,
# 128x128x96), once through `lesionlink segment --no-tta` and RUNS times through `lesionlink serve`
# (tta off, its default) with bench/serve/client.py sending the channels as OpenIGTLink IMAGEs. Reports the
# time from the last IMAGE byte sent to the last labelmap byte received, the server's stage timings, and
# the server's overhead over the segmentation pipeline that `segment` runs.
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=/usr/bin/python3
SEG_OUT=bench/out/segment
OUT=bench/out/serve
JAR=target/lesionlink.jar
RUNS=${RUNS:-4}
mkdir -p "$OUT"
[ -f "$JAR" ] || { echo "build first: mvn -B -ntp -q package -DskipTests" >&2; exit 1; }
[ -f "$SEG_OUT/model/model.json" ] && [ -f "$SEG_OUT/case/t2f.nii.gz" ] || $PY bench/segment/make_inputs.py "$SEG_OUT"
CASE=$SEG_OUT/case
INPUTS=(t1c="$CASE/t1c.nii.gz" t1n="$CASE/t1n.nii.gz" t2w="$CASE/t2w.nii.gz" t2f="$CASE/t2f.nii.gz")

java -jar "$JAR" segment --model "$SEG_OUT/model" --device cpu --no-tta \
    $(printf -- '--input %s ' "${INPUTS[@]}") --output "$OUT/segment.nii.gz" --report "$OUT/segment.json" > /dev/null

mkdir -p "$OUT/models" && ln -sfn "$(pwd)/$SEG_OUT/model" "$OUT/models/bench-unet"
java -jar "$JAR" serve --models "$OUT/models" --storage "$OUT/storage" --igtl-port 0 --http-port -1 --dicom-port -1 \
    --device cpu > "$OUT/serve.log" 2>&1 &
SERVE=$!
trap 'kill $SERVE 2>/dev/null || true' EXIT
for _ in $(seq 100); do grep -qs "OpenIGTLink listening" "$OUT/serve.log" && break; sleep 0.2; done
PORT=$(grep -o "OpenIGTLink listening on [^ ]*" "$OUT/serve.log" | sed 's/.*://')
$PY bench/serve/client.py 127.0.0.1 "$PORT" "$RUNS" "${INPUTS[@]}" > "$OUT/runs.jsonl"
kill $SERVE; wait $SERVE || true
trap - EXIT

$PY - "$OUT" <<'PYEOF'
import json, statistics, sys
out = sys.argv[1]
seg = json.load(open(f"{out}/segment.json"))["timingsMs"]
pipeline = ["check", "crop", "normalise", "resample", "inference", "resample-back", "labels", "postprocess", "restore", "lesions"]
seg_pipe = sum(seg.get(k, 0) for k in pipeline)
runs = [json.loads(l) for l in open(f"{out}/runs.jsonl")]
print(f"segment --no-tta: pipeline stages {seg_pipe} ms of {seg}")
for r in runs:
    t = r["serverTimingsMs"]
    pipe = sum(t.get(k, 0) for k in pipeline)
    print(f"serve run {r['run']}: last IMAGE byte -> last labelmap byte {r['latencyMs']} ms; pipeline {pipe} ms; "
          f"outside the pipeline {r['latencyMs'] - pipe:.0f} ms; stages {t}")
warm = runs[1:] if len(runs) > 1 else runs
lat = statistics.median(r["latencyMs"] for r in warm)
pipe = statistics.median(sum(r["serverTimingsMs"].get(k, 0) for k in pipeline) for r in warm)
print(f"warm median: latency {lat:.0f} ms, serve pipeline {pipe:.0f} ms, segment pipeline {seg_pipe} ms")
print(f"server overhead over its own pipeline: {lat - pipe:.0f} ms ({100 * (lat - pipe) / pipe:.1f} %)")
print(f"latency vs segment's pipeline: {100 * (lat - seg_pipe) / seg_pipe:+.1f} %")
PYEOF
