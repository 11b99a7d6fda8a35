#include "loop/curl_calls.hpp"

namespace rhc::detail {

CurlCalls& curl_calls() {
  static CurlCalls calls;
  return calls;
}

}  // namespace rhc::detail
