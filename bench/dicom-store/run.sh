#!/usr/bin/env bash
# C-STORE throughput: LesionLink's storage SCP and SCU against dcmtk's storescp/storescu, same machine, same run.
#
#   bench/dicom-store/run.sh [N_INSTANCES=500] [REPEATS=3]
#   RECV=/dev/shm/dicom-store bench/dicom-store/run.sh     # receivers write to tmpfs (fsync costs nothing there)
#
# 1. SCP: dcmtk storescu sends the same N-slice MR series (256x256 int16, ~128 KB per instance) to dcmtk storescp and
#    to `lesionlink storescp`; ratio of instances/s (LesionLink / storescp).
# 2. SCU: `lesionlink store` and dcmtk storescu send the series to the same dcmtk storescp; ratio of instances/s
#    (LesionLink / storescu). LesionLink's figure includes JVM start-up (wall clock of the command), as storescu's does.
# dcmtk runs with TCP_NODELAY=1 (its fast setting; without it Nagle costs ~50 ms per instance). The best of REPEATS
# runs counts for each side; runs alternate between the two sides. Differences to keep in mind: LesionLink's SCP
# fsyncs every instance and its directory before answering; storescp does not.
set -euo pipefail
N=${1:-500}
REPEATS=${2:-3}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=$ROOT/bench/out/dicom-store
JAR=$ROOT/target/lesionlink.jar
SERIES=$OUT/series-$N
RECV=${RECV:-$OUT}
export TCP_NODELAY=1

command -v storescp >/dev/null && command -v storescu >/dev/null || { echo "needs dcmtk (storescp, storescu)" >&2; exit 1; }
[ -f "$JAR" ] || (cd "$ROOT" && mvn -B -ntp -q package -DskipTests)
mkdir -p "$OUT" "$RECV"
[ -f "$SERIES/mr$(printf %04d "$N").dcm" ] || /usr/bin/python3 "$ROOT/bench/dicom-store/make_series.py" "$SERIES" "$N"
BYTES=$(du -sb "$SERIES" | cut -f1)
echo "receivers write under $RECV ($(df -T "$RECV" 2>/dev/null | awk 'NR==2 {print $2}' || mkdir -p "$RECV"))"

free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 1 200); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.05; done; return 1; }
now() { date +%s.%N; }
rate() { /usr/bin/python3 -c "print('%.1f' % ($N / ($2 - $1)))"; }
best() { printf '%s\n' "$@" | sort -g | tail -1; }

PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

P_DCMTK=$(free_port)
mkdir -p "$RECV/recv-dcmtk"
storescp --aetitle STORESCP --output-directory "$RECV/recv-dcmtk" "$P_DCMTK" > "$OUT/storescp.log" 2>&1 &
PIDS+=($!)
P_LL=$(free_port)
mkdir -p "$RECV/recv-lesionlink"
java -jar "$JAR" storescp --port "$P_LL" --bind 127.0.0.1 --ae-title LESIONLINK --storage "$RECV/recv-lesionlink" \
    > "$OUT/lesionlink-storescp.log" 2>&1 &
PIDS+=($!)
wait_port "$P_DCMTK" && wait_port "$P_LL"

scp_dcmtk=(); scp_ll=(); scu_dcmtk=(); scu_ll=()
for r in $(seq 1 "$REPEATS"); do
  rm -rf "$RECV/recv-dcmtk"/* "$RECV/recv-lesionlink"/*; sync
  t0=$(now); storescu -aec STORESCP 127.0.0.1 "$P_DCMTK" "$SERIES"/*.dcm; t1=$(now)
  scp_dcmtk+=("$(rate "$t0" "$t1")"); scu_dcmtk+=("$(rate "$t0" "$t1")")
  t0=$(now); storescu -aec LESIONLINK 127.0.0.1 "$P_LL" "$SERIES"/*.dcm; t1=$(now)
  scp_ll+=("$(rate "$t0" "$t1")")
  n=$(find "$RECV/recv-lesionlink" -name '*.dcm' | wc -l); [ "$n" -eq "$N" ] || { echo "LesionLink stored $n of $N" >&2; exit 1; }
  rm -rf "$RECV/recv-dcmtk"/*; sync
  t0=$(now); java -jar "$JAR" store --calling-ae LESIONLINK "STORESCP@127.0.0.1:$P_DCMTK" "$SERIES" > "$OUT/store.log" 2>&1; t1=$(now)
  scu_ll+=("$(rate "$t0" "$t1")")
  n=$(ls "$RECV/recv-dcmtk" | wc -l); [ "$n" -eq "$N" ] || { echo "storescp got $n of $N from LesionLink" >&2; exit 1; }
  echo "run $r: SCP storescp ${scp_dcmtk[-1]}/s LesionLink ${scp_ll[-1]}/s | SCU storescu ${scu_dcmtk[-1]}/s LesionLink ${scu_ll[-1]}/s ($(grep -o '[0-9.]* instances/s' "$OUT/store.log") in-process)"
done

B_SCP_D=$(best "${scp_dcmtk[@]}"); B_SCP_L=$(best "${scp_ll[@]}")
B_SCU_D=$(best "${scu_dcmtk[@]}"); B_SCU_L=$(best "${scu_ll[@]}")
echo "series: $N instances, $BYTES bytes"
echo "SCP  (storescu -> X):        storescp $B_SCP_D/s  LesionLink $B_SCP_L/s  ratio LesionLink/storescp $(/usr/bin/python3 -c "print('%.2f' % ($B_SCP_L/$B_SCP_D))")"
echo "SCU  (X -> storescp):        storescu $B_SCU_D/s  LesionLink $B_SCU_L/s  ratio LesionLink/storescu $(/usr/bin/python3 -c "print('%.2f' % ($B_SCU_L/$B_SCU_D))")"
