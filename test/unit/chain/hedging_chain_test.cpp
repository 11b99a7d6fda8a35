// Hedging through the chain (docs/hedging.md), with the scripted transport and a manual
// clock: when a hedge starts, which answer wins, what stops hedges, and the adaptive delay.
#include <string>
#include <vector>

#include "chain_harness.hpp"

namespace rhc::testing::chain {
namespace {

rhc::ClientConfig hedging_config(int max_attempts = 3) {
  rhc::ClientConfig c = config_with(max_attempts);
  c.hedging.enabled = true;
  c.hedging.delay = 100ms;
  return c;
}

void hedgeable(Request& r) { r.hedgeable = true; }

std::vector<std::string> event_kinds(Harness& h) {
  std::vector<EventRecord> records;
  h.events.take(records);
  std::vector<std::string> out;
  for (const EventRecord& e : records) {
    std::string s = std::string(to_string(e.kind)) + " #" + std::to_string(e.attempt);
    if (*e.error != '\0') s += std::string(" ") + e.error;
    out.push_back(s);
  }
  return out;
}

using Lines = std::vector<std::string>;

TEST_CASE(
    "no response head within the delay: a hedge starts; the first answer wins and the "
    "loser is stopped",
    "[chain][hedging]") {
  Harness h(hedging_config());
  h.listening = true;
  auto f = h.submit("h", hedgeable);
  Request& r = *h.last;
  h.advance(99ms);
  CHECK(h.transport.started.size() == 1);
  h.advance(1ms);
  REQUIRE(h.transport.started.size() == 2);
  CHECK(h.transport.lanes == std::vector<int>{0, 1});
  CHECK(h.transport.fresh == std::vector<bool>{false, false});
  h.advance(20ms);
  h.succeed(r, 200, /*lane=*/1);
  const rhc::Response response = f.get();
  CHECK(response.attempts == 2);
  CHECK(h.transport.aborted_lanes == std::vector<int>{0});
  CHECK(event_kinds(h) == Lines{"AttemptStart #1", "Hedge #2", "AttemptStart #2", "AttemptEnd #2",
                                "AttemptEnd #1 CancelledError", "RequestEnd #2"});
  rhc::ClientStats s;
  h.chain->fill_stats(s);
  CHECK(s.hedges == 1);
  CHECK(s.attempts == 2);
  CHECK(s.retries == 0);
  CHECK(s.authorities.at(0).hedges == 1);
}

TEST_CASE(
    "no hedge when an attempt is answering, when the request is not hedgeable, or when "
    "max_attempts is 1",
    "[chain][hedging]") {
  SECTION("a response head arrived") {
    Harness h(hedging_config());
    auto f = h.submit("h", hedgeable);
    h.transport.heads.insert({h.last, 0});
    h.advance(500ms);
    CHECK(h.transport.started.size() == 1);
  }
  SECTION("not hedgeable (prepare decided: e.g. a POST without a key)") {
    Harness h(hedging_config());
    auto f = h.submit("p");
    h.advance(500ms);
    CHECK(h.transport.started.size() == 1);
  }
  SECTION("max_attempts = 1") {
    Harness h(hedging_config(1));
    auto f = h.submit("h", hedgeable);
    h.advance(500ms);
    CHECK(h.transport.started.size() == 1);
  }
}

TEST_CASE("hedges stop at max_hedged_attempts and max_attempts", "[chain][hedging]") {
  rhc::ClientConfig c = hedging_config(3);
  c.hedging.max_hedged_attempts = 4;
  Harness h(c);
  auto f = h.submit("h", hedgeable);
  h.advance(100ms);
  h.advance(100ms);
  h.advance(100ms);
  CHECK(h.transport.started.size() == 3);  // max_attempts bounds them, hedges included
  CHECK(h.transport.lanes == std::vector<int>{0, 1, 2});
}

TEST_CASE("an exhausted retry budget means no hedge", "[chain][hedging][budget]") {
  rhc::ClientConfig c = hedging_config();
  c.retry.budget.min_retries_per_second = 0;
  c.retry.budget.ratio = 0;
  Harness h(c);
  auto f = h.submit("h", hedgeable);
  h.advance(500ms);
  CHECK(h.transport.started.size() == 1);
  h.succeed(*h.last);
  CHECK(f.get().attempts == 1);
  rhc::ClientStats s;
  h.chain->fill_stats(s);
  CHECK(s.hedges == 0);
  CHECK(s.retry_budget_exhausted == 1);
}

TEST_CASE("cancel and timeout.total stop the attempts and the pending hedges", "[chain][hedging]") {
  SECTION("cancel") {
    Harness h(hedging_config());
    auto f = h.submit("h", hedgeable);
    h.advance(100ms);
    REQUIRE(h.transport.started.size() == 2);
    h.tokens.back().cancel();
    h.chain->cancel(*h.cancels.pending.front());
    CHECK_THROWS_AS(f.get(), rhc::CancelledError);
    CHECK(h.transport.aborted_lanes.size() == 2);
    h.advance(1s);
    CHECK(h.transport.started.size() == 2);
  }
  SECTION("timeout.total") {
    rhc::ClientConfig c = hedging_config();
    c.hedging.max_hedged_attempts = 3;
    c.timeout.total = 0.15s;
    Harness h(c);
    auto f = h.submit("h", hedgeable);
    h.advance(100ms);
    REQUIRE(h.transport.started.size() == 2);
    h.advance(50ms);
    CHECK_THROWS_AS(f.get(), rhc::APITimeoutError);
    CHECK(h.transport.aborted_lanes.size() == 2);
    h.advance(1s);
    CHECK(h.transport.started.size() == 2);
  }
}

TEST_CASE("a failure worth retrying while another attempt runs: a hedge at once, else wait",
          "[chain][hedging]") {
  rhc::ClientConfig c = hedging_config(5);
  c.hedging.max_hedged_attempts = 2;
  Harness h(c);
  auto f = h.submit("h", hedgeable);
  Request& r = *h.last;
  h.advance(100ms);  // hedge 1 on lane 1
  REQUIRE(h.transport.started.size() == 2);
  h.fail_status(r, 503, "", /*lane=*/0);  // lane 0 fails: hedge 2 at once, on lane 0
  REQUIRE(h.transport.started.size() == 3);
  CHECK(h.transport.lanes.back() == 0);
  h.fail_status(r, 503, "", /*lane=*/1);  // no hedge left: wait for lane 0
  CHECK(h.transport.started.size() == 3);
  CHECK(f.wait_for(0s) != std::future_status::ready);
  h.succeed(r, 200, 0);
  CHECK(f.get().attempts == 3);
}

TEST_CASE("a final answer from any attempt ends the request (a 404 is final)", "[chain][hedging]") {
  Harness h(hedging_config());
  auto f = h.submit("h", hedgeable);
  Request& r = *h.last;
  h.advance(100ms);
  h.fail_status(r, 404, "", /*lane=*/1);
  CHECK_THROWS_AS(f.get(), rhc::NotFoundError);
  CHECK(h.transport.aborted_lanes == std::vector<int>{0});
}

TEST_CASE("when every attempt failed, the usual retry with backoff follows, hedged again",
          "[chain][hedging]") {
  Harness h(hedging_config(5));
  auto f = h.submit("h", hedgeable);
  Request& r = *h.last;
  h.advance(100ms);
  h.fail_status(r, 500, "", 1);
  h.fail_status(r, 500, "", 0);  // both failed: backoff, then attempt 3
  CHECK(h.transport.started.size() == 2);
  // The backoff counts every attempt made, hedges included: min_wait * 2^(2 - 1).
  h.advance(1999ms);
  CHECK(h.transport.started.size() == 2);
  h.advance(1ms);
  REQUIRE(h.transport.started.size() == 3);
  h.advance(100ms);  // attempt 3 hedged in turn
  CHECK(h.transport.started.size() == 4);
  h.succeed(r, 200, h.transport.lanes.back());
  CHECK(f.get().attempts == 4);
}

TEST_CASE("over HTTP/2, a hedge asks for a connection of its own", "[chain][hedging]") {
  Harness h(hedging_config());
  auto f = h.submit("h", hedgeable);
  h.transport.multiplexes.insert({h.last, 0});
  h.advance(100ms);
  CHECK(h.transport.fresh == std::vector<bool>{false, true});
}

TEST_CASE("the adaptive delay: the authority's recent p90, never below `delay`",
          "[chain][hedging]") {
  rhc::ClientConfig c = hedging_config();
  c.hedging.delay = 10ms;
  c.hedging.delay_percentile = 0.9;
  c.hedging.min_samples = 10;
  Harness h(c);
  // 10 successful attempts of 200 ms each: the p90 becomes ~200 ms (within one bucket).
  for (int i = 0; i < 10; ++i) {
    auto f = h.submit("s" + std::to_string(i));  // not hedged: only its latency counts
    h.now += 200ms;
    h.succeed(*h.last);
  }
  auto f = h.submit("h", hedgeable);
  h.advance(150ms);
  CHECK(h.transport.started.size() == 11);  // no hedge yet at 150 ms
  h.advance(70ms);
  CHECK(h.transport.started.size() == 12);  // hedged by 220 ms
}

}  // namespace
}  // namespace rhc::testing::chain
