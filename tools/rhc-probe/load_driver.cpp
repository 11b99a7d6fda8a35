#include "load_driver.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace rhc::probe {
namespace {

using Clock = std::chrono::steady_clock;

Clock::duration seconds(double s) {
  return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s));
}

class LoadDriver {
 public:
  LoadDriver(rhc::ResilientClient& client, const std::string& url, const PreparedRequest& request,
             const LoadLimits& limits, LoadTally& tally)
      : client_(client),
        url_(url),
        method_(request.method),
        options_(request.options),
        limits_(limits),
        tally_(tally) {
    options_.cancel = cancel_;
  }

  LoadRun run(std::chrono::milliseconds period, const LoadProgress& progress);

 private:
  bool open_loop() const { return limits_.rate > 0; }
  bool may_send_another();
  void send(Clock::time_point scheduled);
  void on_outcome(const rhc::Outcome& outcome, Clock::time_point scheduled);
  void run_schedule();

  rhc::ResilientClient& client_;
  const std::string url_;
  const std::string method_;
  rhc::RequestOptions options_;  // every request's, with the run's CancelToken
  const LoadLimits limits_;
  LoadTally& tally_;
  rhc::CancelToken cancel_;
  Clock::time_point start_;
  Clock::time_point deadline_ = Clock::time_point::max();

  std::atomic<bool> stopping_{false};  // the run is over: send nothing more
  std::atomic<bool> aborted_{false};   // a ConfigError: every request would fail alike
  std::atomic<std::uint64_t> reserved_{0};

  std::mutex mutex_;
  // Signalled when the run may be over (the last outcome, an abort) and when it stops.
  std::condition_variable changed_;
  int in_flight_ = 0;          // guarded by mutex_
  bool sending_over_ = false;  // guarded: no request will be sent but closed-loop successors
  LoadRun result_;             // guarded: issued and the slot counts
};

// Closed loop: whether a finished request has a successor.
bool LoadDriver::may_send_another() {
  if (stopping_ || aborted_ || Clock::now() >= deadline_) return false;
  return limits_.requests == 0 || reserved_.fetch_add(1) < limits_.requests;
}

void LoadDriver::send(Clock::time_point scheduled) {
  client_.request(method_, url_, options_,
                  [this, scheduled](rhc::Outcome outcome) { on_outcome(outcome, scheduled); });
}

void LoadDriver::on_outcome(const rhc::Outcome& outcome, Clock::time_point scheduled) {
  const auto latency = Clock::now() - scheduled;
  if (!tally_.record(outcome, latency, stopping_)) aborted_ = true;
  const bool again = !open_loop() && may_send_another();
  bool over = false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (again) {
      ++result_.issued;
    } else {
      --in_flight_;
      over = aborted_ || (sending_over_ && in_flight_ == 0);
    }
  }
  if (again) send(Clock::now());
  if (over) changed_.notify_all();
}

// The open loop's clock, on a thread of its own: the sending must not wait for outcomes.
void LoadDriver::run_schedule() {
  const double interval_s = 1.0 / limits_.rate;
  std::unique_lock<std::mutex> lock(mutex_);
  for (std::uint64_t k = 0; limits_.requests == 0 || k < limits_.requests; ++k) {
    // From the start, not from the previous slot: a late wake-up does not shift the rest.
    const auto due = start_ + seconds(static_cast<double>(k) * interval_s);
    if (due >= deadline_) break;
    if (changed_.wait_until(lock, due, [this] { return stopping_ || aborted_; })) break;
    ++result_.slots;
    if (in_flight_ >= limits_.concurrency) {
      ++result_.skipped;
      continue;
    }
    if (Clock::now() - due > kLateSlot) ++result_.late;
    ++in_flight_;
    ++result_.issued;
    lock.unlock();
    send(due);
    lock.lock();
  }
  sending_over_ = true;
  if (in_flight_ == 0) changed_.notify_all();
}

LoadRun LoadDriver::run(std::chrono::milliseconds period, const LoadProgress& progress) {
  start_ = Clock::now();
  if (limits_.duration_s > 0) deadline_ = start_ + seconds(limits_.duration_s);
  std::thread scheduler;
  if (open_loop()) {
    scheduler = std::thread([this] { run_schedule(); });
  } else {
    for (int i = 0; i < limits_.concurrency && may_send_another(); ++i) {
      {
        std::lock_guard<std::mutex> lock(mutex_);
        ++in_flight_;
        ++result_.issued;
      }
      send(Clock::now());
    }
    std::lock_guard<std::mutex> lock(mutex_);
    sending_over_ = true;
  }

  bool deadline_reached = false;
  {
    std::unique_lock<std::mutex> lock(mutex_);
    auto next_progress = start_ + period;
    while (!aborted_ && !(sending_over_ && in_flight_ == 0)) {
      const auto now = Clock::now();
      if (now >= deadline_) {
        deadline_reached = true;
        break;
      }
      if (now >= next_progress) {
        next_progress += period;
        lock.unlock();
        progress(std::chrono::duration<double>(now - start_).count());
        lock.lock();
        continue;
      }
      changed_.wait_until(lock, std::min(next_progress, deadline_));
    }
  }
  const auto end = std::min(Clock::now(), deadline_);

  // Whatever is still running is cut off: cancelled, then resolved by close().
  stopping_ = true;
  cancel_.cancel();
  {
    std::lock_guard<std::mutex> lock(mutex_);  // so that no waiter misses the flag
  }
  changed_.notify_all();
  if (scheduler.joinable()) scheduler.join();
  client_.close();

  std::lock_guard<std::mutex> lock(mutex_);
  LoadRun run = result_;
  run.elapsed_s = std::chrono::duration<double>(end - start_).count();
  run.deadline_reached = deadline_reached;
  return run;
}

}  // namespace

LoadRun drive_load(rhc::ResilientClient& client, const std::string& url,
                   const PreparedRequest& request, const LoadLimits& limits, LoadTally& tally,
                   std::chrono::milliseconds period, const LoadProgress& progress) {
  LoadDriver driver(client, url, request, limits, tally);
  return driver.run(period, progress);
}

}  // namespace rhc::probe
