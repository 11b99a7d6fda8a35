#!/usr/bin/env bash
# Installs the given Debian packages that are not installed yet, and nothing when all are:
#   tools/dev/install-missing.sh meson ninja-build ...
# apt-get needs root; without it, says what to install and exits 2. Shared by tools/dev.sh,
# test/fuzz/run.sh and tools/bench/run.sh.
set -euo pipefail
missing=()
for p in "$@"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "== installing: ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  echo "missing Debian packages (run as root, or: sudo apt-get install ${missing[*]})" >&2
  exit 2
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
