// What rhc's own log lines say about its policies, as events. rhc writes them on its one
// event-loop thread in the order things happen there, so they give the exact order of
// attempts, circuit breaker transitions and concurrency-limit cuts: state the public API does
// not expose (the adaptive limit) or exposes only as a snapshot (circuit_state(), which cannot
// see a half-open trial that fails within a millisecond). The client must log at DEBUG, the
// level that writes every attempt as it starts; the texts parsed are those of
// lib/chain/chain.cpp, so a change of wording there shows up here as events that stop coming.
//
//   init_quiet_glog(argv[0]);                 // once, first thing in main()
//   LogTap tap([&](const LogEvent& e) { ... });
//   ... a client with logging.level = "DEBUG" ...
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string_view>

#include <rhc/circuit_state.hpp>

namespace rhc::bench::storm {

using Clock = std::chrono::steady_clock;

enum class LogEventKind {
  AttemptStarted,    // "GET <url> attempt <n>"; number = n
  AttemptRetried,    // "GET <url> attempt <n> failed (...); retrying in <ms> ms": that attempt
                     // ended and a backoff wait began; number = n
  RequestSucceeded,  // "GET <url> -> <status> in <ms> ms, <n> attempt(s)": the last attempt
                     // ended; number = n
  RequestFailed,     // "GET <url> failed after <n> attempt(s): ...": number = n (0: no attempt,
                     // refused by the breaker or the bulkhead)
  BreakerChanged,    // "circuit breaker [for <authority>] <FROM> -> <TO>"; authority empty for
                     // the client-wide breaker (scope Client)
  LimitCut,          // "concurrency limit for <authority> cut to <n>"; number = n
};

struct LogEvent {
  Clock::time_point at;  // when the line was written (read in the sink, on that thread)
  LogEventKind kind = LogEventKind::AttemptStarted;
  std::string_view authority;  // "http://127.0.0.1:PORT"; valid during the handler call only
  int number = 0;              // see LogEventKind
  CircuitState to = CircuitState::Closed;  // BreakerChanged: the new state
};

// One line's message, as glog hands it to a sink (rhc's "[logger_name] " and "[req=...] "
// prefixes included); nullopt for a line that is none of the events. `at` is left unset.
std::optional<LogEvent> parse_rhc_line(std::string_view message);

// A glog sink, installed while the tap lives, that calls on_event for every line that parses.
// on_event runs on the thread that logged, under glog's lock (so events arrive one at a time,
// in the order written); it must be quick and must not log.
class LogTap {
 public:
  using Handler = std::function<void(const LogEvent&)>;
  explicit LogTap(Handler on_event);
  ~LogTap();
  LogTap(const LogTap&) = delete;
  LogTap& operator=(const LogTap&) = delete;

  class Sink;

 private:
  std::unique_ptr<Sink> sink_;
};

// Sets glog up so that lines below ERROR go to sinks only: no log files, nothing on stderr
// but errors. Call once, before any client exists.
void init_quiet_glog(const char* argv0);

}  // namespace rhc::bench::storm
