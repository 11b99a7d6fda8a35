#include "soak_run.hpp"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <exception>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <stdexcept>
#include <thread>
#include <utility>

#include <rhc/rhc.hpp>
#include <test_server/test_server.hpp>

#include "breaker_log.hpp"
#include "process_stats.hpp"
#include "soak_outcome.hpp"

namespace rhc::soak {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using test_server::ChaosSettings;
using test_server::Fault;
using test_server::ServerOptions;
using test_server::TestServer;
using testing::BreakerLog;

constexpr int kMaxAttempts = 3;
// The server tracks attempts for more ids than the soak sends, so attempts_for() can be read
// for every request at the end. Its idempotency cache only has to outlive one request (a
// retry after a lost slow body is answered from it), so it stays small and flat.
constexpr std::size_t kServerIdCapacity = 100'000;
constexpr std::size_t kServerIdempotencyCapacity = 4'096;
// libcurl re-sends a request whose reused connection died before any response byte, on
// another connection (idle or new), at most CONN_MAX_RETRIES = 5 times per transfer.
constexpr std::uint64_t kCurlMaxResends = 5;

// Every fault kind the server has, picked uniformly when a request is faulted. slow_body is
// a slow *success* (4 chunks 20 ms apart, well inside the 200 ms read timeout); hang is
// answered by the client's read timeout, and the server lets the handler go after 1 s.
std::vector<Fault> every_fault() {
  return {Fault::status_code(500), Fault::status_code(502),
          Fault::status_code(503), Fault::status_code(504),
          Fault::status_code(408), Fault::status_code(429, std::chrono::seconds(1)),
          Fault::reset(),          Fault::truncate(1024),
          Fault::hang(1000ms),     Fault::slow_body(512, 128, 20ms)};
}

std::string request_id(const char* prefix, int i) { return prefix + std::to_string(i); }

// Waits (bounded) until the process's fd count is `target`, then returns it; otherwise
// returns the last count read. Closing is asynchronous on the server's side: its worker sees
// the client's FIN on its next poll, and a hung handler holds its socket for up to 1 s.
std::size_t settle_fds(std::size_t target, std::chrono::milliseconds bound) {
  const auto until = Clock::now() + bound;
  std::size_t fds = open_fds();
  while (fds != target && Clock::now() < until) {
    std::this_thread::sleep_for(20ms);
    fds = open_fds();
  }
  return fds;
}

// The fd count once it has held still for 200 ms (bounded by 3 s).
std::size_t stable_fds() {
  std::size_t last = open_fds();
  int still = 0;
  for (int i = 0; i < 150 && still < 10; ++i) {
    std::this_thread::sleep_for(20ms);
    const std::size_t now = open_fds();
    still = now == last ? still + 1 : 0;
    last = now;
  }
  return last;
}

struct MainPhase {
  const SoakSettings& settings;
  ResilientClient& client;
  TestServer& server;
  std::unique_ptr<Record[]> records;
  std::atomic<int> next{0};
  std::atomic<int> completed{0};
  std::atomic<std::uint64_t> unresolved{0};
  std::atomic<std::uint64_t> extra_runs{0};
  Clock::time_point issue_deadline;
  std::mutex rss_mutex;
  std::vector<std::size_t> rss_quarters;

  MainPhase(const SoakSettings& s, ResilientClient& c, TestServer& server)
      : settings(s),
        client(c),
        server(server),
        records(new Record[static_cast<std::size_t>(s.requests)]) {}

  void run_one(int i) {
    Record& rec = records[static_cast<std::size_t>(i)];
    const std::string id = request_id("soak-", i);
    RequestOptions o;
    o.request_id = id;
    const bool post = i % 4 >= 2;
    if (post) o.json = "{\"n\":" + std::to_string(i) + "}";
    const char* method = post ? "POST" : "GET";
    if (i % 2 == 0) {
      std::future<Response> f = client.request(method, "/msg", std::move(o));
      if (f.wait_for(settings.resolve_bound) != std::future_status::ready) {
        ++unresolved;
        return;
      }
      try {
        record_response(rec, f.get(), id);
      } catch (...) {
        record_error(rec, std::current_exception());
      }
      return;
    }
    rec.callback = true;
    auto done = std::make_shared<std::promise<void>>();
    std::future<void> resolved = done->get_future();
    client.request(method, "/msg", std::move(o), [this, &rec, done, id](Outcome out) {
      if (rec.runs.fetch_add(1) != 0) {  // a second run: the promise is broken
        ++extra_runs;
        return;
      }
      if (out.ok()) {
        record_response(rec, *out.response, id);
      } else {
        record_error(rec, out.error);
      }
      done->set_value();
    });
    if (resolved.wait_for(settings.resolve_bound) != std::future_status::ready) ++unresolved;
  }

