#include "observe/event_dispatcher.hpp"

#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <string>
#include <thread>
#include <utility>

namespace rhc::detail {

struct EventDispatcher::State {
  State(Logger l, std::size_t cap) : logger(std::move(l)), capacity(cap) {}

  struct Batch {
    std::vector<EventRecord> records;
    std::chrono::system_clock::duration to_wall{};  // wall clock minus the loop's clock
  };

  const Logger logger;
  const std::size_t capacity;
  EventGate gate;

  std::mutex mutex;
  std::condition_variable cv;
  std::deque<Batch> queue;                      // guarded by mutex
  std::size_t queued = 0;                       // records in queue or being delivered
  std::vector<std::vector<EventRecord>> spare;  // delivered batches' vectors, for reuse
  std::vector<std::shared_ptr<Listener>> listeners;
  bool stopping = false;
  std::thread thread;
};

namespace {

void log_failure(const Logger& logger, const char* what) noexcept {
  try {
    logger.log(Severity::Error, {},
               std::string("an event listener threw and was ignored: ") + what);
  } catch (...) {  // out of memory while reporting: the dispatcher must survive even that
  }
}

void deliver(const Logger& logger, Listener& listener, const Event& event) noexcept {
  try {
    listener.on_event(event);
  } catch (const std::exception& e) {
    log_failure(logger, e.what());
  } catch (...) {
    log_failure(logger, "an exception not derived from std::exception");
  }
}

}  // namespace

EventDispatcher::EventDispatcher(Logger logger, std::size_t capacity)
    : state_(std::make_shared<State>(std::move(logger), capacity)) {}

EventDispatcher::~EventDispatcher() { shutdown(); }

EventGate& EventDispatcher::gate() { return state_->gate; }

std::uint64_t EventDispatcher::dropped() const {
  return state_->gate.dropped.load(std::memory_order_relaxed);
}

void EventDispatcher::add(std::shared_ptr<Listener> listener) {
  State& st = *state_;
  std::lock_guard<std::mutex> lock(st.mutex);
  if (st.stopping || listener == nullptr) return;
  st.listeners.push_back(std::move(listener));
  if (!st.thread.joinable()) st.thread = std::thread(&EventDispatcher::run, state_);
  st.gate.wanted.store(true, std::memory_order_relaxed);
}

void EventDispatcher::publish(std::vector<EventRecord>& batch, TimePoint steady_now,
                              std::chrono::system_clock::time_point wall_now) {
  if (batch.empty()) return;
  State& st = *state_;
  const auto to_wall =
      wall_now.time_since_epoch() - std::chrono::duration_cast<std::chrono::system_clock::duration>(
                                        steady_now.time_since_epoch());
  {
    std::lock_guard<std::mutex> lock(st.mutex);
    if (st.stopping && !st.thread.joinable()) {  // shut down: nobody will read them
      batch.clear();
      return;
    }
    const std::size_t room = st.capacity - std::min(st.capacity, st.queued);
    if (batch.size() > room) {
      st.gate.dropped.fetch_add(batch.size() - room, std::memory_order_relaxed);
      batch.resize(room);
    }
    if (batch.empty()) return;
    st.queued += batch.size();
    if (st.queued >= st.capacity) st.gate.full.store(true, std::memory_order_relaxed);
    const bool wake = st.queue.empty();
    st.queue.push_back(State::Batch{std::move(batch), to_wall});
    batch.clear();
    if (!st.spare.empty()) {
      batch.swap(st.spare.back());
      st.spare.pop_back();
    }
    // Notified under the lock: the batch can wake a listener that destroys the dispatcher
    // (and, once run() returns, the State); after this scope publish() touches nothing.
    if (wake) st.cv.notify_one();
  }
}

void EventDispatcher::run(std::shared_ptr<State> st) {
  std::vector<std::shared_ptr<Listener>> listeners;
  Event event;
  for (;;) {
    State::Batch batch;
    {
      std::unique_lock<std::mutex> lock(st->mutex);
      st->cv.wait(lock, [&st] { return st->stopping || !st->queue.empty(); });
      if (st->queue.empty()) return;  // stopping, and everything delivered
      batch = std::move(st->queue.front());
      st->queue.pop_front();
      listeners = st->listeners;  // a listener added meanwhile starts with this batch
    }
    for (const EventRecord& record : batch.records) {
      fill_event(record, batch.to_wall, event);  // one Event, its strings' capacity reused
      for (const auto& listener : listeners) deliver(st->logger, *listener, event);
    }
    std::lock_guard<std::mutex> lock(st->mutex);
    st->queued -= batch.records.size();
    st->gate.full.store(false, std::memory_order_relaxed);
    batch.records.clear();
    if (st->spare.size() < 4) st->spare.push_back(std::move(batch.records));
  }
}

void EventDispatcher::shutdown() {
  State& st = *state_;
  std::thread thread;
  {
    std::lock_guard<std::mutex> lock(st.mutex);
    st.stopping = true;
    st.gate.wanted.store(false, std::memory_order_relaxed);
    thread = std::move(st.thread);
  }
  st.cv.notify_all();
  if (!thread.joinable()) return;
  if (thread.get_id() == std::this_thread::get_id()) {
    thread.detach();  // run() holds the state; it drains the queue and returns
  } else {
    thread.join();
  }
}

Event EventDispatcher::to_event(const EventRecord& r, std::chrono::system_clock::duration to_wall) {
  Event e;
  fill_event(r, to_wall, e);
  return e;
}

void EventDispatcher::fill_event(const EventRecord& r, std::chrono::system_clock::duration to_wall,
                                 Event& e) {
  e.kind = r.kind;
  e.at = std::chrono::system_clock::time_point(
      std::chrono::duration_cast<std::chrono::system_clock::duration>(r.at.time_since_epoch()) +
      to_wall);
  if (r.labels != nullptr) {
    e.authority = r.labels->authority;
    e.request_id = r.labels->request_id;
    e.method = r.labels->method;
    e.url = r.labels->url;
  } else {
    e.authority.clear();
    e.request_id.clear();
    e.method.clear();
    e.url.clear();
  }
  e.attempt = r.attempt;
  e.status_code = r.status_code;
  e.error = r.error;
  e.reason = r.reason;
  e.duration = std::chrono::duration_cast<Seconds>(r.duration);
  e.wait = std::chrono::duration_cast<Seconds>(r.wait);
  e.from = r.from;
  e.to = r.to;
  e.limit = r.limit;
}

}  // namespace rhc::detail
