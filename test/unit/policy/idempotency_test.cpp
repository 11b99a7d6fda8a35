#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <set>
#include <string>
#include <thread>
#include <unordered_set>
#include <vector>

#include "http/request_id.hpp"

using rhc::Headers;
using rhc::detail::new_request_id;
using rhc::detail::resolve_request_id;

namespace {

// 8-4-4-4-12 lowercase hex, version nibble 4, variant nibble 8, 9, a or b. (Written out
// rather than with std::regex, which trips GCC 12's -Wmaybe-uninitialized under ASan.)
bool is_uuid_v4(const std::string& id) {
  if (id.size() != 36) return false;
  for (std::size_t i = 0; i < id.size(); ++i) {
    const char c = id[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return false;
    }
  }
  return id[14] == '4' && std::string("89ab").find(id[19]) != std::string::npos;
}

}  // namespace

TEST_CASE("the UUID checker itself rejects near misses", "[idempotency]") {
  CHECK(is_uuid_v4("3b241101-e2bb-4255-8caf-4136c566a962"));
  CHECK_FALSE(is_uuid_v4("3B241101-E2BB-4255-8CAF-4136C566A962"));  // uppercase
  CHECK_FALSE(is_uuid_v4("3b241101-e2bb-1255-8caf-4136c566a962"));  // version 1
  CHECK_FALSE(is_uuid_v4("3b241101-e2bb-4255-cbaf-4136c566a962"));  // variant 110
  CHECK_FALSE(is_uuid_v4("3b241101e2bb-4255-8caf-4136c566a962-"));  // dash misplaced
  CHECK_FALSE(is_uuid_v4("3b241101-e2bb-4255-8caf-4136c566a96"));   // short
}

TEST_CASE("a new request id is a lowercase UUIDv4", "[idempotency]") {
  for (int i = 0; i < 1'000; ++i) {
    const std::string id = new_request_id();
    CAPTURE(id);
    REQUIRE(id.size() == 36);
    REQUIRE(is_uuid_v4(id));
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
    REQUIRE(id[14] == '4');                                          // version 4
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

TEST_CASE("an X-Request-ID header is used when no id is given, in any case", "[idempotency]") {
  CHECK(resolve_request_id(std::nullopt, {{"X-Request-ID", "abc"}}) == "abc");
  CHECK(resolve_request_id(std::nullopt, {{"x-request-id", "def"}}) == "def");
  CHECK(resolve_request_id(std::nullopt, {{"X-REQUEST-ID", "ghi"}}) == "ghi");
  CHECK(resolve_request_id(
            std::nullopt,
            {{"Accept", "*/*"}, {"X-Request-Id", "first"}, {"X-Request-ID", "2nd"}}) == "first");
}

TEST_CASE("similar header names are not taken for X-Request-ID", "[idempotency]") {
  const Headers headers{{"X-Request-IDs", "no"}, {"X-Correlation-ID", "no"}, {"Request-ID", "no"}};
  CHECK(is_uuid_v4(resolve_request_id(std::nullopt, headers)));
}

TEST_CASE("empty ids fall through to the next source", "[idempotency]") {
  CHECK(resolve_request_id(std::string(), {{"X-Request-ID", "hdr"}}) == "hdr");
  CHECK(resolve_request_id(std::nullopt, {{"X-Request-ID", ""}, {"x-request-id", "second"}}) ==
        "second");
  CHECK(is_uuid_v4(resolve_request_id(std::string(), {{"X-Request-ID", ""}})));
}

TEST_CASE("with no id anywhere a fresh UUIDv4 is made each time", "[idempotency]") {
  const std::string a = resolve_request_id(std::nullopt, {});
  const std::string b = resolve_request_id(std::nullopt, {});
  CHECK(is_uuid_v4(a));
  CHECK(a != b);
}

TEST_CASE("a forked child never repeats its parent's next request id", "[idempotency][fork]") {
  // Ids come from a per-thread buffer of random bytes; without the fork handler the child
  // and the parent would both hand out the same next id from their copies of it.
  (void)rhc::detail::new_request_id();
  int pipe_fds[2];
  REQUIRE(::pipe(pipe_fds) == 0);
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    const std::string id = rhc::detail::new_request_id();
    (void)!::write(pipe_fds[1], id.data(), id.size());
    ::_exit(0);
  }
  const std::string parent_id = rhc::detail::new_request_id();
  char buffer[36];
  REQUIRE(::read(pipe_fds[0], buffer, sizeof buffer) == 36);
  ::waitpid(child, nullptr, 0);
  ::close(pipe_fds[0]);
  ::close(pipe_fds[1]);
  CHECK(std::string(buffer, 36) != parent_id);
}
