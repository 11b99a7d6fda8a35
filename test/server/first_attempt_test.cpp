// Slowness::first_attempt_only, the fault hedging is tested against: only the first attempt of
// each X-Request-ID can be slowed, so a hedge (or retry) with the same id overtakes it; and
// Stats::client_gone, which shows the server saw the loser's client leave.
#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdint>
#include <string>

#include "http_client.hpp"
#include "server_fixture.hpp"
#include "slack.hpp"
#include "wait.hpp"

using namespace rhc::test_server;
using namespace rhc::test_server::testing;
using std::chrono::milliseconds;

namespace {

Call with_id(const std::string& request_id) {
  Call call;
  call.headers = {"X-Request-ID: " + request_id};
  return call;
}

Call keyed_with_id(const std::string& request_id, const std::string& key) {
  Call call;
  call.method = "POST";
  call.headers = {"X-Request-ID: " + request_id, "Idempotency-Key: " + key};
  return call;
}

// Whether one request was slowed, read from the server's `slowed` counter.
bool slowed(const ServerFixture& fixture, const std::string& path, const Call& call) {
  const std::uint64_t before = fixture.server.stats().slowed;
  REQUIRE(fetch(fixture.url(path), call).status == 200);
  return fixture.server.stats().slowed > before;
}

// One letter per id: 'x' if its first attempt was slowed, '.' if not; with `retries`, each
// id is fetched a second time, which must never be slowed.
std::string first_attempt_pattern(const ServerFixture& fixture, int ids, bool retries) {
  std::string seen;
  for (int i = 0; i < ids; ++i) {
    const Call call = with_id("id-" + std::to_string(i));
    seen += slowed(fixture, "/msg", call) ? 'x' : '.';
    if (retries) CHECK_FALSE(slowed(fixture, "/msg", call));
  }
  return seen;
}

// The loser of a hedge: a transfer on its own connection that the test drives with curl multi
// until the server runs its handler, then abandons, as rhc removes a hedge's loser from its
// multi handle. Abandoning closes the connection.
class Abandoned {
 public:
  Abandoned(const std::string& url, const Call& call)
      : multi_(curl_multi_init()), easy_(make_easy(url, call, reply_, &headers_)) {
    curl_multi_add_handle(multi_, easy_);
  }
  ~Abandoned() { abandon(); }
  Abandoned(const Abandoned&) = delete;
  Abandoned& operator=(const Abandoned&) = delete;

  // Drives the transfer until `ready` holds (bounded); returns ready().
  template <class Pred>
  bool drive_until(Pred ready) {
    const auto deadline =
        std::chrono::steady_clock::now() + rhc::testing::slack(milliseconds(2000));
    while (!ready() && std::chrono::steady_clock::now() < deadline) {
      int running = 0;
      curl_multi_perform(multi_, &running);
      curl_multi_poll(multi_, nullptr, 0, 5, nullptr);
    }
    return ready();
  }

  void abandon() {
    if (!multi_) return;
    curl_multi_remove_handle(multi_, easy_);
    curl_easy_cleanup(easy_);
    curl_slist_free_all(headers_);
    curl_multi_cleanup(multi_);
    multi_ = nullptr;
  }

 private:
  Reply reply_;
  curl_slist* headers_ = nullptr;
  CURLM* multi_;
  CURL* easy_;
};

}  // namespace

TEST_CASE("first-attempt slowness slows each X-Request-ID's first attempt, never a retry",
          "[server][slowness][hedging]") {
  constexpr milliseconds kDelay{200};
  ServerFixture fixture;
  fixture.server.set_slowness(
      {.probability = 1.0, .delay = kDelay, .seed = 1, .first_attempt_only = true});

  for (const std::string id : {"a", "b", "c"}) {
    const Reply first = fetch(fixture.url("/msg"), with_id(id));
    CHECK(first.status == 200);
    CHECK(first.elapsed >= kDelay);
    CHECK_FALSE(slowed(fixture, "/msg", with_id(id)));
    CHECK_FALSE(slowed(fixture, "/msg", with_id(id)));
    CHECK(fixture.server.attempts_for(id) == 3);
  }
  CHECK(fixture.server.stats().slowed == 3);

  // /idempotent counts attempts per X-Request-ID too: the retry is replayed, not slowed.
  CHECK(slowed(fixture, "/idempotent", keyed_with_id("d", "key-d")));
  CHECK_FALSE(slowed(fixture, "/idempotent", keyed_with_id("d", "key-d")));
  CHECK(fixture.server.attempts_for("d") == 2);
  CHECK(fixture.server.stats().idempotent_replays == 1);

  // An id seen on /msg is not new on /idempotent: the counts are per id, not per endpoint.
  CHECK_FALSE(slowed(fixture, "/idempotent", keyed_with_id("a", "key-a")));

  // Without an X-Request-ID every request is a first attempt.
  CHECK(slowed(fixture, "/msg", Call{}));
  CHECK(slowed(fixture, "/msg", Call{}));
  CHECK(fixture.server.stats().slowed == 6);
}

