// The rhc clients under test.
#pragma once

#include <memory>

#include "../common/plan.hpp"

namespace rhc::bench {

// (d) futures: one caller thread, a first-in-first-out window of std::future<Response>.
std::unique_ptr<Workload> make_rhc_futures();
// (e) callbacks: each completion issues the next request from its callback.
std::unique_ptr<Workload> make_rhc_callbacks();

}  // namespace rhc::bench
