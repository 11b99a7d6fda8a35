// The policies under concurrency: many threads on one client at once, against the
// failure-injection server, checked from the client (errors, the breaker's logged
// transitions, its open connections) and from the server (/stats).
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <future>
#include <latch>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include <rhc/rhc.hpp>
#include <test_server/test_server.hpp>

#include "breaker_log.hpp"
#include "wait.hpp"

using namespace std::chrono_literals;
using rhc::test_server::Fault;
using rhc::test_server::TestServer;
using rhc::testing::BreakerLog;
using Clock = std::chrono::steady_clock;

namespace {

constexpr auto kResolveBound = 30s;

struct Server {
  TestServer server;
  Server() { server.start(); }
};

rhc::ClientConfig config_for(const TestServer& server, const std::string& logger_name) {
  rhc::ClientConfig c;
  c.base_url = server.base_url();
  c.retry.max_attempts = 1;  // one request, one attempt: the server's counts are requests
  c.logging.level = "INFO";  // the breaker logs CLOSED/HALF_OPEN changes at INFO
  c.logging.logger_name = logger_name;
  return c;
}

rhc::RequestOptions delayed(int ms) {
  rhc::RequestOptions o;
  o.params = {{"delay", std::to_string(ms)}};
  return o;
}

// The breaker's settings for `mode`, and how many failed requests open it: 5 in a row, or,
// with every request failing, minimum_calls = 10 calls in the window (rate 1 >= 0.5).
int open_after(rhc::CircuitBreakerConfig& breaker, rhc::BreakerMode mode) {
  breaker.mode = mode;
  breaker.failure_threshold = 5;
  breaker.minimum_calls = 10;
  breaker.failure_rate_threshold = 0.5;
  breaker.window = 60s;  // no call leaves the window during the test, however slow the build
  return mode == rhc::BreakerMode::Consecutive ? breaker.failure_threshold : breaker.minimum_calls;
}

struct Tally {
  int successes = 0, server_errors = 0, circuit_open = 0, other = 0, unresolved = 0;
  int total() const { return successes + server_errors + circuit_open + other + unresolved; }
};

Tally tally(std::vector<std::future<rhc::Response>>& futures) {
  Tally t;
  for (auto& f : futures) {
    if (f.wait_for(kResolveBound) != std::future_status::ready) {
      ++t.unresolved;
      continue;
    }
    try {
      f.get();
      ++t.successes;
    } catch (const rhc::CircuitOpenError& e) {
      ++t.circuit_open;
      CHECK(e.attempts() == 0);
    } catch (const rhc::ServerError&) {
      ++t.server_errors;
    } catch (...) {
      ++t.other;
    }
  }
  return t;
}

// `threads` threads released together by a latch; each runs `body(futures)`, collecting
// the futures it made; returns them all.
template <typename Body>
std::vector<std::future<rhc::Response>> together(int threads, Body body) {
  std::latch start(threads);
  std::vector<std::vector<std::future<rhc::Response>>> per_thread(threads);
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      start.arrive_and_wait();
      body(per_thread[static_cast<std::size_t>(t)]);
    });
  }
  for (auto& th : pool) th.join();
  std::vector<std::future<rhc::Response>> all;
  for (auto& v : per_thread) {
    for (auto& f : v) all.push_back(std::move(f));
  }
  return all;
}

// ESTABLISHED TCP connections in this process's network namespace whose remote end is
// 127.0.0.1:port: the client's connections to the server (the server's own accepted
// sockets have the port as their local end, not the remote one).
int client_connections(int port) {
  std::ifstream tcp("/proc/self/net/tcp");
  std::string line;
  std::getline(tcp, line);  // header
  int n = 0;
  for (int i = 0; i < 100'000 && std::getline(tcp, line); ++i) {
    unsigned local_ip = 0, local_port = 0, remote_ip = 0, remote_port = 0, state = 0;
    if (std::sscanf(line.c_str(), " %*d: %8X:%4X %8X:%4X %2X", &local_ip, &local_port, &remote_ip,
                    &remote_port, &state) != 5) {
      continue;
    }
    if (state == 0x01 && remote_port == static_cast<unsigned>(port) && remote_ip == 0x0100007F) {
      ++n;
    }
  }
  return n;
}

}  // namespace

