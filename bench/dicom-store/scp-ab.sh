#!/usr/bin/env bash
# SCP only, A/B: dcmtk storescp and one or two builds of `lesionlink storescp` running side by side, dcmtk storescu
# sending the same N-instance series (one association) to each in turn, the order rotating from repetition to
# repetition. Per send: instances/s, the receiver's CPU per instance (utime + stime of the whole process) and its
# context switches per instance (voluntary + involuntary, summed over all its threads: each is a thread going to
# sleep or being put off a CPU, the cost round 5 of docs/benchmarks.md is about). Prints every send, then the
# medians and the per-repetition ratios (each build against storescp of the same repetition, B against A).
#
#   bench/dicom-store/scp-ab.sh                                          # target/lesionlink.jar against storescp
#   JAR_A=/tmp/main/lesionlink.jar JAR_B=target/lesionlink.jar bench/dicom-store/scp-ab.sh [N=500] [REPEATS=8]
#   RECV=/dev/shm/x ...        receivers write under RECV (default: bench/out/dicom-store/scp-ab, the disk)
#   WARMUP=20 (default)        untimed sends to every receiver first (the JIT of a fresh JVM, see run.sh)
#   PAR=4                      each send as PAR storescu processes in parallel (PAR associations; default 1)
set -euo pipefail
N=${1:-500}
REPEATS=${2:-8}
WARMUP=${WARMUP:-20}
PAR=${PAR:-1}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=$ROOT/bench/out/dicom-store
JAR_A=${JAR_A:-$ROOT/target/lesionlink.jar}
JAR_B=${JAR_B:-}
SERIES=$OUT/series-$N
RECV=${RECV:-$OUT/scp-ab}
export TCP_NODELAY=1

command -v storescp >/dev/null && command -v storescu >/dev/null || { echo "needs dcmtk (storescp, storescu)" >&2; exit 1; }
[ -f "$JAR_A" ] || (cd "$ROOT" && mvn -B -ntp -q package -DskipTests)
mkdir -p "$OUT"
[ -f "$SERIES/mr$(printf %04d "$N").dcm" ] || /usr/bin/python3 "$ROOT/bench/dicom-store/make_series.py" "$SERIES" "$N"
rm -rf "$RECV"
free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 1 200); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.05; done; return 1; }

NAMES=(); PIDS=(); PORTS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
receiver() { # NAME COMMAND...: starts a receiver on a free port (the command gets PORT and DIR appended as told)
  local name=$1 port; shift; port=$(free_port); mkdir -p "$RECV/$name"
  case $1 in
    storescp) storescp --aetitle STORESCP --output-directory "$RECV/$name" "$port" > "$OUT/scp-ab-$name.log" 2>&1 & ;;
    *) java -jar "$1" storescp --port "$port" --bind 127.0.0.1 --ae-title LESIONLINK --storage "$RECV/$name" \
         > "$OUT/scp-ab-$name.log" 2>&1 & ;;
  esac
  PIDS+=($!); NAMES+=("$name"); PORTS+=("$port")
}
receiver storescp storescp
receiver A "$JAR_A"
[ -z "$JAR_B" ] || receiver B "$JAR_B"
for p in "${PORTS[@]}"; do wait_port "$p"; done
K=${#NAMES[@]}
echo "$PAR association(s) per send; receivers write under $RECV ($(df -T "$RECV" | awk 'NR==2 {print $2}')); A=$JAR_A${JAR_B:+ B=$JAR_B}; load $(cut -d' ' -f1-3 /proc/loadavg)"

switches() { cat /proc/"$1"/task/*/status 2>/dev/null | awk '/^(non)?voluntary_ctxt_switches/ {s += $2} END {print s}'; }
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
HZ=$(getconf CLK_TCK)
clean() { for n in "${NAMES[@]}"; do rm -rf "${RECV:?}/$n"/*; done; }
send() { # PAR associations, each with every PAR-th file
  local files=("$SERIES"/*.dcm) k pids=()
  for ((k = 0; k < PAR; k++)); do
    storescu -aec X 127.0.0.1 "$1" $(for ((f = k; f < ${#files[@]}; f += PAR)); do echo "${files[$f]}"; done) &
    pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p"; done
}
count() { find "$RECV/$1" -name '*.dcm' -o -name 'MR*' | wc -l; }

for ((w = 0; w < WARMUP; w++)); do clean; for p in "${PORTS[@]}"; do send "$p"; done; done
LINES=()
for ((r = 0; r < REPEATS; r++)); do
  clean
  for ((j = 0; j < K; j++)); do
    i=$(( (j + r) % K )); pid=${PIDS[$i]}
    c0=$(ticks "$pid"); s0=$(switches "$pid"); t0=$(date +%s.%N)
    send "${PORTS[$i]}"
    t1=$(date +%s.%N); c1=$(ticks "$pid"); s1=$(switches "$pid")
    [ "$(count "${NAMES[$i]}")" -eq "$N" ] || { echo "${NAMES[$i]} stored $(count "${NAMES[$i]}") of $N" >&2; exit 1; }
    line=$(/usr/bin/python3 -c "print('$r ${NAMES[$i]} %.1f %.3f %.2f' % ($N / ($t1 - $t0), ($c1 - $c0) * 1000 / $HZ / $N, ($s1 - $s0) / $N))")
    echo "rep $line (instances/s, CPU ms and context switches per instance)"; LINES+=("$line")
  done
done
printf '%s\n' "${LINES[@]}" | /usr/bin/python3 -c '
import sys, statistics as st
rows = [l.split() for l in sys.stdin]
names = list(dict.fromkeys(r[1] for r in rows))
reps = {}
for r in rows:
    reps.setdefault(r[0], {})[r[1]] = float(r[2])
for n in names:
    rate, cpu, sw = ([float(r[k]) for r in rows if r[1] == n] for k in (2, 3, 4))
    print("%-8s median %6.0f instances/s (%.0f-%.0f)  CPU %.2f ms/instance  context switches %.1f/instance"
          % (n, st.median(rate), min(rate), max(rate), st.median(cpu), st.median(sw)))
pairs = [(n, "storescp") for n in names if n != "storescp"] + ([("B", "A")] if "B" in names else [])
for a, b in pairs:
    q = sorted(v[a] / v[b] for v in reps.values())
    print("%s / %s per repetition: median %.2f (%.2f-%.2f)" % (a, b, st.median(q), q[0], q[-1]))
'