  // A short outage on top of the random faults, so that the breaker trips on every run:
  // every arrival gets a 503 for settings.outage, then the random faults resume (with a
  // seed of their own, so the sequence does not start over).
  void outage(int which) {
    server.set_chaos({1.0, settings.seed, {Fault::status_code(503)}});
    std::this_thread::sleep_for(settings.outage);
    server.set_chaos({settings.fault_probability, settings.seed + static_cast<std::uint64_t>(which),
                      every_fault()});
  }

  void lane() {
    for (int n = 0; n < settings.requests; ++n) {  // bounded by count and by the deadline
      if (Clock::now() >= issue_deadline) return;
      const int i = next.fetch_add(1);
      if (i >= settings.requests) return;
      run_one(i);
      // Read again at the end: an attempt the client gave up on may still reach the
      // server's handler later, if the server was slower than the read timeout.
      records[static_cast<std::size_t>(i)].arrivals_at_resolve =
          server.attempts_for(request_id("soak-", i));
      if (records[static_cast<std::size_t>(i)].cls == Class::CircuitOpen) {
        // A polite caller backs off when the circuit is open, instead of spinning on it.
        std::this_thread::sleep_for(settings.circuit_open_pause);
      }
      const int done = ++completed;
      if (settings.outage.count() > 0 &&
          (done == settings.requests / 3 || done == 2 * settings.requests / 3)) {
        outage(done == settings.requests / 3 ? 1 : 2);
      }
      const int quarter = std::max(1, settings.requests / 4);
      if (done % quarter == 0) {
        std::lock_guard lock(rss_mutex);
        rss_quarters.push_back(resident_bytes());
      }
    }
  }

