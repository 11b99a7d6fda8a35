// The chain test harness: a scripted transport stands in for libcurl, a manual clock for
// time, and callbacks run inline. No sockets, no sleeps. Shared by the chain's test files.
#pragma once

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "chain/chain.hpp"
#include "chain/delivery.hpp"
#include "chain/request.hpp"
#include "logging/logger.hpp"
#include "outcomes.hpp"

namespace rhc::testing::chain {

using namespace std::chrono_literals;
using namespace rhc::detail;

struct ScriptedTransport : Transport {
  std::vector<Request*> started;  // every attempt, in order
  std::vector<int> lanes;         // the lane of each
  std::vector<bool> fresh;        // whether each asked for a fresh connection
  std::vector<Request*> aborted;
  std::vector<int> aborted_lanes;
  std::vector<int> sends_allowed;                        // what each start was told
  int resends_on_abort = 0;                              // what abort_attempt reports
  std::set<std::pair<const Request*, int>> heads;        // attempts with a response head
  std::set<std::pair<const Request*, int>> multiplexes;  // attempts on an HTTP/2 connection
  void start_attempt(Request& r, int lane, int allowed, bool fresh_connection) override {
    started.push_back(&r);
    lanes.push_back(lane);
    fresh.push_back(fresh_connection);
    sends_allowed.push_back(allowed);
    heads.erase({&r, lane});
  }
  int abort_attempt(Request& r, int lane) override {
    aborted.push_back(&r);
    aborted_lanes.push_back(lane);
    return resends_on_abort;
  }
  bool answered(const Request& r, int lane) const override { return heads.count({&r, lane}) > 0; }
  bool multiplexed(const Request& r, int lane) const override {
    return multiplexes.count({&r, lane}) > 0;
  }
};

struct QueuedCancels : CancelSink {
  std::deque<RequestPtr> pending;
  void post_cancel(RequestPtr r) override { pending.push_back(std::move(r)); }
};

inline rhc::LoggingConfig quiet() {
  rhc::LoggingConfig c;
  c.level = "ERROR";
  return c;
}

struct Harness {
  rhc::ClientConfig config;
  TimePoint now{std::chrono::hours(1)};
  TimerQueue timers;
  ScriptedTransport transport;
  Logger logger{quiet()};
  Delivery delivery{nullptr, logger};
  QueuedCancels cancels;
  EventGate gate;  // gate.wanted set: the chain records into `events`
  std::atomic<bool>& listening = gate.wanted;
  EventLog events{gate};
  std::unique_ptr<Chain> chain;

  explicit Harness(rhc::ClientConfig c) : config(std::move(c)) {
    config.retry.jitter = false;
    chain = std::make_unique<Chain>(
        config, transport, timers, delivery, logger, [] { return 0.5; }, now, events);
  }
  // A live request keeps itself alive (Request::self) until it ends: end every one a test
  // left running or waiting, as close() does, so that nothing leaks.
  ~Harness() { chain->close_all(); }

  // Requests as prepare() would make them; `setup` may change any field first.
  std::future<rhc::Response> submit(std::string id = "req",
                                    const std::function<void(Request&)>& setup = {}) {
    auto r = std::make_shared<Request>();
    r->method = "GET";
    r->authority = "http://test:80";
    r->url = "http://test/msg";
    r->request_id = std::move(id);
    r->timeouts = config.timeout;
    r->submitted = now;
    r->cancel_sink = &cancels;
    tokens.emplace_back();
    r->cancel_state = rhc::detail::CancelAccess::state(tokens.back());
    if (setup) setup(*r);
    auto f = r->promise.get_future();
    last = r.get();
    chain->submit(std::move(r));
    return f;
  }

  void advance(Duration d) {
    now += d;
    timers.run_due(now);
  }

  // `lane`: which of the request's attempts ends (0 unless it is hedged).
  void succeed(Request& r, int status = 200, int lane = 0) {
    rhc::Response response;
    response.status_code = status;
    AttemptOutcome o;
    o.result = std::move(response);
    chain->on_attempt_done(r, lane, std::move(o));
  }

  void fail_status(Request& r, int status, std::string retry_after = "", int lane = 0) {
    Failure f = Failure::of(kind_from_status(status, r.sends_idempotency_key),
                            "HTTP " + std::to_string(status));
    auto resp = std::make_shared<rhc::Response>();
    resp->status_code = status;
    if (!retry_after.empty()) resp->headers.emplace_back("Retry-After", retry_after);
    f.response = resp;
    AttemptOutcome o;
    o.result = std::move(f);
    chain->on_attempt_done(r, lane, std::move(o));
  }

  // reach: how far the attempt got (a refused connection never sent the request).
  void fail_connection(Request& r, int resends = 0, Reach reach = Reach::NotSent, int lane = 0) {
    AttemptOutcome o;
    o.result = Failure::of(ErrorKind::Connection, "connection refused");
    o.resends = resends;
    o.reach = reach;
    chain->on_attempt_done(r, lane, std::move(o));
  }

  Request* last = nullptr;
  std::deque<rhc::CancelToken> tokens;  // the callers' copies: tokens.back() is last's
};

// The chain resolves inline, so every error_of below gives a bound of 0 s: the future must
// be resolved already.
using rhc::testing::error_of;

inline rhc::ClientConfig config_with(int attempts) {
  rhc::ClientConfig c;
  c.retry.max_attempts = attempts;
  c.retry.min_wait = 1s;
  c.retry.max_wait = 8s;
  return c;
}

}  // namespace rhc::testing::chain
