#include "loop/event_loop.hpp"

#include <algorithm>
#include <chrono>
#include <limits>
#include <string>
#include <utility>

#include "chain/body_sink.hpp"
#include "exec/thread_pool.hpp"
#include "logging/logger.hpp"
#include "loop/curl_calls.hpp"
#include "policy/backoff.hpp"

namespace rhc::detail {
namespace {

Duration min_stall_window(const TimeoutConfig& t, bool pool_limited) {
  Duration window = std::min(to_duration(t.read), to_duration(t.write));
  if (pool_limited) window = std::min(window, to_duration(t.pool));
  return window;
}

}  // namespace

EventLoop::EventLoop(const ClientConfig& config, const Logger& logger, ThreadPool& executor,
                     EventDispatcher& events)
    : config_(config),
      logger_(logger),
      executor_(executor),
      multi_((ensure_curl_initialized(), curl_multi_init())),
      now_(Clock::now()),
      setup_(config),
      pool_(setup_),
      delivery_(&executor, logger, Delivery::Mode::Batched),
      dispatcher_(events),
      events_(events.gate()),
      chain_(config, *this, timers_, delivery_, logger, make_default_random(), now_, events_) {
  // HTTP/2 multiplexing where the server offers it (libcurl's default; said explicitly).
  curl_multi_setopt(multi_, CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX);
  if (config.max_host_connections > 0) {
    curl_multi_setopt(multi_, CURLMOPT_MAX_HOST_CONNECTIONS,
                      static_cast<long>(config.max_host_connections));
  }
  thread_ = std::thread([this] { run(); });
  loop_thread_id_ = thread_.get_id();
}

EventLoop::~EventLoop() {
  close();
  curl_multi_cleanup(multi_);  // every easy handle was removed; the pool cleans them up next
}

void EventLoop::run() {
  for (;;) {
    now_ = Clock::now();
    if (!drain_inbox()) break;
    int running = 0;
    curl_multi_perform(multi_, &running);
    now_ = Clock::now();
    reap_finished();
    report_failed_starts();
    timers_.run_due(now_);
    kick_streams();
    // Everything this turn finished, handed over at once (Delivery::flush says why).
    delivery_.flush();
    publish_events();
    const bool idle = ready_to_sleep();
    if (idle) pool_.use_idle_time();  // nothing waits for the loop: easy handles' upkeep
    curl_multi_poll(multi_, nullptr, 0, idle ? poll_timeout_ms() : 0, nullptr);
  }
  // close(): whatever is still live ends now, with ClientClosedError; transfers are removed
  // from the multi handle without waiting for a stalled server.
  chain_.close_all();
  streams_to_kick_.clear();  // every one was finished by close_all
  failed_starts_.clear();    // every one was aborted by close_all
  delivery_.flush();
  publish_events();
  std::lock_guard<std::mutex> lock(final_mutex_);
  final_stats_ = snapshot();
}

void EventLoop::kick_streams() {
  for (const auto& stream : streams_to_kick_) stream->kick();
  streams_to_kick_.clear();
}

void EventLoop::publish_events() {
  if (events_.empty()) return;
  events_.take(event_batch_);
  // Both clocks read together: the events carry the loop's steady times, and the step that
  // made them may have run a while since now_ was read.
  const auto wall_now = std::chrono::system_clock::now();
  dispatcher_.publish(event_batch_, Clock::now(), wall_now);
}

ClientStats EventLoop::snapshot() const {
  ClientStats out;
  chain_.fill_stats(out);
  out.events_dropped = dispatcher_.dropped();
  return out;
}

int EventLoop::poll_timeout_ms() {
  long curl_ms = -1;
  curl_multi_timeout(multi_, &curl_ms);
  // -1: libcurl has nothing due. New work arrives with a curl_multi_wakeup, so an idle
  // client can sleep long; the bound only caps the damage of a missed wake-up.
  long ms = curl_ms < 0 ? 10'000 : curl_ms;
  if (!failed_starts_.empty()) return 0;  // reported at the start of the next turn
  if (auto due = timers_.next_due()) {
    auto until = std::chrono::ceil<std::chrono::milliseconds>(*due - Clock::now()).count();
    ms = std::min<long>(ms, std::max<long>(0, static_cast<long>(until)));
  }
  return static_cast<int>(std::min<long>(ms, std::numeric_limits<int>::max()));
}

Transfer& EventLoop::transfer_of(Request& r, int lane) {
  auto& state = r.transport_states[static_cast<std::size_t>(lane)];
  if (state == nullptr) state = std::make_unique<Transfer>(r, lane, *this);
  return static_cast<Transfer&>(*state);  // only this loop makes them
}

bool EventLoop::answered(const Request& r, int lane) const {
  const auto& state = r.transport_states[static_cast<std::size_t>(lane)];
  if (state == nullptr) return false;
  const auto& t = static_cast<const Transfer&>(*state);
  return t.answered || t.redirects > 0;
}

bool EventLoop::multiplexed(const Request& r, int lane) const {
  const auto& state = r.transport_states[static_cast<std::size_t>(lane)];
  if (state == nullptr) return false;
  const auto& t = static_cast<const Transfer&>(*state);
  if (t.easy == nullptr) return false;
  long version = 0;
  curl_easy_getinfo(t.easy, CURLINFO_HTTP_VERSION, &version);
  return version >= CURL_HTTP_VERSION_2_0;
}

std::shared_ptr<BodyStream> EventLoop::make_body_stream(Request& r) {
  auto stream =
      std::make_shared<BodyStream>(make_body_sink(std::move(r.on_chunk), std::move(r.output_file)),
                                   [&executor = executor_](std::function<void()> task) {
                                     return executor.post(std::move(task));
                                   });
  // The hooks run on the executor, and only while the request is live (body_stream.hpp), so
  // this loop is running; the request is named by a weak pointer, and the loop checks on its
  // own thread whether its transfer still exists.
  std::weak_ptr<Request> weak = r.shared_from_this();
  stream->set_loop_hooks(
      BodyStream::LoopHooks{[this, weak] {
                              if (RequestPtr live = weak.lock())
                                post(Command{Command::Kind::Resume, std::move(live)});
                            },
                            [this, weak] {
                              if (RequestPtr live = weak.lock()) {
                                post(Command{Command::Kind::SinkFailed, std::move(live)});
                              }
                            }});
  return stream;
}

void EventLoop::resume_body(Request& r) {
  if (r.stage == Request::Stage::Done || r.transport_states[0] == nullptr) return;
  // A streamed request is never hedged: its transfer is lane 0's.
  Transfer& t = static_cast<Transfer&>(*r.transport_states[0]);
  if (!t.paused || t.easy == nullptr) return;
  t.paused = false;
  // The read timeout is about the server's silence: the pause was the consumer's.
  t.last_activity = now_;
  // libcurl may hand the chunk it kept over at once, from inside this call (on_body).
  curl_easy_pause(t.easy, CURLPAUSE_CONT);
}

void EventLoop::start_attempt(Request& r, int lane, int sends_allowed, bool fresh_connection) {
  if (r.streams_body && r.body_stream == nullptr) r.body_stream = make_body_stream(r);
  Transfer& t = transfer_of(r, lane);
  t.stream = r.body_stream.get();
  t.streams_to_kick = &streams_to_kick_;
  t.reset(now_, sends_allowed);
  t.fresh_connection = fresh_connection;
  t.loop_now = &now_;
  t.max_body = static_cast<std::size_t>(config_.max_response_bytes);
  if (auto failure = add_handle(t)) {
    // Reported by report_failed_starts(), the loop's next step after reaping, like any
    // outcome (Transport promises never from inside start_attempt): the chain is in the
    // middle of starting this very attempt.
    t.start_failure = std::move(failure);
    failed_starts_.emplace_back(r.shared_from_this(), lane);
  }
}

std::optional<Failure> EventLoop::add_handle(Transfer& t) {
  CURL* easy = pool_.acquire();
  if (easy == nullptr) {
    return Failure::of(ErrorKind::Connection, "could not create a libcurl handle (out of memory)");
  }
  if (auto failure = setup_.configure_attempt(easy, t)) {
    free_mime(t);
    pool_.release(easy);
    return failure;
  }
  if (const CURLMcode rc = curl_calls().multi_add_handle(multi_, easy); rc != CURLM_OK) {
    free_mime(t);
    pool_.release(easy);
    return Failure::of(ErrorKind::Connection,
                       std::string("could not start the transfer: ") + curl_multi_strerror(rc));
  }
  t.easy = easy;
  arm_stall_timer(t);
  return std::nullopt;
}

void EventLoop::release_handle(Transfer& t) {
  timers_.cancel(t.stall_timer);
  if (t.easy == nullptr) return;
  // Removing a handle mid-transfer makes libcurl close that connection rather than reuse it.
  curl_multi_remove_handle(multi_, t.easy);
  free_mime(t);
  if (t.paused) {
    t.paused = false;
    pool_.discard(t.easy);
    t.easy = nullptr;
    return;
  }
  if (t.fresh_connection) curl_easy_setopt(t.easy, CURLOPT_FRESH_CONNECT, 0L);  // pooled again
  if (t.stream != nullptr) curl_easy_setopt(t.easy, CURLOPT_BUFFERSIZE, long{CURL_MAX_WRITE_SIZE});
  pool_.release(t.easy);
  t.easy = nullptr;
}

void EventLoop::free_mime(Transfer& t) {
  // Before the handle goes back to the pool: curl_mime_free detaches the body from the
  // handle, which must not keep pointing at it.
  curl_mime_free(t.mime);
  t.mime = nullptr;
}

void EventLoop::report_failed_starts() {
  if (failed_starts_.empty()) return;
  std::vector<std::pair<RequestPtr, int>> failed;
  failed.swap(failed_starts_);
  for (const auto& [r, lane] : failed) {
    Transfer& t = transfer_of(*r, lane);
    if (!t.start_failure) continue;  // aborted (cancelled, closed) since
    Failure f = std::move(*t.start_failure);
    t.start_failure.reset();
    report(t, std::move(f));
  }
}

void EventLoop::report(Transfer& t, std::variant<Response, Failure> result) {
  release_handle(t);
  AttemptOutcome outcome;
  outcome.result = std::move(result);
  outcome.resends = t.resends;
  // CURLOPT_PREREQFUNCTION (on_connected) runs once a connection is ready, just before the
  // request goes out; a redirect hop means an earlier transfer was answered.
  outcome.reach = t.redirects > 0 || t.answered ? Reach::Answered
                  : t.sends > 0                 ? Reach::Sent
                                                : Reach::NotSent;
  chain_.on_attempt_done(t.request, t.lane, std::move(outcome));
}

int EventLoop::abort_attempt(Request& r, int lane) {
  if (r.transport_states[static_cast<std::size_t>(lane)] == nullptr) return 0;
  Transfer& t = transfer_of(r, lane);
  t.start_failure.reset();
  release_handle(t);
  return t.resends;
}

void EventLoop::arm_stall_timer(Transfer& t) {
  timers_.schedule(t.stall_timer,
                   now_ + min_stall_window(t.request.timeouts, config_.max_host_connections > 0));
}

void EventLoop::on_stall_timer(Transfer& t) {
  // The timer is a check, not a verdict: it fires at the earliest moment some timeout could
  // have passed, and re-arms itself for the phase the transfer is in now.
  const TimeoutConfig& limits = t.request.timeouts;
  TimePoint due;
  switch (t.phase) {
    case Transfer::Phase::Queued:
      if (config_.max_host_connections > 0) {
        due = t.started + to_duration(limits.pool);
        if (!(now_ < due)) return time_out(t, TimeoutKind::Pool, limits.pool);
        break;
      }
      [[fallthrough]];
    case Transfer::Phase::Connecting:
      // libcurl's own connect timeout is in charge until the connection is up.
      due = now_ + min_stall_window(limits, false);
      break;
    case Transfer::Phase::Sending:
      due = t.last_activity + to_duration(limits.write);
      if (!(now_ < due)) return time_out(t, TimeoutKind::Write, limits.write);
      break;
    case Transfer::Phase::Receiving:
      if (t.paused) {
        // Waiting for the body's consumer, not for the server (resume_body restarts the clock).
        due = now_ + to_duration(limits.read);
        break;
      }
      due = t.last_activity + to_duration(limits.read);
      if (!(now_ < due)) return time_out(t, TimeoutKind::Read, limits.read);
      break;
  }
  timers_.schedule(t.stall_timer, due);
}

void EventLoop::time_out(Transfer& t, TimeoutKind which, Seconds limit) {
  const std::string seconds = std::to_string(limit.count()) + " s";
  Failure f;
  switch (which) {
    case TimeoutKind::Pool:
      f = Failure::of(ErrorKind::Timeout, "no connection within " + seconds);
      break;
    case TimeoutKind::Write:
      f = Failure::of(ErrorKind::Timeout, "no request body progress for " + seconds);
      break;
    default:
      f = Failure::of(ErrorKind::Timeout, "no response bytes for " + seconds);
      break;
  }
  f.timeout = which;
  report(t, std::move(f));
}

}  // namespace rhc::detail
