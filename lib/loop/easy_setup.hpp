// How rhc configures libcurl: once per pooled easy handle for what the client's config fixes
// (TLS, protocols, user agent, proxy, callbacks), and per attempt for what the request
// says (URL, method, body, headers, connect timeout). Loop thread only.
#pragma once

#include <curl/curl.h>

#include <string>
#include <vector>

#include <rhc/config.hpp>

namespace rhc::detail {

struct Transfer;

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
  void configure_attempt(CURL* easy, Transfer& transfer) const;

 private:
  const ClientConfig& config_;
  std::string user_agent_;
  ProxySettings proxy_;
  bool proxy_per_scheme_;
};

// Where attempts get their easy handles. On libcurl >= 8.1.0, a free list: buffers and
// settings survive from one attempt to the next. Before 8.1.0 (Debian 12 has 7.88.1) a
// handle that has made a transfer must not make another: a response whose first header line
// starts with a space makes libcurl fold it onto the previous transfer's freed last header,
// a heap use-after-free (curl issue 11101; found by the response fuzzer). There, every
// attempt gets a fresh handle (curl_easy_init + configure_new), which costs its set-up per
// attempt. Connections live in the multi handle either way, so keep-alive and TLS sessions
// are reused regardless.
class EasyPool {
 public:
  explicit EasyPool(const EasySetup& setup);
  ~EasyPool();
  EasyPool(const EasyPool&) = delete;
  EasyPool& operator=(const EasyPool&) = delete;

  CURL* acquire();
  void release(CURL* easy);

 private:
  const EasySetup& setup_;
  const bool reuse_;
  std::vector<CURL*> free_;
  std::vector<CURL*> all_;
};

// curl_global_init, exactly once per process.
void ensure_curl_initialized();

}  // namespace rhc::detail
