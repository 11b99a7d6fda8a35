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
    "futures-threads": "(f) rhc futures, c caller threads (legacy shape)",
    "open-breaker": "(g) rhc, calls refused by an open breaker",
    "futures-listener": "(d)+l rhc futures, a listener counting events",
    "futures-slow-listener": "(d)+s rhc futures, a listener sleeping 10 ms per event",
}
CLIENT_ORDER = ["wrk", "raw", "raw-tuned", "threads", "futures", "callbacks", "futures-threads",
                "futures-listener", "futures-slow-listener"]
BEGIN, END = "<!-- bench:results:begin -->", "<!-- bench:results:end -->"
# Issue 20's targets, against (b) raw libcurl multi and (c) threads measured in the same run:
# at c=64 and 256, (d) and (e) reach >= 1.0 x (c)'s and >= 0.85 x (b)'s req/s with p99 <=
# 1.25 x (b)'s, and (f), the legacy shape, >= 0.9 x (c)'s req/s with p99 no worse than (c)'s;
# at c=1, (d) adds <= 12 us of p50 to (c)'s with <= 2 context switches per request; (d)'s
# instructions per request <= 1.45 x (b)'s and RSS per request in flight <= 1.2 x (b)'s; an
# open breaker refuses a call in <= 5 us (p50, (g)).
TARGET_RPS_THREADS, TARGET_RPS_RAW, TARGET_RPS_LEGACY, TARGET_P99 = 1.0, 0.85, 0.9, 1.25
TARGET_P99_LEGACY = 1.0  # x (c)'s p99: "p99 no worse"
TARGET_ADDED_P50_US, TARGET_CSW = 12.0, 2.0
TARGET_IR, TARGET_RSS, TARGET_FAILFAST_P50_US = 1.45, 1.2, 5.0
TARGET_CLIENTS = ["futures", "callbacks", "futures-threads"]  # the targets table's columns
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

    failfast = failfast_table(out, w)
    targets_table(stats, ir_per_request, rss_per, failfast, w)
    return "\n".join(lines)


def failfast_table(out, w):
    """(g): calls refused by an open breaker (run.sh's fail-fast step); the median p50 per
    concurrency."""
    path = os.path.join(out, "failfast.jsonl")
    if not os.path.exists(path):
        return {}
    by_c = {}
    for l in open(path):
        if l.strip():
            r = json.loads(l)
            by_c.setdefault(r["concurrency"], []).append(r)
    if not by_c:
        return {}
    # "open-breaker c=1 rep 1: breaker: N calls refused; stats().breaker_rejections M"
    counted = {}
    counts_path = os.path.join(out, "failfast.txt")
    if os.path.exists(counts_path):
        for l in open(counts_path):
            m = re.search(r"c=(\d+) rep \d+: breaker: (\d+) calls refused; "
                          r"stats\(\)\.breaker_rejections (\d+)", l)
            if m:
                calls, stats_count = counted.get(int(m.group(1)), (0, 0))
                counted[int(m.group(1))] = (calls + int(m.group(2)), stats_count + int(m.group(3)))
    w("#### Fail fast: calls refused by an open circuit breaker, from the call to the exception")
    w("")
    w("| c | client | calls/s (median) | calls/s min–max | p50 µs | p99 µs | client CPU µs/call "
      "| ctx switches/call | refusals in `stats()` / refused calls | errors |")
    w("|--:|---|--:|--:|--:|--:|--:|--:|--:|--:|")
    p50 = {}
    for c in sorted(by_c):
        rs = by_c[c]
        p50[c] = median(r["p50_us"] for r in rs)
        calls, stats_count = counted.get(c, (None, None))
        w("| %d | %s | %s | %s–%s | %s | %s | %s | %s | %s | %d |" % (
            c, CLIENT_NAMES["open-breaker"], fmt(median(r["rps"] for r in rs)),
            fmt(min(r["rps"] for r in rs)), fmt(max(r["rps"] for r in rs)),
            fmt(p50[c], "%.1f"), fmt(median(r["p99_us"] for r in rs), "%.1f"),
            fmt(median(r["cpu_us_per_req"] for r in rs), "%.1f"),
            fmt(median(r.get("csw_per_req") for r in rs), "%.2f"),
            "–" if calls is None else "%s / %s" % (format(stats_count, ","), format(calls, ",")),
            sum(r["errors"] for r in rs)))
    w("")
    return p50


