#!/usr/bin/env bash
# Builds the libFuzzer targets (if needed) and, for each target:
#   1. replays its seed corpus once (test/fuzz/corpus/<target>/, -runs=0): any crash fails;
#   2. replays each input of test/fuzz/open-bugs/<target>/ with RHC_FUZZ_STRICT=1 and reports
#      whether that library bug is still open (it crashes) or fixed (it passes); neither fails;
#   3. unless --replay-only, fuzzes for N seconds (default 10) starting from a scratch copy of
#      the corpus, and prints the executions libFuzzer counted. A crash fails; its input is kept
#      under <build dir>/fuzz-artifacts/.
# Exits non-zero if any target crashed. docs/fuzzing.md explains the targets.
#
#   test/fuzz/run.sh                    replay + 10 s per target
#   test/fuzz/run.sh --replay-only      replay only (seconds)
#   test/fuzz/run.sh --seconds 60       replay + 60 s per target
#   test/fuzz/run.sh --seconds 30 url_join response    only these targets
#
# Environment: FUZZ_BUILD_DIR (default build-fuzz), FUZZ_JOBS (compile jobs, default 1).
# Installs clang, libclang-rt-14-dev and the library's build dependencies from Debian if they
# are missing (as root; only what is missing).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
FUZZ_DIR=$ROOT/test/fuzz
BUILD_DIR=${FUZZ_BUILD_DIR:-build-fuzz}
JOBS=${FUZZ_JOBS:-1}
SECONDS_PER_TARGET=10
REPLAY_ONLY=0
ALL_TARGETS=(config_json config_env url_join header_check retry_after response redirect options)
TARGETS=()

usage() {
  sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

while [ $# -gt 0 ]; do
  case "$1" in
    --replay-only) REPLAY_ONLY=1 ;;
    --seconds)
      if [ $# -lt 2 ] || ! [[ "$2" =~ ^[0-9]+$ ]] || [ "$2" -eq 0 ]; then usage; fi
      SECONDS_PER_TARGET=$2
      shift
      ;;
    -h | --help) usage ;;
    -*) usage ;;
    *)
      [[ " ${ALL_TARGETS[*]} " == *" $1 "* ]] || { echo "unknown target: $1" >&2; usage; }
      TARGETS+=("$1")
      ;;
  esac
  shift
done
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=("${ALL_TARGETS[@]}")

# Per target: the longest input (bytes) and the per-input time limit (s). The response target
# waits up to 10 s for a future by design, and options up to 10 s plus a cancel, so their
# limits are above that.
declare -A MAX_LEN=([config_json]=4096 [config_env]=4096 [url_join]=1024 [header_check]=1024
  [retry_after]=256 [response]=8192 [redirect]=1024 [options]=1024)
declare -A INPUT_TIMEOUT=([config_json]=10 [config_env]=10 [url_join]=10 [header_check]=10
  [retry_after]=10 [response]=30 [redirect]=10 [options]=30)

install_missing() {
  "$ROOT/tools/dev/install-missing.sh" clang libclang-rt-14-dev meson ninja-build pkg-config \
    libcurl4-openssl-dev libssl-dev rapidjson-dev libgoogle-glog-dev libcpp-httplib-dev
}

build() {
  if [ ! -f "$BUILD_DIR/build.ninja" ]; then
    # ASan + UBSan everywhere; the library objects carry libFuzzer's coverage hooks
    # (fuzzer-no-link), the targets link libFuzzer itself (test/fuzz/meson.build). The shared
    # library is built too, so undefined sanitizer symbols must be allowed there (b_lundef).
    CXX=clang++ meson setup "$BUILD_DIR" -Dfuzz=true -Db_sanitize=address,undefined \
      -Db_lundef=false "-Dcpp_args=['-fsanitize=fuzzer-no-link']" -Dtests=false -Dtools=false \
      -Dbench=false
  fi
  meson compile -C "$BUILD_DIR" -j "$JOBS"
}

install_missing
build

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:suppressions=$FUZZ_DIR/ubsan.supp
LOG_DIR=$BUILD_DIR/fuzz-logs
ARTIFACTS=$BUILD_DIR/fuzz-artifacts
mkdir -p "$LOG_DIR" "$ARTIFACTS"

crashed=()
open_bugs=()
fixed_bugs=()
declare -A EXECS REPLAYED

