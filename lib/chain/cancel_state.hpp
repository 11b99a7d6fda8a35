// The state behind rhc::CancelToken: a flag any thread may set, and the requests that want
// to hear about it. A request subscribes when it is submitted and unsubscribes when it
// finishes, so a token that outlives its client never calls into a dead one.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

#include <rhc/cancel.hpp>

namespace rhc::detail {

class CancelListener {
 public:
  // Called on the cancelling thread, with the token's lock held: post, don't work.
  virtual void on_cancel() = 0;

 protected:
  ~CancelListener() = default;
};

struct CancelState {
  std::atomic<bool> cancelled{false};
  std::mutex mutex;
  std::vector<CancelListener*> listeners;

  // False (and not subscribed) if the token is already cancelled.
  bool subscribe(CancelListener* listener);
  // After it returns, on_cancel() is not running and will not run for this listener.
  void unsubscribe(CancelListener* listener);
  void cancel();
};

// The library's way into a CancelToken (its state is private to users).
struct CancelAccess {
  static const std::shared_ptr<CancelState>& state(const CancelToken& token) {
    return token.state_;
  }
  // Moves the state out; the token is empty afterwards and must not be used again.
  static std::shared_ptr<CancelState> take(CancelToken&& token) { return std::move(token.state_); }
};

}  // namespace rhc::detail
