#!/usr/bin/env python3
"""Keeps docs/usage.md and the files it shows identical, so the guide cannot drift from what
CI compiles and runs.

In the guide, a fenced code block preceded by the line

    <!-- example: examples/quick_start.cpp -->

(a path relative to the guide) must hold exactly that file's text. Checks:
  - every such block equals its file, byte for byte;
  - every ```cpp block has a marker (no C++ in the guide that CI does not compile);
  - every marked .cpp file is one that meson compiles (--compiled), and every compiled
    example is shown in the guide (no orphans);
  - every relative link of the guide leads to an existing file, every #anchor to a heading;
  - with --config-header H --config-example E: E sets every field of ClientConfig declared
    in H (the guide's "complete configuration example" stays complete).

    check_guide.py GUIDE [--compiled FILE...]     check (a meson test, suite 'examples')
    check_guide.py GUIDE --update                 rewrite the guide's blocks from the files
    check_guide.py PAGE --marked-only [--update]  another page that shows some examples: only
                                                  its marked blocks and its links are checked

Edit the files, then run --update; never edit a marked block by hand.
"""
import argparse
import os
import re
import sys

MARKER = re.compile(r"^<!-- example: (\S+) -->$")
FENCE = re.compile(r"^(`{3,})(\S*)\s*$")
LINK = re.compile(r"\]\(([^)\s]+)\)")
HEADING = re.compile(r"^#{1,6}\s+(.*?)\s*$")


def slug(heading):
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to '-'."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def check_links(lines, blocks, guide_dir, guide):
    """Relative links must name existing files; #anchors must name headings of the guide."""
    in_code = set()
    for _, _, first, end in blocks:
        in_code.update(range(first - 1, end + 1))
    prose = [(n, line) for n, line in enumerate(lines) if n not in in_code]
    anchors = {slug(m.group(1)) for _, line in prose for m in [HEADING.match(line)] if m}
    errors = []
    for n, line in prose:
        for target in LINK.findall(re.sub(r"`[^`]*`", "", line)):
            if re.match(r"^[a-z]+:", target):
                continue  # http:, https:, mailto:
            path, _, anchor = target.partition("#")
            if path and not os.path.exists(os.path.join(guide_dir, path)):
                errors.append(f"{guide}:{n + 1}: link to missing {path}")
            elif not path and anchor not in anchors:
                errors.append(f"{guide}:{n + 1}: no heading for #{anchor}")
    return errors


def parse(lines):
    """Yields (marker path or None, language, first body line, end line) per fenced block."""
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        fence, lang = m.group(1), m.group(2)
        marker = MARKER.match(lines[i - 1]) if i > 0 else None
        j = i + 1
        while j < len(lines) and lines[j].rstrip() != fence:
            j += 1
        if j == len(lines):
            raise SystemExit(f"line {i + 1}: code block never closed")
        yield (marker.group(1) if marker else None, lang, i + 1, j)
        i = j + 1


STRUCT = re.compile(r"^struct\s+(?:RHC_EXPORT\s+)?(\w+)\s*\{")
FIELD = re.compile(r"^\s+[\w:<>]+\s+(\w+)\s*(?:\{[^}]*\}|=[^;]*)?;")
GROUPS = {"TimeoutConfig": "timeout", "RetryConfig": "retry",
          "CircuitBreakerConfig": "circuit_breaker", "BulkheadConfig": "bulkhead",
          "LoggingConfig": "logging", "RetryBudgetConfig": "retry.budget",
          "IdempotencyConfig": "idempotency", "AdaptiveLimitConfig": "bulkhead.adaptive",
          "HedgingConfig": "hedging", "TlsConfig": "tls"}


def check_config_fields(header, example):
    """Every data member of ClientConfig and its groups must be set in `example`."""
    with open(header, encoding="utf-8") as f:
        lines = f.read().split("\n")
    with open(example, encoding="utf-8") as f:
        text = f.read()
    fields, struct = [], None
    for line in lines:
        m = STRUCT.match(line)
        if m:
            struct = m.group(1)
            continue
        if line.startswith("};"):
            struct = None
        m = FIELD.match(line) if struct else None
        if m and "(" not in line.split("//")[0]:
            if struct in GROUPS:
                path = GROUPS[struct] + "." + m.group(1)
                if path not in GROUPS.values():  # a nested group: its own fields count
                    fields.append(path)
            elif struct == "ClientConfig" and m.group(1) not in GROUPS.values():
                fields.append(m.group(1))
    if len(fields) < 20:
        return [f"{header}: found only {len(fields)} ClientConfig fields; is the parser stale?"]
    return [f"{example}: does not set config.{name} (declared in {header})"
            for name in fields if not re.search(r"\bconfig\." + re.escape(name) + r"\s*=", text)]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("guide")
    ap.add_argument("--compiled", nargs="*", default=None,
                    help="the example sources meson compiles")
    ap.add_argument("--update", action="store_true")
    ap.add_argument("--config-header")
    ap.add_argument("--config-example")
    ap.add_argument("--marked-only", action="store_true",
                    help="C++ blocks without a marker are allowed (header excerpts)")
    args = ap.parse_args()

    guide_dir = os.path.dirname(os.path.abspath(args.guide))
    with open(args.guide, encoding="utf-8") as f:
        lines = f.read().split("\n")

    blocks = list(parse(lines))
    errors = check_links(lines, blocks, guide_dir, args.guide)
    shown = set()
    replacements = []
    for path, lang, first, end in blocks:
        where = f"{args.guide}:{first}"
        if path is None:
            if lang in ("cpp", "c++", "cxx") and not args.marked_only:
                errors.append(f"{where}: a C++ block without an <!-- example: ... --> marker")
            continue
        full = os.path.normpath(os.path.join(guide_dir, path))
        if not os.path.isfile(full):
            errors.append(f"{where}: {path} does not exist")
            continue
        shown.add(full)
        with open(full, encoding="utf-8") as f:
            text = f.read()
        if not text.endswith("\n"):
            errors.append(f"{path}: does not end with a newline")
            continue
        want = text[:-1].split("\n")
        if lines[first:end] != want:
            if args.update:
                replacements.append((first, end, want))
            else:
                got = lines[first:end]
                k = next((n for n in range(min(len(got), len(want))) if got[n] != want[n]),
                         min(len(got), len(want)))
                errors.append(f"{where}: block differs from {path} at its line {k + 1} "
                              f"(run: {sys.argv[0]} {args.guide} --update)")

    if args.compiled is not None:
        compiled = {os.path.normpath(os.path.abspath(p)) for p in args.compiled}
        for full in sorted(shown):
            if full.endswith(".cpp") and full not in compiled:
                errors.append(f"{os.path.relpath(full)}: shown in the guide but not compiled")
        for full in sorted(compiled - shown):
            errors.append(f"{os.path.relpath(full)}: compiled but not shown in the guide")

    if args.config_header and args.config_example:
        errors += check_config_fields(args.config_header, args.config_example)

    if args.update and replacements:
        for first, end, want in reversed(replacements):
            lines[first:end] = want
        with open(args.guide, "w", encoding="utf-8") as f:
            f.write("\n".join(lines))
        print(f"updated {len(replacements)} block(s) in {args.guide}")

    for e in errors:
        print(e, file=sys.stderr)
    if not errors and not args.update:
        print(f"{len(shown)} example file(s) match their blocks in {args.guide}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
