#include "chain/body_sink.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <utility>

namespace rhc::detail {
namespace {

std::string describe_errno(const char* what, const std::string& path, int error) {
  return std::string(what) + " output_file \"" + path + "\": " + std::strerror(error);
}

// The file is opened when the body's first byte is handed out (or at the end of an empty
// one), not when the request starts: a request that fails before its 2xx response, or is
// retried, leaves an existing file alone.
class OutputFile {
 public:
  explicit OutputFile(std::string path) : path_(std::move(path)) {}
  ~OutputFile() {
    if (fd_ >= 0) ::close(fd_);
  }
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  void write(std::string_view bytes) {
    open_once();
    while (!bytes.empty()) {
      const ssize_t n = ::write(fd_, bytes.data(), bytes.size());
      if (n < 0) {
        if (errno == EINTR) continue;
        throw FileProblem(describe_errno("could not write", path_, errno));
      }
      bytes.remove_prefix(static_cast<std::size_t>(n));
    }
  }

  void end() {
    open_once();
    const int fd = fd_;
    fd_ = -1;
    // close() reports what a network file system deferred (a full disk, a quota).
    if (::close(fd) != 0) throw FileProblem(describe_errno("could not close", path_, errno));
  }

 private:
  void open_once() {
    if (fd_ >= 0) return;
    fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd_ < 0) throw FileProblem(describe_errno("could not open", path_, errno));
  }

  const std::string path_;
  int fd_ = -1;
};

}  // namespace

std::optional<std::string> check_output_file(const std::string& path) {
  const std::string prefix = "invalid RequestOptions: output_file \"" + path + "\"";
  struct stat info {};
  if (::stat(path.c_str(), &info) == 0 && S_ISDIR(info.st_mode)) return prefix + " is a folder";
  const auto slash = path.find_last_of('/');
  const std::string folder =
      slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
  if (::stat(folder.c_str(), &info) != 0 || !S_ISDIR(info.st_mode)) {
    return prefix + ": its folder \"" + folder + "\" does not exist";
  }
  if (::access(folder.c_str(), W_OK) != 0) {
    return prefix + ": its folder \"" + folder + "\" is not writable";
  }
  return std::nullopt;
}

Failure sink_failure(const std::exception_ptr& thrown) {
  try {
    std::rethrow_exception(thrown);
  } catch (const FileProblem& problem) {
    return Failure::of(ErrorKind::File, problem.what());
  } catch (const std::exception& e) {
    return Failure::of(ErrorKind::Cancelled, std::string("on_chunk threw: ") + e.what());
  } catch (...) {
    return Failure::of(ErrorKind::Cancelled, "on_chunk threw");
  }
}

BodyStream::Sink make_body_sink(std::function<void(std::string_view)> on_chunk,
                                std::string output_file) {
  if (on_chunk) return BodyStream::Sink{std::move(on_chunk), nullptr};
  auto file = std::make_shared<OutputFile>(std::move(output_file));
  return BodyStream::Sink{[file](std::string_view bytes) { file->write(bytes); },
                          [file] { file->end(); }};
}

}  // namespace rhc::detail
