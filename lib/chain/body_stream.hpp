// A streamed response body on its way to the caller's sink (RequestOptions::on_chunk or
// output_file): the serial queue between the loop thread, which offers chunks as libcurl
// hands them over, and the executor, where one task at a time hands them to the sink, in
// order. The request's final outcome goes through the same queue, after the last chunk, so
// a future never resolves before the body it describes has been handed out.
//
//   loop thread                        BodyStream (mutex)               executor
//   on_body ── offer(chunk) ─────────▶ chunks, pending ── drain task ─▶ sink.write(chunk)
//            ◀── Full: pause ───────── > kHighWater                      │
//   curl_easy_pause(CONT) ◀── resume ─ <= kLowWater after a Full ◀───────┘
//   Chain::finish ── finish(deliver) ─▶ after the last chunk ─────────▶ deliver(sink error)
//
// Back-pressure: while more than kHighWater bytes wait undelivered (the chunk in the sink
// included), offer() refuses the chunk (Full) and the caller pauses the transfer (libcurl
// keeps the chunk and hands it over again once resumed). The drain task calls the resume
// hook once the backlog has fallen to kLowWater, so memory stays within about kHighWater
// plus one chunk whatever the server's speed.
//
// Lifetime: shared by the request (loop thread) and each drain task (executor), so it lives
// until both are done with it. The hooks are called with the stream's lock held, and only
// before finish(): the loop that set them is still running the request then.
#pragma once

#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "errors/classify.hpp"

namespace rhc::detail {

class BodyStream : public std::enable_shared_from_this<BodyStream> {
 public:
  static constexpr std::size_t kHighWater = std::size_t{1} << 20;
  static constexpr std::size_t kLowWater = kHighWater / 4;
  // Chunks smaller than this are appended to the last queued one, so a fast stream costs
  // one allocation and one sink call per 64 KiB, not per libcurl callback (16 KiB or less).
  static constexpr std::size_t kMergeBytes = std::size_t{64} << 10;

  // Where the bytes go. write() may throw: the stream then fails (see abort below). end()
  // (may be empty) runs once after the last chunk of a successful response, before the
  // outcome is delivered; it may throw too (a file that cannot be closed).
  struct Sink {
    std::function<void(std::string_view)> write;
    std::function<void()> end;
  };
  // Runs a task on the executor; false when the executor refuses it (shut down), in which
  // case the task runs on the calling thread.
  using Post = std::function<bool(std::function<void()>)>;
  // The loop's side (EventLoop): resume: the backlog has drained after a Full, resume the
  // transfer; abort: the sink threw, end the request. Executor thread, stream lock held.
  struct LoopHooks {
    std::function<void()> resume;
    std::function<void()> abort;
  };

  BodyStream(Sink sink, Post post);
  BodyStream(const BodyStream&) = delete;
  BodyStream& operator=(const BodyStream&) = delete;

  // Loop thread, before the first offer().
  void set_loop_hooks(LoopHooks hooks) { hooks_ = std::move(hooks); }

  enum class Offer : unsigned char {
    Taken,    // queued for the sink
    Queued,   // queued, but no drain task started yet: kick() at the end of the loop's turn
    Full,     // kHighWater waits undelivered: pause; resume comes through the hook
    Refused,  // the sink threw, or the stream is finished: stop the transfer
  };
  // Loop thread. Never throws (it runs inside a libcurl callback): out of memory is Refused.
  // A drain task starts at once only when kLowWater waits (a loop turn may read megabytes);
  // less waits for kick(), so a fast consumer costs one hand-over per 256 KiB or per loop
  // turn, not one per libcurl callback (each a wake-up of an executor thread: a context
  // switch per 16 KiB). Queued is answered once between two kicks.
  Offer offer(const char* data, std::size_t n) noexcept;
  // Loop thread, at the end of a turn in which offer() said Queued: hands what waits to the
  // executor, unless a drain task already runs.
  void kick();

  // Loop thread, once: the request's outcome is known. `deliver` runs on the executor after
  // the last chunk, with the exception the sink threw (null if none). `success`: the body
  // is complete, so every queued chunk is handed out and the sink's end() runs; otherwise
  // chunks not yet handed out are dropped (a chunk in the sink still finishes first).
  void finish(bool success, std::function<void(std::exception_ptr)> deliver);

  // Any thread: what the sink threw (null while it has not), which deliver will be handed.
  std::exception_ptr error() const;
  // Any thread: the failure the request ends with because the sink threw (sink_failure in
  // body_sink.hpp), made on the thread that caught it: the loop reads this copy, never the
  // exception object, which other threads may be reading or destroying.
  std::optional<Failure> failure() const;
  // Any thread: bytes waiting undelivered (the chunk in the sink included), and the most
  // that ever waited. For tests.
  std::size_t pending() const;
  std::size_t max_pending() const;

 private:
  // True when the caller must post a drain task (none is posted or running); marks one as
  // posted. The caller posts it after unlocking: a refused post runs it on the spot.
  bool claim_drain_locked();
  void post_drain();
  void drain();  // executor: the one task handing chunks out
  void drop_queued_locked();
  // A handed-out chunk's buffer, kept for the next offer(): without it each 64 KiB chunk was
  // a fresh allocation, freed on another thread, and glibc gave the pages back to the kernel
  // and faulted them in again (72,000 page faults per GiB). Kept only while the spares and
  // the chunks waiting stay within kHighWater, so a stream holds at most about 2 x
  // kHighWater.
  void recycle_locked(std::string&& chunk);
  static constexpr std::size_t kMaxSpares = kHighWater / kMergeBytes;

  Sink sink_;
  Post post_;
  LoopHooks hooks_;

  mutable std::mutex mutex_;
  std::deque<std::string> chunks_;   // guarded by mutex_, and every field below
  std::vector<std::string> spares_;  // emptied buffers of handed-out chunks
  std::size_t pending_ = 0;
  std::size_t max_pending_ = 0;
  bool draining_ = false;  // a drain task is posted or running
  bool paused_ = false;    // offer() said Full; the drain owes a resume
  bool finished_ = false;  // finish() was called
  bool success_ = false;
  std::function<void(std::exception_ptr)> deliver_;
  std::exception_ptr error_;  // what the sink threw
  std::optional<Failure> failure_;

  bool kick_due_ = false;  // loop thread only: offer() said Queued since the last kick()
};

}  // namespace rhc::detail
