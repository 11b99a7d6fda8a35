// Streamed responses (RequestOptions::on_chunk and output_file) end to end, against a small
// cpp-httplib server in the test: bodies of any size with a pattern the consumer checks byte
// by byte, a 503 before the body, a body cut off half way, an endless body, a redirect and a
// 404 whose bodies must not be streamed.
#include <catch2/catch.hpp>

#include <httplib.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <thread>

#include <rhc/rhc.hpp>

#include "client_config.hpp"
#include "outcomes.hpp"
#include "slack.hpp"
#include "wait.hpp"

using namespace std::chrono_literals;

namespace {

constexpr std::size_t kMiB = std::size_t{1} << 20;

// Byte `i` of every body the server sends: a chunk out of order or repeated shows.
char pattern_at(std::uint64_t i) { return static_cast<char>((i * 2654435761u) >> 13); }

// A consumer that checks each byte against the pattern as it arrives (no 32 MiB copy).
struct PatternCheck {
  std::uint64_t received = 0;
  std::uint64_t mismatches = 0;
  void take(std::string_view chunk) {
    for (char c : chunk) {
      if (c != pattern_at(received)) ++mismatches;
      ++received;
    }
  }
};

class StreamServer {
 public:
  StreamServer() {
    // GET /bytes/N: N pattern bytes with a Content-Length; /chunked/N: the same, chunked.
    server_.Get(R"(/bytes/(\d+))", [this](const httplib::Request& req, httplib::Response& res) {
      ++requests;
      const std::size_t n = std::stoull(req.matches[1].str());
      if (n == 0) return res.set_content("", "application/octet-stream");  // (httplib: no provider)
      res.set_content_provider(n, "application/octet-stream",
                               [](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
                                 return write_pattern(sink, offset, length);
                               });
    });
    server_.Get(R"(/chunked/(\d+))", [this](const httplib::Request& req, httplib::Response& res) {
      ++requests;
      const std::size_t n = std::stoull(req.matches[1].str());
      res.set_chunked_content_provider(
          "application/octet-stream", [n](std::size_t offset, httplib::DataSink& sink) {
            if (offset == n) {
              sink.done();
              return true;
            }
            return write_pattern(sink, offset, std::min<std::size_t>(n - offset, 64 * 1024));
          });
    });
    // The first request gets a 503 with a body of its own; later ones N pattern bytes.
    server_.Get(R"(/flaky/(\d+))", [this](const httplib::Request& req, httplib::Response& res) {
      if (requests++ == 0) {
        res.status = 503;
        res.set_content("unavailable: not the body", "text/plain");
        return;
      }
      const std::size_t n = std::stoull(req.matches[1].str());
      res.set_content_provider(n, "application/octet-stream",
                               [](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
                                 return write_pattern(sink, offset, length);
                               });
    });
    // Announces N bytes, sends half, then closes the connection.
    server_.Get(R"(/half/(\d+))", [this](const httplib::Request& req, httplib::Response& res) {
      ++requests;
      const std::size_t n = std::stoull(req.matches[1].str());
      res.set_content_provider(
          n, "application/octet-stream",
          [n](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
            if (offset >= n / 2) return false;  // httplib closes the connection
            return write_pattern(sink, offset, std::min(length, n / 2 - offset));
          });
    });
    // Pattern bytes until the client goes away or the server stops.
    server_.Get("/endless", [this](const httplib::Request&, httplib::Response& res) {
      ++requests;
      res.set_chunked_content_provider("application/octet-stream",
                                       [this](std::size_t offset, httplib::DataSink& sink) {
                                         if (stopping_) return false;
                                         if (!write_pattern(sink, offset, 64 * 1024)) {
                                           ++clients_gone;
                                           return false;
                                         }
                                         return true;
                                       });
    });
    server_.Get("/redirect", [this](const httplib::Request&, httplib::Response& res) {
      ++requests;
      res.status = 302;
      res.set_header("Location", "/bytes/100000");
      res.set_content("redirect body, not streamed", "text/plain");
    });
    server_.Get("/missing", [this](const httplib::Request&, httplib::Response& res) {
      ++requests;
      res.status = 404;
      res.set_content("no such thing", "text/plain");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    REQUIRE(rhc::testing::eventually([this] { return server_.is_running(); }, 30s, 1ms));
  }
  ~StreamServer() {
    stopping_ = true;
    server_.stop();
    thread_.join();
  }
  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }

  std::atomic<int> requests{0};
  std::atomic<int> clients_gone{0};

 private:
  static bool write_pattern(httplib::DataSink& sink, std::size_t offset, std::size_t length) {
    std::string piece(std::min<std::size_t>(length, 64 * 1024), '\0');
    for (std::size_t i = 0; i < piece.size(); ++i) piece[i] = pattern_at(offset + i);
    return sink.write(piece.data(), piece.size());
  }

  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
};

// Resident set size now, in bytes.
std::size_t rss_now() {
  std::ifstream statm("/proc/self/statm");
  std::size_t pages = 0, resident = 0;
  statm >> pages >> resident;
  return resident * static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
}

// Counts calls that overlap: on_chunk for one request must never run twice at once.
struct OverlapCheck {
  std::atomic<int> inside{0};
  std::atomic<int> overlaps{0};
  struct Scope {
    OverlapCheck& check;
    explicit Scope(OverlapCheck& c) : check(c) {
      if (check.inside.fetch_add(1) != 0) ++check.overlaps;
    }
    ~Scope() { --check.inside; }
  };
};

struct ConsumerError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace

TEST_CASE("chunks arrive in order and make up the exact body; the future resolves after the last",
          "[streaming]") {
  StreamServer server;
  auto config = rhc::testing::quiet_config(server.base_url());
  config.executor_threads = 4;
  rhc::ResilientClient client(config);
  for (const char* route : {"/bytes/", "/chunked/"}) {
    INFO(route);
    const std::size_t n = 32 * kMiB + 12345;
    PatternCheck check;
    OverlapCheck overlap;
    std::atomic<std::uint64_t> received{0};
    rhc::RequestOptions options;
    options.on_chunk = [&](std::string_view chunk) {
      OverlapCheck::Scope scope(overlap);
      check.take(chunk);
      received += chunk.size();
    };
    rhc::Response response = client.get(route + std::to_string(n), std::move(options)).get();
    // Read at once: had a chunk been delivered after the outcome, the count would be short.
    CHECK(received.load() == n);
    CHECK(check.mismatches == 0);
    CHECK(overlap.overlaps == 0);
    CHECK(response.status_code == 200);
    CHECK(response.text.empty());
    CHECK(response.attempts == 1);
  }
}

TEST_CASE("a slow consumer pauses the transfer: memory stays bounded, and no read timeout fires",
          "[streaming][memory]") {
  StreamServer server;
  auto config = rhc::testing::quiet_config(server.base_url());
  config.timeout.read = rhc::Seconds(1);
  rhc::ResilientClient client(config);
  client.get("/bytes/1000").get();  // threads and connections made before measuring
  const std::size_t n = 64 * kMiB;
  const std::size_t before = rss_now();
  std::size_t peak = before;
  PatternCheck check;
  OverlapCheck overlap;
  int calls = 0;
  rhc::RequestOptions options;
  options.on_chunk = [&](std::string_view chunk) {
    OverlapCheck::Scope scope(overlap);
    // Paused far longer than the read timeout once, then slower than the server throughout.
    std::this_thread::sleep_for(calls++ == 0 ? 1500ms : 1ms);
    check.take(chunk);
    if (calls % 16 == 0) peak = std::max(peak, rss_now());
  };
  rhc::Response response = client.get("/bytes/" + std::to_string(n), std::move(options)).get();
  CHECK(check.received == n);
  CHECK(check.mismatches == 0);
  CHECK(overlap.overlaps == 0);
  CHECK(response.attempts == 1);
  if (rhc::testing::kSanitized) {
    WARN("sanitizer build: RSS not measured");
  } else {
    INFO("RSS grew by " << (peak - before) / 1024 << " KiB");
    CHECK(peak - before < 8 * kMiB);
  }
}

TEST_CASE("a 503 before any byte is retried, and only the 200's body is streamed",
          "[streaming][retry]") {
  StreamServer server;
  rhc::ResilientClient client(rhc::testing::quiet_config(server.base_url()));
  PatternCheck check;
  rhc::RequestOptions options;
  options.on_chunk = [&](std::string_view chunk) { check.take(chunk); };
  rhc::Response response = client.get("/flaky/300000", std::move(options)).get();
  CHECK(response.attempts == 2);
  CHECK(server.requests == 2);
  CHECK(check.received == 300000);
  CHECK(check.mismatches == 0);
}

TEST_CASE("a body cut off half way after bytes were streamed is not retried",
          "[streaming][retry]") {
  StreamServer server;
  rhc::ResilientClient client(rhc::testing::quiet_config(server.base_url()));
  PatternCheck check;
  rhc::RequestOptions options;
  options.on_chunk = [&](std::string_view chunk) { check.take(chunk); };
  auto f = client.get("/half/" + std::to_string(4 * kMiB), std::move(options));
  const auto e = rhc::testing::error_of<rhc::APIConnectionError>(f);
  CHECK(e.attempts() == 1);
  CHECK(server.requests == 1);
  CHECK(check.received > 0);
  CHECK(check.received <= 2 * kMiB);
  CHECK(check.mismatches == 0);
}

TEST_CASE("redirect and error bodies are not streamed; an error keeps its body", "[streaming]") {
  StreamServer server;
  rhc::ResilientClient client(rhc::testing::quiet_config(server.base_url()));
  PatternCheck check;
  rhc::RequestOptions redirected;
  redirected.on_chunk = [&](std::string_view chunk) { check.take(chunk); };
  rhc::Response response = client.get("/redirect", std::move(redirected)).get();
  CHECK(response.status_code == 200);
  CHECK(check.received == 100000);
  CHECK(check.mismatches == 0);

  std::atomic<int> chunks{0};
  rhc::RequestOptions missing;
  missing.on_chunk = [&](std::string_view) { ++chunks; };
  auto f = client.get("/missing", std::move(missing));
  const auto e = rhc::testing::error_of<rhc::NotFoundError>(f);
  REQUIRE(e.response() != nullptr);
  CHECK(e.response()->text == "no such thing");
  CHECK(chunks == 0);
}

TEST_CASE("on_chunk throwing aborts the transfer and fails the request with that exception",
          "[streaming]") {
  StreamServer server;
  rhc::ResilientClient client(rhc::testing::quiet_config(server.base_url()));
  std::atomic<int> calls{0};
  rhc::RequestOptions options;
  options.on_chunk = [&](std::string_view) {
    ++calls;
    throw ConsumerError("the consumer gave up");
  };
  auto f = client.get("/endless", std::move(options));
  REQUIRE(f.wait_for(rhc::testing::slack(30s)) == std::future_status::ready);
  CHECK_THROWS_MATCHES(f.get(), ConsumerError, Catch::Message("the consumer gave up"));
  CHECK(calls == 1);
  // The transfer was aborted: the server sees its client go.
  CHECK(
      rhc::testing::eventually([&] { return server.clients_gone > 0; }, rhc::testing::slack(10s)));
  // The same in the callback form.
  std::promise<rhc::Outcome> done;
  rhc::RequestOptions again;
  again.on_chunk = [](std::string_view) { throw ConsumerError("again"); };
  client.request("GET", "/endless", std::move(again),
                 [&](rhc::Outcome outcome) { done.set_value(std::move(outcome)); });
  auto outcome = done.get_future();
  REQUIRE(outcome.wait_for(rhc::testing::slack(30s)) == std::future_status::ready);
  CHECK_THROWS_AS(outcome.get().value(), ConsumerError);
}

TEST_CASE("output_file gets the exact bytes; Response::text stays empty", "[streaming][file]") {
  StreamServer server;
  rhc::ResilientClient client(rhc::testing::quiet_config(server.base_url()));
  const std::string path = "/tmp/rhc-streaming-test-" + std::to_string(::getpid()) + ".bin";
  {
    std::ofstream old(path);
    old << "an older, longer file that must be truncated away entirely, not overwritten";
  }
  for (std::size_t n : {std::size_t{0}, std::size_t{5 * kMiB + 7}}) {
    INFO("bytes: " << n);
    rhc::RequestOptions options;
    options.output_file = path;
    rhc::Response response = client.get("/bytes/" + std::to_string(n), std::move(options)).get();
    CHECK(response.text.empty());
    std::ifstream in(path, std::ios::binary);
    const std::string written((std::istreambuf_iterator<char>(in)), {});
    REQUIRE(written.size() == n);
    PatternCheck check;
    check.take(written);
    CHECK(check.mismatches == 0);
  }
  ::unlink(path.c_str());

  rhc::RequestOptions both;
  both.output_file = path;
  both.on_chunk = [](std::string_view) {};
  rhc::testing::error_of<rhc::ConfigError>(client.get("/bytes/10", std::move(both)));
  CHECK(server.requests == 2);  // nothing sent for the refused one
}

TEST_CASE("an output_file that cannot be written fails the request with FileError",
          "[streaming][file]") {
  if (::access("/dev", W_OK) != 0) {
    WARN("/dev is not writable here: /dev/full cannot be an output file");
    return;
  }
  StreamServer server;
  rhc::ResilientClient client(rhc::testing::quiet_config(server.base_url()));
  rhc::RequestOptions options;
  options.output_file = "/dev/full";  // every write fails with ENOSPC
  auto f = client.get("/bytes/100000", std::move(options));
  const auto e = rhc::testing::error_of<rhc::FileError>(f);
  CHECK(std::string(e.what()).find("/dev/full") != std::string::npos);
  CHECK(e.attempts() == 1);
  CHECK_FALSE(e.retryable());
}

TEST_CASE("cancel and timeout.total stop a stream: no chunk after the request resolved",
          "[streaming][cancel]") {
  StreamServer server;
  rhc::ResilientClient client(rhc::testing::quiet_config(server.base_url()));
  for (bool by_cancel : {true, false}) {
    INFO((by_cancel ? "cancelled" : "timeout.total"));
    std::atomic<std::uint64_t> received{0};
    std::atomic<bool> resolved{false};
    std::atomic<int> after{0};
    rhc::CancelToken token;
    rhc::RequestOptions options;
    options.cancel = token;
    if (!by_cancel) {
      rhc::TimeoutConfig timeouts;
      timeouts.total = rhc::Seconds(1);
      options.timeout = timeouts;
    }
    options.on_chunk = [&](std::string_view chunk) {
      if (resolved) ++after;
      received += chunk.size();
      std::this_thread::sleep_for(1ms);
    };
    auto f = client.get("/endless", std::move(options));
    REQUIRE(
        rhc::testing::eventually([&] { return received > 2 * kMiB; }, rhc::testing::slack(30s)));
    if (by_cancel) token.cancel();
    REQUIRE(f.wait_for(rhc::testing::slack(30s)) == std::future_status::ready);
    resolved = true;
    if (by_cancel) {
      CHECK_THROWS_AS(f.get(), rhc::CancelledError);
    } else {
      CHECK_THROWS_AS(f.get(), rhc::APITimeoutError);
    }
    std::this_thread::sleep_for(200ms);
    CHECK(after == 0);
  }
}
