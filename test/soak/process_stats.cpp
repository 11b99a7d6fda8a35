#include "process_stats.hpp"

#include <dirent.h>
#include <unistd.h>

#include <fstream>
#include <stdexcept>
#include <string>

namespace rhc::soak {
namespace {

// Counts the entries of a /proc directory, "." and ".." aside. `fd_of_listing` tells
// whether to leave out the descriptor opendir() itself holds while it lists /proc/self/fd.
std::size_t count_entries(const char* path, bool fd_of_listing) {
  DIR* dir = opendir(path);
  if (dir == nullptr) throw std::runtime_error(std::string("cannot open ") + path);
  std::size_t n = 0;
  const std::string own = std::to_string(dirfd(dir));
  while (const dirent* entry = readdir(dir)) {
    const std::string name = entry->d_name;
    if (name == "." || name == "..") continue;
    if (fd_of_listing && name == own) continue;
    ++n;
  }
  closedir(dir);
  return n;
}

}  // namespace

std::size_t open_fds() { return count_entries("/proc/self/fd", true); }

std::size_t thread_count() { return count_entries("/proc/self/task", false); }

std::size_t resident_bytes() {
  std::ifstream statm("/proc/self/statm");
  std::size_t total_pages = 0, resident_pages = 0;
  if (!(statm >> total_pages >> resident_pages)) {
    throw std::runtime_error("cannot read /proc/self/statm");
  }
  return resident_pages * static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
}

}  // namespace rhc::soak
