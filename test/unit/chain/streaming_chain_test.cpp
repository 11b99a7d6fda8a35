// A streamed body in the chain: prepare()'s checks of the streaming options, the commit rule
// (a request that handed out a byte is never retried), and the outcome delivered through
// the body's stream. Scripted transport, manual clock, manual executor: no sockets.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <string>
#include <vector>

#include "chain/body_stream.hpp"
#include "chain/prepare.hpp"
#include "chain_harness.hpp"

using namespace std::chrono_literals;
using namespace rhc::detail;
using namespace rhc::testing::chain;

namespace {

std::optional<Failure> prepared(rhc::ClientConfig config, rhc::RequestOptions options, Request& r) {
  config.base_url = "http://h";
  BaseUrl base(config.base_url);
  return prepare(config, base, "GET", "/x", std::move(options), r);
}

std::string refusal(rhc::RequestOptions options, rhc::ClientConfig config = {}) {
  Request r;
  auto problem = prepared(std::move(config), std::move(options), r);
  if (!problem) return "";
  CHECK(problem->kind == ErrorKind::Config);
  return problem->cause;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

struct TasksExecutor {
  std::vector<std::function<void()>> tasks;
  BodyStream::Post post() {
    return [this](std::function<void()> task) {
      tasks.push_back(std::move(task));
      return true;
    };
  }
  void run() {
    while (!tasks.empty()) {
      auto now = std::move(tasks);
      tasks.clear();
      for (auto& task : now) task();
    }
  }
};

}  // namespace

TEST_CASE("on_chunk or output_file marks the request streamed; both at once is a ConfigError",
          "[prepare][streaming]") {
  rhc::RequestOptions chunked;
  chunked.on_chunk = [](std::string_view) {};
  Request r;
  REQUIRE_FALSE(prepared({}, std::move(chunked), r));
  CHECK(r.streams_body);
  CHECK(r.on_chunk);

  Request plain;
  REQUIRE_FALSE(prepared({}, {}, plain));
  CHECK_FALSE(plain.streams_body);

  rhc::RequestOptions both;
  both.on_chunk = [](std::string_view) {};
  both.output_file = "/tmp/x";
  CHECK(contains(refusal(std::move(both)), "on_chunk and output_file are both set"));
}

TEST_CASE("an output_file whose folder is missing, or that is a folder, is a ConfigError",
          "[prepare][streaming]") {
  rhc::RequestOptions missing;
  missing.output_file = "/nonexistent-rhc-folder/body.bin";
  CHECK(contains(refusal(std::move(missing)), "does not exist"));
  rhc::RequestOptions folder;
  folder.output_file = "/tmp";
  CHECK(contains(refusal(std::move(folder)), "is a folder"));
  rhc::RequestOptions fine;
  fine.output_file = "/tmp/rhc-streaming-chain-test.bin";
  CHECK(refusal(std::move(fine)).empty());
  if (::geteuid() != 0) {  // root writes anywhere
    rhc::RequestOptions read_only;
    read_only.output_file = "/proc/rhc-body.bin";
    CHECK(contains(refusal(std::move(read_only)), "is not writable"));
  }
}

TEST_CASE("a streamed request is never hedged, and asking for it is a ConfigError",
          "[prepare][streaming][hedging]") {
  rhc::ClientConfig config;
  config.hedging.enabled = true;
  rhc::RequestOptions streamed;
  streamed.on_chunk = [](std::string_view) {};
  Request r;
  REQUIRE_FALSE(prepared(config, std::move(streamed), r));
  CHECK_FALSE(r.hedgeable);
  rhc::RequestOptions asked;
  asked.on_chunk = [](std::string_view) {};
  asked.hedge = true;
  CHECK(contains(refusal(std::move(asked), config), "never hedged"));
}

TEST_CASE("a committed request's retryable failure is final, with the attempts made",
          "[chain][streaming][retry]") {
  rhc::ClientConfig config;
  config.retry.max_attempts = 3;
  Harness h(config);
  auto f = h.submit();
  Request* r = h.last;
  r->body_committed = true;  // the transport handed a byte to the body's stream
  h.fail_connection(*r, 0, Reach::Answered);
  CHECK(h.transport.started.size() == 1);
  h.advance(10s);
  CHECK(h.transport.started.size() == 1);
  const auto e = rhc::testing::error_of<rhc::APIConnectionError>(f, 0s);
  CHECK(e.attempts() == 1);
  CHECK(contains(e.what(), "part of the body was already streamed"));
}

TEST_CASE("an uncommitted streamed request is retried as any other", "[chain][streaming][retry]") {
  rhc::ClientConfig config;
  config.retry.max_attempts = 3;
  Harness h(config);
  auto f = h.submit("req", [](Request& r) { r.streams_body = true; });
  Request* r = h.last;
  h.fail_status(*r, 503);
  h.advance(10s);
  CHECK(h.transport.started.size() == 2);
  h.succeed(*r);
  CHECK(f.get().attempts == 2);
}

TEST_CASE("a streamed request's outcome waits for its body's last chunk", "[chain][streaming]") {
  Harness h(rhc::ClientConfig{});
  TasksExecutor executor;
  std::string received;
  auto stream = std::make_shared<BodyStream>(
      BodyStream::Sink{[&](std::string_view c) { received.append(c); }, nullptr}, executor.post());
  auto f = h.submit("req", [&](Request& r) {
    r.streams_body = true;
    r.body_stream = stream;
  });
  REQUIRE(stream->offer("hello ", 6) == BodyStream::Offer::Queued);
  REQUIRE(stream->offer("world", 5) == BodyStream::Offer::Taken);
  h.last->body_committed = true;
  h.succeed(*h.last);
  CHECK(f.wait_for(0s) == std::future_status::timeout);  // the chunks are still queued
  executor.run();
  REQUIRE(f.wait_for(0s) == std::future_status::ready);
  CHECK(received == "hello world");
  CHECK(f.get().text.empty());
}
