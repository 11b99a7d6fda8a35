// Wall-clock bounds for tests that must also pass in a slow sanitizer build on a loaded machine.
//
// Rules (docs/testing.md): a timeout a successful request must beat is many seconds, not a few
// hundred milliseconds; a timeout that must fire faces a hang far longer than itself; an upper
// bound on elapsed time keeps the promise in an ordinary build and is widened by slack() under
// AddressSanitizer or ThreadSanitizer, where everything runs several times slower. Header-only,
// no dependencies, so the server's own tests (which must not depend on rhc) can use it too.
#pragma once

#include <chrono>

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define RHC_TEST_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define RHC_TEST_SANITIZED 1
#endif
#endif
#ifndef RHC_TEST_SANITIZED
#define RHC_TEST_SANITIZED 0
#endif

namespace rhc::testing {

// True in an AddressSanitizer or ThreadSanitizer build.
inline constexpr bool kSanitized = RHC_TEST_SANITIZED != 0;

// An upper bound on wall-clock time: `bound` in an ordinary build, ten times it under a
// sanitizer.
template <class Rep, class Period>
constexpr std::chrono::duration<Rep, Period> slack(std::chrono::duration<Rep, Period> bound) {
  return kSanitized ? bound * 10 : bound;
}

// A timeout that a request which should succeed must beat: long enough for any build.
inline constexpr std::chrono::seconds kGenerousTimeout{60};

}  // namespace rhc::testing
