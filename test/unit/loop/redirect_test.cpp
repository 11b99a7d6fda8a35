// The redirect rules on their own, without a server: which statuses are followed, what the
// next hop's method is, when the origin changes, and which headers the next hop carries.
#include <catch2/catch.hpp>

#include <string>
#include <variant>
#include <vector>

#include "loop/redirect.hpp"

using namespace rhc::detail;

namespace {

UrlPtr parse(const char* url) {
  UrlPtr u(curl_url());
  REQUIRE(curl_url_set(u.get(), CURLUPART_URL, url, 0) == CURLUE_OK);
  return u;
}

NextHop follow(long status, const char* method, const char* target, const char* from) {
  UrlPtr current = parse(from);
  auto hop = next_hop(status, method, target, current.get());
  REQUIRE(std::holds_alternative<NextHop>(hop));
  return std::move(std::get<NextHop>(hop));
}

struct SList {
  curl_slist* list = nullptr;
  explicit SList(std::initializer_list<const char*> lines) {
    for (const char* l : lines) list = curl_slist_append(list, l);
  }
  explicit SList(curl_slist* l) : list(l) {}
  ~SList() { curl_slist_free_all(list); }
  std::vector<std::string> lines() const {
    std::vector<std::string> out;
    for (auto* h = list; h != nullptr; h = h->next) out.emplace_back(h->data);
    return out;
  }
};

}  // namespace

TEST_CASE("the five redirect statuses are followed, other 3xx are answers", "[redirect]") {
  for (long s : {301, 302, 303, 307, 308}) CHECK(is_followed_redirect(s));
  for (long s : {200, 300, 304, 305, 306, 309, 400}) CHECK_FALSE(is_followed_redirect(s));
}

TEST_CASE("the origin is scheme, host and port", "[redirect]") {
  const char* from = "http://api.example:8080/v1/x";
  CHECK_FALSE(follow(302, "GET", "http://api.example:8080/other", from).leaves_origin);
  CHECK_FALSE(follow(302, "GET", "http://API.example:8080/other", from).leaves_origin);
  CHECK(follow(302, "GET", "http://api.example:8081/x", from).leaves_origin);
  CHECK(follow(302, "GET", "https://api.example:8080/x", from).leaves_origin);
  CHECK(follow(302, "GET", "http://evil.example:8080/x", from).leaves_origin);
  CHECK(follow(302, "GET", "https://api.example:8080/x", from).https);
  CHECK_FALSE(follow(302, "GET", "http://api.example:8080/x", from).https);
  // The default port written out or not is the same origin.
  CHECK_FALSE(follow(302, "GET", "http://h:80/x", "http://h/y").leaves_origin);
  CHECK_FALSE(follow(302, "GET", "https://h/x", "https://h:443/y").leaves_origin);
}

TEST_CASE("303 makes a GET of anything but HEAD; 301/302 of a POST; 307/308 keep it",
          "[redirect]") {
  const char* from = "http://h/a";
  const char* to = "http://h/b";
  CHECK(follow(303, "POST", to, from).becomes_get);
  CHECK(follow(303, "PUT", to, from).becomes_get);
  CHECK_FALSE(follow(303, "HEAD", to, from).becomes_get);
  CHECK(follow(301, "POST", to, from).becomes_get);
  CHECK(follow(302, "POST", to, from).becomes_get);
  CHECK_FALSE(follow(302, "PUT", to, from).becomes_get);
  CHECK_FALSE(follow(302, "DELETE", to, from).becomes_get);
  for (long s : {307L, 308L}) CHECK_FALSE(follow(s, "POST", to, from).becomes_get);
}

TEST_CASE("only http and https targets are followed", "[redirect]") {
  UrlPtr current = parse("http://h/a");
  for (const char* target : {"ftp://h/file", "file:///etc/passwd", "gopher://h/"}) {
    auto hop = next_hop(302, "GET", target, current.get());
    REQUIRE(std::holds_alternative<Failure>(hop));
    CHECK(std::get<Failure>(hop).kind == ErrorKind::Redirect);
  }
  auto bad = next_hop(302, "GET", "http://[::1", current.get());
  REQUIRE(std::holds_alternative<Failure>(bad));
  CHECK(std::get<Failure>(bad).kind == ErrorKind::Redirect);
}

TEST_CASE("a hop to another origin drops credentials, Host and the marked headers", "[redirect]") {
  SList sent{"Authorization: Bearer s",
             "cookie: a=1",
             "X-Api-Key: k",
             "x-session;",
             "Host: first.example",
             "X-Plain: p",
             "Content-Type: application/json",
             "X-Request-ID: id"};
  SList kept(hop_headers(sent.list, {"x-api-key", "X-SESSION"}, true, false));
  CHECK(kept.lines() == std::vector<std::string>{"X-Plain: p", "Content-Type: application/json",
                                                 "X-Request-ID: id"});
}

TEST_CASE("a hop that becomes a GET drops the headers about the body", "[redirect]") {
  SList sent{"Authorization: Bearer s", "Content-Type: application/json", "Content-Length: 3",
             "Content-Type:",           "Transfer-Encoding: chunked",     "X-Content: keep",
             "X-Request-ID: id"};
  SList kept(hop_headers(sent.list, {}, false, true));
  CHECK(kept.lines() ==
        std::vector<std::string>{"Authorization: Bearer s", "X-Content: keep", "X-Request-ID: id"});
}

TEST_CASE("header_line_name reads libcurl's three spellings", "[redirect]") {
  CHECK(header_line_name("Name: value") == "Name");
  CHECK(header_line_name("Name;") == "Name");
  CHECK(header_line_name("Name:") == "Name");
}

TEST_CASE("a redirect target meets the request URL rule: a port of 1-65535", "[redirect]") {
  UrlPtr current = parse("http://h/");
  auto hop = next_hop(302, "GET", "http://h:0/x", current.get());
  REQUIRE(std::holds_alternative<Failure>(hop));
  CHECK(std::get<Failure>(hop).kind == ErrorKind::Redirect);
  CHECK(std::get<Failure>(hop).cause ==
        "redirect refused: invalid URL: port must be 1 to 65535 (got 0)");
  CHECK(follow(302, "GET", "http://h:65535/x", "http://h/").leaves_origin);
}
