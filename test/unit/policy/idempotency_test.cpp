#include <catch2/catch.hpp>

#include <regex>
#include <set>
#include <string>
#include <thread>
#include <unordered_set>
#include <vector>

#include "policy/idempotency.hpp"

using rhc::Headers;
using rhc::detail::new_request_id;
using rhc::detail::resolve_request_id;

namespace {

const std::regex kUuidV4("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");

}  // namespace

TEST_CASE("a new request id is a lowercase UUIDv4", "[idempotency]") {
  for (int i = 0; i < 1'000; ++i) {
    const std::string id = new_request_id();
    CAPTURE(id);
    REQUIRE(id.size() == 36);
    REQUIRE(std::regex_match(id, kUuidV4));
  }
}

TEST_CASE("10k new request ids are all distinct, with version and variant bits set",
          "[idempotency]") {
  std::unordered_set<std::string> ids;
  // Every hex digit that is not fixed must take many values across 10k ids.
  std::vector<std::set<char>> digits(36);
  for (int i = 0; i < 10'000; ++i) {
    const std::string id = new_request_id();
    REQUIRE(ids.insert(id).second);
    REQUIRE(id[14] == '4');                                   // version 4
    REQUIRE(std::string("89ab").find(id[19]) != std::string::npos);  // variant 10xx
    for (std::size_t p = 0; p < id.size(); ++p) digits[p].insert(id[p]);
  }
  for (std::size_t p = 0; p < 36; ++p) {
    CAPTURE(p);
    if (p == 8 || p == 13 || p == 18 || p == 23) {
      CHECK(digits[p] == std::set<char>{'-'});
    } else if (p == 14) {
      CHECK(digits[p].size() == 1);
    } else if (p == 19) {
      CHECK(digits[p].size() == 4);
    } else {
      CHECK(digits[p].size() == 16);
    }
  }
}

TEST_CASE("request ids made on several threads at once are distinct", "[idempotency][threads]") {
  constexpr int kThreads = 4, kEach = 2'500;
  std::vector<std::vector<std::string>> made(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&made, t] {
      for (int i = 0; i < kEach; ++i) made[static_cast<std::size_t>(t)].push_back(new_request_id());
    });
  }
  for (auto& thread : threads) thread.join();
  std::unordered_set<std::string> all;
  for (const auto& ids : made) all.insert(ids.begin(), ids.end());
  CHECK(all.size() == static_cast<std::size_t>(kThreads * kEach));
}

TEST_CASE("an explicit request id wins over a header", "[idempotency]") {
  const Headers headers{{"X-Request-ID", "from-header"}};
  CHECK(resolve_request_id(std::string("explicit-1"), headers) == "explicit-1");
}

TEST_CASE("an X-Request-ID header is used when no id is given, in any case",
          "[idempotency]") {
  CHECK(resolve_request_id(std::nullopt, {{"X-Request-ID", "abc"}}) == "abc");
  CHECK(resolve_request_id(std::nullopt, {{"x-request-id", "def"}}) == "def");
  CHECK(resolve_request_id(std::nullopt, {{"X-REQUEST-ID", "ghi"}}) == "ghi");
  CHECK(resolve_request_id(std::nullopt,
                           {{"Accept", "*/*"}, {"X-Request-Id", "first"}, {"X-Request-ID", "2nd"}}) ==
        "first");
}

TEST_CASE("similar header names are not taken for X-Request-ID", "[idempotency]") {
  const Headers headers{{"X-Request-IDs", "no"}, {"X-Correlation-ID", "no"}, {"Request-ID", "no"}};
  CHECK(std::regex_match(resolve_request_id(std::nullopt, headers), kUuidV4));
}

TEST_CASE("empty ids fall through to the next source", "[idempotency]") {
  CHECK(resolve_request_id(std::string(), {{"X-Request-ID", "hdr"}}) == "hdr");
  CHECK(resolve_request_id(std::nullopt, {{"X-Request-ID", ""}, {"x-request-id", "second"}}) ==
        "second");
  CHECK(std::regex_match(resolve_request_id(std::string(), {{"X-Request-ID", ""}}), kUuidV4));
}

TEST_CASE("with no id anywhere a fresh UUIDv4 is made each time", "[idempotency]") {
  const std::string a = resolve_request_id(std::nullopt, {});
  const std::string b = resolve_request_id(std::nullopt, {});
  CHECK(std::regex_match(a, kUuidV4));
  CHECK(a != b);
}
