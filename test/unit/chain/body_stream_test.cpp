// The serial queue of a streamed body (chain/body_stream.hpp) without sockets or threads: a
// manual executor holds the drain tasks until the test runs them, so each step of the
// back-pressure accounting is seen exactly.
#include <catch2/catch.hpp>

#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "chain/body_stream.hpp"

namespace {

using rhc::detail::BodyStream;
using Offer = BodyStream::Offer;

struct ManualExecutor {
  std::vector<std::function<void()>> tasks;
  bool accepting = true;
  BodyStream::Post post() {
    return [this](std::function<void()> task) {
      if (!accepting) return false;
      tasks.push_back(std::move(task));
      return true;
    };
  }
  // Runs what is queued now (a task may queue more: those wait for the next call).
  std::size_t run() {
    std::vector<std::function<void()>> now;
    now.swap(tasks);
    for (auto& task : now) task();
    return now.size();
  }
};

struct Recorder {
  std::string received;
  std::vector<std::size_t> pending_seen;  // the stream's backlog at each call
  int resumes = 0;
  int aborts = 0;
  int delivered = 0;
  std::exception_ptr delivered_error;
  std::string received_at_delivery;
};

std::shared_ptr<BodyStream> make_stream(ManualExecutor& executor, Recorder& rec,
                                        std::function<void(std::string_view)> write = {}) {
  std::shared_ptr<BodyStream> stream;
  BodyStream::Sink sink;
  sink.write = write ? write : [&rec](std::string_view chunk) { rec.received.append(chunk); };
  stream = std::make_shared<BodyStream>(std::move(sink), executor.post());
  stream->set_loop_hooks({[&rec] { ++rec.resumes; }, [&rec] { ++rec.aborts; }});
  return stream;
}

std::function<void(std::exception_ptr)> deliver_into(Recorder& rec) {
  return [&rec](std::exception_ptr error) {
    ++rec.delivered;
    rec.delivered_error = error;
    rec.received_at_delivery = rec.received;
  };
}

const std::string k16(16 * 1024, 'x');

// Queued is Taken, with a kick() owed at the end of the loop's turn.
bool taken(Offer offer) { return offer == Offer::Taken || offer == Offer::Queued; }

}  // namespace

