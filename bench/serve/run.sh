#!/usr/bin/env bash
# Serve benchmark (issue #7): the embedded default brain model (models/brain-mets-demo) on a brain phantom
# case at the model's 2 mm (`lesionlink phantom --kind brain --seed 31337`, 4 int16 channels), once through
# `lesionlink segment --no-tta` and RUNS times through `lesionlink serve` (tta off, its default; the models
# folder as shipped) with bench/serve/client.py sending the channels as OpenIGTLink IMAGEs. Reports the time
# from the last IMAGE byte sent to the last labelmap byte received, the server's stage timings, and the
# server's overhead over the segmentation pipeline that `segment` runs.
# CASE=bench runs the earlier work instead: the segment benchmark's random-weight U-Net and 128x128x96 case
# (bench/segment/make_inputs.py).
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=/usr/bin/python3
OUT=bench/out/serve
JAR=target/lesionlink.jar
RUNS=${RUNS:-4}
mkdir -p "$OUT"
[ -f "$JAR" ] || { echo "build first: mvn -B -ntp -q package -DskipTests" >&2; exit 1; }
if [ "${CASE:-phantom}" = bench ]; then
    SEG_OUT=bench/out/segment
    [ -f "$SEG_OUT/model/model.json" ] && [ -f "$SEG_OUT/case/t2f.nii.gz" ] || $PY bench/segment/make_inputs.py "$SEG_OUT"
    CASE_DIR=$SEG_OUT/case
    INPUTS=(t1c="$CASE_DIR/t1c.nii.gz" t1n="$CASE_DIR/t1n.nii.gz" t2w="$CASE_DIR/t2w.nii.gz" t2f="$CASE_DIR/t2f.nii.gz")
    MODEL=$SEG_OUT/model
    mkdir -p "$OUT/models" && ln -sfn "$(pwd)/$SEG_OUT/model" "$OUT/models/bench-unet"
    MODELS=$OUT/models
else
    CASE_DIR=$OUT/phantom/case000
    [ -f "$CASE_DIR/flair.nii.gz" ] || java -jar "$JAR" phantom --kind brain --cases 1 --seed 31337 --spacing 2 \
        --out "$OUT/phantom" > /dev/null
    INPUTS=(t1="$CASE_DIR/t1.nii.gz" t1c="$CASE_DIR/t1c.nii.gz" t2="$CASE_DIR/t2.nii.gz" flair="$CASE_DIR/flair.nii.gz")
    MODEL=models/brain-mets-demo
    MODELS=models
fi

java -jar "$JAR" segment --model "$MODEL" --device cpu --no-tta \
    $(printf -- '--input %s ' "${INPUTS[@]}") --output "$OUT/segment.nii.gz" --report "$OUT/segment.json" > /dev/null

java -jar "$JAR" serve --models "$MODELS" --storage "$OUT/storage" --igtl-port 0 --http-port -1 --dicom-port -1 \
    --device cpu > "$OUT/serve.log" 2>&1 &
SERVE=$!
trap 'kill $SERVE 2>/dev/null || true' EXIT
for _ in $(seq 600); do grep -qs "OpenIGTLink listening" "$OUT/serve.log" && break; sleep 0.2; done
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
