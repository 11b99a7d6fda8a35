// How rhc configures libcurl: once per pooled easy handle for what the client's config fixes
// (TLS, HTTP version, unix socket, cookies, protocols, user agent, proxy, callbacks), and per
// attempt for what the request says (URL, method, body, headers, connect timeout). Loop
// thread only. Settings left at their defaults cost no setopt at all.
#pragma once

#include <curl/curl.h>

#include <optional>
#include <string>
#include <vector>

#include <rhc/config.hpp>

#include "errors/classify.hpp"
#include "loop/transfer.hpp"

namespace rhc::detail {

// libcurl's receive buffer for a streamed body (CURLOPT_BUFFERSIZE), four times its 16 KiB
// default (CURL_MAX_WRITE_SIZE). Not its 512 KiB maximum: with a fast consumer on two cores,
// 512 KiB reads measured 56-68 % of raw libcurl's throughput and 32-128 KiB ones 100-140 %
// (docs/benchmarks.md "Streaming"); a smaller buffer also bounds what libcurl copies aside
// when the transfer pauses.
inline constexpr long kStreamBufferBytes = 64L * 1024;

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
  ~EasySetup();
  EasySetup(const EasySetup&) = delete;
  EasySetup& operator=(const EasySetup&) = delete;

  // The options every attempt of this client shares.
  void configure_new(CURL* easy) const;
  // The options of one attempt; everything a previous attempt on the same handle may have
  // set differently is set again here. A failure (a multipart file gone since the request
  // was made) fails the attempt before it starts.
  std::optional<Failure> configure_attempt(CURL* easy, Transfer& transfer) const;
  // Whether a connection may be HTTP/2 (http_version is not "1.1").
  bool may_speak_http2() const { return http_version_ != CURL_HTTP_VERSION_1_1; }

 private:
  void configure_tls(CURL* easy) const;
  static void stream_body(CURL* easy, Transfer& transfer, Transfer::Upload upload);
  static std::optional<Failure> attach_multipart(CURL* easy, Transfer& transfer);

  // When an attempt waits for a connection that may multiplex (HTTP/2) instead of opening
  // one of its own (CURLOPT_PIPEWAIT): a cold burst then shares one connection.
  enum class PipeWait { Never, TlsOnly, Always };

  const ClientConfig& config_;
  std::string user_agent_;
  ProxySettings proxy_;
  bool proxy_per_scheme_;
  const std::string& ca_file_;  // tls.ca_file, or its older name ca_bundle
  long http_version_ = 0;       // a CURL_HTTP_VERSION_*; 0: libcurl's default (auto)
  PipeWait pipe_wait_ = PipeWait::Never;
  // The cookie jar every handle shares when config.cookies; null otherwise. libcurl's
  // share needs no lock callbacks: only the loop thread uses these handles. Cleaned up after
  // the handles (EasyPool is declared after EasySetup wherever both live).
  CURLSH* cookie_share_ = nullptr;
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
  // Cleans up a handle instead of pooling it: one left paused mid-transfer
  // (CURL_WRITEFUNC_PAUSE), whose state a next transfer must not inherit.
  void discard(CURL* easy);
  // The loop has nothing to do until libcurl or a caller wakes it. Before 8.1.0, that is
  // when handles are made and cleaned up: a few fresh, configured ones are made ready for
  // the next attempts, and those released since are cleaned up, so that neither costs a
  // request its latency. (Under full load the loop is seldom idle: acquire() then makes
  // handles on demand and release() cleans them up past kMaxRetired, as before.)
  void use_idle_time();

  static constexpr std::size_t kSpares = 4;
  static constexpr std::size_t kMaxRetired = 64;

 private:
  CURL* make_configured() const;

  const EasySetup& setup_;
  const bool reuse_;
  std::vector<CURL*> free_;
  std::vector<CURL*> all_;
  // Before 8.1.0 only: fresh handles never used, and used ones waiting to be cleaned up.
  std::vector<CURL*> spares_;
  std::vector<CURL*> retired_;
};

// curl_global_init, exactly once per process.
void ensure_curl_initialized();

}  // namespace rhc::detail
