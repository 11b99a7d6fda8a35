#!/usr/bin/env bash
# The README's two commands, for a fresh Debian 12 machine (as root) or a developer's tree:
#
#   tools/dev.sh demo   install what is missing, build, run `rhc-probe demo` against the
#                       embedded failure-injection server
#   tools/dev.sh test   install what is missing, build, run every test suite, and end with
#                       the line "N passed, N failed"
#
# Environment: BUILD_DIR (default build), MESON_ARGS (extra `meson setup` arguments),
# WERROR (default true), TEST_ARGS (extra `meson test` arguments, e.g. "--suite unit").
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD_DIR=${BUILD_DIR:-build}
# Everything rhc builds and tests with, from Debian 12 (bookworm); cmake for the CMake consumer.
# nginx-light: the real server of the TLS, HTTP/2 and unix-socket tests (test/support/nginx_server.hpp).
PACKAGES=(meson ninja-build pkg-config g++ python3 libcurl4-openssl-dev libssl-dev zlib1g-dev rapidjson-dev
  libgoogle-glog-dev catch2 libcpp-httplib-dev libcli11-dev curl openssl cmake nginx-light)

install_missing() { tools/dev/install-missing.sh "${PACKAGES[@]}"; }

build() {
  if [ ! -f "$BUILD_DIR/build.ninja" ]; then
    # --wrap-mode=nofallback: the Debian packages above only; subprojects/*.wrap are for other
    # systems and would download.
    # shellcheck disable=SC2086
    meson setup "$BUILD_DIR" --wrap-mode=nofallback -Dwerror="${WERROR:-true}" ${MESON_ARGS:-}
  fi
  meson compile -C "$BUILD_DIR"
}

run_tests() {
  local status=0
  rm -f "$BUILD_DIR/meson-logs/testlog.json"
  # shellcheck disable=SC2086
  meson test -C "$BUILD_DIR" --print-errorlogs ${TEST_ARGS:-} || status=$?
  # meson counts test executables; test_summary.py counts test cases, from the summary line
  # each Catch2 run prints (kept in meson's testlog.json).
  python3 tools/dev/test_summary.py "$BUILD_DIR/meson-logs/testlog.json" || status=1
  return $status
}

case "${1:-}" in
  demo)
    install_missing
    build
    "$BUILD_DIR/tools/rhc-probe/rhc-probe" demo
    ;;
  test)
    install_missing
    build
    run_tests
    ;;
  *)
    echo "usage: $0 demo|test" >&2
    exit 2
    ;;
esac
