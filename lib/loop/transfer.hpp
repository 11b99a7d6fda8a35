// One attempt's transport state: the easy handle it runs on, what has come back so far, and
// where the transfer stands, so the loop's stall timer can tell a read timeout from a write
// timeout from a pool wait. Embedded in its Request and reused by every attempt, so an
// attempt allocates nothing beyond what the response itself needs.
#pragma once

#include <curl/curl.h>

#include <cstdint>
#include <optional>
#include <string>

#include <rhc/errors.hpp>
#include <rhc/request.hpp>

#include "chain/clock.hpp"
#include "loop/body_buffer.hpp"
#include "chain/url.hpp"

namespace rhc::detail {

struct Transfer {
  Transfer() = default;
  ~Transfer() { curl_slist_free_all(hop_header_list); }
  Transfer(const Transfer&) = delete;
  Transfer& operator=(const Transfer&) = delete;

  enum class Phase : unsigned char {
    Queued,      // added to the multi handle, no connection yet (pool wait or name lookup)
    Connecting,  // a new socket is open: libcurl's connect timeout is in charge
    Sending,     // connected; the request body is going out (write timeout)
    Receiving,   // request sent; waiting for or reading the response (read timeout)
  };

  CURL* easy = nullptr;
  Phase phase = Phase::Queued;
  TimePoint started{};
  TimePoint last_activity{};        // last byte sent or received
  const TimePoint* loop_now = nullptr;  // the loop's clock reading for this iteration
  std::optional<TimeoutKind> expired;   // set when the loop's stall timer ended the attempt
  std::size_t max_body = 0;             // decoded body cap; 0 = none
  std::size_t header_bytes = 0;         // of this transfer's heads, interim ones included
  bool too_large = false;               // a callback refused bytes over a cap

  // The response head being read (loop/response_framing.hpp). in_head: a status line came
  // and its blank line has not, so a libcurl failure now is about the head.
  bool in_head = false;
  std::optional<std::uint64_t> content_length;  // of the current head, once a field gave it
  bool transfer_encoding = false;               // the current head has Transfer-Encoding
  const char* protocol_error = nullptr;         // why the header callback refused the head

  // Attempts on the wire. libcurl re-sends a request by itself, inside one transfer, when a
  // reused connection turns out dead before any response byte (up to 5 times in 7.88);
  // each send is one attempt as the server sees it, so each is counted, and a send beyond
  // max_attempts is refused. (Found by the chaos soak; libcurl 8.16's
  // CURLOPT_FORBID_RETRY_ON_REUSE is not in Debian 12.)
  int* attempts = nullptr;  // the request's count, which the first send already holds
  int max_attempts = 1;
  int sends = 0;
  bool answered = false;  // a status line arrived for the latest send (a re-send follows
                          // none; a 100 Continue's final response follows one)
  bool resend_refused = false;

  // Redirect hops of this attempt (loop/redirect.hpp), each a transfer of its own. Until
  // the first hop the request's own URL, headers and method apply.
  int redirects = 0;
  UrlPtr hop_url;                        // where the current hop goes
  bool hop_https = false;                // hop_url's scheme
  curl_slist* hop_header_list = nullptr; // owned; set once a hop dropped some headers
  bool hop_as_get = false;               // a 303 (or a 301/302 after POST) made it a GET
  bool left_origin = false;              // a hop went to another origin: credentials dropped

  // Whether hop_header_list, not the request's own list, is what goes out.
  bool sends_hop_headers() const { return left_origin || hop_as_get; }

  const std::string* upload = nullptr;  // request body, for the read callback
  std::size_t upload_offset = 0;

  BodyBuffer body;  // decoded; about its size in memory however it grows (body_buffer.hpp)
  Headers headers;
  char error[CURL_ERROR_SIZE] = {0};

  // A new attempt: the request's own URL, headers and method again.
  void reset(TimePoint now) {
    redirects = 0;
    hop_url.reset();
    curl_slist_free_all(hop_header_list);
    hop_header_list = nullptr;
    hop_as_get = false;
    left_origin = false;
    reset_for_send(now);
  }

  // A new transfer within the attempt: its first, or a redirect's next hop.
  void reset_for_send(TimePoint now) {
    phase = Phase::Queued;
    started = last_activity = now;
    expired.reset();
    header_bytes = 0;
    too_large = false;
    in_head = false;
    content_length.reset();
    transfer_encoding = false;
    protocol_error = nullptr;
    sends = 0;
    answered = false;
    resend_refused = false;
    upload_offset = 0;
    body.clear();
    headers.clear();
    error[0] = '\0';
  }
};

// Response headers beyond this, counted over every head of a transfer (a server can send
// endless 1xx interim responses), are refused: a server streaming endless headers must not
// grow the client without bound. Below libcurl's own total (300 KiB since the
// CVE-2023-38039 fix), so rhc's typed refusal is normally the one that fires; libcurl's
// own limits are mapped to the same outcome (errors/classify.cpp).
inline constexpr std::size_t kMaxHeaderBytes = 256 * 1024;

// libcurl callbacks, registered once per pooled easy handle; their user pointer is the
// attempt's Transfer.
std::size_t on_body(char* data, std::size_t size, std::size_t count, void* transfer);
std::size_t on_header(char* data, std::size_t size, std::size_t count, void* transfer);
std::size_t on_upload(char* buffer, std::size_t size, std::size_t count, void* transfer);
int on_connected(void* transfer, char*, char*, int, int);
int on_seek(void* transfer, curl_off_t offset, int origin);
curl_socket_t on_open_socket(void* transfer, curlsocktype purpose, curl_sockaddr* address);

}  // namespace rhc::detail
