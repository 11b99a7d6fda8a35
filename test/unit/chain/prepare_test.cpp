// The caller-side link: URL joining (libcurl's curl_url), params, headers and request ids.
#include <catch2/catch.hpp>

#include <limits>
#include <string>
#include <thread>
#include <vector>

#include "chain/prepare.hpp"
#include "http/header_check.hpp"
#include "url/url_check.hpp"

using rhc::detail::BaseUrl;
using rhc::detail::ErrorKind;
using rhc::detail::Request;

namespace {

std::string join(const std::string& base, const std::string& path, rhc::Params params = {}) {
  BaseUrl b(base);
  std::string error;
  auto url = b.resolve(path, params, &error);
  INFO(error);
  REQUIRE(url != nullptr);
  return rhc::detail::render_url(url.get(), false);
}

std::vector<std::string> header_lines(const Request& r) {
  std::vector<std::string> out;
  for (curl_slist* p = r.header_list; p != nullptr; p = p->next) out.emplace_back(p->data);
  return out;
}

bool has(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

}  // namespace

TEST_CASE("relative paths join under the base URL's path, as httpx joins", "[prepare][url]") {
  CHECK(join("http://localhost:8000", "/msg") == "http://localhost:8000/msg");
  CHECK(join("http://localhost:8000/", "msg") == "http://localhost:8000/msg");
  CHECK(join("https://api.example.com/v1", "/users/123") == "https://api.example.com/v1/users/123");
  CHECK(join("https://api.example.com/v1/", "users?x=1") == "https://api.example.com/v1/users?x=1");
}

TEST_CASE("a relative path with a colon stays a path under the base", "[prepare][url]") {
  // Found by the url_join fuzzer: "http:/evil.example/x" used to leave the base's host.
  CHECK(join("http://api.example.com/v1", "http:/evil.example/steal") ==
        "http://api.example.com/v1/http:/evil.example/steal");
  CHECK(join("http://api.example.com/v1", "/items:batchGet") ==
        "http://api.example.com/v1/items:batchGet");
}

TEST_CASE("a base URL's query or fragment does not swallow the joined path", "[prepare][url]") {
  CHECK(join("http://h/v1?x=1", "users") == "http://h/v1/users");
}

TEST_CASE("a path with a NUL byte is refused, not cut short", "[prepare][url]") {
  BaseUrl base("http://h");
  std::string error;
  CHECK(base.resolve(std::string("users/1\0/../../admin", 21), {}, &error) == nullptr);
  CHECK(error.find("NUL") != std::string::npos);
}

TEST_CASE("absolute URLs pass through the base URL untouched", "[prepare][url]") {
  CHECK(join("http://localhost:8000", "http://other:9000/health") == "http://other:9000/health");
  CHECK(join("", "https://example.com/a") == "https://example.com/a");
}

TEST_CASE("params are URL-encoded and appended in order", "[prepare][url]") {
  CHECK(join("http://h", "/search", {{"q", "c++ & more"}, {"limit", "10"}}) ==
        "http://h/search?q=c%2b%2b%20%26%20more&limit=10");
  CHECK(join("http://h", "/s?a=1", {{"b", "x=y"}}) == "http://h/s?a=1&b=x%3dy");
  // Each encoded once (the url_join fuzzer found keys encoded twice), NUL included.
  CHECK(join("http://h", "/s", {{"a b", "c"}}) == "http://h/s?a%20b=c");
  CHECK(join("http://h", "/s", {{"k", std::string("a\0b", 3)}}) == "http://h/s?k=a%00b");
}

TEST_CASE("only http and https URLs are accepted", "[prepare][url]") {
  BaseUrl none("");
  std::string error;
  CHECK_FALSE(none.resolve("ftp://example.com/file", {}, &error));
  CHECK(error.find("http and https only") != std::string::npos);
  CHECK_FALSE(none.resolve("file:///etc/passwd", {}, &error));
  CHECK(error == "unsupported URL scheme 'file' (http and https only)");
  CHECK_FALSE(none.resolve("/relative-without-base", {}, &error));
}

TEST_CASE("prepare sends one X-Request-ID: explicit id, else the caller's header",
          "[prepare][idempotency]") {
  rhc::ClientConfig config;
  config.base_url = "http://localhost:8000";
  BaseUrl base(config.base_url);

  Request a;
  rhc::RequestOptions oa;
  oa.request_id = "explicit";
  oa.headers = {{"X-Request-ID", "from-header"}, {"Accept", "application/json"}};
  REQUIRE_FALSE(rhc::detail::prepare(config, base, "GET", "/msg", std::move(oa), a));
  CHECK(a.request_id == "explicit");
  auto lines = header_lines(a);
  CHECK(has(lines, "X-Request-ID: explicit"));
  CHECK_FALSE(has(lines, "X-Request-ID: from-header"));
  CHECK(has(lines, "Accept: application/json"));

  Request b;
  rhc::RequestOptions ob;
  ob.headers = {{"x-request-id", "from-header"}};
  REQUIRE_FALSE(rhc::detail::prepare(config, base, "GET", "/msg", std::move(ob), b));
  CHECK(b.request_id == "from-header");

  Request c;
  REQUIRE_FALSE(rhc::detail::prepare(config, base, "GET", "/msg", {}, c));
  CHECK(c.request_id.size() == 36);
}

TEST_CASE("json sets Content-Type; a raw body never gets libcurl's form type", "[prepare]") {
  rhc::ClientConfig config;
  BaseUrl base("http://h");
  Request j;
  rhc::RequestOptions oj;
  oj.json = R"({"name":"John"})";
  REQUIRE_FALSE(rhc::detail::prepare(config, base, "POST", "/users", std::move(oj), j));
  CHECK(has(header_lines(j), "Content-Type: application/json"));
  CHECK(j.body == std::optional<std::string>(R"({"name":"John"})"));

  Request raw;
  rhc::RequestOptions orw;
  orw.body = "a=b";
  REQUIRE_FALSE(rhc::detail::prepare(config, base, "PUT", "/x", std::move(orw), raw));
  CHECK(has(header_lines(raw), "Content-Type:"));  // libcurl's spelling of "send none"
}

TEST_CASE("bad options are a ConfigError before anything is sent", "[prepare][hostile]") {
  rhc::ClientConfig config;
  BaseUrl base("http://h");
  auto fails = [&](std::string method, rhc::RequestOptions o) {
    Request r;
    auto f = rhc::detail::prepare(config, base, std::move(method), "/x", std::move(o), r);
    return f.has_value() && f->kind == ErrorKind::Config;
  };
  rhc::RequestOptions both;
  both.json = "{}";
  both.body = "x";
  CHECK(fails("POST", both));
  rhc::RequestOptions crlf;
  crlf.headers = {{"X-Evil", "a\r\nInjected: yes"}};
  CHECK(fails("GET", crlf));
  rhc::RequestOptions nul;
  nul.headers = {{"X-Nul", std::string("a\0b", 3)}};
  CHECK(fails("GET", nul));
  CHECK(fails("GET\r\n", {}));
  rhc::RequestOptions bad_id;
  bad_id.request_id = "id\nwith newline";
  CHECK(fails("GET", bad_id));
  rhc::RequestOptions bad_timeout;
  bad_timeout.timeout = rhc::TimeoutConfig::all(rhc::Seconds(0));
  CHECK(fails("GET", bad_timeout));
}

TEST_CASE("a URL's password never reaches logs or error messages", "[prepare][secrets]") {
  rhc::ClientConfig config;
  BaseUrl base("");
  Request r;
  REQUIRE_FALSE(rhc::detail::prepare(config, base, "GET", "http://user:s3cret@h:8000/x", {}, r));
  // libcurl still gets the credentials; people never see them.
  CHECK(rhc::detail::render_url(r.url_handle.get(), false) == "http://user:s3cret@h:8000/x");
  CHECK(r.loggable_url() == "http://h:8000/x");
  Request bad;
  auto failure = rhc::detail::prepare(config, base, "GET", "ftp://user:s3cret@h/x", {}, bad);
  REQUIRE(failure.has_value());
  CHECK(bad.loggable_url().find("s3cret") == std::string::npos);
  CHECK(failure->cause.find("s3cret") == std::string::npos);
}

TEST_CASE("the fast join of simple paths gives what libcurl's relative resolution gives",
          "[prepare][url]") {
  // Simple paths are joined by setting the path; everything else goes through libcurl's
  // relative resolution. Both must agree wherever the fast one applies.
  const char* paths[] = {"msg",
                         "/msg",
                         "users/123",
                         "a/b/c/",
                         "x-y_z.~!$&'()*+,;=@",
                         "deep/er/path/../x",
                         "./x",
                         "a?q=1",
                         "a#f",
                         "%41",
                         "",
                         "/"};
  for (const char* base : {"http://h:8000", "https://api.example.com/v1", "http://h/v1/x/"}) {
    for (const char* p : paths) {
      INFO(base << " + " << p);
      std::string with_slash = std::string(base) + (std::string(base).back() == '/' ? "" : "/");
      rhc::detail::UrlPtr ref(curl_url());
      REQUIRE(curl_url_set(ref.get(), CURLUPART_URL, with_slash.c_str(), 0) == CURLUE_OK);
      std::string rel(p);
      rel.erase(0, rel.find_first_not_of('/') == std::string::npos ? rel.size()
                                                                   : rel.find_first_not_of('/'));
      REQUIRE(curl_url_set(ref.get(), CURLUPART_URL, rel.c_str(), 0) == CURLUE_OK);
      CHECK(join(base, p) == rhc::detail::render_url(ref.get(), false));
    }
  }
}

namespace {

// prepare()'s ConfigError cause for `options` on GET `path`, or "" when it passes.
std::string refusal(rhc::RequestOptions options, const std::string& path = "/x",
                    const std::string& base_url = "http://h") {
  rhc::ClientConfig config;
  BaseUrl base(base_url);
  Request r;
  auto f = rhc::detail::prepare(config, base, "GET", path, std::move(options), r);
  if (!f) return "";
  CHECK(f->kind == ErrorKind::Config);
  return f->cause;
}

rhc::RequestOptions with_timeout(rhc::TimeoutConfig t) {
  rhc::RequestOptions o;
  o.timeout = t;
  return o;
}

}  // namespace

TEST_CASE("per-request timeouts meet ClientConfig's field checks: finite and in range",
          "[prepare][hostile][timeout]") {
  // Issue #19: read = +inf or 1e10 s used to pass here and wedge the loop thread.
  constexpr double kInf = std::numeric_limits<double>::infinity();
  rhc::TimeoutConfig t;
  t.read = rhc::Seconds(kInf);
  CHECK(refusal(with_timeout(t)) ==
        "invalid RequestOptions: timeout.read must be a finite number (got inf)");
  t = {};
  t.write = rhc::Seconds(1e10);
  CHECK(refusal(with_timeout(t)) ==
        "invalid RequestOptions: timeout.write must be <= 1000000000 (got 10000000000)");
  t = {};
  t.total = rhc::Seconds(kInf);
  t.connect = rhc::Seconds(kInf);
  t.pool = rhc::Seconds(std::numeric_limits<double>::quiet_NaN());
  CHECK(refusal(with_timeout(t)) ==
        "invalid RequestOptions: timeout.connect must be a finite number (got inf); "
        "timeout.pool must be a finite number (got nan); "
        "timeout.total must be a finite number (got inf)");
  t = {};
  t.total = rhc::Seconds(-1);
  CHECK(refusal(with_timeout(t)) == "invalid RequestOptions: timeout.total must be >= 0 (got -1)");
  // The largest accepted values pass.
  t = rhc::TimeoutConfig::all(rhc::Seconds(1e9));
  t.total = rhc::Seconds(1e9);
  CHECK(refusal(with_timeout(t)).empty());
}

TEST_CASE("a header line over 64 KiB or a URL over 64 KiB is refused before sending",
          "[prepare][hostile][limits]") {
  // Issue #19: a 1 MiB header or path failed on the wire and was retried as a connection error.
  const std::size_t line = rhc::detail::kMaxHeaderLineBytes;
  rhc::RequestOptions fits;
  fits.headers = {{"X-Big", std::string(line - 7, 'a')}};  // "X-Big: " is 7 bytes
  CHECK(refusal(std::move(fits)).empty());
  rhc::RequestOptions over;
  over.headers = {{"X-Big", std::string(line - 6, 'a')}};
  CHECK(refusal(std::move(over)) ==
        "header \"X-Big\" is longer than 65536 bytes (name, \": \" and value)");
  rhc::RequestOptions id;
  id.request_id = std::string(1 << 20, 'a');
  CHECK(refusal(std::move(id)).find("request_id: header \"X-Request-ID\" is longer") == 0);

  const std::string big(1 << 20, 'p');
  CHECK(refusal({}, "/" + big) == "invalid URL: longer than 65536 bytes");
  CHECK(refusal({}, "http://h/" + big) == "invalid URL: longer than 65536 bytes");
  rhc::RequestOptions params;
  params.params = {{"q", std::string(40000, 'a')}, {"r", std::string(40000, 'b')}};
  CHECK(refusal(std::move(params)) == "invalid URL: longer than 65536 bytes");
  // "http://h/" is 9 bytes: a path that brings the URL to exactly the limit passes.
  CHECK(refusal({}, std::string(rhc::detail::kMaxUrlBytes - 9, 'p')).empty());
  CHECK(refusal({}, std::string(rhc::detail::kMaxUrlBytes - 8, 'p')) ==
        "invalid URL: longer than 65536 bytes");
}

TEST_CASE("an absolute URL needs scheme://, a host and a port of 1-65535", "[prepare][url]") {
  // Issue #19: libcurl reads "http:/h:81" as http://h:81 and "http:///path" as host "path".
  for (const char* base : {"", "http://h"}) {
    INFO("base " << base);
    CHECK(refusal({}, "http:///path", base).find("scheme:// (two slashes)") != std::string::npos);
    CHECK(refusal({}, "http://host:0/x", base) == "invalid URL: port must be 1 to 65535 (got 0)");
    CHECK(refusal({}, "http://host:65536/x", base).find("invalid URL") == 0);
    CHECK(refusal({}, "http://host:65535/x", base).empty());
    CHECK(refusal({}, "HTTPS://host:1/x", base).empty());
  }
  CHECK(refusal({}, "http:/host:81/x", "").find("scheme:// (two slashes)") != std::string::npos);
  // Under a base, "http:/host" is not absolute: it stays a path on the base's host.
  CHECK(refusal({}, "http:/host:81/x", "http://h").empty());
}

namespace {

// prepare() on `method` `path` with `config`; REQUIREs that it passes.
void prepared(const rhc::ClientConfig& config, const std::string& method, rhc::RequestOptions o,
              Request& r, const std::string& path = "/x") {
  BaseUrl base(config.base_url);
  auto f = rhc::detail::prepare(config, base, method, path, std::move(o), r);
  INFO((f ? f->cause : ""));
  REQUIRE_FALSE(f);
}

rhc::ClientConfig keyed_config() {
  rhc::ClientConfig c;
  c.base_url = "http://h";
  c.idempotency.key_header = "Idempotency-Key";
  return c;
}

}  // namespace

TEST_CASE("the authority is scheme://host:port, lower-cased, default port filled in",
          "[prepare][authority]") {
  rhc::ClientConfig c;
  c.base_url = "http://Api.Example/v1";
  Request relative;
  prepared(c, "GET", {}, relative, "/users");
  CHECK(relative.authority == "http://api.example:80");
  Request absolute;
  prepared(c, "GET", {}, absolute, "HTTPS://Other.Example:8443/x");
  CHECK(absolute.authority == "https://other.example:8443");
  Request tls_default;
  prepared(c, "GET", {}, tls_default, "https://other.example/x");
  CHECK(tls_default.authority == "https://other.example:443");
  Request v6;
  prepared(c, "GET", {}, v6, "http://[::1]:9000/x");
  CHECK(v6.authority == "http://[::1]:9000");
}

TEST_CASE("methods are idempotent as RFC 9110 says, unless an idempotency key is sent",
          "[prepare][method-safety]") {
  rhc::ClientConfig c;
  c.base_url = "http://h";
  for (const char* m : {"GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE"}) {
    Request r;
    prepared(c, m, {}, r);
    CHECK(r.idempotent);
  }
  for (const char* m : {"POST", "PATCH", "PROPFIND"}) {
    Request r;
    prepared(c, m, {}, r);
    CHECK_FALSE(r.idempotent);
    CHECK_FALSE(r.sends_idempotency_key);
  }
}

TEST_CASE("with key_header set, POST and PATCH carry the request id as their key",
          "[prepare][idempotency]") {
  const rhc::ClientConfig c = keyed_config();
  Request post;
  rhc::RequestOptions o;
  o.request_id = "id-1";
  prepared(c, "POST", std::move(o), post);
  CHECK(post.sends_idempotency_key);
  CHECK(post.idempotent);
  CHECK(has(header_lines(post), "Idempotency-Key: id-1"));

  Request get;
  prepared(c, "GET", {}, get);
  CHECK_FALSE(get.sends_idempotency_key);
  for (const auto& line : header_lines(get)) CHECK(line.rfind("Idempotency-Key", 0) != 0);
}

TEST_CASE("an explicit key wins, once, over a header of the same name", "[prepare][idempotency]") {
  const rhc::ClientConfig c = keyed_config();
  Request r;
  rhc::RequestOptions o;
  o.idempotency_key = "order-42";
  o.headers = {{"idempotency-key", "from-header"}};
  prepared(c, "POST", std::move(o), r);
  const auto lines = header_lines(r);
  CHECK(has(lines, "Idempotency-Key: order-42"));
  CHECK(std::count_if(lines.begin(), lines.end(), [](const std::string& l) {
          return l.rfind("Idempotency-Key", 0) == 0 || l.rfind("idempotency-key", 0) == 0;
        }) == 1);
}

TEST_CASE("a key in the caller's headers is the key", "[prepare][idempotency]") {
  const rhc::ClientConfig c = keyed_config();
  Request r;
  rhc::RequestOptions o;
  o.headers = {{"Idempotency-Key", "mine"}};
  prepared(c, "PATCH", std::move(o), r);
  CHECK(r.sends_idempotency_key);
  CHECK(has(header_lines(r), "Idempotency-Key: mine"));
}

TEST_CASE("a per-request key is sent even when the client has no key_header",
          "[prepare][idempotency]") {
  rhc::ClientConfig c;
  c.base_url = "http://h";
  Request r;
  rhc::RequestOptions o;
  o.idempotency_key = "k";
  prepared(c, "POST", std::move(o), r);
  CHECK(r.sends_idempotency_key);
  CHECK(has(header_lines(r), "Idempotency-Key: k"));
  // And a custom key_header is used as configured.
  c.idempotency.key_header = "X-Idempotency-Token";
  Request custom;
  rhc::RequestOptions o2;
  o2.idempotency_key = "k";
  prepared(c, "DELETE", std::move(o2), custom);
  CHECK(has(header_lines(custom), "X-Idempotency-Token: k"));
}

TEST_CASE("bad idempotency keys and max_attempts are ConfigErrors", "[prepare][hostile]") {
  rhc::RequestOptions empty;
  empty.idempotency_key = "";
  CHECK(refusal(std::move(empty)) == "invalid RequestOptions: idempotency_key is empty");
  rhc::RequestOptions crlf;
  crlf.idempotency_key = std::string("a\r\nX-Evil: 1");
  CHECK(refusal(std::move(crlf)).find("invalid RequestOptions: idempotency_key: ") == 0);
  rhc::RequestOptions nul;
  nul.idempotency_key = std::string("a\0b", 3);
  CHECK(refusal(std::move(nul)).find("invalid RequestOptions: idempotency_key: ") == 0);
  rhc::RequestOptions zero;
  zero.max_attempts = 0;
  CHECK(refusal(std::move(zero)) == "invalid RequestOptions: max_attempts must be >= 1 (got 0)");
  rhc::RequestOptions one;
  one.max_attempts = 1;
  CHECK(refusal(std::move(one)).empty());
}

TEST_CASE(
    "which requests are hedged: the safe methods unless they opt out; others only when "
    "they opt in and carry a key",
    "[prepare][hedging]") {
  rhc::ClientConfig config;
  config.base_url = "http://h";
  BaseUrl base(config.base_url);
  auto hedged = [&](const std::string& method, rhc::RequestOptions o) {
    Request r;
    auto problem = rhc::detail::prepare(config, base, method, "/x", std::move(o), r);
    REQUIRE_FALSE(problem);
    return r.hedgeable;
  };
  rhc::RequestOptions opt_in;
  opt_in.hedge = true;
  rhc::RequestOptions opt_out;
  opt_out.hedge = false;
  rhc::RequestOptions keyed_opt_in;
  keyed_opt_in.hedge = true;
  keyed_opt_in.idempotency_key = "k-1";

  SECTION("hedging off: nothing is hedged, whatever the request asks") {
    CHECK_FALSE(hedged("GET", {}));
    CHECK_FALSE(hedged("GET", opt_in));
    CHECK_FALSE(hedged("POST", keyed_opt_in));
  }
  SECTION("hedging on") {
    config.hedging.enabled = true;
    CHECK(hedged("GET", {}));
    CHECK(hedged("HEAD", {}));
    CHECK_FALSE(hedged("GET", opt_out));
    CHECK_FALSE(hedged("POST", {}));
    CHECK(hedged("POST", keyed_opt_in));
    CHECK(hedged("PUT", keyed_opt_in));
    Request r;
    auto problem = rhc::detail::prepare(config, base, "POST", "/x", std::move(opt_in), r);
    REQUIRE(problem);
    CHECK(problem->kind == ErrorKind::Config);
    CHECK(problem->cause.find("needs an idempotency key") != std::string::npos);
  }
}

TEST_CASE(
    "the URL for people: joined from the base's text, or rendered by libcurl, the same "
    "either way and never with credentials",
    "[prepare][url]") {
  auto shown = [](const std::string& base_url, const std::string& path, rhc::Params params = {}) {
    rhc::ClientConfig config;
    config.base_url = base_url;
    BaseUrl base(config.base_url);
    Request r;
    rhc::RequestOptions o;
    o.params = std::move(params);
    REQUIRE_FALSE(rhc::detail::prepare(config, base, "GET", path, std::move(o), r));
    const std::string fast = r.loggable_url();
    CHECK(fast == rhc::detail::render_url(r.url_handle.get(), true));  // the slow way agrees
    return fast;
  };
  CHECK(shown("http://h:8000", "/msg") == "http://h:8000/msg");
  CHECK(shown("http://h:8000/v1", "//users/7") == "http://h:8000/v1/users/7");
  CHECK(shown("http://user:secret@h/v1/", "items") == "http://h/v1/items");
  CHECK(shown("http://h/", "a@b/c") == "http://h/a@b/c");
  CHECK(shown("http://h/", "/msg", {{"q", "1"}}) == "http://h/msg?q=1");
  CHECK(shown("http://h/", "http://other:81/x") == "http://other:81/x");
  CHECK(shown("http://h/v1?k=1", "users") == "http://h/v1/users");
}

TEST_CASE("a path called again shares its parsed URL; nothing else does", "[prepare][url]") {
  std::string error;
  auto resolve = [&](const BaseUrl& b, const std::string& path, rhc::Params params = {}) {
    auto url = b.resolve(path, params, &error);
    REQUIRE(url != nullptr);
    return url;
  };
  BaseUrl api("http://api.example/v1");
  const auto first = resolve(api, "/users");
  CHECK(resolve(api, "/users") == first);  // the same handle: no copy, no free
  CHECK(resolve(api, "/orders") != first);
  CHECK(resolve(api, "/users", {{"page", "2"}}) != first);  // params: a URL of its own
  CHECK(rhc::detail::render_url(resolve(api, "/users", {{"page", "2"}}).get(), false) ==
        "http://api.example/v1/users?page=2");
  CHECK(rhc::detail::render_url(first.get(), false) == "http://api.example/v1/users");

  // Another client's base, even one built where a dead one lived, never gets its URLs.
  for (int i = 0; i < 20; ++i) {
    BaseUrl other("http://other" + std::to_string(i) + ".example/");
    CHECK(rhc::detail::render_url(resolve(other, "/users").get(), false) ==
          "http://other" + std::to_string(i) + ".example/users");
  }
  // Another thread remembers its own.
  rhc::detail::SharedUrl from_thread;
  std::thread([&] { from_thread = api.resolve("/users", {}, &error); }).join();
  REQUIRE(from_thread != nullptr);
  CHECK(from_thread != first);
  CHECK(rhc::detail::render_url(from_thread.get(), false) == "http://api.example/v1/users");
}
