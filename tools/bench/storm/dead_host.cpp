#include "dead_host.hpp"

#include <algorithm>
#include <cstdio>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include <rhc/rhc.hpp>
#include <test_server/test_server.hpp>

#include "log_tap.hpp"
#include "report.hpp"
#include "timed_loop.hpp"

namespace rhc::bench::storm {
namespace {

enum Target : std::size_t { kHealthy = 0, kDead = 1 };

struct Calls {  // what the callers saw for one server
  long requests = 0;
  long ok = 0;            // 200
  long circuit_open = 0;  // refused by the breaker, no I/O
  long failed = 0;        // any other failure
  long attempts = 0;      // Response::attempts and Error::attempts(), summed
};

// The breaker that judges the dead server, replayed from rhc's log: with scope Authority the
// dead authority's, with scope Client the client's one. rhc logs each transition and each
// attempt's start on its loop thread, in the order they happen, so every attempt to the dead
// server falls in exactly one state.
struct Books {
  CircuitState state = CircuitState::Closed;
  Clock::time_point since;
  int openings = 0, trials = 0, closings = 0;
  double seconds_in[3] = {0, 0, 0};   // by CircuitState, within the run (the drain excluded)
  long attempts_in[3] = {0, 0, 0};    // attempts to the dead server started in each state
  long open_retries = 0;              // of attempts_in[Open]: retries (attempt 2 or later)
  std::vector<long> open_by_opening;  // attempts_in[Open], split by the opening they fell in
  long attempts_logged = 0;
  int other_breaker_openings = 0;  // scope Authority: the healthy server's breaker
};

std::size_t index(CircuitState s) { return static_cast<std::size_t>(s); }

class Recorder {
 public:
  Recorder(std::string dead, std::string breaker_key, Clock::time_point start,
           Clock::time_point end)
      : dead_(std::move(dead)), breaker_key_(std::move(breaker_key)), start_(start), end_(end) {
    books_.since = start;
  }

  void on_event(const LogEvent& e) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (e.kind == LogEventKind::BreakerChanged) {
      if (e.authority != breaker_key_) {
        if (e.to == CircuitState::Open) ++books_.other_breaker_openings;
        return;
      }
      close_period(e.at);
      books_.state = e.to;
      books_.openings += e.to == CircuitState::Open;
      if (e.to == CircuitState::Open) books_.open_by_opening.push_back(0);
      books_.trials += e.to == CircuitState::HalfOpen;
      books_.closings += e.to == CircuitState::Closed;
    } else if (e.kind == LogEventKind::AttemptStarted && e.authority == dead_) {
      ++books_.attempts_logged;
      ++books_.attempts_in[index(books_.state)];
      if (books_.state == CircuitState::Open) {
        ++books_.open_by_opening.back();
        if (e.number > 1) ++books_.open_retries;
      }
    }
  }

  void on_outcome(std::size_t target, const OutcomeFacts& f) {
    std::lock_guard<std::mutex> lock(mutex_);
    Calls& c = calls_[target];
    ++c.requests;
    c.attempts += f.attempts;
    if (f.ok && f.status == 200) {
      ++c.ok;
    } else if (f.circuit_open) {
      ++c.circuit_open;
    } else {
      ++c.failed;
    }
  }

  // After the loop has drained and the client is closed.
  std::pair<Books, std::pair<Calls, Calls>> result() {
    std::lock_guard<std::mutex> lock(mutex_);
    close_period(end_);
    return {books_, {calls_[kHealthy], calls_[kDead]}};
  }

 private:
  // Adds the time since the last transition, clipped to the run, to the current state.
  void close_period(Clock::time_point at) {
    const Clock::time_point from = std::max(books_.since, start_);
    const Clock::time_point to = std::min(at, end_);
    if (from < to) {
      books_.seconds_in[index(books_.state)] += std::chrono::duration<double>(to - from).count();
    }
    books_.since = at;
  }

