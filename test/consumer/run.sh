#!/bin/sh
# The consumers' test (meson test --suite consumer): installs the current build into a
# staging directory, then, using only what was installed,
#   1. builds consumer.cpp with `pkg-config --cflags --libs rhc` and -std=c++17 -Wall -Wextra
#      -Werror, and runs it against the installed rhc-test-server;
#   2. builds it again against librhc.a with `pkg-config --static --libs rhc` and runs it;
#   3. configures cmake_project/ (find_package(rhc)) and runs its two programs, one linked
#      with rhc::rhc (librhc.so), one with rhc::rhc_static (librhc.a);
#   4. configures, builds and runs meson_project/ (dependency('rhc')) the same way;
#   5. builds meson_project/ again with rhc as a subproject (a snapshot of SOURCE_DIR in
#      subprojects/rhc) and runs it;
#   6. moves the installed tree elsewhere and builds and runs the pkg-config and CMake
#      consumers against the moved copy (rhc.pc and rhcConfig.cmake are relocatable).
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

# Where the staged install keeps rhc.pc, its libraries and the test server. Sets pc, libdir,
# server.
locate() {
  pc=$(find "$1" -path '*/pkgconfig/rhc.pc' | head -n 1)
  [ -n "$pc" ] || fail "no rhc.pc in $1"
  lib=$(find "$1" -name 'librhc.so*' | head -n 1)
  [ -n "$lib" ] || fail "no librhc.so in $1"
  libdir=$(dirname "$lib")
  [ -f "$libdir/librhc.a" ] || fail "no librhc.a beside $lib"
  for file in rhcConfig.cmake rhcConfigVersion.cmake; do
    [ -f "$libdir/cmake/rhc/$file" ] || fail "no $file in $libdir/cmake/rhc"
  done
  server=$(find "$1" -type f -name rhc-test-server | head -n 1)
  [ -n "$server" ] || fail "no rhc-test-server in $1"
}

# expect_output FILE PREFIX: the lines consumer.cpp prints, each with PREFIX.
expect_output() {
  expect "$1" "$2: GET /msg -> 200 message_id "
  expect "$1" "$2: after 2 injected failures -> 200 in 3 attempts"
  expect "$1" "$2: NotFoundError status 404 attempts 1"
  expect "$1" "$2: ok"
}

# pkgconfig_consumers ROOT NAME: consumer.cpp built with pkg-config against the install in
# ROOT, linked to librhc.so (NAME) and to librhc.a (NAME-static), both run against $url.
pkgconfig_consumers() {
  flags=$(pkg-config --cflags --libs rhc)
  echo "pkg-config --cflags --libs rhc: $flags"
  case "$flags" in
    *"-I$1/"*"-L$1/"*) ;;
    *) fail "pkg-config's flags do not point into $1" ;;
  esac
  pkg-config --print-requires rhc | grep -q RapidJSON || fail "rhc.pc does not require RapidJSON"

  step "pkg-config consumer: $CXX -std=c++17 -Wall -Wextra -Werror consumer.cpp \$(pkg-config --cflags --libs rhc)"
  # shellcheck disable=SC2086 # CXX and flags are word lists
  $CXX -std=c++17 -Wall -Wextra -Werror "$here/consumer.cpp" $flags -o "$stage/$2"
  LD_LIBRARY_PATH="$libdir" ldd "$stage/$2" | grep librhc | grep -q -F "$1/" ||
    fail "$2 does not load librhc from $1"
  LD_LIBRARY_PATH="$libdir" "$stage/$2" "$url" | tee "$stage/$2.out"
  expect_output "$stage/$2.out" consumer

  # librhc.a, then what it needs (Requires.private, Libs.private) from the system's shared
  # libraries: -Bstatic picks librhc.a over librhc.so; --as-needed drops the -lrhc that
  # --libs repeats, which the archive already satisfied.
  static_flags=$(pkg-config --static --libs rhc)
  echo "pkg-config --static --libs rhc: $static_flags"
  step "static consumer: consumer.cpp \$(pkg-config --cflags rhc) -Wl,-Bstatic -lrhc -Wl,-Bdynamic -Wl,--as-needed \$(pkg-config --static --libs rhc)"
  # shellcheck disable=SC2046,SC2086
  $CXX -std=c++17 -Wall -Wextra -Werror "$here/consumer.cpp" $(pkg-config --cflags rhc) \
    -Wl,-Bstatic -lrhc -Wl,-Bdynamic -Wl,--as-needed $static_flags -o "$stage/$2-static"
  if ldd "$stage/$2-static" | grep -q librhc; then
    fail "$2-static loads a shared librhc: $(ldd "$stage/$2-static")"
  fi
  "$stage/$2-static" "$url" | tee "$stage/$2-static.out"
  expect_output "$stage/$2-static.out" consumer
}

