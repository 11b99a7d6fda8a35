#include "url/base_url.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <cctype>
#include <string_view>

#include "url/url_check.hpp"

namespace rhc::detail {

std::string display_path(const std::string& path) {
  // Credentials are never shown: if the text may carry "user:password@", say so instead.
  return path.find('@') == std::string::npos ? path : std::string("<URL with credentials>");
}

namespace {

// A relative path that joins by concatenation: path characters only (RFC 3986 pchar without
// '%' and ':'), no query or fragment, no "." or ".." segment, not empty. For these, libcurl's
// relative resolution would render the base to text, join and parse it all again (~12,000
// instructions per request, docs/benchmarks.md); setting the path costs a tenth of that.
bool joins_simply(std::string_view relative) {
  if (relative.empty()) return false;
  for (char c : relative) {
    const bool ok = std::isalnum(static_cast<unsigned char>(c)) != 0 ||
                    std::string_view("-._~!$&'()*+,;=@/").find(c) != std::string_view::npos;
    if (!ok) return false;
  }
  std::size_t start = 0;
  while (start <= relative.size()) {
    const std::size_t end = std::min(relative.find('/', start), relative.size());
    const std::string_view segment = relative.substr(start, end - start);
    if (segment == "." || segment == "..") return false;
    start = end + 1;
  }
  return true;
}

}  // namespace

namespace {

// The last few simple joins of this thread: (base, path) -> the parsed URL, shared by every
// request to that path (BaseUrl::resolve). Per thread, so callers never contend; bases are
// told apart by an id that is never reused, so a new client at a dead one's address cannot
// inherit its URLs. A few kilobytes per thread at most; freed when the thread ends.
struct RememberedJoin {
  std::uint64_t base = 0;  // 0: empty
  std::string path;
  SharedUrl url;
};
constexpr std::size_t kRememberedJoins = 8;
thread_local std::array<RememberedJoin, kRememberedJoins> remembered_joins;
thread_local std::size_t next_remembered = 0;
std::atomic<std::uint64_t> base_ids{0};

SharedUrl remembered_join(std::uint64_t base, const std::string& path) {
  for (const RememberedJoin& j : remembered_joins) {
    if (j.base == base && j.path == path) return j.url;
  }
  return nullptr;
}

void remember_join(std::uint64_t base, const std::string& path, const SharedUrl& url) {
  RememberedJoin& slot = remembered_joins[next_remembered];
  next_remembered = (next_remembered + 1) % kRememberedJoins;
  slot.base = base;
  slot.path = path;
  slot.url = url;
}

std::string escape(const std::string& text) {
  char* encoded = curl_easy_escape(nullptr, text.data(), static_cast<int>(text.size()));
  std::string out(encoded != nullptr ? encoded : "");
  curl_free(encoded);
  return out;
}

}  // namespace

BaseUrl::BaseUrl(const std::string& base_url) : id_(++base_ids) {
  if (base_url.empty()) return;
  std::string error;
  // The rule validate() applied; a base that fails it is no base (every path then fails).
  base_ = parse_absolute_url(base_url, &error, &https_).release();
  if (base_ == nullptr) return;
  base_length_ = base_url.size();
  authority_ = authority_of(base_);
  // A base path is a directory: "http://h/v1" means "http://h/v1/", so that relative paths
  // land under it (httpx's rule, which users of the Python guide rhc ports rely on). The slash goes
  // on the path itself, not the end of the text, so a query or fragment in the base cannot swallow
  // it.
  char* base_path = nullptr;
  if (curl_url_get(base_, CURLUPART_PATH, &base_path, 0) == CURLUE_OK) {
    std::string directory(base_path);
    curl_free(base_path);
    if (directory.empty() || directory.back() != '/') {
      directory += '/';
      curl_url_set(base_, CURLUPART_PATH, directory.c_str(), 0);
    }
    base_path_ = std::move(directory);
    char* part = nullptr;
    const bool has_query = curl_url_get(base_, CURLUPART_QUERY, &part, 0) == CURLUE_OK;
    curl_free(part);
    part = nullptr;
    const bool has_fragment = curl_url_get(base_, CURLUPART_FRAGMENT, &part, 0) == CURLUE_OK;
    curl_free(part);
    simple_base_ = !has_query && !has_fragment;
    if (simple_base_)
      display_prefix_ = std::make_shared<const std::string>(render_url(base_, true));
  }
}

BaseUrl::~BaseUrl() { curl_url_cleanup(base_); }

SharedUrl BaseUrl::resolve(const std::string& path, const Params& params, std::string* error,
                           bool* https, std::string* authority,
                           std::shared_ptr<const std::string>* display_prefix) const {
  if (path.find('\0') != std::string::npos) {
    // libcurl reads C strings: "users/1\0/../admin" would silently become "users/1".
    *error = "invalid URL: it contains a NUL byte";
    return nullptr;
  }
  if (path.size() > kMaxUrlBytes) {  // before libcurl parses a megabyte for nothing
    *error = "invalid URL: longer than " + std::to_string(kMaxUrlBytes) + " bytes";
    return nullptr;
  }
  UrlPtr url;
  CURLUcode rc = CURLUE_OK;
  bool remember = false;  // a simple join without params: kept for the next call to `path`
  bool is_https = https_;
  // A bound on the URL's length, exact unless libcurl shortens it (dot segments): the real
  // length is measured only when the bound passes the limit.
  std::size_t length_bound = path.size();
  if (has_scheme_and_authority(path) || base_ == nullptr) {
    url = parse_absolute_url(path, error, &is_https);
    if (!url) return nullptr;
    if (authority != nullptr) *authority = authority_of(url.get());
  } else {
    if (authority != nullptr) *authority = authority_;
    if (simple_base_ && params.empty()) {
      if (SharedUrl known = remembered_join(id_, path)) {
        if (https != nullptr) *https = https_;
        if (display_prefix != nullptr) *display_prefix = display_prefix_;
        return known;
      }
    }
    // A relative reference keeps the base's scheme, host and port (leading slashes are
    // skipped and a scheme-like first segment is made "./"), so validate()'s check of the
    // base covers them: nothing to check again per request.
    length_bound += base_length_ + 1;
    url.reset(curl_url_dup(base_));
    // Leading slashes would climb to the host root; under httpx's rule they don't.
    std::size_t skip = path.find_first_not_of('/');
    std::string relative = skip == std::string::npos ? "" : path.substr(skip);
    if (simple_base_ && joins_simply(relative)) {
      rc = curl_url_set(url.get(), CURLUPART_PATH, (base_path_ + relative).c_str(), 0);
      if (display_prefix != nullptr && params.empty() && rc == CURLUE_OK) {
        *display_prefix = display_prefix_;
      }
      remember = params.empty();
    } else {
      // RFC 3986 4.2: a relative path whose first segment has a ':' reads as a scheme
      // ("http:/evil.example/x" would leave the base's host; "items:batchGet" would fail).
      // "./" keeps it a path. (Found by the url_join fuzzer.)
      const std::size_t segment_end = relative.find_first_of("/?#");
      if (relative.find(':') < segment_end) relative.insert(0, "./");
      rc = curl_url_set(url.get(), CURLUPART_URL, relative.c_str(), 0);
    }
  }
  if (rc != CURLUE_OK) {
    *error = std::string("invalid URL: ") + curl_url_strerror(rc);
    return nullptr;
  }
  if (https != nullptr) *https = is_https;
  for (const auto& [key, value] : params) {
    // Key and value are each percent-encoded with their lengths (so a NUL is %00, never the
    // end), then appended as they are: CURLU_URLENCODE on top would encode the '%' again.
    std::string pair = escape(key) + "=" + escape(value);
    length_bound += pair.size() + 1;
    rc = curl_url_set(url.get(), CURLUPART_QUERY, pair.c_str(), CURLU_APPENDQUERY);
    if (rc != CURLUE_OK) {
      *error = "invalid query parameter '" + key + "': " + curl_url_strerror(rc);
      return nullptr;
    }
  }
  if (length_bound > kMaxUrlBytes && render_url(url.get(), false).size() > kMaxUrlBytes) {
    *error = "invalid URL: longer than " + std::to_string(kMaxUrlBytes) + " bytes";
    return nullptr;
  }
  SharedUrl shared(url.release(), UrlDeleter{});
  if (remember) remember_join(id_, path, shared);
  return shared;
}

}  // namespace rhc::detail
