// The transport endpoints (issue #17): /bytes/{n}, /upload, /multipart and the cookie routes,
// checked with libcurl directly. Large bodies are generated and checked as they stream, never
// held whole, on either side.
#include <curl/curl.h>
#include <openssl/evp.h>
#include <sys/resource.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cctype>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <test_server/byte_pattern.hpp>
#include <vector>

#include "http_client.hpp"
#include "server_fixture.hpp"
#include "slack.hpp"

using namespace rhc::test_server::testing;
using rhc::test_server::Fault;
using rhc::test_server::matches_pattern;
using rhc::test_server::pattern_byte;

namespace {

constexpr std::uint64_t kMiB = 1024 * 1024;

// The process's peak resident set so far. Server and client share the process: a body either
// side held whole would show here.
std::uint64_t peak_rss() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<std::uint64_t>(usage.ru_maxrss) * 1024;
}

// SHA-256 fed piece by piece, as the server computes it.
class Digest {
 public:
  Digest() { EVP_DigestInit_ex(context_.get(), EVP_sha256(), nullptr); }
  void update(std::string_view data) { EVP_DigestUpdate(context_.get(), data.data(), data.size()); }
  std::string hex() {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    EVP_DigestFinal_ex(context_.get(), digest, &size);
    std::string text;
    for (unsigned int i = 0; i < size; ++i) {
      static constexpr char kHex[] = "0123456789abcdef";
      text += kHex[digest[i] >> 4];
      text += kHex[digest[i] & 0xf];
    }
    return text;
  }

 private:
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context_{EVP_MD_CTX_new(),
                                                                   EVP_MD_CTX_free};
};

std::string sha256_of(std::string_view data) {
  Digest digest;
  digest.update(data);
  return digest.hex();
}

std::string pattern(std::uint64_t offset, std::size_t size) {
  std::string bytes(size, '\0');
  for (std::size_t i = 0; i < size; ++i) bytes[i] = pattern_byte(offset + i);
  return bytes;
}

// A streamed download: counts the bytes and checks them against the pattern as they arrive.
struct Streamed {
  CURLcode code = CURLE_OK;
  long status = 0;
  std::uint64_t bytes = 0;
  bool pattern_ok = true;
  std::vector<std::string> headers;  // every header line, as received
};

size_t on_streamed_body(char* data, size_t size, size_t count, void* out) {
  auto& streamed = *static_cast<Streamed*>(out);
  const std::string_view chunk(data, size * count);
  streamed.pattern_ok = streamed.pattern_ok && matches_pattern(chunk, streamed.bytes);
  streamed.bytes += chunk.size();
  return chunk.size();
}

size_t on_header_line(char* data, size_t size, size_t count, void* out) {
  std::string line(data, size * count);
  line.erase(line.find_last_not_of("\r\n") + 1);
  static_cast<Streamed*>(out)->headers.push_back(line);
  return size * count;
}

bool has_header(const Streamed& streamed, std::string_view wanted) {
  for (std::string line : streamed.headers) {
    std::transform(line.begin(), line.end(), line.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (line == wanted) return true;
  }
  return false;
}

Streamed stream(const std::string& url) {
  Streamed streamed;
  CURL* easy = curl_easy_init();
  curl_easy_setopt(easy, CURLOPT_URL, url.c_str());
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, 120'000L);
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, on_streamed_body);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, &streamed);
  curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, on_header_line);
  curl_easy_setopt(easy, CURLOPT_HEADERDATA, &streamed);
  streamed.code = curl_easy_perform(easy);
  curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &streamed.status);
  curl_easy_cleanup(easy);
  return streamed;
}

// An upload body of `size` pattern bytes, generated as libcurl asks for it and hashed on the
// way out.
struct Generated {
  std::uint64_t size = 0;
  std::uint64_t sent = 0;
  Digest digest;
};