  void run() {
    issue_deadline = Clock::now() + settings.issue_budget;
    std::vector<std::thread> lanes;
    for (int l = 0; l < settings.concurrency; ++l) lanes.emplace_back([this] { lane(); });
    for (auto& t : lanes) t.join();
  }
};

void check_main_phase(MainPhase& m, const TestServer& server, SoakResult& r) {
  const int issued = std::min(m.next.load(), m.settings.requests);
  r.issued = static_cast<std::uint64_t>(issued);
  r.unresolved = m.unresolved.load();
  r.client_attempts.assign(kMaxAttempts + 1, 0);
  r.server_attempts.assign(2 * kMaxAttempts + 1, 0);
  std::set<std::string> message_ids;
  for (int i = 0; i < issued; ++i) {
    const Record& rec = m.records[static_cast<std::size_t>(i)];
    (rec.callback ? r.callbacks : r.futures)++;
    if (rec.callback && rec.runs.load() == 0) ++r.callbacks_never_ran;
    ++r.outcomes[name(rec.cls)];
    if (rec.cls == Class::None) continue;

    const int ac = rec.attempts;
    const std::uint64_t as = server.attempts_for(request_id("soak-", i));
    // An attempt the client gave up on (read timeout) can reach the server's handler after
    // the request resolved, when the server was slower than the timeout: the arrival counts,
    // but it is not in the success's body.
    const bool late = as > rec.arrivals_at_resolve;
    r.late_arrivals += late ? as - rec.arrivals_at_resolve : 0;
    r.client_attempts_sum += static_cast<std::uint64_t>(std::max(ac, 0));
    r.server_attempts_sum += as;
    if (ac < 0 || ac > kMaxAttempts) {
      ++r.client_over_max;
    } else {
      ++r.client_attempts[static_cast<std::size_t>(ac)];
    }
    ++r.server_attempts[std::min<std::size_t>(as, r.server_attempts.size() - 1)];
    if (as > static_cast<std::uint64_t>(kMaxAttempts)) ++r.over_max_on_wire;

    if (no_io(rec.cls)) {
      if (ac != 0 || as != 0) ++r.refused_with_io;
      continue;
    }
    if (as < static_cast<std::uint64_t>(ac)) ++r.server_below_client;
    if (as > (1 + kCurlMaxResends) * static_cast<std::uint64_t>(ac)) ++r.server_above_curl_bound;
    if (as > static_cast<std::uint64_t>(ac)) ++r.resent_requests;
    if (rec.budget_refused) {
      ++r.budget_refused;
    } else if (retryable(rec.cls) && ac != kMaxAttempts) {
      ++r.retryable_not_exhausted;
    }
    if (rec.cls == Class::Success) {
      if (!rec.id_ok) ++r.success_wrong_id;
      if (rec.body_attempt != (late ? rec.arrivals_at_resolve : as)) {
        ++r.success_attempt_mismatch;
      }
      if (rec.replayed) ++r.replayed_successes;
      if (!message_ids.insert(rec.message_id).second) ++r.duplicate_message_ids;
    }
  }
}

void read_server_stats(const TestServer& server, SoakResult& r) {
  const test_server::Stats s = server.stats();
  r.msg_requests = s.msg_requests;
  r.msg_successes = s.msg_successes;
  r.msg_failures = s.msg_failures;
  r.msg_replays = s.msg_replays;
  r.msg_max_in_flight = s.msg_max_in_flight;
  r.faults = s.faults_injected;
  for (const auto& [endpoint, count] : s.requests_by_endpoint) {
    if (endpoint != "/msg") r.other_requests += count;
  }
}

// close() with `n` requests outstanding (half futures, half callbacks): bulkhead slots full
// of transfers, hung and slow ones among them, and the rest waiting for a slot.
void close_under_load(const SoakSettings& settings, TestServer& server, SoakResult& r) {
  server.reset();
  server.set_chaos({settings.fault_probability, settings.seed + 1, every_fault()});
  auto client =
      std::make_unique<ResilientClient>(soak_client_config(server.base_url(), "rhc-soak-close"));
  const int n = settings.close_phase_requests;
  std::vector<std::future<Response>> futures;
  std::unique_ptr<std::atomic<int>[]> runs(new std::atomic<int>[static_cast<std::size_t>(n)]);
  std::unique_ptr<Class[]> classes(new Class[static_cast<std::size_t>(n)]);
  for (int i = 0; i < n; ++i) {
    runs[static_cast<std::size_t>(i)] = 0;
    classes[static_cast<std::size_t>(i)] = Class::None;
  }
  for (int i = 0; i < n; ++i) {
    RequestOptions o;
    o.request_id = request_id("close-", i);
    o.params = {{"delay", "500"}};  // holds every slot's attempt in the server's handler
    if (i % 2 == 0) {
      futures.push_back(client->get("/msg", std::move(o)));
      continue;
    }
    client->get("/msg", std::move(o), [&runs, &classes, i](Outcome out) {
      if (runs[static_cast<std::size_t>(i)].fetch_add(1) != 0) return;
      Record rec;
      if (out.ok()) {
        rec.cls = Class::Success;
      } else {
        record_error(rec, out.error);
      }
      classes[static_cast<std::size_t>(i)] = rec.cls;
    });
  }
  r.close_issued = static_cast<std::uint64_t>(n);
  // Full load: wait (bounded) until every bulkhead slot's attempt is in a server handler.
  const auto until = Clock::now() + 5s;
  const auto slots = static_cast<std::uint64_t>(client->config().bulkhead.max_concurrency);
  while (server.stats().msg_in_flight < slots && Clock::now() < until) {
    std::this_thread::sleep_for(5ms);
  }
  r.close_in_flight_at_close = server.stats().msg_in_flight;

  const auto start = Clock::now();
  client->close();
  r.close_seconds = std::chrono::duration<double>(Clock::now() - start).count();

  // Everything must be resolved the moment close() returns: no waiting here.
  for (auto& f : futures) {
    if (f.wait_for(0s) != std::future_status::ready) {
      ++r.close_unresolved_futures;
      continue;
    }
    Record rec;
    try {
      f.get();
      rec.cls = Class::Success;
    } catch (...) {
      record_error(rec, std::current_exception());
    }
    ++r.close_outcomes[name(rec.cls)];
  }
  for (int i = 1; i < n; i += 2) {
    const int ran = runs[static_cast<std::size_t>(i)].load();
    if (ran == 0) ++r.close_callbacks_not_run;
    if (ran > 1) r.close_callback_runs_extra += static_cast<std::uint64_t>(ran - 1);
    if (ran > 0) ++r.close_outcomes[name(classes[static_cast<std::size_t>(i)])];
  }
  client.reset();
  // A callback that ran a second time after close() would show up here.
  for (int i = 1; i < n; i += 2) {
    const int ran = runs[static_cast<std::size_t>(i)].load();
    if (ran > 1)
      r.close_callback_runs_extra =
          std::max<std::uint64_t>(r.close_callback_runs_extra, static_cast<std::uint64_t>(ran - 1));
  }
}

std::optional<long> env_number(const char* name) {
  const char* text = std::getenv(name);
  if (text == nullptr || *text == '\0') return std::nullopt;
  char* end = nullptr;
  const long value = std::strtol(text, &end, 10);
  if (*end != '\0' || value <= 0) throw std::invalid_argument(std::string("bad ") + name);
  return value;
}

}  // namespace

