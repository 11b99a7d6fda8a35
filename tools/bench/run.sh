#!/usr/bin/env bash
# The whole benchmark in one command (docs/benchmarks.md):
#
#   tools/bench/run.sh           full run: writes the table into docs/benchmarks.md and the
#                                chart into docs/benchmarks.png (about 15 minutes)
#   tools/bench/run.sh --smoke   every step, seconds-long (about 20 s once built), for CI;
#                                writes only under the output folder, never docs/
#
# Installs what is missing (Debian 12, as root), builds rhc-bench, rhc-bench-curl,
# rhc-bench-storm and rhc-bench-hedge in a release build directory, starts nginx (and the slow
# server for the RSS run) on loopback pinned to one CPU, and runs every client pinned to the
# other.
#
# Environment (defaults: full run / --smoke):
#   BENCH_WARMUP       seconds of warm-up before each measured window    1 / 0.1
#   BENCH_DURATION     seconds measured per run (wrk: rounded, >= 1)     5 / 0.3
#   BENCH_REPS         repetitions of each cell (the table shows medians) 3 / 1
#   BENCH_CONCURRENCY  concurrencies on /msg                             "1 64 256" / "8"
#   BENCH_BIG_CONCURRENCY  concurrencies on the 16 KiB body ("" skips)   "64" / "8"
#   BENCH_CLIENTS      clients measured
#                      "wrk raw raw-tuned threads futures callbacks futures-threads"
#                      / the same and "futures-listener futures-slow-listener" (issue 15's
#                      event listeners: a full run takes these two only when named)
#   BENCH_FAILFAST_C   concurrencies of the fail-fast run (rhc-bench open-breaker: calls
#                      refused by an open breaker; "" skips)                  "1" / "1"
#   BENCH_CALLGRIND_CLIENTS  clients run under callgrind                 "raw raw-tuned futures"
#   BENCH_CALLGRIND_C  concurrency of the callgrind runs                 64 / 8
#   BENCH_CALLGRIND_N  the two request counts of the callgrind runs      "2000 12000" / "50 150"
#   BENCH_SETTINGS     raw loop variants (--libcurl) under callgrind at c=1 ("" skips)
#                      "none proxy proxy,curlu proxy,ua proxy,xid proxy,hdr proxy,hfn
#                       proxy,enc proxy,gzip proxy,fresh proxy,curlu,ua,hdr,hfn,gzip
#                       proxy,curlu,ua,hdr,hfn,gzip,fresh" / ""
#   BENCH_SETTINGS_N   their two request counts                          "300 900"
#   BENCH_RSS_INFLIGHT requests in flight in the RSS run ("0" skips)     10000 / 200
#   BENCH_BUILD_DIR    meson build directory                             build-bench
#   BENCH_OUT          where raw results go                              $BENCH_BUILD_DIR/bench-results[-smoke]
#   BENCH_PORT, BENCH_SLOW_PORT   loopback ports of nginx and the slow server   28080, 28081
#   BENCH_NICE         niceness of servers and clients (auto: -10 as root, else 0)
#   BENCH_WRITE_DOCS   1: update docs/benchmarks.md and docs/benchmarks.png     1 / 0
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD

SMOKE=0
case "${1:-}" in
  --smoke) SMOKE=1 ;;
  "") ;;
  *) echo "usage: tools/bench/run.sh [--smoke]" >&2; exit 2 ;;
esac

if [ "$SMOKE" = 1 ]; then
  WARMUP=${BENCH_WARMUP:-0.1}; DURATION=${BENCH_DURATION:-0.3}; REPS=${BENCH_REPS:-1}
  CONCURRENCY=${BENCH_CONCURRENCY:-"8"}; BIG_CONCURRENCY=${BENCH_BIG_CONCURRENCY-"8"}
  CG_C=${BENCH_CALLGRIND_C:-8}; CG_N=${BENCH_CALLGRIND_N:-"50 150"}
  RSS_INFLIGHT=${BENCH_RSS_INFLIGHT:-200}; WRITE_DOCS=${BENCH_WRITE_DOCS:-0}
else
  WARMUP=${BENCH_WARMUP:-1}; DURATION=${BENCH_DURATION:-5}; REPS=${BENCH_REPS:-3}
  CONCURRENCY=${BENCH_CONCURRENCY:-"1 64 256"}; BIG_CONCURRENCY=${BENCH_BIG_CONCURRENCY-"64"}
  CG_C=${BENCH_CALLGRIND_C:-64}; CG_N=${BENCH_CALLGRIND_N:-"2000 12000"}
  RSS_INFLIGHT=${BENCH_RSS_INFLIGHT:-10000}; WRITE_DOCS=${BENCH_WRITE_DOCS:-1}
