#!/usr/bin/env bash
# C-STORE throughput: LesionLink's storage SCP and SCU against dcmtk's storescp/storescu, same machine, same run.
#
#   bench/dicom-store/run.sh [N_INSTANCES=500] [REPEATS=5]
#   RECV=/dev/shm/dicom-store bench/dicom-store/run.sh     # receivers write to tmpfs (fsync costs nothing there)
#   JAR=/path/to/other/lesionlink.jar bench/dicom-store/run.sh   # e.g. an older build, for before/after
#   PAR=4 (default) parallel storescu processes for the multi-association SCP figure (0: skip it)
#   WARMUP=3 (default) untimed passes of the series to every receiver before timing
#   LL_WARMUP=20 (default) further untimed passes to LesionLink's SCP and to the in-JVM SCU (JIT, see below)
#   LL_JAVA_OPTS="-XX:TieredStopAtLevel=1" ...   JVM options for `lesionlink store` (default none: plain java -jar)
#
# 1. SCP: dcmtk storescu sends the same N-slice MR series (256x256 int16, ~128 KB per instance) on one association to
#    three receivers: dcmtk storescp (no fsync), dcmtk storescp made durable (--exec-on-reception runs
#    `sync FILE DIR` synchronously, before the response: fsync of the file and of its directory, plus a fork+exec per
#    instance), and `lesionlink storescp` (durable before success: its write-ahead journal fdatasynced on a disk, file
#    and directory fsynced on tmpfs); ratio of instances/s.
# 2. SCP, PAR associations: PAR storescu processes in parallel, each sending N/PAR instances, to each receiver.
# 3. SCU: dcmtk storescu and three LesionLink senders send the series to the same dcmtk storescp (no fsync); ratio
#    of instances/s (LesionLink / storescu), all wall clock seen by this script: `java -jar lesionlink.jar store`
#    (a fresh JVM, start-up included, as storescu's start is; its own in-process rate is printed too);
#    `scripts/lesionlink store` (the launcher: Class Data Sharing archive, C1 only, serial GC; fresh JVM too); and
#    the product path, LesionLink's SCU in a JVM that is already running (as `serve` sends its SEGs):
#    bench/dicom-store/ScuPasses.java, one process for the whole run, one pass (probe, new association, send,
#    release) per request, its passes alternating with storescu's.
# 4. CPU per instance of the receiving process (utime + stime from /proc/PID/stat around each timed 1-association
#    send): LesionLink's SCP JVM (all its threads, JIT and GC included) and storescp (no fsync).
# Before timing, each receiver gets the series WARMUP times (a running server is warm, the JIT of a fresh JVM is not;
# storescp gets the same passes), and LesionLink's SCP and the in-JVM SCU LL_WARMUP more: with WARMUP=3 alone the SCP
# JVM's C2 compiler still took about a third of its CPU (measured in round 4: the methods run once per instance reach
# C2's thresholds only after several thousand instances). dcmtk runs with TCP_NODELAY=1 (its fast setting; without it Nagle costs ~50 ms per
# instance). Each figure is the median of REPEATS runs; the order of the receivers alternates from run to run (dcmtk
# first in odd runs, LesionLink first in even runs), and the load average is printed with each run: the machine is
# shared, so only ratios from the same run mean anything.
set -euo pipefail
N=${1:-500}
REPEATS=${2:-5}
PAR=${PAR:-4}
WARMUP=${WARMUP:-3}
LL_WARMUP=${LL_WARMUP:-20}
LL_JAVA_OPTS=${LL_JAVA_OPTS:-}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=$ROOT/bench/out/dicom-store
JAR=${JAR:-$ROOT/target/lesionlink.jar}
SERIES=$OUT/series-$N
RECV=${RECV:-$OUT}
export TCP_NODELAY=1

