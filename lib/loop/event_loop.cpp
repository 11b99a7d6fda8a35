#include "loop/event_loop.hpp"

#include <algorithm>
#include <chrono>
#include <limits>
#include <string>
#include <utility>

#include "exec/thread_pool.hpp"
#include "logging/ascii.hpp"
#include "logging/logger.hpp"
#include "loop/redirect.hpp"
#include "policy/backoff.hpp"

namespace rhc::detail {
namespace {

Duration min_stall_window(const TimeoutConfig& t, bool pool_limited) {
  Duration window = std::min(to_duration(t.read), to_duration(t.write));
  if (pool_limited) window = std::min(window, to_duration(t.pool));
  return window;
}

}  // namespace

EventLoop::EventLoop(const ClientConfig& config, const Logger& logger, ThreadPool& executor)
    : config_(config),
      logger_(logger),
      multi_((ensure_curl_initialized(), curl_multi_init())),
      now_(Clock::now()),
      setup_(config),
      pool_(setup_),
      delivery_(&executor, logger, Delivery::Mode::Batched),
      chain_(config, *this, timers_, delivery_, logger, make_default_random(), now_) {
  // HTTP/2 multiplexing where the server offers it (libcurl's default; said explicitly).
  curl_multi_setopt(multi_, CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX);
  if (config.max_host_connections > 0) {
    curl_multi_setopt(multi_, CURLMOPT_MAX_HOST_CONNECTIONS,
                      static_cast<long>(config.max_host_connections));
  }
  thread_ = std::thread([this] { run(); });
}

EventLoop::~EventLoop() {
  close();
  curl_multi_cleanup(multi_);  // every easy handle was removed; the pool cleans them up next
}

bool EventLoop::post(Command command) {
  bool wake;
  {
    std::lock_guard<std::mutex> lock(inbox_mutex_);
    if (!accepting_) return false;
    // Only the first command into an empty inbox wakes the loop: the loop has not swapped
    // the inbox yet, so it will see the others too. One wake-up per batch, not per request.
    wake = inbox_.empty();
    inbox_.push_back(std::move(command));
  }
  if (wake) curl_multi_wakeup(multi_);
  return true;
}

bool EventLoop::submit(RequestPtr request) {
  request->cancel_sink = this;
  return post(Command{Command::Kind::Submit, std::move(request)});
}

void EventLoop::post_cancel(RequestPtr request) {
  post(Command{Command::Kind::Cancel, std::move(request)});
}

void EventLoop::close() {
  std::lock_guard<std::mutex> serial(close_mutex_);
  {
    std::lock_guard<std::mutex> lock(inbox_mutex_);
    accepting_ = false;
    close_requested_ = true;
  }
  curl_multi_wakeup(multi_);
  if (thread_.joinable()) thread_.join();
}

CircuitState EventLoop::circuit_state() const { return chain_.circuit_state(Clock::now()); }

bool EventLoop::drain_inbox() {
  bool closing;
  {
    std::lock_guard<std::mutex> lock(inbox_mutex_);
    draining_.swap(inbox_);
    closing = close_requested_;
  }
  for (Command& c : draining_) {
    if (c.kind == Command::Kind::Submit) {
      chain_.submit(std::move(c.request));
    } else {
      chain_.cancel(*c.request);
    }
  }
  draining_.clear();
  return !closing;
}

void EventLoop::run() {
  for (;;) {
    now_ = Clock::now();
    if (!drain_inbox()) break;
    int running = 0;
    curl_multi_perform(multi_, &running);
    now_ = Clock::now();
    reap_finished();
    timers_.run_due(now_);
    // Everything this turn finished, handed over at once (Delivery::flush says why).
    delivery_.flush();
    curl_multi_poll(multi_, nullptr, 0, poll_timeout_ms(), nullptr);
  }
  // close(): whatever is still live ends now, with ClientClosedError; transfers are removed
  // from the multi handle without waiting for a stalled server.
  chain_.close_all();
  delivery_.flush();
}

int EventLoop::poll_timeout_ms() {
  long curl_ms = -1;
  curl_multi_timeout(multi_, &curl_ms);
  // -1: libcurl has nothing due. New work arrives with a curl_multi_wakeup, so an idle
  // client can sleep long; the bound only caps the damage of a missed wake-up.
  long ms = curl_ms < 0 ? 10'000 : curl_ms;
  if (auto due = timers_.next_due()) {
    auto until = std::chrono::ceil<std::chrono::milliseconds>(*due - Clock::now()).count();
    ms = std::min<long>(ms, std::max<long>(0, static_cast<long>(until)));
  }
  return static_cast<int>(std::min<long>(ms, std::numeric_limits<int>::max()));
}

void EventLoop::reap_finished() {
  int left = 0;
  while (CURLMsg* msg = curl_multi_info_read(multi_, &left)) {
    if (msg->msg != CURLMSG_DONE) continue;
    CURL* easy = msg->easy_handle;
    const CURLcode code = msg->data.result;
    Request* r = nullptr;
    curl_easy_getinfo(easy, CURLINFO_PRIVATE, &r);
    Transfer& t = r->transfer;
    timers_.cancel(r->stall_timer);

    AttemptOutcome outcome;
    if (code == CURLE_OK) {
      long status = 0;
      curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
      if (config_.follow_redirects && is_followed_redirect(status) && has_location(t)) {
        std::optional<Failure> refusal = start_next_hop(*r, status);
        if (!refusal) continue;  // the same attempt goes on, on the next hop's transfer
        outcome.failure = std::move(*refusal);
      } else {
        outcome = answered(*r, status);
      }
    } else if (t.resend_refused) {
      outcome.failure.kind = ErrorKind::Connection;
      outcome.failure.cause =
          "connection closed before any response byte, on every connection tried";
    } else if (t.protocol_error != nullptr) {
      outcome.failure = Failure::of(ErrorKind::Protocol,
                                    std::string("malformed response: ") + t.protocol_error);
    } else if (t.too_large) {
      outcome.failure.kind = ErrorKind::ResponseTooLarge;
      outcome.failure.cause = t.header_bytes > kMaxHeaderBytes
                                  ? "response headers exceed " + std::to_string(kMaxHeaderBytes) +
                                        " bytes"
                                  : "response body exceeds max_response_bytes (" +
                                        std::to_string(config_.max_response_bytes) + ")";
    } else {
      const ResponseStage stage = t.in_head    ? ResponseStage::Head
                                  : t.answered ? ResponseStage::AfterHead
                                               : ResponseStage::None;
      outcome.failure = failure_from_curl(code, t.error, stage);
    }
    curl_multi_remove_handle(multi_, easy);
    pool_.release(easy);
    t.easy = nullptr;
    chain_.on_attempt_done(*r, std::move(outcome));
  }
}

AttemptOutcome EventLoop::answered(Request& r, long status) {
  Transfer& t = r.transfer;
  AttemptOutcome outcome;
  char* effective_url = nullptr;
  curl_easy_getinfo(t.easy, CURLINFO_EFFECTIVE_URL, &effective_url);
  Response response;
  response.status_code = static_cast<int>(status);
  response.text = t.body.take();
  response.headers = std::move(t.headers);
  response.url = effective_url != nullptr ? effective_url : r.loggable_url();
  if (status >= 400) {
    outcome.failure.kind = kind_from_status(status);
    outcome.failure.cause = "HTTP " + std::to_string(status);
    outcome.failure.response = std::make_shared<const Response>(std::move(response));
  } else if (status < 200) {
    // The connection closed after an interim (1xx) response: no final one arrived.
    // (Found by the response fuzzer: libcurl reports CURLE_OK with status 100.)
    outcome.failure.kind = ErrorKind::Connection;
    outcome.failure.cause = "no final response (HTTP " + std::to_string(status) + ")";
  } else {
    outcome.response = std::move(response);
  }
  return outcome;
}

bool EventLoop::has_location(const Transfer& t) {
  // A 3xx without a Location is an answer, as libcurl and httpx read it.
  for (const auto& [name, value] : t.headers) {
    if (ascii_iequals(name, "Location")) return true;
  }
  return false;
}

std::optional<Failure> EventLoop::start_next_hop(Request& r, long status) {
  Transfer& t = r.transfer;
  if (t.redirects >= config_.max_redirects) {
    return Failure::of(ErrorKind::TooManyRedirects,
                       "more than " + std::to_string(config_.max_redirects) + " redirects");
  }
  char* target = nullptr;
  curl_easy_getinfo(t.easy, CURLINFO_REDIRECT_URL, &target);
  if (target == nullptr) {
    return Failure::of(ErrorKind::Redirect, "redirect with a Location that is not a URL");
  }
  auto planned = next_hop(status, r.current_method(), target, r.current_url());
  if (auto* refusal = std::get_if<Failure>(&planned)) return std::move(*refusal);
  NextHop& hop = std::get<NextHop>(planned);

  // Credentials stay dropped for the rest of the attempt, even if a later hop comes back.
  const bool drop_credentials = hop.leaves_origin && !t.left_origin;
  const bool drop_body_headers = hop.becomes_get && !t.hop_as_get;
  if (drop_credentials || drop_body_headers) {
    curl_slist* headers = hop_headers(r.current_headers(), config_.sensitive_headers,
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
  // < 8.1 a handle makes one transfer). Taken before the old one goes back, so running out
  // of memory here still leaves the reaper one handle to clean up.
  CURL* next = pool_.acquire();
  if (next == nullptr) return failure_from_curl(CURLE_OUT_OF_MEMORY, nullptr);
  curl_multi_remove_handle(multi_, t.easy);
  pool_.release(t.easy);
  t.easy = next;
  t.reset_for_send(now_);
  setup_.configure_attempt(next, r);
  curl_multi_add_handle(multi_, next);
  arm_stall_timer(r);
  return std::nullopt;
}

void EventLoop::start_attempt(Request& r) {
  Transfer& t = r.transfer;
  t.reset(now_);
  t.loop_now = &now_;
  t.max_body = static_cast<std::size_t>(config_.max_response_bytes);
  t.attempts = &r.attempts;
  t.max_attempts = config_.retry.max_attempts;
  CURL* easy = pool_.acquire();
  if (easy == nullptr) {
    AttemptOutcome outcome;
    outcome.failure = failure_from_curl(CURLE_OUT_OF_MEMORY, nullptr);
    chain_.on_attempt_done(r, std::move(outcome));
    return;
  }
  t.easy = easy;
  setup_.configure_attempt(easy, r);
  curl_multi_add_handle(multi_, easy);
  arm_stall_timer(r);
}

void EventLoop::abort_attempt(Request& r) {
  timers_.cancel(r.stall_timer);
  if (r.transfer.easy == nullptr) return;
  // Removing a handle mid-transfer makes libcurl close that connection rather than reuse it.
  curl_multi_remove_handle(multi_, r.transfer.easy);
  pool_.release(r.transfer.easy);
  r.transfer.easy = nullptr;
}

void EventLoop::arm_stall_timer(Request& r) {
  timers_.schedule(r.stall_timer,
                   now_ + min_stall_window(r.timeouts, config_.max_host_connections > 0));
}

void EventLoop::on_stall_timer(Request& r) {
  // The timer is a check, not a verdict: it fires at the earliest moment some timeout could
  // have passed, and re-arms itself for the phase the transfer is in now.
  const Transfer& t = r.transfer;
  const TimeoutConfig& limits = r.timeouts;
  TimePoint due;
  switch (t.phase) {
    case Transfer::Phase::Queued:
      if (config_.max_host_connections > 0) {
        due = t.started + to_duration(limits.pool);
        if (!(now_ < due)) return fail_attempt(r, TimeoutKind::Pool, limits.pool);
        break;
      }
      [[fallthrough]];
    case Transfer::Phase::Connecting:
      // libcurl's own connect timeout is in charge until the connection is up.
      due = now_ + min_stall_window(limits, false);
      break;
    case Transfer::Phase::Sending:
      due = t.last_activity + to_duration(limits.write);
      if (!(now_ < due)) return fail_attempt(r, TimeoutKind::Write, limits.write);
      break;
    case Transfer::Phase::Receiving:
      due = t.last_activity + to_duration(limits.read);
      if (!(now_ < due)) return fail_attempt(r, TimeoutKind::Read, limits.read);
      break;
  }
  timers_.schedule(r.stall_timer, due);
}

void EventLoop::fail_attempt(Request& r, TimeoutKind which, Seconds limit) {
  abort_attempt(r);
  AttemptOutcome outcome;
  outcome.failure.kind = ErrorKind::Timeout;
  outcome.failure.timeout = which;
  switch (which) {
    case TimeoutKind::Pool:
      outcome.failure.cause = "no connection within " + std::to_string(limit.count()) + " s";
      break;
    case TimeoutKind::Write:
      outcome.failure.cause = "no request body progress for " + std::to_string(limit.count()) +
                              " s";
      break;
    default:
      outcome.failure.cause = "no response bytes for " + std::to_string(limit.count()) + " s";
      break;
  }
  chain_.on_attempt_done(r, std::move(outcome));
}

}  // namespace rhc::detail
