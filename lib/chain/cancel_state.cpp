#include "chain/cancel_state.hpp"

#include <algorithm>

#include <rhc/cancel.hpp>

namespace rhc {
namespace detail {

bool CancelState::subscribe(CancelListener* listener) {
  std::lock_guard<std::mutex> lock(mutex);
  if (cancelled.load(std::memory_order_relaxed)) return false;
  listeners.push_back(listener);
  return true;
}

void CancelState::unsubscribe(CancelListener* listener) {
  std::lock_guard<std::mutex> lock(mutex);
  auto it = std::find(listeners.begin(), listeners.end(), listener);
  if (it != listeners.end()) {
    *it = listeners.back();
    listeners.pop_back();
  }
}

void CancelState::cancel() {
  std::lock_guard<std::mutex> lock(mutex);
  if (cancelled.exchange(true)) return;
  for (CancelListener* listener : listeners) listener->on_cancel();
  listeners.clear();
}

}  // namespace detail

CancelToken::CancelToken() : state_(std::make_shared<detail::CancelState>()) {}
void CancelToken::cancel() { state_->cancel(); }
bool CancelToken::cancelled() const { return state_->cancelled.load(std::memory_order_acquire); }

}  // namespace rhc
