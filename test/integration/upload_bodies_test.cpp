// Request bodies from files and multipart parts (RequestOptions::body_file, multipart),
// against the test server's /upload and /multipart echoes, which report the SHA-256 and
// length of what arrived: retried attempts must arrive byte-identical.
#include <openssl/evp.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include <rhc/rhc.hpp>
#include <test_server/test_server.hpp>

using rhc::test_server::Fault;
using rhc::test_server::TestServer;

namespace {

rhc::ClientConfig fast_retry_config(const TestServer& server) {
  rhc::ClientConfig c;
  c.base_url = server.base_url();
  c.retry.max_attempts = 3;
  c.retry.min_wait = rhc::Seconds(0.01);
  c.retry.max_wait = rhc::Seconds(0.05);
  c.logging.level = "ERROR";
  return c;
}

std::string sha256_hex(const std::string& data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha256(), nullptr);
  std::string hex;
  char byte[3];
  for (unsigned int i = 0; i < length; ++i) {
    std::snprintf(byte, sizeof byte, "%02x", digest[i]);
    hex += byte;
  }
  return hex;
}

// A file of `size` bytes of a pattern that a shifted or truncated copy would not match.
struct TempFile {
  std::filesystem::path path;
  std::string content;
  TempFile(const std::string& name, std::size_t size)
      : path(std::filesystem::temp_directory_path() / name) {
    content.reserve(size);
    for (std::size_t i = 0; i < size; ++i) content += static_cast<char>((i * 131 + i / 7) & 0xff);
    std::ofstream(path, std::ios::binary) << content;
  }
  ~TempFile() { std::filesystem::remove(path); }
};

