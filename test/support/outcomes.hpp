// How a request ended, checked on the test's thread: the one copy of the helpers every test
// file used to carry its own version of (error_of, expect_error, timeout_of, is_closed_error).
// Header-only; needs Catch2 and rhc's public headers, nothing else.
#pragma once

#include <catch2/catch.hpp>

#include <chrono>
#include <exception>
#include <future>
#include <stdexcept>

#include <rhc/rhc.hpp>

#include "slack.hpp"

namespace rhc::testing {

// How long error_of waits by default for a future to resolve: far longer than any test's
// request takes, so that only a hung future fails on it. Widened by slack().
inline constexpr std::chrono::seconds kResolveBound{30};

// The error `f` resolved with, as an E (sliced to E: check derived types on the future's
// exception before, not on the copy). Fails the test if `f` does not resolve within
// slack(bound) -- 0s: it must be resolved already, as in the chain's unit tests where
// everything runs inline --, if it resolved with a response, or with an error of another
// type.
template <class E>
E error_of(std::future<rhc::Response>& f, std::chrono::milliseconds bound = kResolveBound) {
  REQUIRE(f.wait_for(slack(bound)) == std::future_status::ready);
  try {
    const rhc::Response r = f.get();
    FAIL("expected an error, got HTTP " << r.status_code << " with body '" << r.text << "'");
  } catch (const E& e) {
    return e;
  } catch (const std::exception& e) {
    FAIL("unexpected error: " << e.what());
  }
  throw std::logic_error("error_of: unreachable");  // FAIL throws
}

template <class E>
E error_of(std::future<rhc::Response>&& f, std::chrono::milliseconds bound = kResolveBound) {
  return error_of<E>(f, bound);
}

// The APITimeoutError `f` resolved with: a timeout that must fire faces a stall far longer
// than itself (docs/testing.md "Time in tests"), so 20 s (widened by slack()) is plenty.
inline rhc::APITimeoutError timeout_of(std::future<rhc::Response> f) {
  return error_of<rhc::APITimeoutError>(f, std::chrono::seconds(20));
}

// Whether a callback's outcome is a failure of type E. Safe on any thread (no assertion):
// callbacks record it, the test's thread checks the record.
template <class E>
bool is_error(const rhc::Outcome& o) {
  if (o.ok() || !o.error) return false;
  try {
    std::rethrow_exception(o.error);
  } catch (const E&) {
    return true;
  } catch (...) {
    return false;
  }
}

}  // namespace rhc::testing