size_t on_read(char* buffer, size_t size, size_t count, void* in) {
  auto& body = *static_cast<Generated*>(in);
  const std::size_t n = std::min<std::uint64_t>(size * count, body.size - body.sent);
  for (std::size_t i = 0; i < n; ++i) buffer[i] = pattern_byte(body.sent + i);
  body.digest.update(std::string_view(buffer, n));
  body.sent += n;
  return n;
}

size_t on_body(char* data, size_t size, size_t count, void* out) {
  static_cast<std::string*>(out)->append(data, size * count);
  return size * count;
}

// Uploads `body` with `method`; with `known_size` false, chunked (no Content-Length).
Reply upload(const std::string& url, Generated& body, const std::string& method = "POST",
             bool known_size = true) {
  Reply reply;
  CURL* easy = curl_easy_init();
  curl_easy_setopt(easy, CURLOPT_URL, url.c_str());
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, 120'000L);
  curl_easy_setopt(easy, CURLOPT_UPLOAD, 1L);  // PUT unless told otherwise
  curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, method.c_str());
  curl_easy_setopt(easy, CURLOPT_READFUNCTION, on_read);
  curl_easy_setopt(easy, CURLOPT_READDATA, &body);
  if (known_size) {
    curl_easy_setopt(easy, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(body.size));
  }
  curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/x-rhc-test");
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, &reply.body);
  reply.code = curl_easy_perform(easy);
  curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &reply.status);
  curl_easy_cleanup(easy);
  curl_slist_free_all(headers);
  return reply;
}

// A multipart/form-data POST of `mime`, built by the caller on `easy`.
Reply post_mime(CURL* easy, curl_mime* mime, const std::string& url) {
  Reply reply;
  curl_easy_setopt(easy, CURLOPT_URL, url.c_str());
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, 120'000L);
  curl_easy_setopt(easy, CURLOPT_MIMEPOST, mime);
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, &reply.body);
  reply.code = curl_easy_perform(easy);
  curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &reply.status);
  return reply;
}

}  // namespace

TEST_CASE("bytes answers n bytes of the pattern with Content-Length", "[server][bytes]") {
  ServerFixture fixture;
  const Reply reply = fetch(fixture.url("/bytes/1000"));
  REQUIRE(reply.code == CURLE_OK);
  CHECK(reply.status == 200);
  CHECK(reply.headers.at("content-length") == "1000");
  CHECK(reply.headers.at("content-type") == "application/octet-stream");
  CHECK(reply.body == pattern(0, 1000));

  const Reply empty = fetch(fixture.url("/bytes/0"));
  REQUIRE(empty.code == CURLE_OK);
  CHECK(empty.status == 200);
  CHECK(empty.body.empty());
  CHECK(empty.headers.at("content-length") == "0");

  const Reply empty_chunked = fetch(fixture.url("/bytes/0?chunked=true"));
  REQUIRE(empty_chunked.code == CURLE_OK);
  CHECK(empty_chunked.status == 200);
  CHECK(empty_chunked.body.empty());
}

TEST_CASE("bytes streams a body of hundreds of MiB intact", "[server][bytes]") {
  ServerFixture fixture;
  const std::uint64_t size = 256 * kMiB + 7;
  const std::uint64_t peak_before = peak_rss();
  const Streamed streamed = stream(fixture.url("/bytes/" + std::to_string(size)));
  REQUIRE(streamed.code == CURLE_OK);
  CHECK(streamed.status == 200);
  CHECK(streamed.bytes == size);
  CHECK(streamed.pattern_ok);
  CHECK(fixture.server.stats().bytes_requests == 1);
  if (!rhc::testing::kSanitized) CHECK(peak_rss() - peak_before < 32 * kMiB);
}

