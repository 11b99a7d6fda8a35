// The state behind rhc::CancelToken: a flag any thread may set, and the requests that want
// to hear about it. A request subscribes when it is submitted and unsubscribes when it
// finishes, so a token that outlives its client never calls into a dead one.
#pragma once

#include <atomic>
#include <mutex>
#include <vector>

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

}  // namespace rhc::detail