def targets_table(stats, ir_per_request, rss_per, failfast_p50, w):
    """Issue 20's targets: one row per target, a column per rhc client it applies to."""
    rows = []  # (target, {client: text}, ok)

    def ratio_row(target, c, key, clients, base_client, limit, at_least):
        base = stats.get(("msg", c, base_client))
        values = {}
        for client in clients:
            s = stats.get(("msg", c, client))
            if s and base and base[key] and s[key] is not None:
                values[client] = s[key] / base[key]
        if values:
            ok = all(v >= limit if at_least else v <= limit for v in values.values())
            rows.append((target, {k: "%.2f" % v for k, v in values.items()}, ok))

    concurrencies = sorted({k[1] for k in stats if k[0] == "msg"})
    high = [c for c in (64, 256) if c in concurrencies]
    note = ""
    if not high:  # a shortened run (the smoke: c=8): the same rows at what it ran
        high = [c for c in concurrencies if c > 1]
        if high:
            note = " The run had neither c=64 nor c=256: the rows for them are shown at c=%s." % (
                ", ".join(str(c) for c in high))
    for c in high:
        ratio_row("req/s at c=%d ≥ %.2f × (c) threads" % (c, TARGET_RPS_THREADS), c, "rps",
                  ["futures", "callbacks"], "threads", TARGET_RPS_THREADS, True)
        ratio_row("req/s at c=%d ≥ %.2f × (b) raw" % (c, TARGET_RPS_RAW), c, "rps",
                  ["futures", "callbacks"], "raw", TARGET_RPS_RAW, True)
        ratio_row("req/s at c=%d ≥ %.2f × (c) threads (legacy shape)" % (c, TARGET_RPS_LEGACY), c,
                  "rps", ["futures-threads"], "threads", TARGET_RPS_LEGACY, True)
        ratio_row("p99 at c=%d ≤ %.2f × (b) raw" % (c, TARGET_P99), c, "p99",
                  ["futures", "callbacks"], "raw", TARGET_P99, False)
        ratio_row("p99 at c=%d ≤ %.2f × (c) threads (legacy shape: no worse)" % (
            c, TARGET_P99_LEGACY), c, "p99", ["futures-threads"], "threads", TARGET_P99_LEGACY,
            False)
    threads_1 = stats.get(("msg", 1, "threads"))
    single = {k: stats.get(("msg", 1, k)) for k in ("futures", "futures-threads")}
    single = {k: v for k, v in single.items() if v}
    if threads_1 and single:
        added = {k: v["p50"] - threads_1["p50"] for k, v in single.items()}
        rows.append(("p50 added over (c) threads at c=1 ≤ %.0f µs" % TARGET_ADDED_P50_US,
                     {k: "%+.1f µs" % v for k, v in added.items()},
                     all(v <= TARGET_ADDED_P50_US for v in added.values())))
    csw = {k: v["csw"] for k, v in single.items() if v["csw"] is not None}
    if csw:
        rows.append(("context switches per request at c=1 ≤ %.0f" % TARGET_CSW,
                     {k: "%.2f" % v for k, v in csw.items()},
                     all(v <= TARGET_CSW for v in csw.values())))
    if ir_per_request.get("raw"):
        ir = {k: ir_per_request[k] / ir_per_request["raw"] for k in TARGET_CLIENTS
              if k in ir_per_request}
        if ir:
            rows.append(("instructions/request ≤ %.2f × (b) raw (callgrind)" % TARGET_IR,
                         {k: "%.2f" % v for k, v in ir.items()},
                         all(v <= TARGET_IR for v in ir.values())))
    if rss_per.get("raw"):
        rss = {k: rss_per[k] / rss_per["raw"] for k in TARGET_CLIENTS if k in rss_per}
        if rss:
            rows.append(("RSS per request in flight ≤ %.1f × (b) raw" % TARGET_RSS,
                         {k: "%.2f" % v for k, v in rss.items()},
                         all(v <= TARGET_RSS for v in rss.values())))
    if 1 in failfast_p50:
        v = failfast_p50[1]
        rows.append(("fail fast at c=1: (g)'s p50, call to CircuitOpenError, ≤ %.0f µs" %
                     TARGET_FAILFAST_P50_US, {"futures": "%.1f µs" % v},
                     v <= TARGET_FAILFAST_P50_US))
    if not rows:
        return
    w("#### Issue 20's targets (this run)")
    w("")
    w("| target | %s | verdict |" % " | ".join(CLIENT_NAMES[k] for k in TARGET_CLIENTS))
    w("|---|%s---|" % ("--:|" * len(TARGET_CLIENTS)))
    for target, values, ok in rows:
        w("| %s | %s | %s |" % (target, " | ".join(values.get(k, "–") for k in TARGET_CLIENTS),
                                verdict(ok)))
    w("")
    w("Ratios are of this run's medians; (c) is threads + `curl_easy_perform`, (b) "
      "raw libcurl multi, (g) `rhc-bench open-breaker` (its own table above).%s" % note)
    w("")


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