SoakSettings settings_from_env() {
  SoakSettings s;
  if (auto n = env_number("RHC_SOAK_REQUESTS")) s.requests = static_cast<int>(*n);
  if (auto n = env_number("RHC_SOAK_BUDGET_SECONDS")) s.issue_budget = std::chrono::seconds(*n);
  return s;
}

ClientConfig soak_client_config(const std::string& base_url, const std::string& logger_name) {
  ClientConfig c;
  c.base_url = base_url;
  c.timeout.connect = 2s;
  c.timeout.read = 200ms;  // a hang costs 200 ms, not the server's 1 s
  c.timeout.write = 2s;
  c.retry.max_attempts = kMaxAttempts;
  c.retry.min_wait = 10ms;
  c.retry.max_wait = 2s;  // >= the 1 s Retry-After of the 429s, so they are waited out
  c.retry.multiplier = 2.0;
  c.retry.jitter = true;
  // 30 % of attempts fail, so retries add about 0.4 of the first attempts, over the default
  // budget's 0.2 (which would then refuse about a third of the retries: its purpose, but
  // not this soak's). A ratio of 1 keeps the budget on, in every decision, without binding.
  c.retry.budget.ratio = 1.0;
  // A request fails only when all three attempts fail (about 2 % at 27 % failing attempts),
  // so two failed requests in a row open the circuit a handful of times per run; 200 ms
  // later one trial decides. See docs/reliability.md.
  c.circuit_breaker.failure_threshold = 2;
  c.circuit_breaker.recovery_timeout = 200ms;
  // 64 lanes, 48 slots: a quarter of the lanes always wait in the bulkhead's line.
  c.bulkhead.max_concurrency = 48;
  c.bulkhead.acquisition_timeout = 1s;
  c.logging.level = "WARNING";
  c.logging.logger_name = logger_name;
  c.executor_threads = 2;
  return c;
}

SoakResult run_soak(const SoakSettings& settings) {
  SoakResult r;
  r.settings = settings;
  r.max_attempts = kMaxAttempts;

  ServerOptions options;
  options.request_id_stats_capacity = kServerIdCapacity;
  options.idempotency_cache_capacity = kServerIdempotencyCapacity;
  TestServer server(options);
  server.start();

  // One-time global set-up (curl_global_init, OpenSSL) is not growth: do it before counting.
  {
    ResilientClient warm_up(soak_client_config(server.base_url(), "rhc-soak-warm-up"));
    warm_up.get("/health").wait_for(10s);
  }
  r.before.fds = stable_fds();
  r.before.threads = thread_count();

  server.set_chaos({settings.fault_probability, settings.seed, every_fault()});
  const std::string logger = "rhc-soak";
  BreakerLog breaker(logger);
  auto client = std::make_unique<ResilientClient>(soak_client_config(server.base_url(), logger));
  MainPhase main(settings, *client, server);
  const auto start = Clock::now();
  main.run();
  r.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  client.reset();  // joins the loop and the executor: every callback has run by now
  r.callback_runs_extra = main.extra_runs.load();
  r.rss_quarters = main.rss_quarters;
  r.breaker_opened = breaker.count("CLOSED -> OPEN");
  r.breaker_reopened = breaker.count("HALF_OPEN -> OPEN");
  read_server_stats(server, r);
  check_main_phase(main, server, r);
  r.after_main.fds = settle_fds(r.before.fds, 5s);
  r.after_main.threads = thread_count();

  close_under_load(settings, server, r);
  r.after_close.fds = settle_fds(r.before.fds, 5s);
  r.after_close.threads = thread_count();
  return r;
}

}  // namespace rhc::soak