template <typename Call>
std::string config_error_of(Call call) {
  try {
    call();
  } catch (const rhc::ConfigError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("body_file is streamed with its length, and a retry sends it again whole",
          "[upload][body_file]") {
  TestServer server;
  server.start();
  rhc::ResilientClient client(fast_retry_config(server));
  // 3 MiB: well over the size sent inline with the headers, so the read callback streams it.
  TempFile file("rhc-upload-test.bin", 3 << 20);

  server.fail_next(1, Fault::status_code(503));
  rhc::RequestOptions o;
  o.body_file = file.path.string();
  o.headers = {{"Content-Type", "application/octet-stream"}};
  rhc::Response r = client.put("/upload", o).get();
  CHECK(r.attempts == 2);
  rapidjson::Document echo = r.json();
  CHECK(echo["method"].GetString() == std::string("PUT"));
  CHECK(echo["length"].GetUint64() == file.content.size());
  CHECK(echo["sha256"].GetString() == sha256_hex(file.content));
  CHECK(echo["content_type"].GetString() == std::string("application/octet-stream"));
  CHECK_FALSE(echo["chunked"].GetBool());  // Content-Length, known up front
  // Both attempts (the 503 and the 200) arrived whole and identical.
  CHECK(server.stats().uploads_by_sha256[sha256_hex(file.content)] == 2);
}

TEST_CASE("a small body_file, an empty one, and POST without a Content-Type",
          "[upload][body_file]") {
  TestServer server;
  server.start();
  rhc::ResilientClient client(fast_retry_config(server));
  for (std::size_t size : {std::size_t{0}, std::size_t{100}}) {
    TempFile file("rhc-upload-small.bin", size);
    rhc::RequestOptions o;
    o.body_file = file.path.string();
    rapidjson::Document echo = client.post("/upload", o).get().json();
    CHECK(echo["length"].GetUint64() == size);
    CHECK(echo["sha256"].GetString() == sha256_hex(file.content));
    // Like body: only the type the caller gives (libcurl would say form-urlencoded).
    CHECK(echo["content_type"].IsNull());
  }
}

TEST_CASE("a body_file that cannot be sent again whole is a ConfigError before any I/O",
          "[upload][body_file]") {
  TestServer server;
  server.start();
  rhc::ResilientClient client(fast_retry_config(server));
  rhc::RequestOptions missing;
  missing.body_file = "/nonexistent/rhc-upload.bin";
  CHECK_THAT(config_error_of([&] { client.post("/upload", missing).get(); }),
             Catch::Matchers::Contains("body_file \"/nonexistent/rhc-upload.bin\" cannot be "
                                       "opened (No such file or directory)"));
  rhc::RequestOptions directory;
  directory.body_file = std::filesystem::temp_directory_path().string();
  CHECK_THAT(config_error_of([&] { client.post("/upload", directory).get(); }),
             Catch::Matchers::Contains("is not a regular file"));
  TempFile file("rhc-upload-two.bin", 10);
  rhc::RequestOptions two;
  two.body_file = file.path.string();
  two.body = "x";
  CHECK_THAT(config_error_of([&] { client.post("/upload", two).get(); }),
             Catch::Matchers::Contains("a request has one body, and 2 are set"));
  CHECK(server.stats().requests_total == 0);
}

TEST_CASE("multipart sends fields and files with names and types, the same parts on a retry",
          "[upload][multipart]") {
  TestServer server;
  server.start();
  rhc::ResilientClient client(fast_retry_config(server));
  TempFile file("rhc-multipart-test.bin", 200 * 1024);

  server.fail_next(1, Fault::status_code(503));
  rhc::RequestOptions o;
  o.multipart = {
      {"title", "a report", "", "", ""},
      {"meta", "{\"pages\": 3}", "", "", "application/json"},
      {"attachment", "", file.path.string(), "report.bin", ""},
      {"raw", "", file.path.string(), "", "image/png"},
  };
  rhc::Response r = client.post("/multipart", o).get();
  CHECK(r.attempts == 2);
  rapidjson::Document echo = r.json();
  CHECK(std::string(echo["content_type"].GetString()).rfind("multipart/form-data; boundary=", 0) ==
        0);
  const auto& parts = echo["parts"];
  REQUIRE(parts.Size() == 4);
  CHECK(parts[0]["name"].GetString() == std::string("title"));
  CHECK(parts[0]["value"].GetString() == std::string("a report"));
  CHECK(parts[1]["content_type"].GetString() == std::string("application/json"));
  CHECK(parts[2]["name"].GetString() == std::string("attachment"));
  CHECK(parts[2]["filename"].GetString() == std::string("report.bin"));
  CHECK(parts[2]["content_type"].GetString() == std::string("application/octet-stream"));
  CHECK(parts[2]["length"].GetUint64() == file.content.size());
  CHECK(parts[2]["sha256"].GetString() == sha256_hex(file.content));
  // Without a file name: the file's own.
  CHECK(parts[3]["filename"].GetString() == std::string("rhc-multipart-test.bin"));
  CHECK(parts[3]["content_type"].GetString() == std::string("image/png"));
  CHECK(parts[3]["sha256"].GetString() == sha256_hex(file.content));
}

TEST_CASE("multipart refuses what it cannot send before any I/O", "[upload][multipart]") {
  TestServer server;
  server.start();
  rhc::ResilientClient client(fast_retry_config(server));
  auto error_of = [&](const std::string& method, rhc::RequestOptions o) {
    return config_error_of([&] { client.request(method, "/multipart", o).get(); });
  };
  rhc::RequestOptions get;
  get.multipart = {{"a", "1", "", "", ""}};
  CHECK_THAT(error_of("GET", get), Catch::Matchers::Contains("multipart needs a method that "
                                                             "carries a body, not GET"));
  rhc::RequestOptions typed = get;
  typed.headers = {{"Content-Type", "multipart/form-data"}};
  CHECK_THAT(error_of("POST", typed), Catch::Matchers::Contains("headers must not set one"));
  rhc::RequestOptions both;
  both.multipart = {{"a", "1", "/etc/hostname", "", ""}};
  CHECK_THAT(error_of("POST", both), Catch::Matchers::Contains("multipart[0] sets both value and "
                                                               "file"));
  rhc::RequestOptions missing;
  missing.multipart = {{"a", "", "/nonexistent/part.bin", "", ""}};
  CHECK_THAT(error_of("POST", missing), Catch::Matchers::Contains("multipart[0].file"));
  rhc::RequestOptions unnamed;
  unnamed.multipart = {{"", "1", "", "", ""}};
  CHECK_THAT(error_of("POST", unnamed), Catch::Matchers::Contains("multipart[0].name is empty"));
  rhc::RequestOptions injected;
  injected.multipart = {{"a\r\nX-Evil: 1", "1", "", "", ""}};
  CHECK_THAT(error_of("POST", injected), Catch::Matchers::Contains("CR, LF or NUL"));
  CHECK(server.stats().requests_total == 0);
}

TEST_CASE("a body_file that shrinks before it is sent fails with FileError, not retried",
          "[upload][body_file]") {
  TestServer server;
  server.start();
  rhc::ClientConfig c = fast_retry_config(server);
  c.bulkhead.max_concurrency = 1;  // the upload waits for the slot while the file shrinks
  c.timeout.read = rhc::Seconds(5);
  rhc::ResilientClient client(c);
  TempFile file("rhc-upload-shrinks.bin", 256 * 1024);

  server.fail_next(1, Fault::hang(std::chrono::milliseconds(300)));
  auto holder = client.get("/msg");  // holds the only slot for 300 ms
  rhc::RequestOptions o;
  o.body_file = file.path.string();  // opened now, 256 KiB promised
  auto upload = client.put("/upload", o);
  std::filesystem::resize_file(file.path, 1000);
  try {
    upload.get();
    FAIL("a shrunk file was sent");
  } catch (const rhc::FileError& e) {
    CHECK_THAT(e.what(), Catch::Matchers::Contains("body_file became shorter"));
    CHECK(e.attempts() == 1);
  }
  try {
    holder.get();
  } catch (const rhc::MyAPIError&) {  // the hang ends with a reset; retried, maybe served
  }
}