command -v storescp >/dev/null && command -v storescu >/dev/null || { echo "needs dcmtk (storescp, storescu)" >&2; exit 1; }
[ -f "$JAR" ] || (cd "$ROOT" && mvn -B -ntp -q package -DskipTests)
mkdir -p "$OUT" "$RECV"
rm -f "$OUT/scupasses.log"
[ -f "$SERIES/mr$(printf %04d "$N").dcm" ] || /usr/bin/python3 "$ROOT/bench/dicom-store/make_series.py" "$SERIES" "$N"
BYTES=$(du -sb "$SERIES" | cut -f1)
echo "receivers write under $RECV ($(df -T "$RECV" 2>/dev/null | awk 'NR==2 {print $2}')); jar $JAR; load $(cut -d' ' -f1-3 /proc/loadavg)"

free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 1 200); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.05; done; return 1; }
now() { date +%s.%N; }
rate() { /usr/bin/python3 -c "print('%.1f' % ($N / ($2 - $1)))"; }
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
ratio() { /usr/bin/python3 -c "print('%.2f' % ($1/$2))"; }

PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

P_DCMTK=$(free_port)
mkdir -p "$RECV/recv-dcmtk" "$RECV/recv-dcmtk-sync" "$RECV/recv-lesionlink"
storescp --aetitle STORESCP --output-directory "$RECV/recv-dcmtk" "$P_DCMTK" > "$OUT/storescp.log" 2>&1 &
PIDS+=($!)
P_SYNC=$(free_port)
storescp --aetitle STORESCP --output-directory "$RECV/recv-dcmtk-sync" --exec-on-reception "/usr/bin/sync #p/#f #p" \
    --exec-sync "$P_SYNC" > "$OUT/storescp-sync.log" 2>&1 &
PIDS+=($!)
P_LL=$(free_port)
PID_DCMTK=${PIDS[0]}
java -jar "$JAR" storescp --port "$P_LL" --bind 127.0.0.1 --ae-title LESIONLINK --storage "$RECV/recv-lesionlink" \
    > "$OUT/lesionlink-storescp.log" 2>&1 &
PIDS+=($!)
PID_LL=$!
wait_port "$P_DCMTK" && wait_port "$P_SYNC" && wait_port "$P_LL"
# LesionLink's SCU in a running JVM: one pass per line written to it, one line back per pass
coproc SCUW { exec java -cp "$JAR" "$ROOT/bench/dicom-store/ScuPasses.java" "STORESCP@127.0.0.1:$P_DCMTK" "$SERIES" \
    LESIONLINK 2> "$OUT/scupasses.err"; }
PIDS+=("$SCUW_PID")
scu_pass() {
  local line; echo go >&"${SCUW[1]}"
  read -r line <&"${SCUW[0]}" || { echo "ScuPasses ended, see $OUT/scupasses.err" >&2; exit 1; }
  echo "$line" >> "$OUT/scupasses.log"
}
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
HZ=$(getconf CLK_TCK)