  const std::string dead_;
  const std::string breaker_key_;
  const Clock::time_point start_, end_;
  std::mutex mutex_;
  Books books_;
  Calls calls_[2];
};

struct Cell {
  BreakerScope scope;
  int max_attempts;
  Books books;
  Calls healthy, dead;
  std::uint64_t dead_server_attempts = 0;  // the dead server's Stats::msg_requests
  std::uint64_t healthy_server_attempts = 0;
  double run_s = 0;
};

ClientConfig config_for(const DeadHostPlan& plan, const std::string& base_url, BreakerScope scope,
                        int max_attempts) {
  ClientConfig config;
  config.base_url = base_url;
  config.circuit_breaker.scope = scope;
  config.circuit_breaker.mode = BreakerMode::Consecutive;
  config.circuit_breaker.failure_threshold = 5;
  config.circuit_breaker.recovery_timeout =
      std::chrono::duration_cast<Seconds>(plan.recovery_timeout);
  config.retry.max_attempts = max_attempts;
  // The default waits (1 s to 60 s) scaled by 1/100, as rhc-bench-storm does; the retry
  // budget stays on, as by default.
  config.retry.min_wait = std::chrono::milliseconds(10);
  config.retry.max_wait = std::chrono::milliseconds(600);
  config.bulkhead.max_concurrency = plan.callers;  // no caller ever waits for a slot
  config.logging.level = "DEBUG";                  // every attempt, for the tap
  config.logging.include_request_id = false;
  config.logging.logger_name = "hosts";
  return config;
}

Cell run_cell(test_server::TestServer& healthy, test_server::TestServer& dead,
              const DeadHostPlan& plan, BreakerScope scope, int max_attempts) {
  healthy.reset();
  dead.reset();
  test_server::ChaosSettings chaos;
  chaos.probability = 1.0;
  chaos.seed = plan.seed;
  chaos.faults = {test_server::Fault::status_code(500)};
  dead.set_chaos(chaos);

  const auto started = Clock::now();
  const auto deadline = started + plan.duration;
  Recorder recorder(dead.base_url(), scope == BreakerScope::Authority ? dead.base_url() : "",
                    started, deadline);
  LogTap tap([&recorder](const LogEvent& e) { recorder.on_event(e); });
  auto client = create_resilient_client(config_for(plan, healthy.base_url(), scope, max_attempts));
  LoopPlan loop;
  loop.targets = {healthy.base_url() + "/msg", dead.base_url() + "/msg"};
  loop.callers = plan.callers;
  loop.deadline = deadline;
  loop.seed = plan.seed;
  run_timed_loop(*client, loop, [&recorder](std::size_t target, const Outcome& o) {
    recorder.on_outcome(target, facts_of(o));
  });
  client->close();

  Cell cell{scope, max_attempts, {}, {}, {}, 0, 0, 0};
  auto [books, calls] = recorder.result();
  cell.books = books;
  cell.healthy = calls.first;
  cell.dead = calls.second;
  cell.dead_server_attempts = dead.stats().msg_requests;
  cell.healthy_server_attempts = healthy.stats().msg_requests;
  cell.run_s = static_cast<double>(plan.duration.count());
  return cell;
}

void print_table_of(const std::vector<Cell>& cells) {
  std::vector<Row> rows;
  auto add = [&](const std::string& label, auto text) {
    Row r{label};
    for (const Cell& c : cells) r.push_back(text(c));
    rows.push_back(std::move(r));
  };
  auto d = [](long v) { return static_cast<double>(v); };
  add("healthy: requests", [](const Cell& c) { return std::to_string(c.healthy.requests); });
  add("**healthy: succeeded**", [&](const Cell& c) {
    return format("**%ld (%s)**", c.healthy.ok,
                  percent(d(c.healthy.ok), d(c.healthy.requests)).c_str());
  });
  add("healthy: refused by the breaker",
      [](const Cell& c) { return std::to_string(c.healthy.circuit_open); });
  add("healthy: other failures", [](const Cell& c) { return std::to_string(c.healthy.failed); });
  add("healthy: successes/s",
      [&](const Cell& c) { return format("%.0f", d(c.healthy.ok) / c.run_s); });
  add("dead: requests", [](const Cell& c) { return std::to_string(c.dead.requests); });
  add("dead: refused by the breaker (no I/O)",
      [](const Cell& c) { return std::to_string(c.dead.circuit_open); });
  add("dead: attempts the server received (client's count, log's count)", [](const Cell& c) {
    return format("%llu (%ld, %ld)", static_cast<unsigned long long>(c.dead_server_attempts),
                  c.dead.attempts, c.books.attempts_logged);
  });
  add("breaker judging the dead host: openings / trials / closings", [](const Cell& c) {
    return format("%d / %d / %d", c.books.openings, c.books.trials, c.books.closings);
  });
  add("that breaker: share of the run open / half-open", [](const Cell& c) {
    return percent(c.books.seconds_in[index(CircuitState::Open)], c.run_s) + " / " +
           percent(c.books.seconds_in[index(CircuitState::HalfOpen)], c.run_s);
  });
  add("**dead: attempts started while that breaker was open** (retries; by opening)",
      [](const Cell& c) {
        std::string by_opening;
        for (long n : c.books.open_by_opening) {
          by_opening += (by_opening.empty() ? "" : ", ") + std::to_string(n);
        }
        return format("**%ld** (%ld; %s)", c.books.attempts_in[index(CircuitState::Open)],
                      c.books.open_retries, by_opening.c_str());
      });
  add("dead: attempts started while half-open / closed", [](const Cell& c) {
    return format("%ld / %ld", c.books.attempts_in[index(CircuitState::HalfOpen)],
                  c.books.attempts_in[index(CircuitState::Closed)]);
  });
  add("other breakers opened (the healthy host's)",
      [](const Cell& c) { return std::to_string(c.books.other_breaker_openings); });
  Row header{""};
  for (const Cell& c : cells) {
    header.push_back(format("scope %s, max_attempts %d", to_string(c.scope), c.max_attempts));
  }
  print_table(header, rows);
}

void print_verdicts(const std::vector<Cell>& cells) {
  std::printf(
      "\nIn a closed loop a refusal by the breaker returns at once and the caller's next request "
      "follows, so callers spin through refusals while a breaker is open: request counts weigh "
      "open periods heavily, and 'healthy: successes/s' is the figure to compare across "
      "scopes.\n");
  for (const Cell& c : cells) {
    if (c.scope != BreakerScope::Authority) continue;
    const long open = c.books.attempts_in[index(CircuitState::Open)];
    std::printf(
        "Issue #14, scope authority, max_attempts %d: healthy success rate 100 %%: %s (%s); "
        "attempts the dead server received while its breaker was open = 0: %s (%ld).\n",
        c.max_attempts, c.healthy.ok == c.healthy.requests ? "met" : "NOT met",
        percent(static_cast<double>(c.healthy.ok), static_cast<double>(c.healthy.requests)).c_str(),
        open == 0 ? "met" : "NOT met", open);
  }
}

}  // namespace

