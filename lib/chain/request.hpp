// One logical request as it moves through the chain: what the caller asked for (fixed on the
// caller's thread by prepare()), and where it stands (owned by the loop thread from submit on).
#pragma once

#include <curl/curl.h>

#include <array>
#include <cstdint>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <rhc/client.hpp>
#include <rhc/config.hpp>

#include "base/clock.hpp"
#include "chain/cancel_state.hpp"
#include "chain/transport.hpp"
#include "observe/event_record.hpp"
#include "policy/circuit_breaker.hpp"
#include "timers/timer_queue.hpp"
#include "url/url.hpp"

namespace rhc::detail {

struct AuthorityState;
class BodyStream;
class Chain;
class Request;

// Who hears that a request's CancelToken fired: the event loop, which then cancels the
// request on its own thread.
class CancelSink {
 public:
  virtual void post_cancel(std::shared_ptr<Request> request) = 0;  // any thread

 protected:
  ~CancelSink() = default;
};

class Request final : public TimerHandler,
                      public CancelListener,
                      public std::enable_shared_from_this<Request> {
 public:
  enum class Stage : unsigned char { New, WaitingForSlot, InFlight, Deciding, BackingOff, Done };
  enum TimerTag : int { kWaitTimer, kDeadlineTimer, kHedgeTimer };

  // Where an attempt runs. A request runs one attempt at a time, on lane 0, unless it is
  // hedged: then up to 1 + HedgingConfig::max_hedged_attempts at once, one per lane.
  static constexpr int kMaxLanes = 5;
  struct Lane {
    bool busy = false;
    int attempt = 0;                     // its number (1-based)
    TimePoint started{};                 // when it went to the transport
    std::uint64_t limit_generation = 0;  // the adaptive limit's round trip at that start
  };

  Request() = default;
  ~Request();
  Request(const Request&) = delete;
  Request& operator=(const Request&) = delete;

  // --- fixed before submission (caller's thread) ---
  std::string method;
  SharedUrl url_handle;  // what libcurl is given (CURLOPT_CURLU); never changed
  bool https = false;
  std::string url;  // for people: filled on demand by loggable_url() (until then, see there)
  std::shared_ptr<const std::string> url_prefix;  // set: url holds the path of a simple join
  std::string request_id;
  std::string authority;   // "scheme://host:port" of the first hop (url/url.hpp)
  int max_attempts = 0;    // RequestOptions::max_attempts; 0: the client's retry.max_attempts
  bool idempotent = true;  // the method is, or the request carries an idempotency key
  bool sends_idempotency_key = false;
  bool hedgeable = false;             // hedging is on and applies to this request (prepare.cpp)
  curl_slist* header_list = nullptr;  // owned; every attempt sends the same headers
  curl_slist* proxy_header_list = nullptr;  // owned; headers for a proxy only
  std::optional<std::string> body;          // json or raw body
  // RequestOptions::body_file, opened by prepare(): every attempt reads it with pread from
  // offset 0, so retries and hedges send it whole. -1: none. Closed with the request.
  int body_fd = -1;
  std::uint64_t body_file_size = 0;
  std::vector<FormPart> multipart;  // RequestOptions::multipart, checked by prepare()
  TimeoutConfig timeouts;
  std::shared_ptr<CancelState> cancel_state;  // the token's; null = nobody can cancel
  // A streamed body (RequestOptions::on_chunk or output_file, at most one set): the final
  // 2xx response's body goes to body_stream instead of Response::text.
  std::function<void(std::string_view)> on_chunk;
  std::string output_file;
  bool streams_body = false;
  TimePoint submitted{};

  // Exactly one of these is used: a promise (future form) or a callback.
  std::promise<Response> promise;
  Callback callback;

  // --- loop thread only ---
  Stage stage = Stage::New;
  int attempts = 0;
  AuthorityState* authority_state = nullptr;  // pinned in the registry while live
  CircuitBreaker* breaker = nullptr;          // the one that judges it (client or authority)
  BreakerTicket ticket;  // Rejected until the breaker admits it: then not counted
  bool holds_slot = false;
  std::array<Lane, kMaxLanes> lanes;
  int lanes_busy = 0;
  int hedges = 0;               // hedges started next to the current first or retried attempt
  TimePoint attempt_started{};  // the newest attempt's start
  Duration last_transfer{};     // the last finished attempt's time on the transport
  std::uint64_t waiter_id = 0;  // its place in the bulkhead's line
  TimePoint queued_at{};        // when it joined that line
  std::shared_ptr<const EventLabels> event_labels;  // made by its first event
  bool cancel_subscribed = false;
  std::optional<TimePoint> deadline;
  Timer wait_timer{this, kWaitTimer};          // backoff, or bulkhead acquisition
  Timer deadline_timer{this, kDeadlineTimer};  // timeout.total
  Timer hedge_timer{this, kHedgeTimer};        // the next hedge, if no answer before
  // Made by the transport before the first attempt of a streamed request; the final
  // outcome is delivered through it (Delivery), after the last chunk.
  std::shared_ptr<BodyStream> body_stream;
  bool body_committed = false;  // a body byte went to body_stream: never retried again
  // The transport's state per lane, made on the lane's first use.
  std::array<std::unique_ptr<TransportState>, kMaxLanes> transport_states;
  Chain* chain = nullptr;
  CancelSink* cancel_sink = nullptr;
  std::shared_ptr<Request> self;  // keeps a live request alive; cleared when Done
  Request* live_prev = nullptr;   // the chain's list of live requests, for close()
  Request* live_next = nullptr;

  // The URL for logs, events and error messages, made once, never with user:password. Until
  // then `url` is empty, or, with url_prefix set, the path to join to the base's text.
  const std::string& loggable_url() {
    if (url_prefix != nullptr) {
      const std::size_t skip = url.find_first_not_of('/');
      url.replace(0, skip == std::string::npos ? url.size() : skip, *url_prefix);
      url_prefix.reset();
    } else if (url.empty() && url_handle) {
      url = render_url(url_handle.get(), true);
    }
    return url;
  }

  void on_timer(Timer& timer) override;
  void on_cancel() override;
};

using RequestPtr = std::shared_ptr<Request>;

}  // namespace rhc::detail
