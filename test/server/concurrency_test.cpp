// Many slow requests at once, and a stop() that does not wait for hung ones.
#include <catch2/catch.hpp>
#include <chrono>
#include <memory>
#include <vector>

#include "http_client.hpp"
#include "server_fixture.hpp"
#include "slack.hpp"

using namespace rhc::test_server;
using namespace rhc::test_server::testing;
using std::chrono::milliseconds;
using std::chrono::steady_clock;

namespace {

struct Transfer {
  Reply reply;
  curl_slist* headers = nullptr;
  CURL* easy = nullptr;
};

// Runs every URL at once on one curl multi handle, one connection each; returns the replies.
std::vector<Reply> fetch_all_at_once(const std::vector<std::string>& urls, milliseconds timeout) {
  CURLM* multi = curl_multi_init();
  std::vector<std::unique_ptr<Transfer>> transfers;
  Call call;
  call.timeout = timeout;
  for (const std::string& url : urls) {
    auto transfer = std::make_unique<Transfer>();
    transfer->easy = make_easy(url, call, transfer->reply, &transfer->headers);
    curl_multi_add_handle(multi, transfer->easy);
    transfers.push_back(std::move(transfer));
  }
  const auto deadline = steady_clock::now() + timeout + milliseconds(2000);
  int running = 1;
  while (running > 0 && steady_clock::now() < deadline) {
    curl_multi_perform(multi, &running);
    if (running > 0) curl_multi_poll(multi, nullptr, 0, 100, nullptr);
  }
  std::vector<Reply> replies;
  int queued = 0;
  while (CURLMsg* message = curl_multi_info_read(multi, &queued)) {
    for (auto& transfer : transfers) {
      if (transfer->easy == message->easy_handle) transfer->reply.code = message->data.result;
    }
  }
  for (auto& transfer : transfers) {
    curl_easy_getinfo(transfer->easy, CURLINFO_RESPONSE_CODE, &transfer->reply.status);
    curl_multi_remove_handle(multi, transfer->easy);
    curl_easy_cleanup(transfer->easy);
    curl_slist_free_all(transfer->headers);
    replies.push_back(std::move(transfer->reply));
  }
  curl_multi_cleanup(multi);
  return replies;
}

}  // namespace

TEST_CASE("256 concurrent delayed requests are served together, not queued",
          "[server][concurrency]") {
  constexpr int kRequests = 256;
  constexpr int kDelayMs = 500;
  ServerFixture fixture;
  const std::vector<std::string> urls(kRequests,
                                      fixture.url("/msg?delay=" + std::to_string(kDelayMs)));

  const auto started = steady_clock::now();
  const std::vector<Reply> replies =
      fetch_all_at_once(urls, rhc::testing::slack(milliseconds(10 * kDelayMs)));
  const auto elapsed = std::chrono::duration_cast<milliseconds>(steady_clock::now() - started);

  int ok = 0;
  for (const Reply& reply : replies) ok += reply.code == CURLE_OK && reply.status == 200;
  CHECK(ok == kRequests);
  INFO("elapsed " << elapsed.count() << " ms");
  CHECK(elapsed.count() >= kDelayMs);
  // Queued in batches it would take far longer; a sanitizer build gets slack.
  CHECK(elapsed < rhc::testing::slack(milliseconds(5 * kDelayMs)));

  const Stats stats = fixture.server.stats();
  CHECK(stats.msg_requests == kRequests);
  CHECK(stats.msg_max_in_flight >= kRequests * 9 / 10);
  CHECK(stats.msg_in_flight == 0);
}

