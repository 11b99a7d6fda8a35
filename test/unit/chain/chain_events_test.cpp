// The events the chain records, in order, for scripted scenarios (docs/observability.md
// "Events"), and the counters behind ClientStats. The harness's EventLog stands in for the
// dispatcher: with `listening` set the chain records, and the test reads the records back.
#include <string>
#include <vector>

#include "chain_harness.hpp"

namespace rhc::testing::chain {
namespace {

// One line per record: kind, then what that kind carries.
std::string line(const EventRecord& e) {
  std::string s = to_string(e.kind);
  if (e.attempt != 0) s += " #" + std::to_string(e.attempt);
  if (e.status_code != 0) s += " " + std::to_string(e.status_code);
  if (*e.error != '\0') s += " " + std::string(e.error);
  if (e.kind == EventKind::RetrySuppressed) s += " reason=" + e.reason;
  if (e.kind == EventKind::BreakerTransition) {
    s += std::string(" ") + to_string(e.from) + "->" + to_string(e.to);
  }
  if (e.kind == EventKind::LimitChanged) s += " limit=" + std::to_string(e.limit);
  const auto ms = [](Duration d) {
    return std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(d).count());
  };
  if (e.wait != Duration::zero()) s += " wait=" + ms(e.wait) + "ms";
  return s;
}

std::vector<std::string> lines(Harness& h) {
  std::vector<EventRecord> records;
  h.events.take(records);
  std::vector<std::string> out;
  for (const EventRecord& e : records) out.push_back(line(e));
  return out;
}

using Lines = std::vector<std::string>;

TEST_CASE("a request retried twice, then served: every attempt, both retries, the end",
          "[chain][events]") {
  Harness h(config_with(3));
  h.listening = true;
  auto f = h.submit("r1");
  h.fail_status(*h.transport.started.at(0), 503);
  h.advance(1s);
  h.fail_connection(*h.transport.started.at(1), 0, Reach::Sent);
  h.advance(2s);
  h.succeed(*h.transport.started.at(2));
  REQUIRE(f.get().status_code == 200);
  CHECK(lines(h) == Lines{
                        "AttemptStart #1",
                        "AttemptEnd #1 503 ServiceUnavailableError",
                        "RetryScheduled #1 503 ServiceUnavailableError wait=1000ms",
                        "AttemptStart #2",
                        "AttemptEnd #2 APIConnectionError",
                        "RetryScheduled #2 APIConnectionError wait=2000ms",
                        "AttemptStart #3",
                        "AttemptEnd #3 200",
                        "RequestEnd #3 200",
                    });
}

TEST_CASE("every request-scoped record carries the request's labels; durations are the loop's",
          "[chain][events]") {
  Harness h(config_with(1));
  h.listening = true;
  auto f = h.submit("r1");
  h.now += 250ms;
  h.succeed(*h.transport.started.at(0));
  std::vector<EventRecord> records;
  h.events.take(records);
  REQUIRE(records.size() == 3);
  for (const EventRecord& e : records) {
    REQUIRE(e.labels != nullptr);
    CHECK(e.labels->authority == "http://test:80");
    CHECK(e.labels->request_id == "r1");
    CHECK(e.labels->method == "GET");
    CHECK(e.labels->url == "http://test/msg");
  }
  CHECK(records[1].duration == Duration(250ms));  // AttemptEnd: time on the transport
  CHECK(records[2].duration == Duration(250ms));  // RequestEnd: from the call
  CHECK(records[0].labels == records[2].labels);  // one label block per request, shared
}

TEST_CASE("a breaker opening, rejecting, half-opening and closing", "[chain][events]") {
  rhc::ClientConfig c = config_with(1);
  c.circuit_breaker.failure_threshold = 2;
  c.circuit_breaker.recovery_timeout = 5s;
  Harness h(c);
  h.listening = true;
  for (int i = 0; i < 2; ++i) {
    auto f = h.submit("f" + std::to_string(i));
    h.fail_status(*h.last, 500);
  }
  auto rejected = h.submit("rejected");
  h.advance(5s);
  auto trial = h.submit("trial");
  h.succeed(*h.last);
  CHECK(lines(h) == Lines{
                        "AttemptStart #1",
                        "AttemptEnd #1 500 ServerError",
                        "RetrySuppressed #1 500 ServerError reason=attempts",
                        "RequestEnd #1 500 ServerError",
                        "AttemptStart #1",
                        "AttemptEnd #1 500 ServerError",
                        "RetrySuppressed #1 500 ServerError reason=attempts",
                        "BreakerTransition CLOSED->OPEN",
                        "RequestEnd #1 500 ServerError",
                        "BreakerRejected",
                        "RequestEnd CircuitOpenError",
                        "BreakerTransition OPEN->HALF_OPEN",
                        "AttemptStart #1",
                        "AttemptEnd #1 200",
                        "BreakerTransition HALF_OPEN->CLOSED",
                        "RequestEnd #1 200",
                    });
  rhc::ClientStats s;
  h.chain->fill_stats(s);
  CHECK(s.requests == 4);
  CHECK(s.successes == 1);
  CHECK(s.failures == 3);
  CHECK(s.failures_by_error ==
        std::map<std::string, std::uint64_t>{{"CircuitOpenError", 1}, {"ServerError", 2}});
  CHECK(s.breaker_rejections == 1);
  CHECK(s.attempts == 3);
  CHECK(s.retries == 0);
  CHECK(s.retries_suppressed == 2);
  REQUIRE(s.authorities.size() == 1);
  CHECK(s.authorities[0].authority == "http://test:80");
  CHECK(s.authorities[0].breaker_state == rhc::CircuitState::Closed);
  CHECK(s.authorities[0].breaker_rejections == 1);
}

TEST_CASE("a per-authority breaker's transitions name the authority; the client's name none",
          "[chain][events]") {
  rhc::ClientConfig c = config_with(1);
  c.circuit_breaker.failure_threshold = 1;
  SECTION("scope Authority") {
    c.circuit_breaker.scope = rhc::BreakerScope::Authority;
    Harness h(c);
    h.listening = true;
    auto f = h.submit("f");
    h.fail_status(*h.last, 500);
    std::vector<EventRecord> records;
    h.events.take(records);
    REQUIRE(records.at(3).kind == EventKind::BreakerTransition);
    CHECK(records[3].labels->authority == "http://test:80");
    CHECK(records[3].labels->request_id.empty());
  }
  SECTION("scope Client") {
    Harness h(c);
    h.listening = true;
    auto f = h.submit("f");
    h.fail_status(*h.last, 500);
    std::vector<EventRecord> records;
    h.events.take(records);
    REQUIRE(records.at(3).kind == EventKind::BreakerTransition);
    CHECK(records[3].labels->authority.empty());
  }
}

TEST_CASE("a bulkhead wait that ends with a slot, and one that times out", "[chain][events]") {
  rhc::ClientConfig c = config_with(1);
  c.bulkhead.max_concurrency = 1;
  c.bulkhead.acquisition_timeout = 1s;
  Harness h(c);
  h.listening = true;
  auto first = h.submit("first");
  Request* holder = h.last;
  auto second = h.submit("second");
  h.advance(300ms);
  h.succeed(*holder);  // the slot passes to "second", which waited 300 ms
  auto third = h.submit("third");
  h.advance(1s);  // "third" times out in line
  CHECK(lines(h) == Lines{
                        "AttemptStart #1",
                        "BulkheadQueued",
                        "AttemptEnd #1 200",
                        "RequestEnd #1 200",
                        "AttemptStart #1 wait=300ms",
                        "BulkheadQueued",
                        "BulkheadRejected wait=1000ms",
                        "RequestEnd PoolTimeoutError",
                    });
  rhc::ClientStats s;
  h.chain->fill_stats(s);
  CHECK(s.bulkhead_rejected == 1);
  CHECK(s.bulkhead_in_use == 1);
  CHECK(s.in_progress == 1);
  CHECK(s.requests == 2);
}

TEST_CASE(
    "why a retryable failure was not retried: attempts, deadline, Retry-After, method, "
    "budget",
    "[chain][events]") {
  auto reason_of = [](Harness& h) {
    std::vector<EventRecord> records;
    h.events.take(records);
    for (const EventRecord& e : records) {
      if (e.kind == EventKind::RetrySuppressed) return e.reason;
    }
    return std::string("none");
  };
  SECTION("attempts") {
    Harness h(config_with(1));
    h.listening = true;
    auto f = h.submit();
    h.fail_status(*h.last, 503);
    CHECK(reason_of(h) == "attempts");
  }
  SECTION("deadline") {
    rhc::ClientConfig c = config_with(3);
    c.timeout.total = 1.5s;  // the first backoff (1 s) fits; the next attempt's would not
    Harness h(c);
    h.listening = true;
    auto f = h.submit();
    h.advance(1s);
    h.fail_status(*h.last, 503);
    CHECK(reason_of(h) == "deadline");
  }
  SECTION("retry_after") {
    Harness h(config_with(3));
    h.listening = true;
    auto f = h.submit();
    h.fail_status(*h.last, 503, "60");  // over max_wait (8 s)
    CHECK(reason_of(h) == "retry_after");
  }
  SECTION("unsafe_method") {
    rhc::ClientConfig c = config_with(3);
    c.retry.unsafe_methods = rhc::UnsafeRetry::Never;
    Harness h(c);
    h.listening = true;
    auto f = h.submit("p", [](Request& r) {
      r.method = "POST";
      r.idempotent = false;
    });
    h.fail_status(*h.last, 503);
    CHECK(reason_of(h) == "unsafe_method");
  }
  SECTION("budget") {
    rhc::ClientConfig c = config_with(3);
    c.retry.budget.min_retries_per_second = 0;
    c.retry.budget.ratio = 0;
    Harness h(c);
    h.listening = true;
    auto f = h.submit();
    h.fail_connection(*h.last, 0, Reach::Sent);
    CHECK(reason_of(h) == "budget");
    rhc::ClientStats s;
    h.chain->fill_stats(s);
    CHECK(s.retry_budget_exhausted == 1);
    CHECK(s.authorities.at(0).retry_budget_exhausted == 1);
  }
  SECTION("a failure that is never retried is not 'suppressed'") {
    Harness h(config_with(3));
    h.listening = true;
    auto f = h.submit();
    h.fail_status(*h.last, 404);
    CHECK(reason_of(h) == "none");
    rhc::ClientStats s;
    h.chain->fill_stats(s);
    CHECK(s.retries_suppressed == 0);
  }
}

TEST_CASE("a cancelled attempt ends before its request; nobody listening, nothing recorded",
          "[chain][events]") {
  Harness h(config_with(3));
  h.listening = true;
  auto f = h.submit("c");
  h.tokens.back().cancel();
  h.chain->cancel(*h.cancels.pending.front());
  CHECK(lines(h) ==
        Lines{"AttemptStart #1", "AttemptEnd #1 CancelledError", "RequestEnd #1 CancelledError"});
  h.listening = false;
  auto g = h.submit("quiet");
  h.succeed(*h.last);
  CHECK(h.events.empty());
  rhc::ClientStats s;
  h.chain->fill_stats(s);
  CHECK(s.requests == 2);  // counters count whether or not anyone listens
  CHECK(s.request_duration.count == 2);
}

TEST_CASE("an adaptive limit's cut and growth are LimitChanged events of the authority",
          "[chain][events]") {
  rhc::ClientConfig c = config_with(1);
  c.bulkhead.adaptive.enabled = true;
  c.bulkhead.adaptive.initial_limit = 4;
  c.bulkhead.adaptive.backoff_ratio = 0.5;
  Harness h(c);
  h.listening = true;
  auto f = h.submit("drop");
  h.fail_status(*h.last, 503);  // a drop: 4 -> 2
  // Growth is +1 per round trip: one success per unit of the limit (2 of them).
  for (int i = 0; i < 2; ++i) {
    auto g = h.submit("ok" + std::to_string(i));
    h.succeed(*h.last);
  }
  std::vector<EventRecord> records;
  h.events.take(records);
  std::vector<std::string> limits;
  for (const EventRecord& e : records) {
    if (e.kind != EventKind::LimitChanged) continue;
    limits.push_back(e.labels->authority + " " + std::to_string(e.limit));
    CHECK(e.labels->request_id.empty());
  }
  CHECK(limits == Lines{"http://test:80 2", "http://test:80 3"});
  rhc::ClientStats s;
  h.chain->fill_stats(s);
  CHECK(s.authorities.at(0).concurrency_limit == 3);
  CHECK(s.authorities.at(0).in_flight == 0);
}

TEST_CASE("while the dispatcher's queue is full, events are counted as dropped, not made",
          "[chain][events]") {
  Harness h(config_with(1));
  h.listening = true;
  h.gate.full = true;
  auto f = h.submit("r1");
  CHECK(h.last->event_labels == nullptr);  // not even the labels were made
  h.succeed(*h.last);                      // (the request is gone after this)
  CHECK(h.events.empty());
  CHECK(h.gate.dropped == 3);  // AttemptStart, AttemptEnd, RequestEnd
  h.gate.full = false;
  auto g = h.submit("r2");
  h.succeed(*h.last);
  CHECK(lines(h) == Lines{"AttemptStart #1", "AttemptEnd #1 200", "RequestEnd #1 200"});
}

}  // namespace
}  // namespace rhc::testing::chain
