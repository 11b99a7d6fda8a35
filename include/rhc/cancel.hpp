// CancelToken: lets a caller end a request early, from any thread.
//
//   rhc::CancelToken token;
//   rhc::RequestOptions opts;
//   opts.cancel = token;
//   auto f = client.get("/slow", opts);
//   token.cancel();  // f.get() throws rhc::CancelledError
//
// One token may be shared by many requests: cancel() ends all of them.
#pragma once

#include <memory>
#include <utility>

#include <rhc/export.hpp>

namespace rhc {
namespace detail {
struct CancelState;   // lib/chain/cancel_state.hpp; not for users.
struct CancelAccess;  // how the library reaches a token's state
}  // namespace detail

class RHC_EXPORT CancelToken {
 public:
  CancelToken();  // a fresh token that nobody has cancelled yet.

  // Thread-safe. Every request carrying this token (or a copy of it) resolves with
  // CancelledError: its transfer is removed, its timers are dropped, its bulkhead slot is
  // freed. Requests made with the token after cancel() fail at once. Never retried; never
  // counted by the circuit breaker. Idempotent.
  void cancel();
  bool cancelled() const;  // thread-safe.

 private:
  friend struct detail::CancelAccess;
  std::shared_ptr<detail::CancelState> state_;  // copies share it
};

}  // namespace rhc