TEST_CASE("first-attempt slowness with p=0.5 slows about half of the ids, reproducibly",
          "[server][slowness][hedging]") {
  const Slowness slowness{
      .probability = 0.5, .delay = milliseconds(1), .seed = 11, .first_attempt_only = true};
  ServerFixture with_retries;
  with_retries.server.set_slowness(slowness);
  const std::string a = first_attempt_pattern(with_retries, 100, true);

  // Retries draw nothing: the same seed without them slows the same ids.
  ServerFixture without;
  without.server.set_slowness(slowness);
  const std::string b = first_attempt_pattern(without, 100, false);

  // Setting it again over HTTP restarts the sequence; the ids are still known, so new ones.
  REQUIRE(post(without.url("/fail/slow?p=0.5&delay_ms=1&seed=11&first_attempt=true")).status ==
          200);
  std::string c;
  for (int i = 0; i < 100; ++i) {
    c += slowed(without, "/msg", with_id("new-" + std::to_string(i))) ? 'x' : '.';
  }

  INFO(a << '\n' << b << '\n' << c);
  CHECK(a == b);
  CHECK(a == c);
  const auto count = std::count(a.begin(), a.end(), 'x');
  // Binomial(100, 0.5): mean 50, sd 5; the seed is fixed, so this cannot flake.
  CHECK(count > 30);
  CHECK(count < 70);
  CHECK(with_retries.server.stats().slowed == static_cast<std::uint64_t>(count));
  CHECK(with_retries.server.stats().msg_requests == 200);
}

TEST_CASE("first-attempt slowness forgets ids dropped from the bounded attempt counts",
          "[server][slowness][hedging]") {
  ServerOptions options;
  options.request_id_stats_capacity = 2;
  ServerFixture fixture(options);
  fixture.server.set_slowness(
      {.probability = 1.0, .delay = milliseconds(1), .seed = 1, .first_attempt_only = true});
  CHECK(slowed(fixture, "/msg", with_id("a")));
  CHECK(slowed(fixture, "/msg", with_id("b")));
  CHECK_FALSE(slowed(fixture, "/msg", with_id("a")));
  CHECK(slowed(fixture, "/msg", with_id("c")));  // drops "b", the least recently seen
  CHECK(fixture.server.stats().attempts_by_request_id.size() == 2);
  CHECK(slowed(fixture, "/msg", with_id("b")));  // new again
  CHECK_FALSE(slowed(fixture, "/msg", with_id("b")));
}

TEST_CASE("first-attempt slowness is set and reported over HTTP, and reset clears it",
          "[server][slowness][hedging]") {
  ServerFixture fixture;
  CHECK_FALSE(fetch(fixture.url("/fail")).json()["slowness"]["first_attempt"].GetBool());

  const Reply set = post(fixture.url("/fail/slow?p=1&delay_ms=1&seed=2&first_attempt=true"));
  REQUIRE(set.status == 200);
  CHECK(set.json()["slowness"]["first_attempt"].GetBool());
  CHECK(fetch(fixture.url("/fail")).json()["slowness"]["first_attempt"].GetBool());
  CHECK(slowed(fixture, "/msg", with_id("r")));
  CHECK_FALSE(slowed(fixture, "/msg", with_id("r")));

  // Setting slowness again keeps the ids seen: "r" stays a retry.
  fixture.server.set_slowness(
      {.probability = 1.0, .delay = milliseconds(1), .seed = 2, .first_attempt_only = true});
  CHECK_FALSE(slowed(fixture, "/msg", with_id("r")));

  // Without the flag every request may be slowed again.
  REQUIRE(post(fixture.url("/fail/slow?p=1&delay_ms=1&seed=2")).status == 200);
  CHECK_FALSE(fetch(fixture.url("/fail")).json()["slowness"]["first_attempt"].GetBool());
  CHECK(slowed(fixture, "/msg", with_id("r")));

  // Reset turns slowness off and forgets the ids: "r" is a first attempt again.
  REQUIRE(post(fixture.url("/fail/slow?p=1&delay_ms=1&seed=2&first_attempt=true")).status == 200);
  REQUIRE(post(fixture.url("/fail/reset")).status == 200);
  CHECK_FALSE(fetch(fixture.url("/fail")).json()["slowness"]["first_attempt"].GetBool());
  CHECK(fixture.server.attempts_for("r") == 0);
  fixture.server.set_slowness(
      {.probability = 1.0, .delay = milliseconds(1), .seed = 2, .first_attempt_only = true});
  CHECK(slowed(fixture, "/msg", with_id("r")));
  CHECK(fixture.server.stats().slowed == 1);
}

TEST_CASE("a hedge overtakes a slowed first attempt, and the server sees the loser leave",
          "[server][slowness][hedging]") {
  // Long enough that the loser is still waiting when the hedge has finished, in any build.
  const milliseconds delay = rhc::testing::slack(milliseconds(500));
  ServerFixture fixture;
  fixture.server.set_slowness(
      {.probability = 1.0, .delay = delay, .seed = 1, .first_attempt_only = true});

  std::string path = "/msg";
  Call call = with_id("hedged");
  SECTION("/msg") {}
  SECTION("/idempotent with a key") {
    path = "/idempotent";
    call = keyed_with_id("hedged", "hedged-key");
  }

  Abandoned loser(fixture.url(path), call);
  REQUIRE(loser.drive_until([&] { return fixture.server.stats().slowed == 1; }));

  const Reply hedge = fetch(fixture.url(path), call);
  CHECK(hedge.status == 200);
  CHECK(hedge.elapsed < delay);
  CHECK(fixture.server.stats().slowed == 1);
  CHECK(fixture.server.attempts_for("hedged") == 2);
  CHECK(fixture.server.stats().client_gone == 0);  // the hedge's client read its answer

  loser.abandon();
  REQUIRE(rhc::testing::eventually([&] { return fixture.server.stats().client_gone == 1; },
                                   delay + rhc::testing::slack(milliseconds(2000))));
  CHECK(fetch(fixture.url("/stats")).json()["client_gone"].GetInt() == 1);
  CHECK(fixture.server.attempts_for("hedged") == 2);
  if (path == "/idempotent") CHECK(fixture.server.executions_for_key("hedged-key") == 1);

  // A fault the server answers by resetting the connection is not a client that left.
  fixture.server.fail_next(1, Fault::reset());
  CHECK(fetch(fixture.url("/msg")).code != CURLE_OK);
  CHECK(fixture.server.stats().client_gone == 1);
}
