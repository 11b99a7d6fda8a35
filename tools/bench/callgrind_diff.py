#!/usr/bin/env python3
"""Per-request cost by function and by shared object, from two callgrind runs that differ
only in their request count: (cost(n2) - cost(n1)) / (n2 - n1), so start-up cancels.

  callgrind_diff.py FILE_N1 N1 FILE_N2 N2 [--top 40] [--calls FUNCTION ...]
                    [--inclusive REGEX]

Prints Ir per request by object (libcurl, libc, the program...), the functions with the
highest self cost per request, and calls per request of a few functions that tell where
the time goes (malloc, free, getenv, locks, wake-ups, clock reads); --calls adds more.
"""
import argparse
import collections
import os
import re
import subprocess

WATCH = ["malloc", "free", "calloc", "realloc", "operator new(unsigned long)",
         "operator delete(void*, unsigned long)", "operator delete(void*)", "getenv",
         "pthread_mutex_lock", "pthread_cond_signal", "pthread_cond_broadcast",
         "pthread_cond_wait", "pthread_cond_timedwait", "pthread_cond_clockwait", "write",
         "read", "poll", "epoll_wait", "syscall", "clock_gettime", "curl_easy_setopt",
         "curl_slist_append", "curl_url", "curl_url_set", "curl_url_get", "Curl_vsetopt",
         "strlen", "memcpy", "__memcpy_avx_unaligned_erms", "RAND_bytes",
         "curl_multi_wakeup", "curl_multi_poll", "curl_multi_perform"]


def parse(path):
    """Self Ir by function, calls into each function, function -> object."""
    names = {}
    self_cost = collections.Counter()
    calls = collections.Counter()
    obj_of = {}
    fn = cfn = None
    ob = None
    pending_call = False
    obj_names = {}

    def resolve(table, text):
        m = re.match(r"\((\d+)\)(?:\s+(.*))?$", text)
        if not m:
            return text
        if m.group(2) is not None:
            table[m.group(1)] = m.group(2)
        return table.get(m.group(1), text)

    with open(path, errors="replace") as f:
        for line in f:
            c = line[0] if line else ""
            if c.isdigit() or c in "+-*":
                if pending_call:
                    pending_call = False
                    continue
                fields = line.split()
                if len(fields) >= 2 and fn is not None:
                    self_cost[fn] += int(fields[1])
            elif line.startswith("fn="):
                fn = resolve(names, line[3:].strip())
                obj_of.setdefault(fn, ob)
            elif line.startswith("cfn="):
                cfn = resolve(names, line[4:].strip())
            elif line.startswith("calls="):
                calls[cfn] += int(line[6:].split()[0])
                pending_call = True
            elif line.startswith("ob="):
                ob = resolve(obj_names, line[3:].strip())
            elif line.startswith("cob="):
                resolve(obj_names, line[4:].strip())
    return self_cost, calls, obj_of


def per_request(file1, n1, file2, n2):
    """Self Ir per request by function, calls per request by callee, Ir per request by object
    (file basename), from runs of n1 and n2 requests."""
    s1, c1, o1 = parse(file1)
    s2, c2, o2 = parse(file2)
    dn = n2 - n1
    obj = dict(o1)
    obj.update(o2)
    self_ir = {f: (s2[f] - s1.get(f, 0)) / dn for f in set(s1) | set(s2)}
    calls = {f: (c2[f] - c1.get(f, 0)) / dn for f in set(c1) | set(c2)}
    by_obj = collections.Counter()
    for f, v in self_ir.items():
        by_obj[os.path.basename(obj.get(f) or "?")] += v
    return self_ir, calls, by_obj, {f: os.path.basename(o or "?") for f, o in obj.items()}


def inclusive(path):
    """Inclusive Ir by function name, from callgrind_annotate --inclusive=yes."""
    text = subprocess.run(["callgrind_annotate", "--inclusive=yes", "--threshold=100", path],
                          capture_output=True, text=True, check=True).stdout
    result = collections.Counter()
    for line in text.splitlines():
        m = re.match(r"\s*([\d,]+) \([ \d.]+%\)\s+\S*?:(.*?) \[", line)
        if m:
            result[m.group(2)] += int(m.group(1).replace(",", ""))
    return result


def inclusive_per_request(file1, n1, file2, n2):
    a, b = inclusive(file1), inclusive(file2)
    return {f: (b[f] - a.get(f, 0)) / (n2 - n1) for f in b}


def calls_to(calls, name):
    """Calls per request into `name` (C++ names match on their unqualified-argument prefix)."""
    return sum(n for f, n in calls.items()
               if f == name or f.startswith(name + "'") or f.split("(")[0] == name)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("file1")
    ap.add_argument("n1", type=int)
    ap.add_argument("file2")
    ap.add_argument("n2", type=int)
    ap.add_argument("--top", type=int, default=40)
    ap.add_argument("--calls", nargs="*", default=[])
    ap.add_argument("--inclusive", metavar="REGEX",
                    help="also list inclusive Ir per request of functions matching REGEX")
    a = ap.parse_args()
    per_fn, calls, by_obj, obj = per_request(a.file1, a.n1, a.file2, a.n2)
    total = sum(per_fn.values())
    print("Ir per request: %.0f" % total)
    print("\nby object:")
    for o, v in by_obj.most_common():
        if abs(v) >= 0.5:
            print("  %9.0f  %5.1f%%  %s" % (v, 100 * v / total, o))

    print("\ntop functions by self Ir per request:")
    for f, v in sorted(per_fn.items(), key=lambda kv: -kv[1])[:a.top]:
        print("  %9.0f  %5.1f%%  %s  [%s]" % (v, 100 * v / total, f[:110], obj.get(f, "?")))

    print("\ncalls per request:")
    for name in WATCH + a.calls:
        n = calls_to(calls, name)
        if abs(n) >= 0.005:
            print("  %8.2f  %s" % (n, name))

    if a.inclusive:
        print("\ninclusive Ir per request, functions matching %r:" % a.inclusive)
        inc = inclusive_per_request(a.file1, a.n1, a.file2, a.n2)
        for f, v in sorted(inc.items(), key=lambda kv: -kv[1]):
            if re.search(a.inclusive, f) and v >= 50:
                print("  %9.0f  %s" % (v, f[:140]))


if __name__ == "__main__":
    main()
