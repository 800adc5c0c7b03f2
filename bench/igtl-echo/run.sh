#!/usr/bin/env bash
# IMAGE echo benchmark: LesionLink's OpenIGTLink server (`lesionlink igtl-echo`) against an echo server
# built on the reference C++ library (echo_server.cxx, Debian libopenigtlink 1.11), both driven by the
# same C++ client (echo_client.cxx) over loopback: round-trip latency (one message at a time, back to
# back and, for frames, paced at 32 fps) and throughput (up to WINDOW in flight) for 512x512 uint8
# frames and 256^3 int16 volumes. Then CRC-64 throughput of both implementations over the same 256 MiB. Servers run one after the other, in an
# order that rotates each round; the table gives medians over the rounds and LesionLink / reference.
#
#   bench/igtl-echo/run.sh                 (after: mvn -B -ntp -q package -DskipTests)
#   ROUNDS=5 FRAMES=500 VOLUMES=20 WINDOW=4 WARMUP_FRAMES=500 PACED_FRAMES=200 CRC_MIB=256 JAVA_OPTS="" \
#     bench/igtl-echo/run.sh
#   SUMMARY_ONLY=1 bench/igtl-echo/run.sh  (re-reads the last run's results)
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=bench/out/igtl-echo
JAR=target/lesionlink.jar
ROUNDS=${ROUNDS:-5}
FRAMES=${FRAMES:-500}
VOLUMES=${VOLUMES:-20}
WINDOW=${WINDOW:-4}
# The same warm-up for every server. 500 frames lets the JVM compile its hot paths before the timed
# phases, as in a server that has been up for a while; with 50 the JIT still competes for the 2 vCPUs
# during the latency phase.
WARMUP_FRAMES=${WARMUP_FRAMES:-500}
PACED_FRAMES=${PACED_FRAMES:-200}
CRC_MIB=${CRC_MIB:-256}
JAVA_OPTS=${JAVA_OPTS:-}
SERVERS=(lesionlink reference-copy reference-inplace)
mkdir -p "$OUT"

if [ -z "${SUMMARY_ONLY:-}" ]; then
[ -f "$JAR" ] && [ -f target/test-classes/org/lesionlink/bench/Crc64Bench.class ] \
  || { echo "build first: mvn -B -ntp -q package -DskipTests" >&2; exit 1; }
for p in echo_server echo_client crc_bench; do
  g++ -std=c++11 -O2 -pthread -I/usr/include/openigtlink -Ibench/igtl-echo "bench/igtl-echo/$p.cxx" \
      -o "$OUT/$p" -lOpenIGTLink
done
rm -f "$OUT"/client-*.txt "$OUT"/crc-*.txt "$OUT"/server-*.log

free_port() { /usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

wait_for() { # file, pattern, pid: until the server prints that it listens
  for _ in $(seq 1 600); do
    grep -q "$2" "$1" 2>/dev/null && return 0
    kill -0 "$3" 2>/dev/null || { echo "server exited early:" >&2; cat "$1" >&2; return 1; }
    sleep 0.1
  done
  echo "server did not start: $1" >&2; return 1
}

run_server() { # name, round
  local name=$1 round=$2 port log pid
  port=$(free_port)
  log="$OUT/server-$name-$round.log"
  case $name in
    lesionlink)
      # shellcheck disable=SC2086
      java $JAVA_OPTS -jar "$JAR" igtl-echo --port "$port" --bind 127.0.0.1 >"$log" 2>&1 &
      pid=$!; wait_for "$log" "listening on" $pid ;;
    reference-copy)
      "$OUT/echo_server" "$port" --mode copy >"$log" 2>&1 &
      pid=$!; wait_for "$log" LISTENING $pid ;;
    reference-inplace)
      "$OUT/echo_server" "$port" --mode inplace >"$log" 2>&1 &
      pid=$!; wait_for "$log" LISTENING $pid ;;
  esac
  echo "round $round: $name on port $port" >&2
  local rc=0
  "$OUT/echo_client" 127.0.0.1 "$port" --frames "$FRAMES" --volumes "$VOLUMES" --window "$WINDOW" \
      --warmup-frames "$WARMUP_FRAMES" --paced-frames "$PACED_FRAMES" --rate 32 \
      >"$OUT/client-$name-$round.txt" || rc=$?
  # SIGTERM, not SIGINT: background jobs of a non-interactive shell ignore SIGINT. Both run igtl-echo's
  # shutdown hook (clean close, summary line).
  kill -TERM $pid; wait $pid || true
  cat "$OUT/client-$name-$round.txt" >&2
  [ $rc -eq 0 ] || { echo "client failed against $name (exit $rc)" >&2; exit 1; }
}

