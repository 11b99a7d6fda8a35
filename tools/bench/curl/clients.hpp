// The plain-libcurl clients: the baselines rhc is measured against.
#pragma once

#include <memory>
#include <string>

#include "../common/plan.hpp"

namespace rhc::bench {

// (b) one thread, one multi handle, curl_multi_poll: the naive raw loop. libcurl_settings
// names extra per-transfer settings (raw_multi.cpp): "proxy,curlu" is (b'), the same loop
// with libcurl configured for speed.
std::unique_ptr<Workload> make_raw_multi(const std::string& libcurl_settings);
// (c) one thread and one blocking curl_easy_perform per request in flight.
std::unique_ptr<Workload> make_easy_threads();

// The slow HTTP server for the RSS run: answers GET with a small JSON body, holding every
// response until `release_after` requests have arrived (then `delay_ms` more), or at most
// `max_hold_ms`. Single-threaded epoll; returns only on error.
struct SlowServerOptions {
  int port = 28081;
  long release_after = 0;  // 0: answer each request delay_ms after it arrived.
  long delay_ms = 1000;
  long max_hold_ms = 12000;
};
int run_slow_server(const SlowServerOptions& options);

}  // namespace rhc::bench
