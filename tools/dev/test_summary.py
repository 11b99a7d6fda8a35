#!/usr/bin/env python3
"""Prints "N passed, N failed" for `meson test` runs, counting Catch2 test cases.

Usage: test_summary.py TESTLOG.json... [--stage "name=exit status"]...


meson's log (meson-logs/testlog.json, one JSON object per test executable) holds each
executable's stdout; Catch2 ends it with "All tests passed (A assertions in N test cases)"
or "test cases: N | P passed | F failed". A test that is not Catch2 counts as one case. A run
that crashed, timed out or exited non-zero without Catch2 saying so counts one failure more.
Exits 1 if anything failed or nothing ran.
"""
import json
import re
import sys

ALL_PASSED = re.compile(r"All tests passed \(\d+ assertions? in (\d+) test cases?\)")
SUMMARY = re.compile(r"test cases:\s*(\d+)\s*\|\s*(\d+) passed\s*\|\s*(\d+) failed")
ONLY_FAILED = re.compile(r"test cases:\s*(\d+)\s*\|\s*(\d+) failed")


def count(entry):
    out = entry.get("stdout") or ""
    ok = entry.get("result") in ("OK", "EXPECTEDFAIL", "SKIP")
    if entry.get("result") == "SKIP":
        return 0, 0, 1
    m = ALL_PASSED.search(out)
    if m:
        return int(m.group(1)), (0 if ok else 1), 0
    m = SUMMARY.search(out)
    if m:
        failed = int(m.group(3))
        return int(m.group(2)), failed + (1 if ok is False and failed == 0 else 0), 0
    m = ONLY_FAILED.search(out)
    if m:
        return 0, int(m.group(2)), 0
    return (1, 0, 0) if ok else (0, 1, 0)


def print_failure_excerpt(out, max_lines=40):
    """The first failed assertion of a test's output (Catch2's "FAILED:" block, with the
    test case's name above it), or the output's last lines: CI keeps only the tail of a
    run's output, and a failure nobody can read cannot be fixed."""
    lines = out.splitlines()
    first = next((i for i, l in enumerate(lines) if l.rstrip().endswith("FAILED:")), None)
    if first is None:
        excerpt = lines[-max_lines:]
    else:
        excerpt = lines[max(0, first - 8):first + max_lines - 8]
    for line in excerpt:
        print(f"    | {line}")


def main(args):
    paths, stages = [], []
    it = iter(args)
    for a in it:
        if a == "--stage":
            stages.append(next(it))
        else:
            paths.append(a)
    passed = failed = skipped = 0
    for path in paths:
        try:
            with open(path, encoding="utf-8", errors="replace") as f:
                entries = [json.loads(line) for line in f if line.strip()]
        except (OSError, ValueError) as e:
            print(f"FAILED: no test results in {path} ({e})")
            failed += 1
            continue
        if not entries:
            print(f"FAILED: {path} is empty")
            failed += 1
        for entry in entries:
            p, f_, s = count(entry)
            passed, failed, skipped = passed + p, failed + f_, skipped + s
            if f_:
                print(f"FAILED: {path}: {entry.get('name')} ({entry.get('result')})")
                print_failure_excerpt(entry.get("stdout") or "")
    for spec in stages:
        name, _, code = spec.rpartition("=")
        if code.strip() == "0":
            passed += 1
        else:
            failed += 1
            print(f"FAILED: stage {name} (exit {code})")
    line = f"{passed} passed, {failed} failed"
    if skipped:
        line += f", {skipped} skipped"
    print(line)
    return 0 if failed == 0 and passed > 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
