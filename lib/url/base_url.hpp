// The client's base URL and how a call's path joins it: the one place rhc turns what a
// caller typed into the URL libcurl is given.
#pragma once

#include <curl/curl.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include <rhc/request.hpp>

#include "url/url.hpp"

namespace rhc::detail {

// What the caller typed, safe to show: never credentials.
std::string display_path(const std::string& path);

// The client's base URL, parsed once.
class BaseUrl {
 public:
  explicit BaseUrl(const std::string& base_url);  // "" = none; validate() checked the rest
  ~BaseUrl();
  BaseUrl(const BaseUrl&) = delete;
  BaseUrl& operator=(const BaseUrl&) = delete;

  // `path` joined to the base the way httpx joins (base path kept: base "http://h/v1" and
  // "/users" give "http://h/v1/users"); an absolute http(s) URL passes through if it meets
  // url/url_check.hpp's rule. Params are URL-encoded and appended; the result is at most
  // kMaxUrlBytes. Null and `error` set on a bad URL; `https` tells the scheme, `authority`
  // the authority (url.hpp authority_of; a relative path's is the base's, computed once).
  // The handle goes to libcurl as is (CURLOPT_CURLU): nothing renders it to a string that
  // libcurl would only parse again.
  //
  // `display_prefix`, when given, is set for a simple join (a relative path of plain
  // characters, no params, a base without query or fragment): then the URL, rendered for
  // people, is exactly *display_prefix followed by `path` without its leading slashes. The
  // URL text is made only when a log line, an event or an error needs it, and this way
  // without asking libcurl to render it (docs/benchmarks.md: ~8,600 instructions).
  //
  // A simple join without params is remembered per calling thread (the last few paths), so
  // that a service calling the same paths over and over shares their parsed URLs instead of
  // copying and freeing one per request. The handle returned must never be changed.
  SharedUrl resolve(const std::string& path, const Params& params, std::string* error,
                    bool* https = nullptr, std::string* authority = nullptr,
                    std::shared_ptr<const std::string>* display_prefix = nullptr) const;

  // The base URL's authority (url.hpp authority_of); empty without a base URL.
  const std::string& authority() const { return authority_; }

 private:
  const std::uint64_t id_;       // which BaseUrl a remembered join belongs to (never reused)
  CURLU* base_ = nullptr;        // null when there is no base URL
  bool https_ = false;           // the base's scheme, which every relative path keeps
  std::string authority_;        // the base's authority, which every relative path keeps
  std::size_t base_length_ = 0;  // the base URL's length as given
  std::string base_path_;        // the base's path, ending in '/'
  bool simple_base_ = false;     // no query or fragment: the fast join applies
  // The simple base rendered without credentials, ending in '/', shared by the requests
  // that need it (resolve's display_prefix).
  std::shared_ptr<const std::string> display_prefix_;
};

}  // namespace rhc::detail
