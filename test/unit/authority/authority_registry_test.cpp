// The authority registry with invented instants: one entry per authority, pinned while used,
// dropped only when idle for 10 minutes and harmless.
#include <catch2/catch.hpp>

#include <chrono>

#include "authority/authority_registry.hpp"

using namespace std::chrono_literals;
using rhc::detail::AuthorityRegistry;
using rhc::detail::AuthorityState;
using rhc::detail::TimePoint;

namespace {
const TimePoint kT0 = TimePoint{} + 1h;
}

TEST_CASE("one entry per authority, shared by its requests", "[authority]") {
  rhc::ClientConfig config;
  AuthorityRegistry registry(config);
  AuthorityState& a1 = registry.acquire("http://a:80", kT0);
  AuthorityState& a2 = registry.acquire("http://a:80", kT0);
  AuthorityState& b = registry.acquire("http://b:80", kT0);
  CHECK(&a1 == &a2);
  CHECK(&a1 != &b);
  CHECK(a1.pinned == 2);
  CHECK(registry.size() == 2);
  CHECK(registry.find("http://b:80") == &b);
  CHECK(registry.find("http://c:80") == nullptr);
}

TEST_CASE("an idle, harmless entry is dropped after 10 minutes, not before", "[authority]") {
  rhc::ClientConfig config;
  AuthorityRegistry registry(config);
  registry.release(registry.acquire("http://a:80", kT0), kT0);
  // Sweeps happen on acquire, at most once a minute: the next after this one is due at
  // 10 min 59 s, when a has been idle for more than 10 minutes.
  registry.release(registry.acquire("http://b:80", kT0 + 9min + 59s), kT0 + 9min + 59s);
  CHECK(registry.find("http://a:80") != nullptr);
  registry.release(registry.acquire("http://b:80", kT0 + 10min + 30s), kT0 + 10min + 30s);
  CHECK(registry.find("http://a:80") != nullptr);  // no sweep due yet
  registry.release(registry.acquire("http://b:80", kT0 + 10min + 59s), kT0 + 10min + 59s);
  CHECK(registry.find("http://a:80") == nullptr);
  CHECK(registry.find("http://b:80") != nullptr);
}

TEST_CASE("an entry a live request still uses is never dropped", "[authority]") {
  rhc::ClientConfig config;
  AuthorityRegistry registry(config);
  AuthorityState& a = registry.acquire("http://a:80", kT0);  // never released
  a.budget.record_first_attempt(kT0);
  registry.acquire("http://b:80", kT0 + 1h);
  CHECK(registry.find("http://a:80") == &a);
  registry.release(a, kT0 + 1h);
  registry.acquire("http://b:80", kT0 + 1h + 11min);
  CHECK(registry.find("http://a:80") == nullptr);
}

TEST_CASE("the fast path for the last authority survives its eviction", "[authority]") {
  rhc::ClientConfig config;
  AuthorityRegistry registry(config);
  registry.release(registry.acquire("http://a:80", kT0), kT0);
  // a is the remembered entry; evicted by this sweep, then asked for again.
  AuthorityState& again = registry.acquire("http://a:80", kT0 + 1h);
  CHECK(again.pinned == 1);
  CHECK(registry.size() == 1);
}