fi
CLIENTS=${BENCH_CLIENTS:-"wrk raw raw-tuned threads futures callbacks futures-threads"}
if [ "$SMOKE" = 1 ]; then CLIENTS=${BENCH_CLIENTS:-"$CLIENTS futures-listener futures-slow-listener"}; fi
CG_CLIENTS=${BENCH_CALLGRIND_CLIENTS:-"raw raw-tuned futures"}
FAILFAST_C=${BENCH_FAILFAST_C-"1"}
if [ "$SMOKE" = 1 ]; then SETTINGS=${BENCH_SETTINGS-""}; else
  SETTINGS=${BENCH_SETTINGS-"none proxy proxy,curlu proxy,ua proxy,xid proxy,hdr proxy,hfn proxy,enc proxy,gzip proxy,fresh proxy,curlu,ua,hdr,hfn,gzip proxy,curlu,ua,hdr,hfn,gzip,fresh"}
fi
SETTINGS_N=${BENCH_SETTINGS_N:-"300 900"}
BUILD_DIR=${BENCH_BUILD_DIR:-build-bench}
if [ "$SMOKE" = 1 ]; then OUT=${BENCH_OUT:-$BUILD_DIR/bench-results-smoke}
else OUT=${BENCH_OUT:-$BUILD_DIR/bench-results}; fi
PORT=${BENCH_PORT:-28080}
SLOW_PORT=${BENCH_SLOW_PORT:-28081}
NGINX_PREFIX=/tmp/rhc-bench-nginx.$$

log() { echo "== $*" >&2; }

# On a shared machine, a higher priority for servers and clients keeps other work (builds,
# test suites) from deciding the result; the noise columns still show what else ran. Linux
# weighs CPU between sessions first (sched_autogroup), so plain nice does not help against
# another session's build: the run moves into a session of its own and raises that.
NICE=${BENCH_NICE:-auto}
if [ "$NICE" = auto ]; then if [ "$(id -u)" -eq 0 ]; then NICE=-10; else NICE=0; fi; fi
if [ "$NICE" != 0 ] && [ -z "${RHC_BENCH_SESSION:-}" ] && command -v setsid >/dev/null &&
   [ "$(cat /proc/sys/kernel/sched_autogroup_enabled 2>/dev/null)" = 1 ]; then
  RHC_BENCH_SESSION=1 setsid -w "$ROOT/tools/bench/run.sh" "$@" &
  inner=$!
  trap 'kill -TERM "$inner" 2>/dev/null' INT TERM
  wait "$inner"
  exit $?
fi
if [ -n "${RHC_BENCH_SESSION:-}" ]; then
  echo "$NICE" >/proc/self/autogroup 2>/dev/null || true
fi

# ---- packages: the benchmark's own, and the build's (the list tools/dev.sh installs)
PACKAGES=(nginx-light wrk gnuplot-nox valgrind
  meson ninja-build pkg-config g++ python3 libcurl4-openssl-dev libssl-dev rapidjson-dev
  libgoogle-glog-dev catch2 libcpp-httplib-dev libcli11-dev curl)
install_missing() { "$ROOT/tools/dev/install-missing.sh" "${PACKAGES[@]}"; }
install_missing

# ---- build
if [ ! -f "$BUILD_DIR/build.ninja" ]; then
  meson setup "$BUILD_DIR" -Dbuildtype=release -Dwerror=true >/dev/null
fi
log "building in $BUILD_DIR"
meson compile -C "$BUILD_DIR" rhc-bench-curl rhc-bench rhc-bench-storm rhc-bench-hedge >/dev/null
# The tree the binaries were built from (others may commit while the run goes on).
BUILT_FROM=$(git rev-parse --short HEAD 2>/dev/null || echo '?')
if [ -n "$(git status --porcelain -- lib include 2>/dev/null)" ]; then
  BUILT_FROM="$BUILT_FROM + uncommitted changes in lib/ or include/"
