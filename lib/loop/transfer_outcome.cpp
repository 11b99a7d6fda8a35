// What a finished transfer becomes: a Response, a typed Failure, or the next redirect hop of
// the same attempt. EventLoop's members that read libcurl's verdict (event_loop.cpp has the
// rest of the loop).
#include <string>
#include <utility>

#include "authority/authority_registry.hpp"
#include "base/ascii.hpp"
#include "loop/event_loop.hpp"
#include "loop/redirect.hpp"

namespace rhc::detail {

void EventLoop::reap_finished() {
  int left = 0;
  while (CURLMsg* msg = curl_multi_info_read(multi_, &left)) {
    if (msg->msg != CURLMSG_DONE) continue;
    CURL* easy = msg->easy_handle;
    const CURLcode code = msg->data.result;
    Transfer* transfer = nullptr;
    curl_easy_getinfo(easy, CURLINFO_PRIVATE, &transfer);
    Transfer& t = *transfer;
    if (code == CURLE_OK) {
      long status = 0;
      curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
      if (config_.follow_redirects && is_followed_redirect(status) && has_location(t)) {
        std::optional<Failure> refusal = start_next_hop(t, status);
        if (!refusal) continue;  // the same attempt goes on, on the next hop's transfer
        report(t, std::move(*refusal));
      } else {
        report(t, answered(t, status));
      }
    } else {
      report(t, failure_of(t, code));
    }
  }
}

Failure EventLoop::failure_of(const Transfer& t, CURLcode code) const {
  // What a callback recorded when it stopped the transfer says more than libcurl's code.
  if (t.resend_refused) {
    return Failure::of(ErrorKind::Connection,
                       "connection closed before any response byte, on every connection tried");
  }
  if (t.upload_error != nullptr) return Failure::of(ErrorKind::File, t.upload_error);
  if (t.protocol_error != nullptr) {
    return Failure::of(ErrorKind::Protocol, std::string("malformed response: ") + t.protocol_error);
  }
  if (t.stream_refused) {
    if (std::optional<Failure> failure = t.stream->failure()) return std::move(*failure);
    return Failure::of(ErrorKind::Connection, "out of memory queueing the streamed body");
  }
  if (t.too_large) {
    return Failure::of(ErrorKind::ResponseTooLarge,
                       t.header_bytes > kMaxHeaderBytes
                           ? "response headers exceed " + std::to_string(kMaxHeaderBytes) + " bytes"
                           : "response body exceeds max_response_bytes (" +
                                 std::to_string(config_.max_response_bytes) + ")");
  }
  const ResponseStage stage = t.in_head    ? ResponseStage::Head
                              : t.answered ? ResponseStage::AfterHead
                                           : ResponseStage::None;
  return failure_from_curl(code, t.error, stage);
}

std::variant<Response, Failure> EventLoop::answered(Transfer& t, long status) {
  char* effective_url = nullptr;
  curl_easy_getinfo(t.easy, CURLINFO_EFFECTIVE_URL, &effective_url);
  // Learnt once per authority, from its first response (loop/transfer.cpp on_connected).
  AuthorityState* authority = t.request.authority_state;
  if (authority != nullptr && !authority->http_version_known) {
    long version = 0;
    if (setup_.may_speak_http2()) curl_easy_getinfo(t.easy, CURLINFO_HTTP_VERSION, &version);
    authority->speaks_http2 = version == CURL_HTTP_VERSION_2_0;
    authority->http_version_known = true;
  }
  Response response;
  response.status_code = static_cast<int>(status);
  response.text = t.body.take();
  response.headers = std::move(t.headers);
  response.url = effective_url != nullptr ? effective_url : t.request.loggable_url();
  if (t.request.sends_idempotency_key) {
    // The draft's mark of a stored response sent again (docs/idempotency.md).
    const auto replayed = response.header("Idempotent-Replayed");
    response.replayed = replayed && ascii_iequals(*replayed, "true");
  }
  if (status >= 400) {
    Failure f = Failure::of(kind_from_status(status, t.request.sends_idempotency_key),
                            "HTTP " + std::to_string(status));
    f.response = std::make_shared<const Response>(std::move(response));
    return f;
  }
  if (status < 200) {
    // The connection closed after an interim (1xx) response: no final one arrived.
    // (Found by the response fuzzer: libcurl reports CURLE_OK with status 100.)
    return Failure::of(ErrorKind::Connection,
                       "no final response (HTTP " + std::to_string(status) + ")");
  }
  return response;
}

bool EventLoop::has_location(const Transfer& t) {
  // A 3xx without a Location is an answer, as libcurl and httpx read it.
  for (const auto& [name, value] : t.headers) {
    if (ascii_iequals(name, "Location")) return true;
  }
  return false;
}

std::optional<Failure> EventLoop::start_next_hop(Transfer& t, long status) {
  Request& r = t.request;
  if (t.redirects >= config_.max_redirects) {
    return Failure::of(ErrorKind::TooManyRedirects,
                       "more than " + std::to_string(config_.max_redirects) + " redirects");
  }
  char* target = nullptr;
  curl_easy_getinfo(t.easy, CURLINFO_REDIRECT_URL, &target);
  if (target == nullptr) {
    return Failure::of(ErrorKind::Redirect, "redirect with a Location that is not a URL");
  }
  auto planned = next_hop(status, current_method(t), target, current_url(t));
  if (auto* refusal = std::get_if<Failure>(&planned)) return std::move(*refusal);
  NextHop& hop = std::get<NextHop>(planned);

  // Credentials stay dropped for the rest of the attempt, even if a later hop comes back.
  const bool drop_credentials = hop.leaves_origin && !t.left_origin;
  const bool drop_body_headers = hop.becomes_get && !t.hop_as_get;
  if (drop_credentials || drop_body_headers) {
    curl_slist* headers = hop_headers(current_headers(t), config_.sensitive_headers,
                                      drop_credentials, drop_body_headers);
    curl_slist_free_all(t.hop_header_list);
    t.hop_header_list = headers;
  }
  t.left_origin = t.left_origin || hop.leaves_origin;
  t.hop_as_get = t.hop_as_get || hop.becomes_get;
  t.hop_url = std::move(hop.url);
  t.hop_https = hop.https;
  ++t.redirects;
  RHC_LOG(logger_, Severity::Debug, r.request_id)
      << "redirect " << status << " to " << render_url(t.hop_url.get(), true)
      << (drop_credentials ? " (another origin: credentials dropped)" : "")
      << (drop_body_headers ? " (as GET, without the body)" : "");

  // The next hop is a transfer of its own, on a handle of its own (EasyPool: on libcurl
  // < 8.1 a handle makes one transfer).
  release_handle(t);
  t.reset_for_send(now_);
  return add_handle(t);
}

}  // namespace rhc::detail
