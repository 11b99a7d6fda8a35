// What the process holds right now, read from /proc/self: open file descriptors, threads
// and resident memory. The soak compares these before and after a client's life.
#pragma once

#include <cstddef>

namespace rhc::soak {

// Entries of /proc/self/fd (the directory's own descriptor, opened to list it, excluded).
std::size_t open_fds();

// Entries of /proc/self/task: the process's threads.
std::size_t thread_count();

// Resident set size in bytes (/proc/self/statm, second field, times the page size).
std::size_t resident_bytes();

}  // namespace rhc::soak