clean() { rm -rf "$RECV/recv-dcmtk"/* "$RECV/recv-dcmtk-sync"/* "$RECV/recv-lesionlink"/*; sync; }
# send AE PORT: one storescu, the whole series; sendpar AE PORT: PAR storescu processes, N/PAR instances each
send() { storescu -aec "$1" 127.0.0.1 "$2" "$SERIES"/*.dcm; }
sendpar() {
  local files=("$SERIES"/*.dcm) per=$(( (N + PAR - 1) / PAR )) pids=() k
  for ((k = 0; k < PAR; k++)); do storescu -aec "$1" 127.0.0.1 "$2" "${files[@]:k*per:per}" & pids+=($!); done
  for k in "${pids[@]}"; do wait "$k"; done
}
count_ll() { find "$RECV/recv-lesionlink" -name '*.dcm' | wc -l; }
check() { [ "$2" -eq "$N" ] || { echo "$1 stored $2 of $N" >&2; exit 1; }; }

clean
for ((w = 0; w < WARMUP; w++)); do   # warm-up, not timed
  clean; send STORESCP "$P_DCMTK"; send STORESCP "$P_SYNC"; send LESIONLINK "$P_LL"; scu_pass
done
for ((w = 0; w < LL_WARMUP; w++)); do clean; send LESIONLINK "$P_LL"; clean; scu_pass; done
clean
# the launcher's first run of a jar writes its class data archive: not timed
LESIONLINK_JAR=$JAR "$ROOT/scripts/lesionlink" store --calling-ae LESIONLINK "STORESCP@127.0.0.1:$P_DCMTK" "$SERIES" \
    > "$OUT/store-launcher.log" 2>&1

scp_d=(); scp_s=(); scp_l=(); par_d=(); par_s=(); par_l=(); scu_d=(); scu_l=(); scu_in=(); scu_c=(); scu_w=()
cpu_d=(); cpu_l=()
# timed SEND_FN AE PORT ARRAY: runs one send, appends its rate to ARRAY
timed() { local t0 t1; t0=$(now); "$1" "$2" "$3"; t1=$(now); eval "$4+=(\"\$(rate $t0 $t1)\")"; }
# cpu PID ARRAY SEND_FN AE PORT RATE_ARRAY: timed send, and the receiver's CPU ms per instance appended to ARRAY
cpu() {
  local c0 c1 v; c0=$(ticks "$1"); timed "$3" "$4" "$5" "$6"; c1=$(ticks "$1")
  v=$(/usr/bin/python3 -c "print('%.3f' % (($c1 - $c0) * 1000 / $HZ / $N))")
  eval "$2+=(\"\$v\")"
}
scu_dcmtk() { rm -rf "$RECV/recv-dcmtk"/*; sync; timed send STORESCP "$P_DCMTK" scu_d; }
scu_ll() {
  rm -rf "$RECV/recv-dcmtk"/*; sync
  local t0 t1; t0=$(now)
  java $LL_JAVA_OPTS -jar "$JAR" store --calling-ae LESIONLINK "STORESCP@127.0.0.1:$P_DCMTK" "$SERIES" > "$OUT/store.log" 2>&1
  t1=$(now)
  scu_l+=("$(rate "$t0" "$t1")"); scu_in+=("$(grep -o '[0-9.]* instances/s' "$OUT/store.log" | cut -d' ' -f1)")
  check "storescp (from LesionLink)" "$(ls "$RECV/recv-dcmtk" | wc -l)"
}
scu_launcher() {
  rm -rf "$RECV/recv-dcmtk"/*; sync
  local t0 t1; t0=$(now)
  LESIONLINK_JAR=$JAR "$ROOT/scripts/lesionlink" store --calling-ae LESIONLINK "STORESCP@127.0.0.1:$P_DCMTK" "$SERIES" \
      > "$OUT/store-launcher.log" 2>&1
  t1=$(now)
  scu_c+=("$(rate "$t0" "$t1")")
  check "storescp (from the launcher)" "$(ls "$RECV/recv-dcmtk" | wc -l)"
}
scu_warm() {
  rm -rf "$RECV/recv-dcmtk"/*; sync
  local t0 t1; t0=$(now); scu_pass; t1=$(now)
  scu_w+=("$(rate "$t0" "$t1")")
  check "storescp (from the running JVM)" "$(ls "$RECV/recv-dcmtk" | wc -l)"
}
for r in $(seq 1 "$REPEATS"); do
  clean
  if ((r % 2)); then
    cpu "$PID_DCMTK" cpu_d send STORESCP "$P_DCMTK" scp_d; timed send STORESCP "$P_SYNC" scp_s
    cpu "$PID_LL" cpu_l send LESIONLINK "$P_LL" scp_l
  else
    cpu "$PID_LL" cpu_l send LESIONLINK "$P_LL" scp_l; timed send STORESCP "$P_SYNC" scp_s
    cpu "$PID_DCMTK" cpu_d send STORESCP "$P_DCMTK" scp_d
  fi
  check LesionLink "$(count_ll)"; check "storescp (sync)" "$(ls "$RECV/recv-dcmtk-sync" | wc -l)"
  line="run $r: SCP 1 assoc: storescp ${scp_d[-1]}/s storescp+sync ${scp_s[-1]}/s LesionLink ${scp_l[-1]}/s"
  if [ "$PAR" -gt 0 ]; then
    clean
    if ((r % 2)); then
      timed sendpar STORESCP "$P_DCMTK" par_d; timed sendpar STORESCP "$P_SYNC" par_s; timed sendpar LESIONLINK "$P_LL" par_l
    else
      timed sendpar LESIONLINK "$P_LL" par_l; timed sendpar STORESCP "$P_SYNC" par_s; timed sendpar STORESCP "$P_DCMTK" par_d
    fi
    check "LesionLink ($PAR assoc)" "$(count_ll)"; check "storescp ($PAR assoc)" "$(ls "$RECV/recv-dcmtk" | wc -l)"
    line+=" | $PAR assoc: storescp ${par_d[-1]}/s storescp+sync ${par_s[-1]}/s LesionLink ${par_l[-1]}/s"
  fi
  if ((r % 2)); then scu_dcmtk; scu_warm; scu_launcher; scu_ll; else scu_ll; scu_launcher; scu_warm; scu_dcmtk; fi
  line+=" | CPU ms/instance: storescp ${cpu_d[-1]} LesionLink ${cpu_l[-1]}"
  echo "$line | SCU storescu ${scu_d[-1]}/s LesionLink: running JVM ${scu_w[-1]}/s, launcher ${scu_c[-1]}/s," \
      "java -jar ${scu_l[-1]}/s (${scu_in[-1]}/s in-process) | load $(cut -d' ' -f1 /proc/loadavg)"
done

echo "series: $N instances, $BYTES bytes; median of $REPEATS; load at the end $(cut -d' ' -f1-3 /proc/loadavg)"
M_D=$(median "${scp_d[@]}"); M_S=$(median "${scp_s[@]}"); M_L=$(median "${scp_l[@]}")
echo "SCP 1 assoc:  storescp $M_D/s  storescp+sync $M_S/s  LesionLink $M_L/s  ratio LL/storescp $(ratio "$M_L" "$M_D")  LL/storescp+sync $(ratio "$M_L" "$M_S")"
if [ "$PAR" -gt 0 ]; then
  M_D=$(median "${par_d[@]}"); M_S=$(median "${par_s[@]}"); M_L=$(median "${par_l[@]}")
  echo "SCP $PAR assoc:  storescp $M_D/s  storescp+sync $M_S/s  LesionLink $M_L/s  ratio LL/storescp $(ratio "$M_L" "$M_D")  LL/storescp+sync $(ratio "$M_L" "$M_S")"
fi
M_CD=$(median "${cpu_d[@]}"); M_CL=$(median "${cpu_l[@]}")
echo "SCP CPU per instance (receiving process, 1 assoc):  storescp $M_CD ms  LesionLink $M_CL ms  ratio LL/storescp $(ratio "$M_CL" "$M_CD")"
M_SD=$(median "${scu_d[@]}"); M_SL=$(median "${scu_l[@]}"); M_SI=$(median "${scu_in[@]}")
M_SW=$(median "${scu_w[@]}"); M_SC=$(median "${scu_c[@]}")
echo "SCU (X -> storescp):  storescu $M_SD/s"
echo "  LesionLink in a running JVM $M_SW/s  ratio $(ratio "$M_SW" "$M_SD")"
echo "  scripts/lesionlink store (CDS, C1) $M_SC/s  ratio $(ratio "$M_SC" "$M_SD")"
echo "  java -jar store $M_SL/s (wall, JVM start included; $M_SI/s in-process)  ratio $(ratio "$M_SL" "$M_SD") (in-process $(ratio "$M_SI" "$M_SD"))"
