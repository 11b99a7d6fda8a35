#!/usr/bin/env bash
# The Debian packages' test (CI stage "Debian packages"; docs/packaging.md), as root on Debian 12:
#   1. installs what the package build needs (build-essential, debhelper, the Build-Depends of
#      debian/control) and lintian, where missing;
#   2. copies the source tree (tracked and new files, not build directories) to a temporary
#      directory and runs `dpkg-buildpackage -b -us -uc` there, since it writes ../*.deb;
#   3. runs lintian on the result (errors fail, warnings are printed);
#   4. installs librhc0, librhc-dev and rhc-tools with apt-get, and checks what they hold;
#   5. against the installed packages only (no PKG_CONFIG_PATH, no CMAKE_PREFIX_PATH), with the
#      installed rhc-test-server: builds and runs test/consumer/consumer.cpp with
#      `pkg-config --cflags --libs rhc` (librhc.so) and `pkg-config --static` (librhc.a), the
#      CMake consumer test/consumer/cmake_project (find_package(rhc): rhc::rhc and
#      rhc::rhc_static), the meson consumer test/consumer/meson_project, and rhc-probe;
#   6. purges the three packages (and whatever their installation pulled in), stops the
#      server and removes the temporary directory, on success or failure.
# Its last line is "deb: ok" or "deb: FAILED: <what>"; it exits non-zero on failure.
#
#   test/consumer/deb.sh          (KEEP=1: keep the temporary directory, for a look at it)
set -euo pipefail
cd "$(dirname "$0")/../.."
source=$PWD
here=$source/test/consumer
CXX=${CXX:-c++}
packages=(librhc0 librhc-dev rhc-tools)

work=
server_pid=
installed_before=
current="setup"
failure=

