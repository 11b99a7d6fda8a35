#!/usr/bin/env python3
"""The arithmetic of tools/bench/run.sh: wrk's output as JSON, the one-line progress
summary, and the medians, ratios, targets, markdown table and chart data of a whole run.

  report.py wrk-json WRK_OUTPUT CONCURRENCY TIME_OUTPUT   one result line, like rhc-bench's
  report.py brief BODY < RESULT_JSON                      one line for the terminal
  report.py table OUT_DIR > table.md                      also writes OUT_DIR/chart.dat
  report.py splice TABLE_MD DOC_MD                        replaces the generated block
"""
import glob
import json
import os
import re
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import callgrind_diff  # noqa: E402

CLIENT_NAMES = {
    "wrk": "(a) wrk",
    "raw": "(b) raw libcurl multi",
    "raw-tuned": "(b′) raw libcurl multi, tuned",
    "threads": "(c) threads + curl_easy_perform",
    "futures": "(d) rhc futures",
    "callbacks": "(e) rhc callbacks",
    "futures-listener": "(d)+l rhc futures, a listener counting events",
    "futures-slow-listener": "(d)+s rhc futures, a listener sleeping 10 ms per event",
}
CLIENT_ORDER = ["wrk", "raw", "raw-tuned", "threads", "futures", "callbacks", "futures-listener",
                "futures-slow-listener"]
BEGIN, END = "<!-- bench:results:begin -->", "<!-- bench:results:end -->"
# Issue 7's targets, as ratios to the raw libcurl loop measured in the same run.
TARGET_RPS, TARGET_P99, TARGET_IR, TARGET_RSS = 0.90, 1.25, 1.10, 1.2
NOISY_OTHER_CPU = 0.10  # a run where the rest of the machine used > 10% of a CPU is flagged


def wrk_json(wrk_path, concurrency, time_path):
    text = open(wrk_path).read()
    units = {"us": 1.0, "ms": 1e3, "s": 1e6}

    def latency(pct):
        m = re.search(r"^\s*%s%%\s+([\d.]+)(us|ms|s)\s*$" % pct, text, re.M)
        return float(m.group(1)) * units[m.group(2)] if m else 0.0

    m = re.search(r"(\d+) requests in ([\d.]+)(ms|s|m)", text)
    requests = int(m.group(1))
    seconds = float(m.group(2)) * {"ms": 1e-3, "s": 1.0, "m": 60.0}[m.group(3)]
    errors = 0
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    if m:
        errors += int(m.group(1))
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    if m:
        errors += sum(int(g) for g in m.groups())
    user, system = (float(x) for x in open(time_path).read().split()[-2:])
    n = max(requests, 1)
    return {
        "client": "wrk", "run": "timed", "concurrency": int(concurrency), "requests": requests,
        "seconds": seconds, "rps": requests / seconds, "p50_us": latency(50),
        "p99_us": latency(99), "errors": errors,
        "cpu_us_per_req": (user + system) * 1e6 / n, "user_us_per_req": user * 1e6 / n,
        "sys_us_per_req": system * 1e6 / n, "csw_per_req": None,
        "client_cpu_s": user + system,
    }


def brief(body, line):
    r = json.loads(line)
    print("%-9s %-4s c=%-4d %9.0f req/s  p50 %7.3f ms  p99 %7.3f ms  %6.1f us CPU/req%s" % (
        r["client"], body, r["concurrency"], r["rps"], r["p50_us"] / 1e3, r["p99_us"] / 1e3,
        r["cpu_us_per_req"], "  ERRORS %d" % r["errors"] if r["errors"] else ""))


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def callgrind_total(path):
    """Instructions (Ir) of a whole callgrind run: its "totals:" (or "summary:") line."""
    for line in open(path, errors="replace"):
        if line.startswith(("totals:", "summary:")):
            return int(line.split()[1])
    return None


def read_env(out):
    env = {}
    path = os.path.join(out, "env.txt")
    if os.path.exists(path):
        for line in open(path):
            key, _, value = line.rstrip("\n").partition("=")
            env[key] = value
    return env


def fmt(v, spec="%.0f"):
    return "–" if v is None else spec % v


def verdict(ok):
    return "**met**" if ok else "**missed**"