TEST_CASE("many threads failing at once open the circuit exactly once", "[policy][breaker]") {
  const auto mode = GENERATE(rhc::BreakerMode::Consecutive, rhc::BreakerMode::FailureRate);
  INFO("mode " << rhc::to_string(mode));
  Server s;
  s.server.fail_next(100'000, Fault::status_code(500));
  auto config = config_for(s.server, "conc-open");
  const int needed = open_after(config.circuit_breaker, mode);
  config.circuit_breaker.recovery_timeout = 60s;  // stays open for the rest of the test
  config.bulkhead.max_concurrency = 1000;
  BreakerLog log("conc-open");
  rhc::ResilientClient client(config);

  SECTION("every request in flight when the threshold is crossed") {
    // 128 requests admitted while the circuit is closed, all failing ~50 ms later: the
    // failure that crosses the threshold opens it; the others are late results and must not
    // open it again.
    auto futures = together(32, [&](auto& mine) {
      for (int i = 0; i < 4; ++i) mine.push_back(client.get("/msg", delayed(50)));
    });
    const Tally t = tally(futures);
    CHECK(t.unresolved == 0);
    CHECK(t.other == 0);
    CHECK(t.server_errors + t.circuit_open == 128);
    CHECK(t.server_errors >= needed);
    CHECK(s.server.stats().msg_requests == static_cast<std::uint64_t>(t.server_errors));
  }
  SECTION("requests arriving while failures open it") {
    // 32 threads, each calling again as soon as its last call is answered: the failures
    // that open the circuit and the calls it then refuses interleave.
    auto futures = together(32, [&](auto& mine) {
      for (int i = 0; i < 20; ++i) {
        mine.push_back(client.get("/msg"));
        mine.back().wait_for(kResolveBound);
      }
    });
    const Tally t = tally(futures);
    CHECK(t.unresolved == 0);
    CHECK(t.other == 0);
    CHECK(t.server_errors + t.circuit_open == 640);
    CHECK(t.server_errors >= needed);
    CHECK(t.circuit_open >= 1);
    CHECK(s.server.stats().msg_requests == static_cast<std::uint64_t>(t.server_errors));
  }
  CHECK(client.circuit_state() == rhc::CircuitState::Open);
  CHECK(log.count("CLOSED -> OPEN") == 1);
  CHECK(log.all().size() == 1);  // no other transition at all
}

TEST_CASE("with one breaker per authority, each opens exactly once under races",
          "[policy][breaker][authority]") {
  const auto mode = GENERATE(rhc::BreakerMode::Consecutive, rhc::BreakerMode::FailureRate);
  INFO("mode " << rhc::to_string(mode));
  Server a, b;
  a.server.fail_next(100'000, Fault::status_code(500));
  b.server.fail_next(100'000, Fault::status_code(500));
  const std::string url_a = a.server.base_url(), url_b = b.server.base_url();
  auto config = config_for(a.server, "conc-authority");
  const int needed = open_after(config.circuit_breaker, mode);
  config.circuit_breaker.scope = rhc::BreakerScope::Authority;
  config.circuit_breaker.recovery_timeout = 60s;
  config.bulkhead.max_concurrency = 1000;
  BreakerLog log("conc-authority");
  rhc::ResilientClient client(config);

  // Every thread calls A then B, so the futures alternate: even indices A, odd ones B.
  std::vector<std::future<rhc::Response>> futures;
  int per_authority = 0;
  SECTION("every request in flight when the thresholds are crossed") {
    futures = together(32, [&](auto& mine) {
      for (int i = 0; i < 4; ++i) {
        mine.push_back(client.get(url_a + "/msg", delayed(50)));
        mine.push_back(client.get(url_b + "/msg", delayed(50)));
      }
    });
    per_authority = 128;
  }
  SECTION("requests arriving while failures open them") {
    futures = together(32, [&](auto& mine) {
      for (int i = 0; i < 10; ++i) {
        mine.push_back(client.get(url_a + "/msg"));
        mine.push_back(client.get(url_b + "/msg"));
        mine[mine.size() - 2].wait_for(kResolveBound);
        mine.back().wait_for(kResolveBound);
      }
    });
    per_authority = 320;
  }
  std::vector<std::future<rhc::Response>> to_a, to_b;
  for (std::size_t i = 0; i < futures.size(); ++i) {
    (i % 2 == 0 ? to_a : to_b).push_back(std::move(futures[i]));
  }
  for (auto [url, server, mine] :
       {std::tuple{url_a, &a.server, &to_a}, std::tuple{url_b, &b.server, &to_b}}) {
    INFO("authority " << url);
    const Tally t = tally(*mine);
    CHECK(t.unresolved == 0);
    CHECK(t.other == 0);
    CHECK(t.server_errors + t.circuit_open == per_authority);
    CHECK(t.server_errors >= needed);
    CHECK(server->stats().msg_requests == static_cast<std::uint64_t>(t.server_errors));
    CHECK(client.circuit_state(url) == rhc::CircuitState::Open);
    CHECK(log.count_for(url, "CLOSED -> OPEN") == 1);
    CHECK(log.all_for(url).size() == 1);  // no other transition of that breaker
  }
  CHECK(log.count("CLOSED -> OPEN") == 2);
  CHECK(log.all_for("").empty());  // the client-wide breaker is not used with this scope
}

TEST_CASE("the bulkhead never has more requests in flight than its limit, under load",
          "[policy][bulkhead]") {
  Server s;
  // 200 ms at the server: "the bulkhead was full" needs kLimit requests there at one moment,
  // and a loop starved of CPU (TSan on a busy machine) took longer than 20 ms, and once than
  // 50 ms, to send a round's requests: the server saw 6 at once, never 8.
  constexpr int kLimit = 8, kThreads = 32, kPerThread = 2, kDelayMs = 200;
  auto config = config_for(s.server, "conc-bulkhead");
  config.bulkhead.max_concurrency = kLimit;
  config.bulkhead.acquisition_timeout = 30s;
  config.circuit_breaker.failure_threshold = 1000;
  rhc::ResilientClient client(config);

  // Client side: the client's open connections to the server, sampled every millisecond.
  // A request holds its slot while its attempt holds a connection, and libcurl reuses an
  // idle connection before it opens one, so more than kLimit would mean more than kLimit
  // requests past the bulkhead.
  std::atomic<bool> sampling{true};
  std::atomic<int> max_connections{0};
  std::atomic<int> samples{0};
  std::thread sampler([&] {
    for (int i = 0; i < 60'000 && sampling.load(); ++i) {  // at most about a minute
      const int n = client_connections(s.server.port());
      int seen = max_connections.load();
      while (n > seen && !max_connections.compare_exchange_weak(seen, n)) {
      }
      ++samples;
      std::this_thread::sleep_for(1ms);
    }
  });

  const auto start = Clock::now();
  auto futures = together(kThreads, [&](auto& mine) {
    for (int i = 0; i < kPerThread; ++i) mine.push_back(client.get("/msg", delayed(kDelayMs)));
  });
  const Tally t = tally(futures);
  const auto took = Clock::now() - start;
  sampling = false;
  sampler.join();

  CHECK(t.successes == kThreads * kPerThread);
  const auto stats = s.server.stats();
  CHECK(stats.msg_requests == static_cast<std::uint64_t>(kThreads * kPerThread));
  CHECK(stats.msg_max_in_flight <= static_cast<std::uint64_t>(kLimit));
  CHECK(stats.msg_max_in_flight == static_cast<std::uint64_t>(kLimit));  // and it was full
  CHECK(samples > 10);
  CHECK(max_connections <= kLimit);
  CHECK(max_connections > 0);
  // And from the clock: 64 requests of 200 ms through 8 slots take at least 8 rounds.
  CHECK(took >= std::chrono::milliseconds(kThreads * kPerThread / kLimit * kDelayMs));
}

TEST_CASE("half-open admits exactly one trial while many threads call", "[policy][breaker]") {
  Server s;
  auto config = config_for(s.server, "conc-trial");
  config.circuit_breaker.failure_threshold = 1;
  // Longer than the trial (1.5 s at the server) with a wide margin: a trial running past
  // recovery_timeout gives its place to the next request (docs/circuit-breaker.md "Half-open
  // probes"), which would make a second trial here.
  config.circuit_breaker.recovery_timeout = 3s;
  config.bulkhead.max_concurrency = 1000;
  BreakerLog log("conc-trial");
  rhc::ResilientClient client(config);

  s.server.fail_next(1);
  CHECK_THROWS_AS(client.get("/msg").get(), rhc::ServerError);
  REQUIRE(client.circuit_state() == rhc::CircuitState::Open);
  REQUIRE(rhc::testing::eventually(
      [&] { return client.circuit_state() == rhc::CircuitState::HalfOpen; }, 10s));

  const bool trial_fails = GENERATE(false, true);
  if (trial_fails) s.server.fail_next(1);
  const auto before = s.server.stats().msg_requests;
  // The trial takes 1.5 s at the server; meanwhile 32 threads keep calling for 150 ms. The
  // margins are wide so that a slow build (TSan), whose loop may take a while to get through
  // thousands of calls, cannot stretch them past the trial or its place's lease.
  auto futures = together(32, [&](auto& mine) {
    const auto stop = Clock::now() + 150ms;
    for (int i = 0; i < 200 && Clock::now() < stop; ++i) {
      mine.push_back(client.get("/msg", delayed(1500)));
      std::this_thread::sleep_for(1ms);
    }
  });
  const Tally t = tally(futures);
  INFO("trial fails: " << trial_fails << ", calls: " << t.total());
  CHECK(t.total() > 64);
  CHECK(t.unresolved == 0);
  CHECK(t.other == 0);
  CHECK(s.server.stats().msg_requests - before == 1);  // exactly one request went out
  CHECK(t.successes + t.server_errors == 1);
  CHECK(t.circuit_open == t.total() - 1);
  CHECK(log.count("OPEN -> HALF_OPEN") == 1);
  if (trial_fails) {
    CHECK(t.server_errors == 1);
    CHECK(log.count("HALF_OPEN -> OPEN") == 1);
    CHECK(client.circuit_state() == rhc::CircuitState::Open);
  } else {
    CHECK(t.successes == 1);
    CHECK(log.count("HALF_OPEN -> CLOSED") == 1);
    CHECK(client.circuit_state() == rhc::CircuitState::Closed);
  }
  CHECK(log.count("CLOSED -> OPEN") == 1);
}