TEST_CASE("chunks reach the sink in order, merged, and the outcome comes after the last",
          "[body_stream]") {
  ManualExecutor executor;
  Recorder rec;
  auto stream = make_stream(executor, rec);
  std::string sent;
  for (int i = 0; i < 10; ++i) {
    const std::string chunk(1000, static_cast<char>('a' + i));
    // Small pieces wait for the end of the loop's turn: Queued once, then Taken.
    CHECK(stream->offer(chunk.data(), chunk.size()) == (i == 0 ? Offer::Queued : Offer::Taken));
    sent += chunk;
  }
  CHECK(executor.tasks.empty());
  stream->kick();
  CHECK(executor.tasks.size() == 1);  // one drain task for the whole backlog
  CHECK(stream->pending() == 10'000);
  stream->finish(true, deliver_into(rec));
  CHECK(executor.tasks.size() == 1);  // the running drain delivers; no second task
  executor.run();
  CHECK(rec.received == sent);
  CHECK(rec.delivered == 1);
  CHECK(rec.delivered_error == nullptr);
  CHECK(rec.received_at_delivery == sent);
  CHECK(stream->pending() == 0);
}

TEST_CASE("over 1 MiB undelivered the stream says Full, and resumes at the low-water mark",
          "[body_stream]") {
  ManualExecutor executor;
  Recorder rec;
  std::size_t calls = 0;
  std::shared_ptr<BodyStream> stream;
  stream = make_stream(executor, rec, [&](std::string_view chunk) {
    rec.pending_seen.push_back(stream->pending());
    rec.received.append(chunk);
    ++calls;
  });
  std::size_t accepted = 0;
  while (taken(stream->offer(k16.data(), k16.size()))) accepted += k16.size();
  stream->kick();  // the loop's end of turn
  CHECK(accepted > BodyStream::kHighWater);
  CHECK(accepted <= BodyStream::kHighWater + k16.size());
  CHECK(stream->max_pending() == accepted);
  CHECK(rec.resumes == 0);
  // Still full until the consumer drains.
  CHECK(stream->offer(k16.data(), k16.size()) == Offer::Full);
  executor.run();
  CHECK(rec.resumes == 1);  // once, when the backlog fell to kLowWater
  CHECK(rec.received.size() == accepted);
  CHECK(stream->pending() == 0);
  for (std::size_t seen : rec.pending_seen) CHECK(seen <= BodyStream::kHighWater + k16.size());
  CHECK(calls == accepted / BodyStream::kMergeBytes + (accepted % BodyStream::kMergeBytes != 0));
  // Resumed: it takes again, and a drain task follows at the kick.
  CHECK(stream->offer(k16.data(), k16.size()) == Offer::Queued);
  stream->kick();
  CHECK(executor.tasks.size() == 1);
}

TEST_CASE("no resume is owed when the stream never filled", "[body_stream]") {
  ManualExecutor executor;
  Recorder rec;
  auto stream = make_stream(executor, rec);
  REQUIRE(stream->offer(k16.data(), k16.size()) == Offer::Queued);
  stream->kick();
  executor.run();
  CHECK(rec.resumes == 0);
  CHECK(executor.tasks.empty());
}

TEST_CASE("a failed request drops the chunks not yet handed out; none follows the outcome",
          "[body_stream]") {
  ManualExecutor executor;
  Recorder rec;
  auto stream = make_stream(executor, rec);
  for (int i = 0; i < 8; ++i) REQUIRE(taken(stream->offer(k16.data(), k16.size())));
  stream->finish(false, deliver_into(rec));
  CHECK(stream->pending() == 0);
  CHECK(stream->offer(k16.data(), k16.size()) == Offer::Refused);
  executor.run();
  CHECK(rec.received.empty());
  CHECK(rec.delivered == 1);
  CHECK(rec.resumes == 0);
}

TEST_CASE("a sink that throws stops the stream, asks the loop to abort, and is what is delivered",
          "[body_stream]") {
  ManualExecutor executor;
  Recorder rec;
  int calls = 0;
  auto stream = make_stream(executor, rec, [&](std::string_view) {
    if (++calls == 1) throw std::runtime_error("consumer broke");
  });
  // Two chunks that cannot merge, so the second waits behind the one that throws.
  const std::string big(BodyStream::kMergeBytes, 'y');
  REQUIRE(stream->offer(big.data(), big.size()) == Offer::Queued);
  REQUIRE(stream->offer(big.data(), big.size()) == Offer::Taken);
  stream->kick();
  executor.run();
  CHECK(calls == 1);  // the queued chunk was dropped
  CHECK(rec.aborts == 1);
  CHECK(stream->error() != nullptr);
  CHECK(stream->offer(big.data(), big.size()) == Offer::Refused);
  stream->finish(false, deliver_into(rec));
  executor.run();
  REQUIRE(rec.delivered == 1);
  REQUIRE(rec.delivered_error != nullptr);
  CHECK_THROWS_WITH(std::rethrow_exception(rec.delivered_error), "consumer broke");
}

TEST_CASE("the sink's end runs once after the last chunk of a success, and may fail it",
          "[body_stream]") {
  ManualExecutor executor;
  Recorder rec;
  int ends = 0;
  BodyStream::Sink sink;
  sink.write = [&rec](std::string_view chunk) { rec.received.append(chunk); };
  sink.end = [&] {
    ++ends;
    CHECK(rec.received == k16);
    throw std::runtime_error("disk full");
  };
  auto stream = std::make_shared<BodyStream>(std::move(sink), executor.post());
  REQUIRE(taken(stream->offer(k16.data(), k16.size())));
  stream->finish(true, deliver_into(rec));  // starts the drain itself: no kick needed
  executor.run();
  CHECK(ends == 1);
  REQUIRE(rec.delivered_error != nullptr);
  CHECK_THROWS_WITH(std::rethrow_exception(rec.delivered_error), "disk full");
}

TEST_CASE("kLowWater waiting starts a drain task at once; a kick then has nothing to do",
          "[body_stream]") {
  ManualExecutor executor;
  Recorder rec;
  auto stream = make_stream(executor, rec);
  const std::string whole(BodyStream::kLowWater, 'z');
  CHECK(stream->offer(whole.data(), whole.size()) == Offer::Taken);
  CHECK(executor.tasks.size() == 1);
  stream->kick();
  CHECK(executor.tasks.size() == 1);
  executor.run();
  CHECK(rec.received == whole);
  stream->kick();  // nothing waits
  CHECK(executor.tasks.empty());
}

TEST_CASE("a stream whose executor refuses work hands everything over on the calling thread",
          "[body_stream]") {
  ManualExecutor executor;
  executor.accepting = false;
  Recorder rec;
  auto stream = make_stream(executor, rec);
  stream->finish(true, deliver_into(rec));
  CHECK(rec.delivered == 1);
}