TEST_CASE("a fault set by one client applies to requests on other connections",
          "[server][concurrency]") {
  ServerFixture fixture;
  REQUIRE(post(fixture.url("/fail/count/10?status=503")).status == 200);
  const std::vector<Reply> replies =
      fetch_all_at_once(std::vector<std::string>(20, fixture.url("/msg")), milliseconds(30'000));
  int failed = 0;
  int succeeded = 0;
  for (const Reply& reply : replies) {
    failed += reply.status == 503;
    succeeded += reply.status == 200;
  }
  CHECK(failed == 10);
  CHECK(succeeded == 10);
}

TEST_CASE("stop releases hung, delayed and slow handlers promptly", "[server][stop]") {
  auto fixture = std::make_unique<ServerFixture>();
  fixture->server.fail_next(3, Fault::hang(std::chrono::seconds(60)));
  fixture->server.then_fail(2, Fault::slow_body(100'000, 1, milliseconds(1000)));
  std::vector<std::string> urls(5, fixture->url("/msg"));
  urls.push_back(fixture->url("/msg?delay=60000"));

  // Start the transfers on a multi handle, give them time to reach their handlers, then stop.
  // The delayed one goes last, once the five faulted ones have arrived: arriving earlier, it
  // would take one of their faults and leave a plain /msg to succeed at once.
  CURLM* multi = curl_multi_init();
  std::vector<std::unique_ptr<Transfer>> transfers;
  Call call;
  call.timeout = milliseconds(20'000);
  int running = 1;
  for (std::size_t n = 0; n < urls.size(); ++n) {
    auto transfer = std::make_unique<Transfer>();
    transfer->easy = make_easy(urls[n], call, transfer->reply, &transfer->headers);
    curl_multi_add_handle(multi, transfer->easy);
    transfers.push_back(std::move(transfer));
    if (n + 2 < urls.size()) continue;
    const auto arrived_by = steady_clock::now() + rhc::testing::slack(milliseconds(2000));
    while (fixture->server.stats().msg_requests < n + 1 && steady_clock::now() < arrived_by) {
      curl_multi_perform(multi, &running);
      curl_multi_poll(multi, nullptr, 0, 20, nullptr);
    }
  }
  REQUIRE(fixture->server.stats().msg_requests == urls.size());

  const auto started = steady_clock::now();
  fixture->server.stop();
  const auto took = std::chrono::duration_cast<milliseconds>(steady_clock::now() - started);
  INFO("stop took " << took.count() << " ms");
  CHECK(took < rhc::testing::slack(milliseconds(1000)));

  // Every client sees its connection end instead of waiting for its own timeout.
  const auto deadline = steady_clock::now() + rhc::testing::slack(milliseconds(5000));
  while (running > 0 && steady_clock::now() < deadline) {
    curl_multi_perform(multi, &running);
    if (running > 0) curl_multi_poll(multi, nullptr, 0, 50, nullptr);
  }
  CHECK(running == 0);
  int queued = 0;
  while (CURLMsg* message = curl_multi_info_read(multi, &queued)) {
    CHECK(message->data.result != CURLE_OK);
    CHECK(message->data.result != CURLE_OPERATION_TIMEDOUT);
  }
  for (auto& transfer : transfers) {
    curl_multi_remove_handle(multi, transfer->easy);
    curl_easy_cleanup(transfer->easy);
    curl_slist_free_all(transfer->headers);
  }
  curl_multi_cleanup(multi);
  fixture->server.stop();  // idempotent
}

TEST_CASE("stop with an idle keep-alive connection open returns promptly", "[server][stop]") {
  ServerFixture fixture;
  Reply reply;
  curl_slist* headers = nullptr;
  CURL* easy = make_easy(fixture.url("/health"), Call{}, reply, &headers);
  curl_easy_setopt(easy, CURLOPT_FORBID_REUSE, 0L);  // keep the connection open afterwards
  REQUIRE(curl_easy_perform(easy) == CURLE_OK);

  const auto started = steady_clock::now();
  fixture.server.stop();
  CHECK(steady_clock::now() - started < rhc::testing::slack(milliseconds(2000)));
  curl_easy_cleanup(easy);
  curl_slist_free_all(headers);
}
