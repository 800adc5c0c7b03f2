#!/usr/bin/env bash
# Ablation benchmark (issue #11): pose update -> metrics on a 60 mm region at 1 mm, 1000 random poses, LesionLink's
# analytic path vs a rasterize + exact-EDT reference (Java, same JVM) and vs scipy.ndimage.distance_transform_edt
# per pose (/usr/bin/python3); plus a 256x256x16 thermometry frame (Java vs numpy). Not a unit test.
# The Java side is a main class under src/test/java run on the test classpath (target/classes, target/test-classes
# and the Maven dependency classpath), so nothing bench-only ships in the jar.
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=/usr/bin/python3
OUT=bench/out/ablation
POSES=${POSES:-1000}
REF_POSES=${REF_POSES:-200}
mkdir -p "$OUT"
[ -d target/test-classes/org/lesionlink/ablation ] || { echo "build first: mvn -B -ntp -q test-compile" >&2; exit 1; }
[ -f "$OUT/cp.txt" ] || mvn -B -ntp -q -o dependency:build-classpath -Dmdep.outputFile="$OUT/cp.txt" >/dev/null
CP="target/classes:target/test-classes:$(cat "$OUT/cp.txt")"
java -Xmx1g -cp "$CP" org.lesionlink.ablation.AblationBench "$OUT" "$POSES" "$REF_POSES"
$PY bench/ablation/peer_margins.py "$OUT" "$REF_POSES"
# Pose in -> metrics out over loopback: serve + the C++ reference-library client, next to the in-process monitor.
CLIENT=target/igtl-ablation-client/igtl_ablation_client
mkdir -p "$(dirname "$CLIENT")"
[ "$CLIENT" -nt src/test/cpp/igtl_ablation_client.cxx ] || g++ -std=c++11 -O1 -I/usr/include/openigtlink \
    src/test/cpp/igtl_ablation_client.cxx -o "$CLIENT" -lOpenIGTLink
java -Xmx1g -cp "$CP" org.lesionlink.server.AblationServeBench "$OUT" "$CLIENT" "${SERVE_POSES:-1000}" 2>/dev/null
