#include "http_client.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cctype>

namespace rhc::test_server::testing {
namespace {

size_t on_body(char* data, size_t size, size_t count, void* reply) {
  static_cast<Reply*>(reply)->body.append(data, size * count);
  return size * count;
}

size_t on_header(char* data, size_t size, size_t count, void* reply) {
  const std::string line(data, size * count);
  const auto colon = line.find(':');
  if (colon != std::string::npos) {
    std::string name = line.substr(0, colon);
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    std::string value = line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(" \t"));
    value.erase(value.find_last_not_of(" \t\r\n") + 1);
    static_cast<Reply*>(reply)->headers[name] = value;
  }
  return size * count;
}

}  // namespace

rapidjson::Document Reply::json() const {
  rapidjson::Document document;
  document.Parse(body.c_str());
  INFO("body: " << body);
  REQUIRE_FALSE(document.HasParseError());
  return document;
}

CURL* make_easy(const std::string& url, const Call& call, Reply& reply, curl_slist** headers) {
  CURL* easy = curl_easy_init();
  curl_easy_setopt(easy, CURLOPT_URL, url.c_str());
  curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, call.method.c_str());
  if (!call.body.empty()) {
    curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE, static_cast<long>(call.body.size()));
    curl_easy_setopt(easy, CURLOPT_COPYPOSTFIELDS, call.body.c_str());
  } else if (call.method == "POST") {
    curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE, 0L);
  }
  curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(call.timeout.count()));
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy, CURLOPT_FORBID_REUSE, 1L);
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, &reply);
  curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(easy, CURLOPT_HEADERDATA, &reply);
  *headers = nullptr;
  for (const std::string& header : call.headers)
    *headers = curl_slist_append(*headers, header.c_str());
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, *headers);
  return easy;
}

Reply fetch(const std::string& url, const Call& call) {
  Reply reply;
  curl_slist* headers = nullptr;
  CURL* easy = make_easy(url, call, reply, &headers);
  const auto started = std::chrono::steady_clock::now();
  reply.code = curl_easy_perform(easy);
  reply.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - started);
  curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &reply.status);
  curl_easy_cleanup(easy);
  curl_slist_free_all(headers);
  return reply;
}

Reply post(const std::string& url) {
  Call call;
  call.method = "POST";
  return fetch(url, call);
}

}  // namespace rhc::test_server::testing
