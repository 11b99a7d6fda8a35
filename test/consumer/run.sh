#!/bin/sh
# The consumers' test (meson test --suite consumer): installs the current build into a
# staging directory, then, using only what was installed,
#   1. builds consumer.cpp with `pkg-config --cflags --libs rhc` and -std=c++17 -Wall -Wextra
#      -Werror, and runs it against the installed rhc-test-server;
#   2. configures, builds and runs meson_project/ (dependency('rhc')) the same way;
#   3. builds meson_project/ again with rhc as a subproject (a snapshot of SOURCE_DIR in
#      subprojects/rhc) and runs it.
#
#   run.sh BUILD_DIR SOURCE_DIR           (CXX: the compiler; default c++)
set -eu

build=$1
source=$2
here=$source/test/consumer
CXX=${CXX:-c++}
stage=$(mktemp -d "${TMPDIR:-/tmp}/rhc-consumer.XXXXXX")
root=$stage/root
server_pid=

cleanup() {
  # SIGKILL: a SIGTERM sent before the server's exec can be swallowed by the forked shell.
  if [ -n "$server_pid" ]; then
    kill -KILL "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$stage"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

step() { echo "== $*"; }
fail() {
  echo "FAIL: $*" >&2
  exit 1
}
expect() {  # expect FILE TEXT: FILE has a line containing TEXT
  grep -F -q -- "$2" "$1" || fail "$1 lacks \"$2\"; it says: $(cat "$1")"
}

step "meson install -C $build --destdir $root"
meson install -C "$build" --destdir "$root" --no-rebuild --skip-subprojects --quiet

pc=$(find "$root" -path '*/pkgconfig/rhc.pc' | head -n 1)
[ -n "$pc" ] || fail "meson install put no rhc.pc in $root"
lib=$(find "$root" -name 'librhc.so*' | head -n 1)
[ -n "$lib" ] || fail "meson install put no librhc.so in $root"
libdir=$(dirname "$lib")
server=$(find "$root" -type f -name rhc-test-server | head -n 1)
[ -n "$server" ] || fail "meson install put no rhc-test-server in $root"

# rhc.pc names the final prefix (/usr/local), not the staging directory: pkg-config's sysroot
# maps it into the stage, as for any DESTDIR install; a relocatable rhc.pc
# (prefix=${pcfiledir}/...) already points there and needs no sysroot.
PKG_CONFIG_PATH=$(dirname "$pc")
export PKG_CONFIG_PATH
case "$(pkg-config --variable=prefix rhc)" in
  "$root"/*) ;;
  *) export PKG_CONFIG_SYSROOT_DIR="$root" ;;
esac
flags=$(pkg-config --cflags --libs rhc)
echo "pkg-config --cflags --libs rhc: $flags"
case "$flags" in
  *"-I$root/"*"-L$root/"*) ;;
  *) fail "pkg-config's flags do not point into the staged install" ;;
esac
pkg-config --print-requires rhc | grep -q RapidJSON || fail "rhc.pc does not require RapidJSON"

step "rhc-test-server serve --port 0 (a free port)"
"$server" serve --port 0 >"$stage/server.log" 2>&1 &
server_pid=$!
url=
for _ in $(seq 1 100); do
  url=$(sed -n 's/^rhc-test-server listening on //p' "$stage/server.log" 2>/dev/null || true)
  [ -n "$url" ] && break
  kill -0 "$server_pid" 2>/dev/null || fail "rhc-test-server exited: $(cat "$stage/server.log")"
  sleep 0.1
done
[ -n "$url" ] || fail "rhc-test-server did not start: $(cat "$stage/server.log")"
echo "test server at $url"

step "pkg-config consumer: $CXX -std=c++17 -Wall -Wextra -Werror consumer.cpp \$(pkg-config --cflags --libs rhc)"
# shellcheck disable=SC2086 # CXX and flags are word lists
$CXX -std=c++17 -Wall -Wextra -Werror "$here/consumer.cpp" $flags -o "$stage/consumer"
LD_LIBRARY_PATH="$libdir" ldd "$stage/consumer" | grep librhc | grep -q -F "$root/" ||
  fail "the consumer does not load the staged librhc"
LD_LIBRARY_PATH="$libdir" "$stage/consumer" "$url" | tee "$stage/consumer.out"
expect "$stage/consumer.out" "consumer: GET /msg -> 200 message_id "
expect "$stage/consumer.out" "consumer: after 2 injected failures -> 200 in 3 attempts"
expect "$stage/consumer.out" "consumer: NotFoundError status 404 attempts 1"
expect "$stage/consumer.out" "consumer: ok"

step "meson consumer: dependency('rhc') from the staged rhc.pc"
meson setup "$stage/meson-build" "$here/meson_project" >"$stage/meson-setup.log" 2>&1 ||
  fail "meson setup failed: $(cat "$stage/meson-setup.log")"
grep -F "Run-time dependency rhc found: YES" "$stage/meson-setup.log" ||
  fail "meson did not find rhc: $(cat "$stage/meson-setup.log")"
meson compile -C "$stage/meson-build" >"$stage/meson-compile.log" 2>&1 ||
  fail "meson compile failed: $(cat "$stage/meson-compile.log")"
grep -q -F -- "-I$root/" "$stage/meson-build/compile_commands.json" ||
  fail "meson did not compile against the staged headers"
LD_LIBRARY_PATH="$libdir" ldd "$stage/meson-build/consumer" | grep librhc | grep -q -F "$root/" ||
  fail "the meson consumer does not load the staged librhc"
LD_LIBRARY_PATH="$libdir" "$stage/meson-build/consumer" "$url" | tee "$stage/meson.out"
expect "$stage/meson.out" "meson consumer: Message ID: "

step "meson consumer: dependency('rhc') falling back to subprojects/rhc"
mkdir -p "$stage/subproject/subprojects/rhc"
cp "$here/meson_project/meson.build" "$here/meson_project/main.cpp" "$stage/subproject/"
# A snapshot of the source files (tracked or new, not ignored: no build directories), so that
# edits made while the subproject builds cannot mix two versions of a header into one build.
if git -C "$source" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  git -C "$source" ls-files -z --cached --others --exclude-standard |
    (cd "$source" && xargs -0 tar --ignore-failed-read -cf - 2>"$stage/snapshot.log") |
    tar -xf - -C "$stage/subproject/subprojects/rhc"
else
  rmdir "$stage/subproject/subprojects/rhc"
  ln -s "$source" "$stage/subproject/subprojects/rhc"
fi
(
  unset PKG_CONFIG_PATH PKG_CONFIG_SYSROOT_DIR
  meson setup --force-fallback-for=rhc "$stage/subproject/build" "$stage/subproject" \
    >"$stage/subproject-setup.log" 2>&1 ||
    fail "meson setup failed: $(cat "$stage/subproject-setup.log")"
  grep -F "Dependency rhc found: YES" "$stage/subproject-setup.log" | grep -q overridden ||
    fail "rhc did not come from the subproject: $(cat "$stage/subproject-setup.log")"
  meson compile -j 2 -C "$stage/subproject/build" >"$stage/subproject-compile.log" 2>&1 ||
    fail "meson compile failed: $(tail -n 50 "$stage/subproject-compile.log")"
)
ldd "$stage/subproject/build/consumer" | grep librhc | grep -q -F "$stage/subproject/build/" ||
  fail "the subproject consumer does not load the subproject's librhc"
"$stage/subproject/build/consumer" "$url" | tee "$stage/subproject.out"
expect "$stage/subproject.out" "meson consumer: Message ID: "

step "stop rhc-test-server (SIGTERM)"
kill -TERM "$server_pid"
(sleep 10 && kill -KILL "$server_pid") >/dev/null 2>&1 &
watchdog=$!
status=0
wait "$server_pid" || status=$?
server_pid=
kill "$watchdog" 2>/dev/null || true
[ "$status" -eq 0 ] || fail "rhc-test-server exited with $status: $(cat "$stage/server.log")"
echo "consumers ok"