def table(out):
    runs = [json.loads(l) for l in open(os.path.join(out, "runs.jsonl")) if l.strip()]
    env = read_env(out)
    lines = []
    w = lines.append

    w("Run of %s on %s; %s." % (env.get("date", "?"), env.get("cpu", "?"),
                                env.get("memory", "?")))
    w("")
    w("| | |")
    w("|---|---|")
    for key in ("rhc", "libcurl", "nginx", "wrk", "compiler", "valgrind", "kernel", "pinning",
                "settings"):
        if key in env:
            w("| %s | %s |" % (key, env[key]))
    w("")

    # cells[(body, c, client)] = list of runs
    cells = {}
    for r in runs:
        res = r["result"]
        cells.setdefault((r["body"], res["concurrency"], res["client"]), []).append(r)

    def cell_stats(rs):
        res = [r["result"] for r in rs]
        # Tick-based counters (10 ms) can make the difference slightly negative: that is 0.
        other = [max(0.0, (r["machine_busy_s"] - r["process_cpu_s"] - r["server_cpu_s"]) /
                     r["wall_s"]) for r in rs]
        return {
            "rps": median(x["rps"] for x in res),
            "rps_min": min(x["rps"] for x in res), "rps_max": max(x["rps"] for x in res),
            "p50": median(x["p50_us"] for x in res), "p99": median(x["p99_us"] for x in res),
            "cpu": median(x["cpu_us_per_req"] for x in res),
            "csw": median(x.get("csw_per_req") for x in res),
            "server": median(r["server_cpu_s"] / r["wall_s"] for r in rs),
            "other": median(other), "other_max": max(other),
            "errors": sum(x["errors"] for x in res), "n": len(rs),
        }

    stats = {k: cell_stats(v) for k, v in cells.items()}
    bodies = [b for b in ("msg", "big") if any(k[0] == b for k in stats)]
    chart_rows = []
    for body in bodies:
        title = {"msg": "`/msg` (128-byte JSON body)", "big": "`/big` (16 KiB JSON body)"}[body]
        w("#### %s" % title)
        w("")
        w("| c | client | req/s (median) | req/s min–max | p50 ms | p99 ms | client CPU µs/req "
          "| ctx switches/req | server CPU | rest of machine | × raw req/s | × raw p99 |")
        w("|--:|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
        concurrencies = sorted({k[1] for k in stats if k[0] == body})
        for c in concurrencies:
            raw = stats.get((body, c, "raw"))
            row = [c]
            for client in CLIENT_ORDER:
                s = stats.get((body, c, client))
                row.append(s["rps"] if s else None)
                if not s:
                    continue
                ratio_rps = s["rps"] / raw["rps"] if raw and raw["rps"] else None
                ratio_p99 = s["p99"] / raw["p99"] if raw and raw["p99"] else None
                noisy = " ⚠" if s["other_max"] > NOISY_OTHER_CPU else ""
                w("| %d | %s | %s | %s–%s | %s | %s | %s | %s | %s | %s%s | %s | %s |%s" % (
                    c, CLIENT_NAMES.get(client, client), fmt(s["rps"]), fmt(s["rps_min"]),
                    fmt(s["rps_max"]), fmt(s["p50"] / 1e3, "%.3f"), fmt(s["p99"] / 1e3, "%.3f"),
                    fmt(s["cpu"], "%.1f"), fmt(s["csw"], "%.2f"),
                    fmt(s["server"] * 100, "%.0f%%"), fmt(s["other"] * 100, "%.0f%%"), noisy,
                    fmt(ratio_rps, "%.2f"), fmt(ratio_p99, "%.2f"),
                    "" if not s["errors"] else " %d errors" % s["errors"]))
            if body == "msg":
                chart_rows.append(row)
        w("")
    w("CPU columns: *client CPU* is user+system time of every thread of the client process "
      "in the measured window, per request; *server CPU* is nginx's worker as a share of one "
      "CPU; *rest of the machine* is everything else on the machine as a share of one CPU "
      "(⚠: above %d%% in at least one repetition, so that cell is noisy)." %
      (NOISY_OTHER_CPU * 100))
    w("")

    present = [i for i, c in enumerate(CLIENT_ORDER) if any(r[i + 1] is not None for r in chart_rows)]
    with open(os.path.join(out, "chart.dat"), "w") as f:
        f.write("c " + " ".join('"%s"' % CLIENT_NAMES[CLIENT_ORDER[i]] for i in present) + "\n")
        for row in chart_rows:
            values = [row[i + 1] for i in present]
            f.write(" ".join([str(row[0])] + [str(int(v)) if v is not None else "NaN"
                                              for v in values]) + "\n")

    # Instructions per request.
    ir = {}
    for path in glob.glob(os.path.join(out, "callgrind.*.*")):
        m = re.match(r"callgrind\.([\w-]+)\.(\d+)$", os.path.basename(path))
        if m:
            ir.setdefault(m.group(1), {})[int(m.group(2))] = callgrind_total(path)
    ir_per_request = {}
    if ir:
        w("#### User-space instructions per request (callgrind)")
        w("")
        w("| client | Ir, n₁ requests | Ir, n₂ requests | Ir per request = ΔIr / Δn |")
        w("|---|--:|--:|--:|")
        for client in CLIENT_ORDER:
            if client not in ir or len(ir[client]) < 2:
                continue
            (n1, i1), (n2, i2) = sorted(ir[client].items())[:2]
            if i1 is None or i2 is None:
                continue
            ir_per_request[client] = (i2 - i1) / (n2 - n1)
            w("| %s | %s (n₁=%d) | %s (n₂=%d) | %s |" % (
                CLIENT_NAMES[client], format(i1, ","), n1, format(i2, ","), n2,
                format(round(ir_per_request[client]), ",")))
        w("")
        if "raw" in ir and "futures" in ir and len(ir["raw"]) >= 2 and len(ir["futures"]) >= 2:
            where_instructions_go(out, ir, w)

    settings_table(out, w)

    # RSS per request in flight.
    rss_path = os.path.join(out, "rss.jsonl")
    rss = {}
    if os.path.exists(rss_path):
        for l in open(rss_path):
            if l.strip():
                r = json.loads(l)
                rss.setdefault(r["client"], []).append(r)
    rss_per = {}
    if rss:
        w("#### RSS per request in flight (slow server, every request held until all arrived)")
        w("")
        w("| client | in flight | RSS before | RSS at plateau | bytes per request in flight "
          "(median) | min–max | errors |")
        w("|---|--:|--:|--:|--:|--:|--:|")
        for client in CLIENT_ORDER:
            if client not in rss:
                continue
            rs = rss[client]
            per = [r["rss_per_inflight_bytes"] for r in rs]
            rss_per[client] = median(per)
            w("| %s | %d | %.1f MiB | %.1f MiB | %s | %s–%s | %d |" % (
                CLIENT_NAMES[client], rs[0]["inflight"],
                median(r["rss_base_kib"] for r in rs) / 1024,
                median(r["rss_peak_kib"] for r in rs) / 1024, format(round(rss_per[client]), ","),
                format(round(min(per)), ","), format(round(max(per)), ","),
                sum(r["errors"] for r in rs)))
        w("")

    # Targets.
    w("#### Issue 7's targets (ratios to (b) in this run)")
    w("")
    w("| target | futures | callbacks | verdict |")
    w("|---|--:|--:|---|")
    for c in (64, 256):
        raw = stats.get(("msg", c, "raw"))
        if not raw:
            continue
        for key, name, limit, better in (("rps", "req/s", TARGET_RPS, "ge"),
                                         ("p99", "p99", TARGET_P99, "le")):
            ratios = {}
            for client in ("futures", "callbacks"):
                s = stats.get(("msg", c, client))
                if s and raw[key]:
                    ratios[client] = s[key] / raw[key]
            if not ratios:
                continue
            ok = all((v >= limit) if better == "ge" else (v <= limit) for v in ratios.values())
            w("| %s at c=%d %s %.2f × raw | %s | %s | %s |" % (
                name, c, "≥" if better == "ge" else "≤", limit,
                fmt(ratios.get("futures"), "%.2f"), fmt(ratios.get("callbacks"), "%.2f"),
                verdict(ok)))
    if "raw" in ir_per_request and "futures" in ir_per_request:
        r = ir_per_request["futures"] / ir_per_request["raw"]
        w("| instructions/request ≤ %.2f × raw | %.2f | (same chain) | %s |" % (
            TARGET_IR, r, verdict(r <= TARGET_IR)))
    if "raw" in rss_per and "futures" in rss_per and rss_per["raw"] > 0:
        r = rss_per["futures"] / rss_per["raw"]
        w("| RSS per request in flight ≤ %.1f × raw | %.2f | (same chain) | %s |" % (
            TARGET_RSS, r, verdict(r <= TARGET_RSS)))
    w("")
    return "\n".join(lines)


# Inclusive Ir per request of these functions (prefix of callgrind's name), per client.
WHERE = [
    ("curl_multi_perform", "`curl_multi_perform`: the transfer, libcurl + rhc's callbacks"),
    ("rhc::detail::on_header", "↳ rhc's `on_header` (response headers into `Response::headers`)"),
    ("rhc::detail::prepare", "rhc `prepare()` on the caller's thread"),
    ("rhc::detail::BaseUrl::resolve", "↳ `BaseUrl::resolve` (curl_url dup + set + 2 gets)"),
    ("rhc::detail::new_request_id", "↳ `new_request_id` (UUIDv4)"),
    ("RAND_bytes", "↳ ↳ OpenSSL `RAND_bytes`"),
    ("rhc::detail::EventLoop::drain_inbox", "rhc `EventLoop::drain_inbox` (chain submit, bulkhead, start_attempt)"),
    ("rhc::detail::EasySetup::configure_attempt", "↳ `EasySetup::configure_attempt` (setopts per attempt)"),
    ("rhc::detail::EventLoop::reap_finished", "rhc `EventLoop::reap_finished` (outcome, chain, promise)"),
    ("curl_maprintf", "libcurl's `curl_maprintf` (every caller; formats char by char)"),
]
CALLS = ["malloc", "operator new(unsigned long)", "getenv", "curl_url_get", "curl_maprintf",
         "curl_easy_setopt", "curl_slist_append", "RAND_bytes", "poll", "curl_multi_wakeup",
         "curl_multi_poll"]


SETTING_NAMES = {
    "proxy": "`CURLOPT_PROXY` and `CURLOPT_NOPROXY` set (empty)",
    "curlu": "URL passed parsed (`CURLOPT_CURLU`)",
    "ua": "a `User-Agent` (`CURLOPT_USERAGENT`)",
    "xid": "an `X-Request-ID` (`CURLOPT_HTTPHEADER`)",
    "hdr": "rhc's `X-Request-ID` and `Expect:` (`CURLOPT_HTTPHEADER`)",
    "hfn": "a header callback (`CURLOPT_HEADERFUNCTION`)",
    "enc": "`CURLOPT_ACCEPT_ENCODING \"\"` (all encodings)",
    "gzip": "`CURLOPT_ACCEPT_ENCODING \"gzip\"`",
    "fresh": "a new easy handle per request (rhc's guard against curl issue 11101 on libcurl < 8.1.0)",
}


def settings_table(out, w):
    """Ir per request of the raw loop at c=1 with libcurl settings added (run.sh's
    BENCH_SETTINGS step)."""
    runs = {}
    for path in glob.glob(os.path.join(out, "settings.*.*")):
        m = re.match(r"settings\.(.+)\.(\d+)$", os.path.basename(path))
        if m:
            runs.setdefault(m.group(1), {})[int(m.group(2))] = callgrind_total(path)
    per = {}
    for name, by_n in runs.items():
        if len(by_n) >= 2:
            (n1, i1), (n2, i2) = sorted(by_n.items())[:2]
            if i1 is not None and i2 is not None:
                per[name] = (i2 - i1) / (n2 - n1)
    if not per:
        return
    w("#### What single libcurl settings cost: the raw loop at c=1, settings added")
    w("")
    w("| `rhc-bench-curl raw --libcurl` | adds | Ir per request | vs none | vs `proxy` |")
    w("|---|---|--:|--:|--:|")
    base, proxy = per.get("none"), per.get("proxy")
    for name in sorted(per, key=lambda k: (k != "none", k.count("+"), k)):
        parts = [] if name == "none" else name.split("+")
        added = [p for p in parts if p != "proxy"] if len(parts) > 1 else parts
        what = "nothing: the naive loop" if not parts else "; ".join(
            SETTING_NAMES.get(p, p) for p in added)
        w("| `%s` | %s | %s | %s | %s |" % (
            ",".join(parts) if parts else "(none)", what, format(round(per[name]), ","),
            format(round(per[name] - base), "+,") if base else "–",
            format(round(per[name] - proxy), "+,") if proxy and name != "none" else "–"))
    w("")
    w("Counts move by about ±1,500 Ir between runs (how many loop turns a request takes "
      "depends on timing), so single small differences are noise.")
    w("")


def where_instructions_go(out, ir, w):
    """The per-request profile of (b) and (d) side by side, from the same callgrind runs."""
    profiles = {}
    for client in ("raw", "futures"):
        (n1, _), (n2, _) = sorted(ir[client].items())[:2]
        f1 = os.path.join(out, "callgrind.%s.%d" % (client, n1))
        f2 = os.path.join(out, "callgrind.%s.%d" % (client, n2))
        self_ir, calls, by_obj, _ = callgrind_diff.per_request(f1, n1, f2, n2)
        for program in ("rhc-bench", "rhc-bench-curl"):  # the driver, the same code in both
            if program in by_obj:
                by_obj["the benchmark program"] += by_obj.pop(program)
        try:
            inclusive = callgrind_diff.inclusive_per_request(f1, n1, f2, n2)
        except (OSError, Exception):  # callgrind_annotate missing or failing: skip that part
            inclusive = {}
        profiles[client] = (sum(self_ir.values()), calls, by_obj, inclusive)

    def inc(client, prefix):
        inclusive = profiles[client][3]
        return sum(v for f, v in inclusive.items() if f == prefix or f.startswith(prefix + "(")
                   or f.startswith(prefix + "["))

    w("Where they go, per request (same runs; Ir = instructions; inclusive of callees):")
    w("")
    w("| | (b) raw | (d) rhc futures | difference |")
    w("|---|--:|--:|--:|")
    r_total, f_total = profiles["raw"][0], profiles["futures"][0]
    w("| **all user-space instructions** | %s | %s | %s |" % (
        format(round(r_total), ","), format(round(f_total), ","),
        format(round(f_total - r_total), "+,")))
    objects = sorted(set(profiles["raw"][2]) | set(profiles["futures"][2]),
                     key=lambda o: -(profiles["futures"][2].get(o, 0)))
    for o in objects:
        a, b = profiles["raw"][2].get(o, 0), profiles["futures"][2].get(o, 0)
        if max(abs(a), abs(b)) >= 200:
            w("| in `%s` (self) | %s | %s | %s |" % (o, format(round(a), ","),
                                                     format(round(b), ","),
                                                     format(round(b - a), "+,")))
    for prefix, label in WHERE:
        a, b = inc("raw", prefix), inc("futures", prefix)
        if max(a, b) >= 50:
            w("| %s | %s | %s | %s |" % (label, format(round(a), ","), format(round(b), ","),
                                         format(round(b - a), "+,")))
    w("")
    w("| calls per request | (b) raw | (d) rhc futures |")
    w("|---|--:|--:|")
    for name in CALLS:
        a = callgrind_diff.calls_to(profiles["raw"][1], name)
        b = callgrind_diff.calls_to(profiles["futures"][1], name)
        if max(a, b) >= 0.005:
            w("| `%s` | %.2f | %.2f |" % (name, a, b))
    w("")


def splice(table_path, doc_path):
    table_text = open(table_path).read().rstrip("\n")
    doc = open(doc_path).read()
    start, end = doc.index(BEGIN) + len(BEGIN), doc.index(END)
    with open(doc_path, "w") as f:
        f.write(doc[:start] + "\n" + table_text + "\n" + doc[end:])


def main(argv):
    command = argv[1]
    if command == "wrk-json":
        print(json.dumps(wrk_json(argv[2], argv[3], argv[4])))
    elif command == "brief":
        brief(argv[2], sys.stdin.read())
    elif command == "table":
        print(table(argv[2]))
    elif command == "splice":
        splice(argv[2], argv[3])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