# cmake_consumers ROOT PREFIX NAME: cmake_project/ configured with CMAKE_PREFIX_PATH=PREFIX
# (inside ROOT) and built in $stage/NAME; runs its rhc::rhc and rhc::rhc_static programs.
cmake_consumers() {
  step "CMake consumer: find_package(rhc) with CMAKE_PREFIX_PATH=$2"
  cmake -S "$here/cmake_project" -B "$stage/$3" -DCMAKE_PREFIX_PATH="$2" \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_EXPORT_COMPILE_COMMANDS=ON \
    >"$stage/$3-configure.log" 2>&1 ||
    fail "cmake configure failed: $(cat "$stage/$3-configure.log")"
  grep -q -F "rhc_DIR:PATH=$1/" "$stage/$3/CMakeCache.txt" ||
    fail "CMake did not find rhc in $1: $(grep rhc_DIR "$stage/$3/CMakeCache.txt")"
  cmake --build "$stage/$3" -j 2 >"$stage/$3-build.log" 2>&1 ||
    fail "cmake build failed: $(tail -n 50 "$stage/$3-build.log")"
  grep -q -F -- "$1/" "$stage/$3/compile_commands.json" ||
    fail "CMake did not compile against the headers in $1"
  # rhc::rhc: CMake's build-tree RPATH finds librhc.so without LD_LIBRARY_PATH.
  ldd "$stage/$3/consumer" | grep librhc | grep -q -F "$1/" ||
    fail "the CMake consumer does not load librhc from $1: $(ldd "$stage/$3/consumer")"
  "$stage/$3/consumer" "$url" | tee "$stage/$3.out"
  expect_output "$stage/$3.out" consumer
  if ldd "$stage/$3/consumer_static" | grep -q librhc; then
    fail "the rhc::rhc_static consumer loads a shared librhc"
  fi
  "$stage/$3/consumer_static" "$url" | tee "$stage/$3-static.out"
  expect_output "$stage/$3-static.out" consumer
}

step "meson install -C $build --destdir $root"
meson install -C "$build" --destdir "$root" --no-rebuild --skip-subprojects --quiet
locate "$root"

# rhc.pc names the final prefix (/usr/local), not the staging directory: pkg-config's sysroot
# maps it into the stage, as for any DESTDIR install; a relocatable rhc.pc
# (prefix=${pcfiledir}/...) already points there and needs no sysroot.
PKG_CONFIG_PATH=$(dirname "$pc")
export PKG_CONFIG_PATH
relocatable=false
case "$(pkg-config --variable=prefix rhc)" in
  "$root"/*) relocatable=true ;;
  *) export PKG_CONFIG_SYSROOT_DIR="$root" ;;
esac

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

pkgconfig_consumers "$root" consumer
prefix=$root$(meson introspect "$build" --buildoptions |
  python3 -c 'import json, sys; print(next(o["value"] for o in json.load(sys.stdin) if o["name"] == "prefix"))')
[ -d "$prefix" ] || fail "no install prefix $prefix"
cmake_consumers "$root" "$prefix" cmake-build

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

step "relocation: the install moved from $prefix to $stage/moved"
$relocatable || fail "rhc.pc is not relocatable (prefix=$(pkg-config --variable=prefix rhc)); a build
directory configured before pkgconfig.relocatable=true became the default needs
meson configure $build -Dpkgconfig.relocatable=true"
mv "$prefix" "$stage/moved"
[ ! -e "$prefix" ] || fail "$prefix is still there"
locate "$stage/moved"
PKG_CONFIG_PATH=$(dirname "$pc")
pkgconfig_consumers "$stage/moved" consumer-moved
cmake_consumers "$stage/moved" "$stage/moved" cmake-moved

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
