// Decides, request by request, which fault (if any) a request to a faulted endpoint gets.
#pragma once

#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <random>
#include <test_server/fault.hpp>
#include <vector>

namespace rhc::test_server::detail {

// A planned run of identical faults: the next `remaining` requests get `fault`.
struct PlannedFaults {
  std::size_t remaining = 0;
  Fault fault;
};

// What GET /fail reports.
struct FaultSettings {
  std::vector<PlannedFaults> plan;
  ChaosSettings chaos;
};

// The plan (counted faults, first come first served) and the chaos settings, shared by every
// connection and by every faulted endpoint (one plan: `fail_next(2)` fails the next two
// requests to /msg, /idempotent, /bytes, /upload or /multipart, whichever arrive). One per server.
// Thread-safe; decisions are serialized so that they follow arrival order.
class FaultInjector {
 public:
  void fail_next(std::size_t n, const Fault& fault);  // replaces the plan
  void then_fail(std::size_t n, const Fault& fault);  // appends to the plan
  void set_chaos(const ChaosSettings& chaos);         // reseeds the chaos PRNG
  void reset();

  // The fault for the next request to a faulted endpoint: the plan first, then chaos;
  // nullopt to succeed.
  std::optional<Fault> next();

  FaultSettings settings() const;

 private:
  mutable std::mutex mutex_;
  std::deque<PlannedFaults> plan_;
  ChaosSettings chaos_;
  // std::mt19937_64's output is fixed by the standard (unlike the distributions), so a seed
  // gives the same sequence with every standard library.
  std::mt19937_64 random_;
};

}  // namespace rhc::test_server::detail
