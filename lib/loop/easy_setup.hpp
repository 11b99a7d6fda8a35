// How rhc configures libcurl: once per pooled easy handle for what the client's config fixes
// (TLS, redirects, user agent, proxy, callbacks), and per attempt for what the request
// says (URL, method, body, headers, connect timeout). Loop thread only.
#pragma once

#include <curl/curl.h>

#include <string>
#include <vector>

#include <rhc/config.hpp>

namespace rhc::detail {

class Request;

// Proxies come from explicit configuration or from the environment read once, here, at
// construction: libcurl would otherwise call getenv() for every transfer.
struct ProxySettings {
  std::string http;   // for http:// URLs; "" = no proxy
  std::string https;  // for https:// URLs
  std::string no_proxy;
  static ProxySettings from_environment();
  // config.proxy if set (for every scheme, no exceptions), else the environment.
  static ProxySettings from_config(const ClientConfig& config);
};

class EasySetup {
 public:
  explicit EasySetup(const ClientConfig& config);

  // The options every attempt of this client shares.
  void configure_new(CURL* easy) const;
  // The options of one attempt; everything a previous attempt on the same handle may have
  // set differently is set again here.
  void configure_attempt(CURL* easy, Request& request) const;

 private:
  const ClientConfig& config_;
  std::string user_agent_;
  ProxySettings proxy_;
  bool proxy_per_scheme_;
};

// A free list of easy handles, so connections' TLS sessions, buffers and settings survive
// from one attempt to the next instead of being rebuilt.
class EasyPool {
 public:
  explicit EasyPool(const EasySetup& setup) : setup_(setup) {}
  ~EasyPool();
  EasyPool(const EasyPool&) = delete;
  EasyPool& operator=(const EasyPool&) = delete;

  CURL* acquire();
  void release(CURL* easy) { free_.push_back(easy); }

 private:
  const EasySetup& setup_;
  std::vector<CURL*> free_;
  std::vector<CURL*> all_;
};

// curl_global_init, exactly once per process.
void ensure_curl_initialized();

}  // namespace rhc::detail