fi
case "$BUILD_DIR" in /*) BUILD_PATH=$BUILD_DIR ;; *) BUILD_PATH=$ROOT/$BUILD_DIR ;; esac
BENCH_CURL=$BUILD_PATH/tools/bench/rhc-bench-curl
BENCH_RHC=$BUILD_PATH/tools/bench/rhc-bench
BENCH_STORM=$BUILD_PATH/tools/bench/rhc-bench-storm
BENCH_HEDGE=$BUILD_PATH/tools/bench/rhc-bench-hedge
binary_of() { case "$1" in raw|raw-tuned|threads) echo "$BENCH_CURL" ;; *) echo "$BENCH_RHC" ;; esac; }

# ---- CPUs: server on the first, clients on the second, when there are two
SERVER_PIN=(); CLIENT_PIN=()
if [ "$(nproc)" -ge 2 ] && taskset -c 1 true 2>/dev/null; then
  SERVER_PIN=(taskset -c 0); CLIENT_PIN=(taskset -c 1)
  PINNING="server on CPU 0, client on CPU 1 (taskset)"
else
  PINNING="not pinned (fewer than 2 CPUs, or taskset refused)"
fi
if [ "$NICE" != 0 ] && nice -n "$NICE" true 2>/dev/null; then
  SERVER_PIN=(nice -n "$NICE" "${SERVER_PIN[@]}"); CLIENT_PIN=(nice -n "$NICE" "${CLIENT_PIN[@]}")
  PINNING="$PINNING, nice $NICE"
  if [ -n "${RHC_BENCH_SESSION:-}" ]; then PINNING="$PINNING (own scheduler autogroup)"; fi
fi
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

rm -rf "$OUT"
mkdir -p "$OUT"
RUNS=$OUT/runs.jsonl
: >"$RUNS"

# ---- servers
PIDS=()
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$NGINX_PREFIX"
}
trap cleanup EXIT
trap 'exit 143' INT TERM

wait_for_port() {
  local _
  for _ in $(seq 1 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.05
  done
  echo "nothing listens on 127.0.0.1:$1" >&2
  return 1
}

mkdir -p "$NGINX_PREFIX/tmp" "$NGINX_PREFIX/www"
sed -e "s|@PREFIX@|$NGINX_PREFIX|g" -e "s|@PORT@|$PORT|g" \
  tools/bench/nginx/nginx.conf.in >"$NGINX_PREFIX/nginx.conf"
python3 tools/bench/make_body.py 16384 >"$NGINX_PREFIX/www/big.json"
"${SERVER_PIN[@]}" nginx -p "$NGINX_PREFIX" -c "$NGINX_PREFIX/nginx.conf" \
  -e "$NGINX_PREFIX/error.log" &
NGINX_MASTER=$!
PIDS+=("$NGINX_MASTER")
wait_for_port "$PORT"
NGINX_WORKER=$(pgrep -P "$NGINX_MASTER" | head -1)
curl -fsS "http://127.0.0.1:$PORT/msg" >/dev/null
log "nginx on 127.0.0.1:$PORT (worker $NGINX_WORKER); $PINNING"

# ---- what the machine and the server did during one run
CLK_TCK=$(getconf CLK_TCK)
machine_busy_ticks() {  # all CPUs: everything but idle and iowait
  awk '/^cpu /{print $2+$3+$4+$7+$8+$9; exit}' /proc/stat
}
process_ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }

# measure BODY CLIENT CONCURRENCY REP: one measured run, one line appended to runs.jsonl:
# the client's own JSON result plus what the server and the rest of the machine used.
measure() {
  local body=$1 client=$2 c=$3 rep=$4 url="http://127.0.0.1:$PORT/$1" result
  local busy0 srv0 busy1 srv1 t0 t1 timing
  if [ "$client" = wrk ]; then
    # wrk has no warm-up of its own (a separate run is one) and takes whole seconds.
    local warm dur
    warm=$(awk "BEGIN { print int($WARMUP + 0.5) }")
    dur=$(awk "BEGIN { d = int($DURATION + 0.5); print d < 1 ? 1 : d }")
    if [ "$warm" -gt 0 ]; then "${CLIENT_PIN[@]}" wrk -t1 -c"$c" -d"${warm}s" "$url" >/dev/null; fi
  fi
  busy0=$(machine_busy_ticks); srv0=$(process_ticks "$NGINX_WORKER"); t0=$(date +%s.%N)
  local TIMEFORMAT='%3U %3S'
  if [ "$client" = wrk ]; then
    { time "${CLIENT_PIN[@]}" wrk -t1 -c"$c" -d"${dur}s" --latency "$url" >"$OUT/wrk.out"; } \
      2>"$OUT/time.out"
    result=$(python3 tools/bench/report.py wrk-json "$OUT/wrk.out" "$c" "$OUT/time.out")
  else
    { time "${CLIENT_PIN[@]}" "$(binary_of "$client")" "$client" --url "$url" -c "$c" \
        --warmup "$WARMUP" -d "$DURATION" >"$OUT/client.out"; } 2>"$OUT/time.out"
    result=$(cat "$OUT/client.out")
  fi
  t1=$(date +%s.%N); busy1=$(machine_busy_ticks); srv1=$(process_ticks "$NGINX_WORKER")
  timing=$(tail -1 "$OUT/time.out")
  # The listener clients' "events: delivered N, dropped M" line (stderr, before the timing).
  if grep -q '^events:' "$OUT/time.out"; then
    grep '^events:' "$OUT/time.out" | sed "s|^|$client $body c=$c rep $rep: |" |
      tee -a "$OUT/events.txt" >&2
  fi
  awk -v body="$body" -v rep="$rep" -v t0="$t0" -v t1="$t1" -v timing="$timing" \
    -v srv="$((srv1 - srv0))" -v busy="$((busy1 - busy0))" -v hz="$CLK_TCK" -v result="$result" \
    'BEGIN { split(timing, cpu, " ");
      printf "{\"body\":\"%s\",\"rep\":%d,\"wall_s\":%.3f,\"process_cpu_s\":%.3f,", body, rep, t1 - t0, cpu[1] + cpu[2];
      printf "\"server_cpu_s\":%.3f,\"machine_busy_s\":%.3f,\"result\":%s}\n", srv / hz, busy / hz, result }' >>"$RUNS"
  echo "$result" | python3 tools/bench/report.py brief "$body" >&2
}

# ---- throughput and latency: reps interleaved, so drift hits every client alike
for rep in $(seq 1 "$REPS"); do
  for c in $CONCURRENCY; do
    for client in $CLIENTS; do measure msg "$client" "$c" "$rep"; done
  done
  for c in $BIG_CONCURRENCY; do
    for client in $CLIENTS; do measure big "$client" "$c" "$rep"; done
  done
done

# ---- fail fast: calls refused by an open circuit breaker, each timed on the caller's thread
# from the call to the CircuitOpenError (the client opens its breaker against a loopback port
# of its own that refuses connections, so nginx sees none of these calls)
for rep in $(seq 1 "$REPS"); do
  for c in $FAILFAST_C; do
    if ! "${CLIENT_PIN[@]}" "$BENCH_RHC" open-breaker --url "http://127.0.0.1:$PORT/msg" \
        -c "$c" --warmup "$WARMUP" -d "$DURATION" >"$OUT/client.out" 2>"$OUT/client.err"; then
      cat "$OUT/client.out" "$OUT/client.err" >&2
      exit 1
    fi
    cat "$OUT/client.out" >>"$OUT/failfast.jsonl"
    # "breaker: N calls refused; stats().breaker_rejections M": every refusal still counted
    { grep '^breaker:' "$OUT/client.err" || true; } | sed "s|^|open-breaker c=$c rep $rep: |" |
      tee -a "$OUT/failfast.txt" >&2
    python3 tools/bench/report.py brief refused <"$OUT/client.out" >&2
  done
done

# ---- instructions per request: two counted runs under callgrind, the difference cancels
# start-up and shutdown
read -r CG_N1 CG_N2 <<<"$CG_N"
for client in $CG_CLIENTS; do
  for n in $CG_N1 $CG_N2; do
    log "callgrind $client -c $CG_C -n $n"
    "${CLIENT_PIN[@]}" valgrind --tool=callgrind --callgrind-out-file="$OUT/callgrind.$client.$n" \
      "$(binary_of "$client")" "$client" --url "http://127.0.0.1:$PORT/msg" -c "$CG_C" -n "$n" \
      >"$OUT/callgrind.$client.$n.json" 2>"$OUT/callgrind.$client.$n.log"
  done
  if [ "$SMOKE" = 0 ]; then
    # For reading by hand: the longer run's profile, and the per-request difference.
    callgrind_annotate --inclusive=yes "$OUT/callgrind.$client.$CG_N2" \
      >"$OUT/callgrind.$client.inclusive.txt" 2>/dev/null || true
    python3 tools/bench/callgrind_diff.py "$OUT/callgrind.$client.$CG_N1" "$CG_N1" \
      "$OUT/callgrind.$client.$CG_N2" "$CG_N2" --inclusive 'rhc::|curl_' \
      >"$OUT/callgrind.$client.per-request.txt" 2>/dev/null || true
  fi
done

# ---- what single libcurl settings cost per request: the raw loop at c=1 (one request per
# loop turn, so the counts barely move between runs) with settings added one at a time
if [ -n "$SETTINGS" ]; then
  for settings in $SETTINGS; do
    name=${settings//,/+}
    [ "$settings" = none ] && settings=""
    log "callgrind raw --libcurl '$settings'"
    for n in $SETTINGS_N; do
      "${CLIENT_PIN[@]}" valgrind --tool=callgrind \
        --callgrind-out-file="$OUT/settings.$name.$n" "$BENCH_CURL" raw --libcurl "$settings" \
        --url "http://127.0.0.1:$PORT/msg" -c 1 -n "$n" >/dev/null 2>&1
    done
  done
fi

# ---- RSS per request in flight, against the slow server in its own process
if [ "$RSS_INFLIGHT" -gt 0 ]; then
  if [ "$SMOKE" = 1 ]; then HOLD_MS=300; else HOLD_MS=1500; fi
  "${SERVER_PIN[@]}" "$BENCH_CURL" slow-server --port "$SLOW_PORT" \
    --release-after "$RSS_INFLIGHT" --delay-ms "$HOLD_MS" >"$OUT/slow-server.log" &
  PIDS+=("$!")
  wait_for_port "$SLOW_PORT"
  for rep in $(seq 1 "$REPS"); do
    for client in raw futures; do
      log "rss $client: $RSS_INFLIGHT in flight"
      "${CLIENT_PIN[@]}" "$(binary_of "$client")" "$client" \
        --url "http://127.0.0.1:$SLOW_PORT/slow" --rss "$RSS_INFLIGHT" >>"$OUT/rss.jsonl"
    done
  done
fi

# ---- retry storms (docs/benchmarks.md "Retry storms"): the full run's table is made by hand
# (about 40 s, plus minutes with --real-waits); the smoke only checks it runs, in about 3 s.
if [ "$SMOKE" = 1 ]; then
  log "retry storms: 200 requests per cell"
  "${CLIENT_PIN[@]}" "$BENCH_STORM" -n 200 >"$OUT/storm.md"
fi

# ---- hedging (docs/benchmarks.md "Hedging (tail latency)"): the full run's table is made by
# hand (rhc-bench-hedge, about 40 s for 3 repetitions); the smoke only checks it runs, in
# about a second, and checks no target.
if [ "$SMOKE" = 1 ]; then
  log "hedging: 1000 requests per column"
  "${CLIENT_PIN[@]}" "$BENCH_HEDGE" --smoke >"$OUT/hedge.md"
fi

# ---- versions and machine
{
  echo "date=$(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "rhc=$("$BENCH_RHC" --version | head -1) (built from git $BUILT_FROM)"
  echo "libcurl=$("$BENCH_CURL" --version | head -1)"
  echo "nginx=$(nginx -v 2>&1 | sed 's/^nginx version: //')"
  echo "wrk=$(wrk -v 2>&1 | head -1 | awk '{print $1, $2}')"
  echo "compiler=$(c++ --version | head -1)"
  echo "valgrind=$(valgrind --version)"
  echo "kernel=$(uname -sr)"
  echo "cpu=$(awk -F': ' '/model name/{print $2; exit}' /proc/cpuinfo), $(nproc) CPUs"
  echo "memory=$(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo)"
  echo "pinning=$PINNING"
  echo "settings=warm-up ${WARMUP} s, ${DURATION} s measured, median of ${REPS}; callgrind at c=${CG_C}, n=${CG_N1} and ${CG_N2}; RSS with ${RSS_INFLIGHT} in flight"
} >"$OUT/env.txt"

# ---- table and chart
python3 tools/bench/report.py table "$OUT" >"$OUT/table.md"
COLUMNS_IN_CHART=$(head -1 "$OUT/chart.dat" | awk -F'"' '{ print (NF - 1) / 2 + 1 }')
gnuplot -e "datafile='$OUT/chart.dat'; outfile='$OUT/benchmarks.png'; last=$COLUMNS_IN_CHART" \
  tools/bench/chart.gp
if [ "$WRITE_DOCS" = 1 ]; then
  python3 tools/bench/report.py splice "$OUT/table.md" docs/benchmarks.md
  cp "$OUT/benchmarks.png" docs/benchmarks.png
  log "docs/benchmarks.md and docs/benchmarks.png updated"
fi
cat "$OUT/table.md"
log "results in $OUT"