step() {
  current=$*
  echo "== $*"
}
fail() {  # fail WHAT [DETAILS]: WHAT ends up in the last line, DETAILS (a log) before it
  echo "FAIL: $1"
  [ $# -lt 2 ] || printf '%s\n' "$2"
  failure=$1
  exit 1
}
expect() {  # expect FILE TEXT: FILE has a line containing TEXT
  grep -F -q -- "$2" "$1" || fail "$1 lacks \"$2\"" "$(cat "$1")"
}

# Runs on every exit: stops the server, purges what was installed, removes the temporary
# directory, then prints the last line.
cleanup() {
  local status=$?
  set +e
  if [ -n "$server_pid" ]; then
    kill -KILL "$server_pid" 2>/dev/null
    wait "$server_pid" 2>/dev/null
  fi
  if [ -n "$installed_before" ]; then
    # The three packages, and any package their installation brought in that was not there.
    local added
    # shellcheck disable=SC2016 # dpkg-query's own ${...}
    added=$(dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' | awk '$1 ~ /^.i/ { print $2 }' |
      sort -u | comm -13 "$installed_before" - | tr '\n' ' ')
    echo "== purge: $added"
    # shellcheck disable=SC2086 # a word list
    if [ -n "$added" ] &&
      ! DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq $added >"$work/purge.log" 2>&1; then
      cat "$work/purge.log"
      status=1
      failure=${failure:-apt-get purge $added}
    fi
    for p in "${packages[@]}"; do
      if dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        status=1
        failure=${failure:-$p is still installed after the purge}
      fi
    done
  fi
  if [ -n "$work" ]; then
    if [ "${KEEP:-0}" = 1 ]; then echo "kept $work"; else rm -rf "$work"; fi
  fi
  if [ $status -eq 0 ]; then
    echo "deb: ok"
  else
    echo "deb: FAILED: ${failure:-exit status $status in step: $current}"
  fi
  exit $status
}
trap cleanup EXIT
trap 'fail "interrupted"' INT TERM

[ "$(id -u)" -eq 0 ] || fail "needs root (apt-get install and purge of the built packages)"
# Packages of the same name already installed: left over from a run of this test that was
# killed before its cleanup (same Maintainer as debian/control) are purged; others are not ours.
maintainer=$(sed -n 's/^Maintainer: //p' debian/control)
for p in "${packages[@]}"; do
  if dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    [ "$(dpkg-query -W -f='${Maintainer}' "$p")" = "$maintainer" ] ||
      fail "$p is installed already, not from this tree; this test installs and purges it"
    echo "== purge $p, left over from an earlier run"
    DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq "$p" >/dev/null || fail "apt-get purge $p"
  fi
done

# 1. The package build's tools and Build-Depends (debhelper-compat is debhelper's).
build_depends=$(sed -n '/^Build-Depends:/,/^[A-Za-z-]*:/p' debian/control |
  sed '1s/^Build-Depends://; /^[A-Za-z-]*:/d' | tr ',' '\n' |
  sed 's/([^)]*)//g; s/\[[^]]*\]//g; s/^[[:space:]]*//; s/[[:space:]]*$//; s/^debhelper-compat$/debhelper/' |
  grep -v '^$')
# shellcheck disable=SC2086 # a word list
tools/dev/install-missing.sh build-essential dpkg-dev debhelper lintian cmake pkg-config \
  $build_depends || fail "installing the build tools"
dpkg-checkbuilddeps || fail "unmet build dependencies"

# 2. The package build, on a copy.
version=$(dpkg-parsechangelog -S Version)
upstream=${version%-*}
work=$(mktemp -d "${TMPDIR:-/tmp}/rhc-deb.XXXXXX")
tree=$work/rhc-$upstream
mkdir "$tree"
step "copy the source tree to $tree"
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  # Tracked and new files, not ignored ones (build directories); a CI clone has only tracked.
  git ls-files -z --cached --others --exclude-standard |
    tar --null -T - --ignore-failed-read -cf - 2>"$work/copy.log" | tar -xf - -C "$tree"
else
  tar --exclude='./build*' --exclude=./.git --exclude=./debian/build -cf - . | tar -xf - -C "$tree"
fi
[ -f "$tree/debian/rules" ] || fail "no debian/rules in the copy"

step "dpkg-buildpackage -b -us -uc (DEB_BUILD_OPTIONS=\"nocheck parallel=2\")"
start=$(date +%s)
(cd "$tree" && DEB_BUILD_OPTIONS="nocheck parallel=2" dpkg-buildpackage -b -us -uc) \
  >"$work/build.log" 2>&1 || fail "dpkg-buildpackage (the end of its log is above)" "$(tail -n 40 "$work/build.log")"
echo "built in $(($(date +%s) - start)) s:"
grep "^dpkg-deb: building package" "$work/build.log" || true
debs=()
for p in "${packages[@]}"; do
  deb=$(find "$work" -maxdepth 1 -name "${p}_${version}_*.deb" | head -n 1)
  [ -n "$deb" ] || fail "no ${p}_${version}_*.deb in $work"
  debs+=("$deb")
done

# 3. lintian: errors fail the test; warnings (docs/packaging.md lists the known ones) do not.
step "lintian"
lintian --fail-on error "$work"/*.changes \
  >"$work/lintian.log" 2>&1 || fail "lintian" "$(cat "$work/lintian.log")"
grep -v "^running with root privileges" "$work/lintian.log" || true

# 4. Install, and what the packages hold.
installed_before=$work/installed-before
dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' | awk '$1 ~ /^.i/ { print $2 }' | sort -u \
  >"$installed_before"
step "apt-get install ${debs[*]##*/}"
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${debs[@]}" \
  >"$work/install.log" 2>&1 || fail "apt-get install" "$(cat "$work/install.log")"

multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
libdir=/usr/lib/$multiarch
# loads_installed_librhc PROGRAM: the loader resolves PROGRAM's librhc.so.0 to the packaged one
# (/lib and /usr/lib are one directory on a merged-/usr system, so compare real paths).
loads_installed_librhc() {
  local found
  found=$(ldd "$1" | awk '$1 ~ /^librhc\.so/ { print $3 }')
  [ -n "$found" ] && [ "$(readlink -f "$found")" = "$(readlink -f "$libdir/librhc.so.$upstream")" ]
}
contents() {  # contents PACKAGE PATH...: dpkg -L PACKAGE lists each PATH
  local p=$1 list
  shift
  list=$(dpkg -L "$p")
  for f in "$@"; do
    grep -q -x -F "$f" <<<"$list" || fail "$p lacks $f" "$list"
  done
  echo "$p: $(grep -c -v '/$' <<<"$list") paths, $(dpkg-query -W -f='${Depends}' "$p")"
}
step "package contents"
contents librhc0 "$libdir/librhc.so.$upstream" "$libdir/librhc.so.${upstream%%.*}"
contents librhc-dev /usr/include/rhc/rhc.hpp /usr/include/rhc/version.hpp "$libdir/librhc.so" \
  "$libdir/librhc.a" "$libdir/pkgconfig/rhc.pc" "$libdir/cmake/rhc/rhcConfig.cmake" \
  "$libdir/cmake/rhc/rhcConfigVersion.cmake"
contents rhc-tools /usr/bin/rhc-probe /usr/bin/rhc-test-server
if dpkg -L librhc0 | grep -q -E '/include/|\.a$|\.pc$|cmake'; then
  fail "librhc0 holds development files" "$(dpkg -L librhc0)"
fi
soname=$(readelf -d "$libdir/librhc.so.$upstream" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
[ "$soname" = "librhc.so.${upstream%%.*}" ] || fail "librhc's SONAME is '$soname'"
echo "SONAME $soname; shlibs: $(cat "/var/lib/dpkg/info/librhc0:$(dpkg --print-architecture).shlibs" 2>/dev/null ||
  cat /var/lib/dpkg/info/librhc0.shlibs)"
if readelf -d /usr/bin/rhc-probe | grep -q -E 'RUNPATH|RPATH'; then
  fail "rhc-probe has a RUNPATH" "$(readelf -d /usr/bin/rhc-probe | grep PATH)"
fi
loads_installed_librhc /usr/bin/rhc-probe ||
  fail "rhc-probe does not load $libdir/librhc.so" "$(ldd /usr/bin/rhc-probe)"

# 5. Consumers of the installed packages; nothing points at the source tree but the sources.
unset PKG_CONFIG_PATH PKG_CONFIG_SYSROOT_DIR CMAKE_PREFIX_PATH LD_LIBRARY_PATH
cd "$work"
step "rhc-probe --version; rhc-test-server --version"
rhc-probe --version | tee probe-version.out
expect probe-version.out "rhc/$upstream "
rhc-test-server --version | tee server-version.out
expect server-version.out "rhc-test-server $upstream"

step "rhc-test-server serve --port 0 (a free port)"
rhc-test-server serve --port 0 >server.log 2>&1 &
server_pid=$!
url=
for _ in $(seq 1 100); do
  url=$(sed -n 's/^rhc-test-server listening on //p' server.log 2>/dev/null || true)
  [ -n "$url" ] && break
  kill -0 "$server_pid" 2>/dev/null || fail "rhc-test-server exited" "$(cat server.log)"
  sleep 0.1
done
[ -n "$url" ] || fail "rhc-test-server did not start" "$(cat server.log)"
echo "test server at $url"

step "rhc-probe $url/msg, then after 2 injected failures"
rhc-probe "$url/msg" >probe.out 2>probe.err || fail "rhc-probe exited $?" "$(cat probe.out probe.err)"
cat probe.err
expect probe.out '"message_id"'
expect probe.err "status      200"
rhc-probe -s -X POST "$url/fail/count/2" >/dev/null || fail "rhc-probe -X POST /fail/count/2"
rhc-probe "$url/msg" >probe2.out 2>probe2.err || fail "rhc-probe exited $?" "$(cat probe2.err)"
expect probe2.err "attempts    3"
status=0
rhc-probe -s -f "$url/no-such-route" >/dev/null 2>&1 || status=$?
[ "$status" -eq 22 ] || fail "rhc-probe -f on a 404 exited $status, not 22"
echo "rhc-probe: 200; 200 in 3 attempts; -f on a 404: exit 22"

# expect_output FILE: the lines consumer.cpp prints.
expect_output() {
  expect "$1" "consumer: GET /msg -> 200 message_id "
  expect "$1" "consumer: after 2 injected failures -> 200 in 3 attempts"
  expect "$1" "consumer: NotFoundError status 404 attempts 1"
  expect "$1" "consumer: ok"
}

