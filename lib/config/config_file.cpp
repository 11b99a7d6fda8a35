#include "config/config_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "config/validate.hpp"

namespace rhc::detail::config {
namespace {

const char* file_kind(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

// Closes the descriptor on every return path.
struct Fd {
  int fd;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

}  // namespace

std::optional<std::string> read_config_file(const std::string& path, std::size_t max_bytes,
                                            std::string& out) {
  if (path.find('\0') != std::string::npos) return quote(path) + " contains NUL";
  // O_NONBLOCK: open() of a FIFO without a writer returns at once instead of waiting for
  // one. It changes nothing for the regular file that is read below.
  const Fd file{::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)};
  if (file.fd < 0) return "cannot open " + quote(path) + ": " + std::strerror(errno);
  struct stat st {};
  if (::fstat(file.fd, &st) != 0) return "cannot stat " + quote(path) + ": " + std::strerror(errno);
  if (!S_ISREG(st.st_mode)) {
    return quote(path) + " is not a regular file (it is " + file_kind(st.st_mode) + ")";
  }
  constexpr std::size_t kMiB = 1 << 20;
  const std::string too_large = quote(path) + " is larger than " +
                                (max_bytes % kMiB == 0 ? std::to_string(max_bytes / kMiB) + " MiB"
                                                       : std::to_string(max_bytes) + " bytes");
  if (static_cast<std::size_t>(st.st_size) > max_bytes) return too_large;
  // Read to the end rather than trusting st_size: the file may grow while it is read
  // (and /proc files report 0); one byte more than the cap tells it is too large.
  out.assign(max_bytes + 1, '\0');
  std::size_t have = 0;
  while (have < out.size()) {
    const ssize_t n = ::read(file.fd, out.data() + have, out.size() - have);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      return "cannot read " + quote(path) + ": " + std::strerror(errno);
    }
    have += static_cast<std::size_t>(n);
  }
  out.resize(have);
  if (have > max_bytes) return too_large;
  return std::nullopt;
}

}  // namespace rhc::detail::config