TEST_CASE("bytes can answer chunked, without Content-Length", "[server][bytes]") {
  ServerFixture fixture;
  const Streamed streamed = stream(fixture.url("/bytes/1000000?chunked=true"));
  REQUIRE(streamed.code == CURLE_OK);
  CHECK(streamed.bytes == 1'000'000);
  CHECK(streamed.pattern_ok);
  CHECK(has_header(streamed, "transfer-encoding: chunked"));
  for (const std::string& line : streamed.headers) {
    CHECK(line.rfind("Content-Length", 0) == std::string::npos);
  }
}

TEST_CASE("bytes with fail_after closes the connection mid-body", "[server][bytes]") {
  ServerFixture fixture;
  SECTION("with Content-Length") {
    const Streamed streamed = stream(fixture.url("/bytes/5000000?fail_after=1000000"));
    CHECK(streamed.code == CURLE_PARTIAL_FILE);
    CHECK(streamed.status == 200);
    CHECK(streamed.bytes == 1'000'000);
    CHECK(streamed.pattern_ok);
  }
  SECTION("chunked") {
    const Streamed streamed = stream(fixture.url("/bytes/5000000?fail_after=1000&chunked=1"));
    CHECK(streamed.code != CURLE_OK);
    CHECK(streamed.bytes == 1000);
    CHECK(streamed.pattern_ok);
  }
  CHECK(fixture.server.stats().bytes_requests == 1);
}

TEST_CASE("bytes refuses a size or fail_after it cannot serve", "[server][bytes]") {
  ServerFixture fixture;
  for (const char* path :
       {"/bytes/68719476737", "/bytes/99999999999999999999999", "/bytes/10?fail_after=10",
        "/bytes/10?fail_after=x", "/bytes/0?fail_after=0"}) {
    INFO(path);
    const Reply reply = fetch(fixture.url(path));
    CHECK(reply.status == 400);
    CHECK(reply.json().HasMember("error"));
  }
  CHECK(fetch(fixture.url("/bytes/abc")).status == 404);
}

TEST_CASE("bytes draws faults from the server's plan", "[server][bytes][fail]") {
  ServerFixture fixture;
  fixture.server.fail_next(1, Fault::status_code(503));
  fixture.server.then_fail(1, Fault::slow_body(0, 100, std::chrono::milliseconds(10)));
  const Reply failed = fetch(fixture.url("/bytes/1000"));
  CHECK(failed.status == 503);
  CHECK(std::string(failed.json()["fault"].GetString()) == "status_503");

  // slow_body trickles the n bytes out: 10 chunks of 100 bytes, 10 ms apart.
  const Reply slow = fetch(fixture.url("/bytes/1000"));
  REQUIRE(slow.code == CURLE_OK);
  CHECK(slow.body == pattern(0, 1000));
  CHECK(slow.elapsed.count() >= 90);

  CHECK(fetch(fixture.url("/bytes/10")).body == pattern(0, 10));
  const auto stats = fixture.server.stats();
  CHECK(stats.bytes_requests == 3);
  CHECK(stats.requests_by_endpoint.at("/bytes") == 3);
  CHECK(stats.faults_injected.at("status_503") == 1);
  CHECK(stats.faults_injected.at("slow_body") == 1);
  CHECK(stats.msg_requests == 0);
}

