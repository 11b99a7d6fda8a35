// A plain libcurl client for the server's own tests. Deliberately not rhc: the server is what
// rhc's tests will trust, so its tests must not depend on rhc.
#pragma once

#include <curl/curl.h>
#include <rapidjson/document.h>

#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace rhc::test_server::testing {

struct Reply {
  CURLcode code = CURLE_OK;  // CURLE_OK unless the transfer failed
  long status = 0;           // 0 when no status line arrived
  std::string body;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::chrono::milliseconds elapsed{0};

  // The body parsed as JSON; fails the test if it is not JSON.
  rapidjson::Document json() const;
};

struct Call {
  std::string method = "GET";
  std::vector<std::string> headers;  // "Name: value"
  std::string body;                  // sent when not empty (cpp-httplib ignores a GET's body)
  // Many seconds: a request that should be answered must never time out, even in a slow
  // sanitizer build. Tests that want a timeout set a short one against a far longer stall.
  std::chrono::milliseconds timeout{30'000};
};

// One blocking request on a fresh connection.
Reply fetch(const std::string& url, const Call& call = {});

// Shorthand for a bodiless POST, the shape of every /fail/* control call.
Reply post(const std::string& url);

// Sets up a curl easy handle for `url` that records into `reply`; shared by fetch() and tests
// that drive many transfers with curl multi.
CURL* make_easy(const std::string& url, const Call& call, Reply& reply, curl_slist** headers);

}  // namespace rhc::test_server::testing