flags=$(pkg-config --cflags --libs rhc) || fail "pkg-config does not find rhc"
echo "pkg-config --cflags --libs rhc: $flags"
[ "$(pkg-config --variable=libdir rhc)" = "$libdir" ] ||
  fail "rhc.pc's libdir is $(pkg-config --variable=libdir rhc), not $libdir"
step "pkg-config consumer: $CXX -std=c++17 -Wall -Wextra -Werror consumer.cpp \$(pkg-config --cflags --libs rhc)"
# shellcheck disable=SC2086 # CXX and flags are word lists
$CXX -std=c++17 -Wall -Wextra -Werror "$here/consumer.cpp" $flags -o consumer
loads_installed_librhc consumer ||
  fail "consumer does not load $libdir/librhc.so" "$(ldd consumer)"
./consumer "$url" | tee consumer.out
expect_output consumer.out

static_flags=$(pkg-config --static --libs rhc)
echo "pkg-config --static --libs rhc: $static_flags"
step "static consumer: consumer.cpp \$(pkg-config --cflags rhc) -Wl,-Bstatic -lrhc -Wl,-Bdynamic -Wl,--as-needed \$(pkg-config --static --libs rhc)"
# shellcheck disable=SC2046,SC2086
$CXX -std=c++17 -Wall -Wextra -Werror "$here/consumer.cpp" $(pkg-config --cflags rhc) \
  -Wl,-Bstatic -lrhc -Wl,-Bdynamic -Wl,--as-needed $static_flags -o consumer-static
if ldd consumer-static | grep -q librhc; then
  fail "consumer-static loads a shared librhc" "$(ldd consumer-static)"
fi
./consumer-static "$url" | tee consumer-static.out
expect_output consumer-static.out

step "CMake consumer: find_package(rhc 0.1 REQUIRED COMPONENTS static), no CMAKE_PREFIX_PATH"
cmake -S "$here/cmake_project" -B cmake-build -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  >cmake-configure.log 2>&1 || fail "cmake configure" "$(cat cmake-configure.log)"
grep -q -x -F "rhc_DIR:PATH=$libdir/cmake/rhc" cmake-build/CMakeCache.txt ||
  fail "CMake did not find rhc in $libdir/cmake/rhc" "$(grep rhc_DIR cmake-build/CMakeCache.txt)"
cmake --build cmake-build -j 2 >cmake-build.log 2>&1 ||
  fail "cmake build" "$(tail -n 50 cmake-build.log)"
loads_installed_librhc cmake-build/consumer ||
  fail "the rhc::rhc consumer does not load $libdir/librhc.so" "$(ldd cmake-build/consumer)"
cmake-build/consumer "$url" | tee cmake.out
expect_output cmake.out
if ldd cmake-build/consumer_static | grep -q librhc; then
  fail "the rhc::rhc_static consumer loads a shared librhc"
fi
cmake-build/consumer_static "$url" | tee cmake-static.out
expect_output cmake-static.out

step "meson consumer: dependency('rhc') from the installed rhc.pc"
meson setup meson-build "$here/meson_project" >meson-setup.log 2>&1 ||
  fail "meson setup" "$(cat meson-setup.log)"
grep -q -F "Run-time dependency rhc found: YES $upstream" meson-setup.log ||
  fail "meson did not find the installed rhc" "$(cat meson-setup.log)"
meson compile -C meson-build >meson-compile.log 2>&1 ||
  fail "meson compile" "$(cat meson-compile.log)"
meson-build/consumer "$url" | tee meson.out
expect meson.out "meson consumer: Message ID: "

step "stop rhc-test-server (SIGTERM)"
kill -TERM "$server_pid"
for _ in $(seq 1 100); do
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.1
done
kill -0 "$server_pid" 2>/dev/null && fail "rhc-test-server did not stop within 10 s of SIGTERM"
status=0
wait "$server_pid" || status=$?
server_pid=
[ "$status" -eq 0 ] || fail "rhc-test-server exited with $status" "$(cat server.log)"
# The last line ("deb: ok") comes from cleanup, after the purge.