for round in $(seq 1 "$ROUNDS"); do
  n=${#SERVERS[@]}
  for i in $(seq 0 $((n - 1))); do
    run_server "${SERVERS[$(( (i + round - 1) % n ))]}" "$round"
  done
  if [ $((round % 2)) -eq 1 ]; then
    "$OUT/crc_bench" "$CRC_MIB" 5 >>"$OUT/crc-reference.txt"
    java -cp "$JAR:target/test-classes" org.lesionlink.bench.Crc64Bench "$CRC_MIB" 5 >>"$OUT/crc-lesionlink.txt"
  else
    java -cp "$JAR:target/test-classes" org.lesionlink.bench.Crc64Bench "$CRC_MIB" 5 >>"$OUT/crc-lesionlink.txt"
    "$OUT/crc_bench" "$CRC_MIB" 5 >>"$OUT/crc-reference.txt"
  fi
  tail -n 2 "$OUT/crc-lesionlink.txt" >&2; tail -n 1 "$OUT/crc-reference.txt" >&2
done
fi

/usr/bin/python3 - "$OUT" "${SERVERS[@]}" <<'PYEOF'
import glob, re, statistics as st, sys
out, servers = sys.argv[1], sys.argv[2:]
def kv(line): return dict(re.findall(r"(\w+)=(\S+)", line))
res = {}  # (server, kind, phase) -> list of dicts
for s in servers:
    for f in sorted(glob.glob(f"{out}/client-{s}-*.txt")):
        for line in open(f):
            if line.startswith("RESULT"):
                d = kv(line); res.setdefault((s, d["kind"], d["phase"]), []).append(d)
rounds = len(glob.glob(f"{out}/client-{servers[0]}-*.txt"))
def med(s, kind, phase, key):
    return st.median(float(d[key]) for d in res[(s, kind, phase)])
rows = [("frame", "latency", "p50_ms", "p50 latency, ms", False), ("frame", "latency", "p99_ms", "p99 latency, ms", False),
        ("frame", "latency", "max_ms", "max latency, ms", False),
        ("frame", "paced", "p50_ms", "p50 latency at 32 fps, ms", False), ("frame", "paced", "p99_ms", "p99 latency at 32 fps, ms", False),
        ("frame", "paced", "max_ms", "max latency at 32 fps, ms", False),
        ("frame", "throughput", "fps", "throughput, frames/s", True), ("frame", "throughput", "mbps", "throughput, MB/s", True),
        ("volume", "latency", "p50_ms", "p50 latency, ms", False), ("volume", "latency", "p99_ms", "p99 latency, ms", False),
        ("volume", "throughput", "fps", "throughput, volumes/s", True), ("volume", "throughput", "mbps", "throughput, MB/s", True)]
L, refs = servers[0], servers[1:]
print(f"\nIMAGE echo over loopback, median of {rounds} round(s); ratio = LesionLink / reference "
      "(throughput: > 1 better; latency: < 1 better)\n")
print("| IMAGE | metric | LesionLink | " + " | ".join(refs) + " | " + " | ".join(f"ratio vs {r}" for r in refs) + " |")
print("|---|---|---:|" + "---:|" * (2 * len(refs)))
for kind, phase, key, label, higher in rows:
    if (L, kind, phase) not in res: continue
    v = med(L, kind, phase, key); rv = [med(r, kind, phase, key) for r in refs]
    what = "512x512 uint8" if kind == "frame" else "256^3 int16"
    print(f"| {what} | {label} | {v:.2f} | " + " | ".join(f"{x:.2f}" for x in rv) + " | "
          + " | ".join(f"**{v / x:.2f}**" for x in rv) + " |")
crc = {}
for f in glob.glob(f"{out}/crc-*.txt"):
    for line in open(f):
        d = kv(line); crc.setdefault(d["impl"], []).append(d)
if crc:
    print("\nCRC-64 over %s bytes, GB/s (1e9 bytes/s), median over rounds of the median of 5 runs:\n" %
          next(iter(crc.values()))[0]["bytes"])
    print("| implementation | GB/s | best | CRC |")
    print("|---|---:|---:|---|")
    ref = st.median(float(d["median_gbps"]) for d in crc.get("libOpenIGTLink-1.11", [{"median_gbps": "nan"}]))
    for impl, ds in sorted(crc.items()):
        m = st.median(float(d["median_gbps"]) for d in ds)
        print(f"| {impl} | {m:.3f} ({m / ref:.1f}x the library) | {max(float(d['best_gbps']) for d in ds):.3f} | {ds[0]['crc']} |")
    if len({d["crc"] for ds in crc.values() for d in ds}) != 1: print("\nWARNING: the CRC values differ!")
PYEOF
