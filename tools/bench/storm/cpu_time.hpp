// The CPU time this process has used so far, user and system, every thread included: in the
// bench programs that is the client and the in-process test servers together.
#pragma once

#include <sys/resource.h>

namespace rhc::bench::storm {

inline double process_cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

}  // namespace rhc::bench::storm
