#include "chain/prepare_body.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <string_view>

#include "chain/prepare.hpp"

namespace rhc::detail {
namespace {

Failure config_failure(std::string cause) {
  return Failure::of(ErrorKind::Config, "invalid RequestOptions: " + std::move(cause));
}

bool has_line_break_or_nul(std::string_view s) {
  return s.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos;
}

// A path in an error message: quoted, and cut so a huge one cannot flood a log line.
std::string quoted(const std::string& path) {
  constexpr std::size_t kMax = 200;
  return "\"" + (path.size() > kMax ? path.substr(0, kMax) + "..." : path) + "\"";
}

// A file every attempt can read again from its start: an existing regular file (a pipe or a
// device could not be re-sent), readable now. Returns the open descriptor, or the cause.
int open_regular_file(const std::string& path, std::string* cause, std::uint64_t* size) {
  if (path.find('\0') != std::string::npos) {
    *cause = "contains NUL";
    return -1;
  }
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    *cause = std::string("cannot be opened (") + std::strerror(errno) + ")";
    return -1;
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    *cause = "is not a regular file";
    return -1;
  }
  if (size != nullptr) *size = static_cast<std::uint64_t>(st.st_size);
  return fd;
}

std::optional<Failure> check_parts(const std::vector<FormPart>& parts) {
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const FormPart& p = parts[i];
    const std::string where = "multipart[" + std::to_string(i) + "]";
    if (p.name.empty()) return config_failure(where + ".name is empty");
    for (const std::string* field : {&p.name, &p.value, &p.file, &p.filename, &p.content_type}) {
      // The value is sent as content, where any byte is fine; the others end up in the
      // part's header lines.
      if (field != &p.value && has_line_break_or_nul(*field)) {
        return config_failure(where + " has CR, LF or NUL in a name, file name or type");
      }
    }
    if (!p.file.empty()) {
      if (!p.value.empty()) return config_failure(where + " sets both value and file");
      std::string cause;
      const int fd = open_regular_file(p.file, &cause, nullptr);
      if (fd < 0) return config_failure(where + ".file " + quoted(p.file) + " " + cause);
      ::close(fd);  // libcurl opens it again for each attempt
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<Failure> prepare_body(RequestOptions& options, bool has_content_type, Request& r) {
  const int bodies = int{options.json.has_value()} + int{options.body.has_value()} +
                     int{!options.body_file.empty()} + int{!options.multipart.empty()};
  if (bodies > 1) {
    return config_failure("json, body, body_file and multipart: a request has one body, and " +
                          std::to_string(bodies) + " are set");
  }
  if (options.json) {
    if (!has_content_type) {
      r.header_list = curl_slist_append(r.header_list, "Content-Type: application/json");
    }
    r.body = std::move(options.json);
  } else if (options.body || !options.body_file.empty()) {
    if (!options.body_file.empty()) {
      std::string cause;
      r.body_fd = open_regular_file(options.body_file, &cause, &r.body_file_size);
      if (r.body_fd < 0)
        return config_failure("body_file " + quoted(options.body_file) + " " + cause);
    } else {
      r.body = std::move(options.body);
    }
    // libcurl would label a posted body application/x-www-form-urlencoded; a raw body
    // carries only the type the caller gave.
    if (!has_content_type) r.header_list = curl_slist_append(r.header_list, "Content-Type:");
  } else if (!options.multipart.empty()) {
    if (r.method == "GET" || r.method == "HEAD") {
      return config_failure("multipart needs a method that carries a body, not " + r.method);
    }
    // libcurl writes the type with the boundary the parts are separated by.
    if (has_content_type) {
      return config_failure(
          "multipart sets its own Content-Type (with the boundary); "
          "headers must not set one");
    }
    if (auto failure = check_parts(options.multipart)) return failure;
    r.multipart = std::move(options.multipart);
  } else if (!has_content_type && sends_empty_body(r.method)) {
    r.header_list = curl_slist_append(r.header_list, "Content-Type:");
  }
  return std::nullopt;
}

}  // namespace rhc::detail
