// The libcurl calls the loop makes that can fail for reasons a test cannot provoke from
// outside (out of memory, a full multi handle), behind a seam so that tests can make them
// fail and check that the request still ends with a typed error and nothing leaks.
//
//   auto saved = rhc::detail::curl_calls();
//   rhc::detail::curl_calls().easy_init = [] { return static_cast<CURL*>(nullptr); };
//   ...                                  // requests now fail to start an attempt
//   rhc::detail::curl_calls() = saved;
//
// Process-wide. Production code never changes it; a test changes it only while no client
// of its own is running a loop turn that could read it (between requests).
#pragma once

#include <curl/curl.h>

namespace rhc::detail {

struct CurlCalls {
  CURL* (*easy_init)() = curl_easy_init;
  CURLMcode (*multi_add_handle)(CURLM* multi, CURL* easy) = curl_multi_add_handle;
};

CurlCalls& curl_calls();

}  // namespace rhc::detail