void run_dead_host(const DeadHostPlan& plan) {
  std::printf(
      "\n## Dead host: two servers, one answering 500 to everything; %d callers in a closed "
      "loop, each request to either server (50/50, seed %llu); %lld s per cell\n\n",
      plan.callers, static_cast<unsigned long long>(plan.seed),
      static_cast<long long>(plan.duration.count()));
  std::printf(
      "Breaker: consecutive, failure_threshold 5, recovery_timeout %.1f s. Retry: waits 10 ms to "
      "600 ms (1/100 of the defaults), budget on. Bulkhead max_concurrency %d. A fresh client "
      "and reset servers per cell. An attempt counts as started while open when rhc's log line "
      "for its start comes after the breaker's '-> OPEN' line and before its next "
      "'OPEN -> HALF_OPEN' (both written on rhc's loop thread, in order).\n\n",
      std::chrono::duration<double>(plan.recovery_timeout).count(), plan.callers);
  test_server::ServerOptions options;
  options.request_id_stats_capacity = 16;
  test_server::TestServer healthy(options);
  test_server::TestServer dead(options);
  healthy.start();
  dead.start();
  std::vector<Cell> cells;
  for (int attempts : plan.max_attempts) {
    for (BreakerScope scope : {BreakerScope::Authority, BreakerScope::Client}) {
      std::fflush(stdout);
      std::fprintf(stderr, "== dead-host, scope %s, max_attempts %d\n", to_string(scope), attempts);
      cells.push_back(run_cell(healthy, dead, plan, scope, attempts));
    }
  }
  print_table_of(cells);
  print_verdicts(cells);
}

}  // namespace rhc::bench::storm
