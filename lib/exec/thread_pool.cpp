#include "exec/thread_pool.hpp"

#include <algorithm>
#include <deque>
#include <exception>
#include <stdexcept>
#include <string>

#include "exec/unnested.hpp"

namespace rhc::detail {

struct ThreadPool::State {
  explicit State(Logger l) : logger(std::move(l)) {}

  std::mutex mutex;
  std::condition_variable work_cv;  // signalled once per task, and for everyone at shutdown
  std::deque<std::function<void()>> queue;
  int idle = 0;  // workers waiting on work_cv
  bool stopping = false;
  const Logger logger;
};

namespace {

// The pool whose worker this thread is, if any: on_pool_thread() is then one compare.
thread_local const void* tls_pool_state = nullptr;

void log_failure(const Logger& logger, const char* what) noexcept {
  try {
    logger.log(Severity::Error, {}, std::string("a callback threw and was ignored: ") + what);
  } catch (...) {  // out of memory while reporting: the worker must survive even that
  }
}

void run_task(const Logger& logger, std::function<void()>& task) noexcept {
  try {
    task();
  } catch (const std::exception& e) {
    log_failure(logger, e.what());
  } catch (...) {
    log_failure(logger, "an exception not derived from std::exception");
  }
}

}  // namespace

// Takes only the shared state, never the ThreadPool: a detached worker may outlive it.
void ThreadPool::work(std::shared_ptr<State> st) {
  tls_pool_state = st.get();
  for (;;) {
    std::function<void()> task;
    {
      std::unique_lock lock(st->mutex);
      ++st->idle;
      st->work_cv.wait(lock, [&st] { return st->stopping || !st->queue.empty(); });
      --st->idle;
      if (st->queue.empty()) return;  // stopping, and nothing left to run
      task = std::move(st->queue.front());
      st->queue.pop_front();
    }
    {
      // A callback that makes a request the client refuses (it is closing) gets that
      // request's callback queued here, to run after it returns: never nested inside it.
      UnnestedFrame frame;
      run_task(st->logger, task);
    }
    // `task` dies here, outside the lock: its captures may own the pool, whose destructor
    // then runs shutdown() on this thread and takes the lock itself.
  }
}

ThreadPool::ThreadPool(int threads, Logger logger)
    : state_(std::make_shared<State>(std::move(logger))), size_(threads) {
  if (threads < 1) {
    throw std::invalid_argument("ThreadPool needs at least one thread, got " +
                                std::to_string(threads));
  }
  threads_.reserve(static_cast<std::size_t>(threads));
  try {
    for (int i = 0; i < threads; ++i) {
      threads_.emplace_back(&ThreadPool::work, state_);
    }
  } catch (...) {
    // No destructor runs for a half-built object: stop the workers already started.
    {
      std::lock_guard lock(state_->mutex);
      state_->stopping = true;
    }
    state_->work_cv.notify_all();
    for (auto& t : threads_) t.join();
    throw;
  }
}

ThreadPool::~ThreadPool() { shutdown(); }

bool ThreadPool::post(std::function<void()> task) {
  {
    std::lock_guard lock(state_->mutex);
    if (state_->stopping) return false;
    state_->queue.push_back(std::move(task));
  }
  // One task, one worker: waking them all would only make the rest contend for the lock.
  state_->work_cv.notify_one();
  return true;
}

bool ThreadPool::post_all(std::vector<std::function<void()>>& tasks) {
  if (tasks.empty()) return true;
  int wake;
  {
    std::lock_guard lock(state_->mutex);
    if (state_->stopping) return false;
    for (auto& task : tasks) state_->queue.push_back(std::move(task));
    wake = std::min<int>(state_->idle, static_cast<int>(tasks.size()));
  }
  tasks.clear();
  // A woken worker runs tasks until the queue is empty, so one is enough to make progress;
  // more only when there is work for them, so slow callbacks still run side by side.
  for (int i = 0; i < wake; ++i) state_->work_cv.notify_one();
  return true;
}

void ThreadPool::shutdown() {
  {
    std::lock_guard lock(state_->mutex);
    state_->stopping = true;
  }
  state_->work_cv.notify_all();

  // Exactly one caller takes the threads and joins them; the others wait for it.
  std::vector<std::thread> mine;
  {
    std::lock_guard lock(join_mutex_);
    mine.swap(threads_);
  }
  if (mine.empty()) {
    // A worker waiting here could be the very thread the joiner is joining.
    if (on_pool_thread()) return;
    std::unique_lock lock(join_mutex_);
    joined_cv_.wait(lock, [this] { return joined_; });
    return;
  }

  const auto self = std::this_thread::get_id();
  bool detached_self = false;
  for (auto& t : mine) {
    if (t.get_id() == self) {
      t.detach();
      detached_self = true;
    } else {
      t.join();
    }
  }
  if (detached_self) {
    // The other workers have drained the queue and exited, unless there were none. Run what
    // is left here, so that, as from any other thread, every queued task has run by the time
    // shutdown() returns (and before the owner, whom tasks may reference, can be destroyed).
    for (;;) {
      std::function<void()> task;
      {
        std::lock_guard lock(state_->mutex);
        if (state_->queue.empty()) break;
        task = std::move(state_->queue.front());
        state_->queue.pop_front();
      }
      run_task(state_->logger, task);
    }
  }
  {
    std::lock_guard lock(join_mutex_);
    joined_ = true;
  }
  joined_cv_.notify_all();
}

int ThreadPool::idle_workers() const {
  std::lock_guard lock(state_->mutex);
  return state_->idle;
}

bool ThreadPool::on_pool_thread() const { return tls_pool_state == state_.get(); }

int ThreadPool::default_threads() {
  const unsigned hw = std::thread::hardware_concurrency();  // 0 when unknown
  return static_cast<int>(std::clamp(hw, 1u, 4u));
}

}  // namespace rhc::detail
