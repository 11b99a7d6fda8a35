#!/usr/bin/env bash
# Checks that every C++ file follows .clang-format (clang-format 14, Debian 12's), and says
# which do not; exits 1 if any. To fix them: tools/dev/format-check.sh --fix
set -euo pipefail
cd "$(dirname "$0")/../.."
tools/dev/install-missing.sh clang-format
mapfile -t files < <(git ls-files 'lib/*.cpp' 'lib/*.hpp' 'include/*.hpp' 'test/*.cpp' \
  'test/*.hpp' 'tools/*.cpp' 'tools/*.hpp' 'docs/examples/*.cpp')
if [ "${1:-}" = "--fix" ]; then
  clang-format -i "${files[@]}"
  exit 0
fi
bad=0
for f in "${files[@]}"; do
  if ! clang-format --dry-run -Werror "$f" >/dev/null 2>&1; then
    echo "not formatted: $f"
    bad=1
  fi
done
[ $bad -eq 0 ] && echo "format: ${#files[@]} files follow .clang-format"
exit $bad
