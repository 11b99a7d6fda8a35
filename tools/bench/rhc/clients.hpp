// The rhc clients under test.
#pragma once

#include <memory>

#include "../common/plan.hpp"

namespace rhc::bench {

class CountingListener;  // listeners.hpp

// (d) futures: one caller thread, a first-in-first-out window of std::future<Response>.
// With a listener: added to the client before the first request; finish() prints its counts.
std::unique_ptr<Workload> make_rhc_futures(std::shared_ptr<CountingListener> listener = nullptr);
// (e) callbacks: each completion issues the next request from its callback.
std::unique_ptr<Workload> make_rhc_callbacks();

}  // namespace rhc::bench