for t in "${TARGETS[@]}"; do
  exe=$BUILD_DIR/test/fuzz/fuzz_$t
  corpus=$FUZZ_DIR/corpus/$t
  common=(-max_len="${MAX_LEN[$t]}" -timeout="${INPUT_TIMEOUT[$t]}" -print_final_stats=1)
  dict=$FUZZ_DIR/dict/$t.dict
  [ -f "$dict" ] && common+=(-dict="$dict")

  # 1. The corpus, once.
  REPLAYED[$t]=$(find "$corpus" -type f | wc -l)
  if ! "$exe" "${common[@]}" -runs=0 "$corpus" >"$LOG_DIR/$t.replay.log" 2>&1; then
    echo "== fuzz $t: CORPUS REPLAY CRASHED (log: $LOG_DIR/$t.replay.log)"
    grep -E "==rhc-fuzz==|ERROR|SUMMARY" "$LOG_DIR/$t.replay.log" | head -5 || true
    crashed+=("$t (corpus replay)")
    EXECS[$t]=-
    continue
  fi
  echo "== fuzz $t: corpus replayed (${REPLAYED[$t]} inputs)"

  # 2. Open library bugs: each input on its own, asserting everything.
  if [ -d "$FUZZ_DIR/open-bugs/$t" ]; then
    for f in "$FUZZ_DIR/open-bugs/$t"/*; do
      [ -f "$f" ] || continue
      name=$t/$(basename "$f")
      # The subshell keeps bash's "Aborted" notice out of the output: a crash is expected.
      if (
        RHC_FUZZ_STRICT=1 "$exe" "${common[@]}" -runs=1 "$f" >"$LOG_DIR/open-bug.log" 2>&1
        exit $?
      ) 2>/dev/null; then
        echo "== fuzz $name: open bug now PASSES - fixed in lib/? move it to corpus/$t and" \
          "remove its tolerance (docs/fuzzing.md)"
        fixed_bugs+=("$name")
      else
        echo "== fuzz $name: open bug still reproduces:" \
          "$(grep -m1 -E '==rhc-fuzz==|SUMMARY' "$LOG_DIR/open-bug.log" | cut -c1-150)"
        open_bugs+=("$name")
      fi
    done
  fi

  # 3. The timed run, from a scratch copy: new inputs it finds stay out of the repository.
  if [ "$REPLAY_ONLY" -eq 1 ]; then
    EXECS[$t]=-
    continue
  fi
  work=$BUILD_DIR/fuzz-work/$t
  rm -rf "$work"
  mkdir -p "$work"
  cp "$corpus"/* "$work"/
  log=$LOG_DIR/$t.log
  status=0
  "$exe" "${common[@]}" -max_total_time="$SECONDS_PER_TARGET" \
    -artifact_prefix="$ARTIFACTS/$t-" "$work" >"$log" 2>&1 || status=$?
  EXECS[$t]=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  [ -n "${EXECS[$t]}" ] || EXECS[$t]='?'
  if [ $status -ne 0 ]; then
    echo "== fuzz $t: CRASH after ${EXECS[$t]} executions (log: $log)"
    grep -E "==rhc-fuzz==|ERROR|SUMMARY|Test unit written" "$log" | head -8 || true
    crashed+=("$t")
  else
    echo "== fuzz $t: ${EXECS[$t]} executions in ${SECONDS_PER_TARGET} s, no crash"
  fi
done

echo
printf '%-14s %8s %12s\n' target corpus executions
for t in "${TARGETS[@]}"; do
  printf '%-14s %8s %12s\n' "$t" "${REPLAYED[$t]:-?}" "${EXECS[$t]:--}"
done
[ ${#open_bugs[@]} -eq 0 ] || echo "open library bugs still reproducing: ${open_bugs[*]}"
[ ${#fixed_bugs[@]} -eq 0 ] || echo "open-bugs inputs that now pass: ${fixed_bugs[*]}"
if [ ${#crashed[@]} -gt 0 ]; then
  echo "crashed: ${crashed[*]} (inputs under $ARTIFACTS; reproduce with" \
    "$BUILD_DIR/test/fuzz/fuzz_<target> <input>)"
fi
echo "fuzz: $((${#TARGETS[@]} - ${#crashed[@]})) passed, ${#crashed[@]} failed"
[ ${#crashed[@]} -eq 0 ]