TEST_CASE("upload echoes the SHA-256, length and headers of the body", "[server][upload]") {
  ServerFixture fixture;
  for (const char* method : {"POST", "PUT"}) {
    Call call;
    call.method = method;
    call.body = "hello";
    call.headers = {"Content-Type: text/plain"};
    const Reply reply = fetch(fixture.url("/upload"), call);
    INFO(method << " " << reply.body);
    REQUIRE(reply.status == 200);
    const auto json = reply.json();
    CHECK(std::string(json["method"].GetString()) == method);
    CHECK(json["length"].GetUint64() == 5);
    CHECK(std::string(json["sha256"].GetString()) ==
          "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
    CHECK(std::string(json["content_type"].GetString()) == "text/plain");
    CHECK(json["content_length"].GetUint64() == 5);
    CHECK_FALSE(json["chunked"].GetBool());
  }

  const Reply empty = post(fixture.url("/upload"));
  REQUIRE(empty.status == 200);
  CHECK(empty.json()["length"].GetUint64() == 0);
  CHECK(std::string(empty.json()["sha256"].GetString()) == sha256_of(""));
  CHECK(fixture.server.stats().upload_requests == 3);
}

TEST_CASE("upload hashes a body of hundreds of MiB as it streams in", "[server][upload]") {
  ServerFixture fixture;
  Generated body;
  body.size = 256 * kMiB + 3;
  const std::uint64_t peak_before = peak_rss();
  const Reply reply = upload(fixture.url("/upload"), body);
  if (!rhc::testing::kSanitized) CHECK(peak_rss() - peak_before < 32 * kMiB);
  REQUIRE(reply.code == CURLE_OK);
  REQUIRE(reply.status == 200);
  const auto json = reply.json();
  CHECK(json["length"].GetUint64() == body.size);
  CHECK(json["content_length"].GetUint64() == body.size);
  CHECK(std::string(json["content_type"].GetString()) == "application/x-rhc-test");
  const std::string sent = body.digest.hex();
  CHECK(std::string(json["sha256"].GetString()) == sent);
  const auto stats = fixture.server.stats();
  CHECK(stats.upload_bytes == body.size);
  CHECK(stats.uploads_by_sha256.at(sent) == 1);
}

TEST_CASE("upload takes a chunked body", "[server][upload]") {
  ServerFixture fixture;
  Generated body;
  body.size = 3 * kMiB;
  const Reply reply = upload(fixture.url("/upload"), body, "PUT", false);
  REQUIRE(reply.status == 200);
  const auto json = reply.json();
  CHECK(json["chunked"].GetBool());
  CHECK(json["content_length"].IsNull());
  CHECK(json["length"].GetUint64() == body.size);
  CHECK(std::string(json["sha256"].GetString()) == body.digest.hex());
}

TEST_CASE("an upload failed with 503 and sent again shows one digest twice in stats",
          "[server][upload][fail]") {
  ServerFixture fixture;
  fixture.server.fail_next(1, Fault::status_code(503));
  Generated first;
  first.size = 2 * kMiB;
  const Reply refused = upload(fixture.url("/upload"), first);
  CHECK(refused.status == 503);
  Generated again;
  again.size = 2 * kMiB;
  const Reply accepted = upload(fixture.url("/upload"), again);
  REQUIRE(accepted.status == 200);
  const std::string digest = again.digest.hex();
  CHECK(std::string(accepted.json()["sha256"].GetString()) == digest);

  const auto stats = fixture.server.stats();
  CHECK(stats.upload_requests == 2);
  CHECK(stats.uploads_by_sha256.at(digest) == 2);
  CHECK(stats.faults_injected.at("status_503") == 1);
  const auto json = fetch(fixture.url("/stats")).json();
  CHECK(json["transport"]["uploads_by_sha256"][digest.c_str()].GetInt() == 2);
  CHECK(json["transport"]["upload_bytes"].GetUint64() == 4 * kMiB);
  CHECK(json["requests_by_endpoint"]["/upload"].GetInt() == 2);
}

TEST_CASE("upload refuses a multipart body, which /multipart echoes", "[server][upload]") {
  ServerFixture fixture;
  CURL* easy = curl_easy_init();
  curl_mime* mime = curl_mime_init(easy);
  curl_mimepart* part = curl_mime_addpart(mime);
  curl_mime_name(part, "a");
  curl_mime_data(part, "1", CURL_ZERO_TERMINATED);
  const Reply reply = post_mime(easy, mime, fixture.url("/upload"));
  curl_mime_free(mime);
  curl_easy_cleanup(easy);
  CHECK(reply.status == 415);
  // The connection was left usable: the body was read.
  CHECK(fetch(fixture.url("/health")).status == 200);
}

TEST_CASE("multipart echoes every part's name, file name, type, length and SHA-256",
          "[server][multipart]") {
  ServerFixture fixture;
  const std::string file_bytes = pattern(0, 5 * kMiB + 11);

  CURL* easy = curl_easy_init();
  curl_mime* mime = curl_mime_init(easy);
  curl_mimepart* field = curl_mime_addpart(mime);
  curl_mime_name(field, "greeting");
  curl_mime_data(field, "hello", CURL_ZERO_TERMINATED);
  curl_mimepart* file = curl_mime_addpart(mime);
  curl_mime_name(file, "upload");
  curl_mime_filename(file, "data.bin");
  curl_mime_type(file, "application/octet-stream");
  curl_mime_data(file, file_bytes.data(), file_bytes.size());
  curl_mimepart* typed = curl_mime_addpart(mime);
  curl_mime_name(typed, "json");
  curl_mime_type(typed, "application/json");
  curl_mime_data(typed, R"({"a":1})", CURL_ZERO_TERMINATED);
  const Reply reply = post_mime(easy, mime, fixture.url("/multipart"));
  curl_mime_free(mime);
  curl_easy_cleanup(easy);

  INFO(reply.body.substr(0, 2000));
  REQUIRE(reply.code == CURLE_OK);
  REQUIRE(reply.status == 200);
  const auto json = reply.json();
  CHECK(std::string(json["content_type"].GetString()).rfind("multipart/form-data; boundary=", 0) ==
        0);
  const auto& parts = json["parts"];
  REQUIRE(parts.Size() == 3);

  CHECK(std::string(parts[0]["name"].GetString()) == "greeting");
  CHECK(parts[0]["filename"].IsNull());
  CHECK(parts[0]["content_type"].IsNull());
  CHECK(parts[0]["length"].GetUint64() == 5);
  CHECK(std::string(parts[0]["sha256"].GetString()) == sha256_of("hello"));
  CHECK(std::string(parts[0]["value"].GetString()) == "hello");

  CHECK(std::string(parts[1]["name"].GetString()) == "upload");
  CHECK(std::string(parts[1]["filename"].GetString()) == "data.bin");
  CHECK(std::string(parts[1]["content_type"].GetString()) == "application/octet-stream");
  CHECK(parts[1]["length"].GetUint64() == file_bytes.size());
  CHECK(std::string(parts[1]["sha256"].GetString()) == sha256_of(file_bytes));
  CHECK_FALSE(parts[1].HasMember("value"));

  CHECK(std::string(parts[2]["content_type"].GetString()) == "application/json");
  CHECK(std::string(parts[2]["value"].GetString()) == R"({"a":1})");

  const auto stats = fixture.server.stats();
  CHECK(stats.multipart_requests == 1);
  CHECK(stats.requests_by_endpoint.at("/multipart") == 1);
}

TEST_CASE("multipart refuses a body that is not multipart/form-data", "[server][multipart]") {
  ServerFixture fixture;
  Call call;
  call.method = "POST";
  call.body = "a=1";
  const Reply reply = fetch(fixture.url("/multipart"), call);
  CHECK(reply.status == 400);
  CHECK(reply.json().HasMember("error"));
}

TEST_CASE("multipart draws faults from the server's plan after reading the body",
          "[server][multipart][fail]") {
  ServerFixture fixture;
  fixture.server.fail_next(1, Fault::status_code(503));
  for (const long expected : {503L, 200L}) {
    CURL* easy = curl_easy_init();
    curl_mime* mime = curl_mime_init(easy);
    curl_mimepart* part = curl_mime_addpart(mime);
    curl_mime_name(part, "a");
    curl_mime_data(part, "1", CURL_ZERO_TERMINATED);
    const Reply reply = post_mime(easy, mime, fixture.url("/multipart"));
    curl_mime_free(mime);
    curl_easy_cleanup(easy);
    CHECK(reply.status == expected);
  }
  CHECK(fixture.server.stats().multipart_requests == 2);
}

TEST_CASE("cookies echoes the Cookie header it received", "[server][cookies]") {
  ServerFixture fixture;
  const Reply none = fetch(fixture.url("/cookies"));
  REQUIRE(none.status == 200);
  CHECK(none.json()["cookie_header"].IsNull());
  CHECK(none.json()["cookies"].ObjectEmpty());

  Call call;
  call.headers = {"Cookie: a=1; b=two; empty="};
  const Reply some = fetch(fixture.url("/cookies/echo/anywhere"), call);
  REQUIRE(some.status == 200);
  const auto json = some.json();
  CHECK(std::string(json["cookie_header"].GetString()) == "a=1; b=two; empty=");
  CHECK(std::string(json["cookies"]["a"].GetString()) == "1");
  CHECK(std::string(json["cookies"]["b"].GetString()) == "two");
  CHECK(std::string(json["cookies"]["empty"].GetString()).empty());
}

TEST_CASE("cookies set by the server come back through libcurl's cookie engine",
          "[server][cookies]") {
  ServerFixture fixture;
  CURL* easy = curl_easy_init();
  curl_easy_setopt(easy, CURLOPT_COOKIEFILE, "");  // an in-memory jar
  std::string body;
  Streamed headers;
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, &body);
  curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, on_header_line);
  curl_easy_setopt(easy, CURLOPT_HEADERDATA, &headers);
  const auto get = [&](const std::string& path) {
    body.clear();
    curl_easy_setopt(easy, CURLOPT_URL, fixture.url(path).c_str());
    REQUIRE(curl_easy_perform(easy) == CURLE_OK);
    return body;
  };

  get("/cookies/set?a=1&b=2");
  CHECK(has_header(headers, "set-cookie: a=1; path=/"));
  CHECK(has_header(headers, "set-cookie: b=2; path=/"));
  get("/cookies/set-one?name=scoped&value=s&path=/cookies/echo/private");
  get("/cookies/set-one?name=elsewhere&value=e&domain=example.com");
  get("/cookies/set-one?name=gone&value=g");
  get("/cookies/set-one?name=gone&value=g&max_age=0");

  rapidjson::Document root;
  root.Parse(get("/cookies").c_str());
  REQUIRE_FALSE(root.HasParseError());
  CHECK(root["cookies"].MemberCount() == 2);
  CHECK(std::string(root["cookies"]["a"].GetString()) == "1");
  CHECK(std::string(root["cookies"]["b"].GetString()) == "2");

  rapidjson::Document scoped;
  scoped.Parse(get("/cookies/echo/private").c_str());
  REQUIRE_FALSE(scoped.HasParseError());
  CHECK(scoped["cookies"].MemberCount() == 3);
  CHECK(std::string(scoped["cookies"]["scoped"].GetString()) == "s");
  curl_easy_cleanup(easy);

  CHECK(fixture.server.stats().requests_by_endpoint.at("/cookies") == 7);
}

TEST_CASE("cookie routes refuse names, values and attributes that break the header",
          "[server][cookies]") {
  ServerFixture fixture;
  for (const char* path :
       {"/cookies/set", "/cookies/set?a%3Bb=1", "/cookies/set?a=1%3B2", "/cookies/set?a=x%20y",
        "/cookies/set-one", "/cookies/set-one?name=a&value=1&path=/x%3BSecure"}) {
    INFO(path);
    const Reply reply = fetch(fixture.url(path));
    CHECK(reply.status == 400);
    CHECK(reply.headers.count("set-cookie") == 0);
  }
  const Reply secure = fetch(fixture.url("/cookies/set-one?name=s&value=1&secure=1&http_only=1"));
  CHECK(secure.headers.at("set-cookie") == "s=1; Path=/; Secure; HttpOnly");
}
