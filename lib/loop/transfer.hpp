// One lane's transport state: the easy handle its attempt runs on, what has come back so
// far, where the transfer stands, and the stall timer that watches it (read, write and pool
// timeouts). Made for the first attempt on a lane (Request::Lane: lane 0, and more with
// hedging) and reused by every later one; the request holds it
// (Request::transport_states) without knowing what it is.
#pragma once

#include <curl/curl.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <rhc/errors.hpp>
#include <rhc/request.hpp>

#include "base/clock.hpp"
#include "chain/body_stream.hpp"
#include "chain/request.hpp"
#include "chain/transport.hpp"
#include "errors/classify.hpp"
#include "loop/body_buffer.hpp"
#include "timers/timer_queue.hpp"
#include "url/url.hpp"

namespace rhc::detail {

struct Transfer;

// Who watches transfers for stalls: the event loop. Its stall timers fire here.
class StallWatcher {
 public:
  virtual void on_stall_timer(Transfer& transfer) = 0;

 protected:
  ~StallWatcher() = default;
};

struct Transfer final : TransportState, TimerHandler {
  Transfer(Request& owner, int on_lane, StallWatcher& stall_watcher)
      : request(owner), lane(on_lane), watcher(stall_watcher) {}
  ~Transfer() override { curl_slist_free_all(hop_header_list); }
  Transfer(const Transfer&) = delete;
  Transfer& operator=(const Transfer&) = delete;

  enum class Phase : unsigned char {
    Queued,      // added to the multi handle, no connection yet (pool wait or name lookup)
    Connecting,  // a new socket is open: libcurl's connect timeout is in charge
    Sending,     // connected; the request body is going out (write timeout)
    Receiving,   // request sent; waiting for or reading the response (read timeout)
  };

  Request& request;               // the request whose attempts this runs
  const int lane;                 // which of its lanes
  bool fresh_connection = false;  // this attempt asked for a new connection (a hedge)
  StallWatcher& watcher;          // where the stall timer's checks go
  Timer stall_timer{this, 0};     // armed while an attempt is in flight
  void on_timer(Timer&) override { watcher.on_stall_timer(*this); }

  CURL* easy = nullptr;
  Phase phase = Phase::Queued;
  TimePoint started{};
  TimePoint last_activity{};            // last byte sent or received
  const TimePoint* loop_now = nullptr;  // the loop's clock reading for this iteration
  std::size_t max_body = 0;             // decoded body cap; 0 = none
  std::size_t header_bytes = 0;         // of this transfer's heads, interim ones included
  bool too_large = false;               // a callback refused bytes over a cap

  // The response head being read (http/response_framing.hpp). in_head: a status line came
  // and its blank line has not, so a libcurl failure now is about the head.
  bool in_head = false;
  std::optional<std::uint64_t> content_length;  // of the current head, once a field gave it
  bool transfer_encoding = false;               // the current head has Transfer-Encoding
  const char* protocol_error = nullptr;         // why the header callback refused the head
  std::optional<Failure> start_failure;         // the attempt could not start; reported next turn

  // A streamed body (chain/body_stream.hpp): where it goes (null: into `body`), the current
  // head's status, whether this head's body goes to the stream (a final 2xx only: redirects
  // and errors keep theirs in `body`), whether the transfer waits for the stream's consumer
  // (CURL_WRITEFUNC_PAUSE), and whether the stream refused bytes (its sink threw).
  BodyStream* stream = nullptr;
  // The loop's list of streams to kick at the end of its turn (BodyStream::Offer::Queued).
  std::vector<std::shared_ptr<BodyStream>>* streams_to_kick = nullptr;
  int status = 0;
  bool streaming = false;
  bool paused = false;
  bool stream_refused = false;

  // Attempts on the wire. libcurl re-sends a request by itself, inside one transfer, when a
  // reused connection turns out dead before any response byte (up to 5 times in 7.88);
  // each send is one attempt as the server sees it, so each re-send is reported to the
  // chain (AttemptOutcome::resends), which counts attempts, and a send beyond the attempts
  // left is refused. (Found by the chaos soak; libcurl 8.16's CURLOPT_FORBID_RETRY_ON_REUSE
  // is not in Debian 12.)
  int sends_allowed = 1;  // this attempt's sends, re-sends included (Transport::start_attempt)
  int resends = 0;        // over the whole attempt, redirect hops included
  int sends = 0;          // of the current transfer
  bool answered = false;  // a status line arrived for the latest send (a re-send follows
                          // none; a 100 Continue's final response follows one)
  bool resend_refused = false;

  // Redirect hops of this attempt (loop/redirect.hpp), each a transfer of its own. Until
  // the first hop the request's own URL, headers and method apply.
  int redirects = 0;
  UrlPtr hop_url;                         // where the current hop goes
  bool hop_https = false;                 // hop_url's scheme
  curl_slist* hop_header_list = nullptr;  // owned; set once a hop dropped some headers
  bool hop_as_get = false;                // a 303 (or a 301/302 after POST) made it a GET
  bool left_origin = false;               // a hop went to another origin: credentials dropped

  // Whether hop_header_list, not the request's own list, is what goes out.
  bool sends_hop_headers() const { return left_origin || hop_as_get; }

  // The request body the read callback streams (one over the inline limit, or a file):
  // from memory, or read with pread from a file descriptor, which hedged lanes share.
  struct Upload {
    const char* data = nullptr;  // memory, or
    int fd = -1;                 // a file (RequestOptions::body_file)
    std::size_t size = 0;
  };
  std::optional<Upload> upload;
  std::size_t upload_offset = 0;
  const char* upload_error = nullptr;  // why the read callback stopped the transfer
  curl_mime* mime = nullptr;           // the multipart body of this transfer; freed with its handle

  BodyBuffer body;  // decoded; about its size in memory however it grows (body_buffer.hpp)
  Headers headers;
  char error[CURL_ERROR_SIZE] = {0};

  // A new attempt: the request's own URL, headers and method again.
  void reset(TimePoint now, int allowed_sends) {
    start_failure.reset();
    sends_allowed = allowed_sends;
    resends = 0;
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
    header_bytes = 0;
    too_large = false;
    in_head = false;
    content_length.reset();
    transfer_encoding = false;
    protocol_error = nullptr;
    status = 0;
    streaming = false;
    paused = false;
    stream_refused = false;
    sends = 0;
    answered = false;
    resend_refused = false;
    upload_offset = 0;
    upload_error = nullptr;
    body.clear();
    headers.clear();
    error[0] = '\0';
  }
};

// Where the transfer in flight goes and what it sends: the request's own URL, scheme,
// method and headers, until a redirect hop (loop/redirect.hpp) replaced them.
inline CURLU* current_url(const Transfer& t) {
  return t.hop_url ? t.hop_url.get() : t.request.url_handle.get();
}
inline bool current_https(const Transfer& t) { return t.hop_url ? t.hop_https : t.request.https; }
inline std::string_view current_method(const Transfer& t) {
  return t.hop_as_get ? std::string_view("GET") : std::string_view(t.request.method);
}
inline curl_slist* current_headers(const Transfer& t) {
  return t.sends_hop_headers() ? t.hop_header_list : t.request.header_list;
}

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
