#include "loop/easy_setup.hpp"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <mutex>
#include <string_view>

#include <rhc/version.hpp>

#include "chain/prepare.hpp"
#include "chain/request.hpp"
#include "loop/curl_calls.hpp"
#include "loop/transfer.hpp"

namespace rhc::detail {
namespace {

// Bodies up to this size go out with the headers, straight from the request's buffer
// (POSTFIELDS); larger ones are streamed through on_upload so the write timeout can see
// their progress.
constexpr std::size_t kInlineBodyLimit = 64 * 1024;

std::string env_first(std::initializer_list<const char*> names) {
  for (const char* name : names) {
    const char* value = std::getenv(name);
    if (value != nullptr && value[0] != '\0') return value;
  }
  return {};
}

long as_millis(Seconds s) {
  // Through to_duration: a cast of +inf or 1e300 s straight to milliseconds is undefined.
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(to_duration(s)).count();
  return ms < 1 ? 1L : static_cast<long>(ms);
}

}  // namespace

ProxySettings ProxySettings::from_environment() {
  // libcurl's own rules: lower-case http_proxy only (HTTP_PROXY can be set by CGI
  // request headers), either case for the others.
  ProxySettings p;
  const std::string all = env_first({"all_proxy", "ALL_PROXY"});
  p.http = env_first({"http_proxy"});
  if (p.http.empty()) p.http = all;
  p.https = env_first({"https_proxy", "HTTPS_PROXY"});
  if (p.https.empty()) p.https = all;
  p.no_proxy = env_first({"no_proxy", "NO_PROXY"});
  return p;
}

ProxySettings ProxySettings::from_config(const ClientConfig& config) {
  if (config.proxy.empty()) return from_environment();
  ProxySettings p;
  p.http = p.https = config.proxy;
  return p;
}

void ensure_curl_initialized() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

EasySetup::EasySetup(const ClientConfig& config)
    : config_(config),
      user_agent_(config.user_agent.empty() ? std::string("rhc/") + version() : config.user_agent),
      proxy_(ProxySettings::from_config(config)),
      proxy_per_scheme_(proxy_.http != proxy_.https),
      ca_file_(config.tls.ca_file.empty() ? config.ca_bundle : config.tls.ca_file) {
  // "auto" is libcurl's own default (HTTP/2 over TLS when ALPN offers it): no setopt.
  if (config.http_version == "1.1") {
    http_version_ = CURL_HTTP_VERSION_1_1;
  } else if (config.http_version == "2") {
    http_version_ = CURL_HTTP_VERSION_2_0;
    pipe_wait_ = PipeWait::Always;
  } else if (config.http_version == "2-prior-knowledge") {
    http_version_ = CURL_HTTP_VERSION_2_PRIOR_KNOWLEDGE;
    pipe_wait_ = PipeWait::Always;
  } else {
    // Over cleartext, "auto" speaks HTTP/1.1, and waiting to learn that would hold a cold
    // burst back for a whole response; over TLS it is learnt in the handshake (ALPN).
    pipe_wait_ = PipeWait::TlsOnly;
  }
  if (config.cookies) {
    cookie_share_ = curl_share_init();
    if (cookie_share_ != nullptr) {
      curl_share_setopt(cookie_share_, CURLSHOPT_SHARE, CURL_LOCK_DATA_COOKIE);
    }
  }
}

EasySetup::~EasySetup() {
  if (cookie_share_ != nullptr) curl_share_cleanup(cookie_share_);
}

void EasySetup::configure_new(CURL* e) const {
  curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, &on_body);
  curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, &on_header);
  curl_easy_setopt(e, CURLOPT_READFUNCTION, &on_upload);
  curl_easy_setopt(e, CURLOPT_SEEKFUNCTION, &on_seek);
  curl_easy_setopt(e, CURLOPT_PREREQFUNCTION, &on_connected);
  curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, &on_open_socket);
  curl_easy_setopt(e, CURLOPT_USERAGENT, user_agent_.c_str());
  curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
  // Redirects are rhc's to follow (loop/redirect.hpp): libcurl's FOLLOWLOCATION stays off.
  curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, config_.verify_ssl ? 1L : 0L);
  curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, config_.verify_ssl ? 2L : 0L);
  configure_tls(e);
  curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
  // Proxy headers go to the proxy alone; origin headers never to the proxy's CONNECT.
  curl_easy_setopt(e, CURLOPT_HEADEROPT, CURLHEADER_SEPARATE);
  // By default gzip, the encoding every server offers. Not "" (all libcurl can decode):
  // libcurl formats the Accept-Encoding line with its printf for every request, ~100
  // instructions a character, and "deflate, gzip, br, zstd" cost ~8,500 per request
  // (docs/benchmarks.md). The body cap in on_body counts decoded bytes.
  curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, config_.accept_encoding.c_str());
  if (http_version_ != 0) curl_easy_setopt(e, CURLOPT_HTTP_VERSION, http_version_);
  if (pipe_wait_ == PipeWait::Always) curl_easy_setopt(e, CURLOPT_PIPEWAIT, 1L);
  if (!config_.unix_socket.empty()) {
    curl_easy_setopt(e, CURLOPT_UNIX_SOCKET_PATH, config_.unix_socket.c_str());
  }
  if (cookie_share_ != nullptr) {
    curl_easy_setopt(e, CURLOPT_SHARE, cookie_share_);
    curl_easy_setopt(e, CURLOPT_COOKIEFILE, "");  // "": the engine on, no file read
  }
  // Setting the proxy ourselves, even to "" (none), is what stops libcurl from reading the
  // proxy environment variables on every transfer.
  if (!proxy_per_scheme_) curl_easy_setopt(e, CURLOPT_PROXY, proxy_.http.c_str());
  // Even empty: an unset NOPROXY sends libcurl to getenv("no_proxy") on every transfer.
  curl_easy_setopt(e, CURLOPT_NOPROXY, proxy_.no_proxy.c_str());
}

void EasySetup::configure_tls(CURL* e) const {
  const TlsConfig& tls = config_.tls;
  if (!ca_file_.empty()) {
    curl_easy_setopt(e, CURLOPT_CAINFO, ca_file_.c_str());
  } else if (!tls.ca_path.empty()) {
    curl_easy_setopt(e, CURLOPT_CAINFO, nullptr);  // the directory alone, not the system bundle
  }
  if (!tls.ca_path.empty()) curl_easy_setopt(e, CURLOPT_CAPATH, tls.ca_path.c_str());
  if (!tls.client_cert.empty()) {
    curl_easy_setopt(e, CURLOPT_SSLCERT, tls.client_cert.c_str());
    curl_easy_setopt(e, CURLOPT_SSLCERTTYPE, "PEM");
  }
  if (!tls.client_key.empty()) curl_easy_setopt(e, CURLOPT_SSLKEY, tls.client_key.c_str());
  if (!tls.key_password.empty()) curl_easy_setopt(e, CURLOPT_KEYPASSWD, tls.key_password.c_str());
  if (!tls.pinned_public_key.empty()) {
    curl_easy_setopt(e, CURLOPT_PINNEDPUBLICKEY, tls.pinned_public_key.c_str());
  }
  if (tls.min_version == "1.2") {
    curl_easy_setopt(e, CURLOPT_SSLVERSION, long{CURL_SSLVERSION_TLSv1_2});
  } else if (tls.min_version == "1.3") {
    curl_easy_setopt(e, CURLOPT_SSLVERSION, long{CURL_SSLVERSION_TLSv1_3});
  }
}

std::optional<Failure> EasySetup::configure_attempt(CURL* e, Transfer& t) const {
  const Request& r = t.request;
  curl_easy_setopt(e, CURLOPT_PRIVATE, &t);
  curl_easy_setopt(e, CURLOPT_WRITEDATA, &t);
  curl_easy_setopt(e, CURLOPT_HEADERDATA, &t);
  curl_easy_setopt(e, CURLOPT_READDATA, &t);
  curl_easy_setopt(e, CURLOPT_SEEKDATA, &t);
  curl_easy_setopt(e, CURLOPT_PREREQDATA, &t);
  curl_easy_setopt(e, CURLOPT_OPENSOCKETDATA, &t);
  curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t.error);
  // The parsed URL itself: libcurl would otherwise parse the text again for every transfer.
  curl_easy_setopt(e, CURLOPT_CURLU, current_url(t));
  curl_easy_setopt(e, CURLOPT_HTTPHEADER, current_headers(t));
  curl_easy_setopt(e, CURLOPT_PROXYHEADER, r.proxy_header_list);
  curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, as_millis(r.timeouts.connect));
  if (t.fresh_connection) curl_easy_setopt(e, CURLOPT_FRESH_CONNECT, 1L);  // reset on release
  // A streamed body is read in larger pieces than libcurl's 16 KiB default: fewer reads and
  // hand-overs to the executor per MiB (kStreamBufferBytes says why not larger still). Reset
  // on release.
  if (t.stream != nullptr) curl_easy_setopt(e, CURLOPT_BUFFERSIZE, kStreamBufferBytes);
  if (proxy_per_scheme_) {
    curl_easy_setopt(e, CURLOPT_PROXY, (current_https(t) ? proxy_.https : proxy_.http).c_str());
  }
  if (pipe_wait_ == PipeWait::TlsOnly) {
    curl_easy_setopt(e, CURLOPT_PIPEWAIT, current_https(t) ? 1L : 0L);
  }

  // HTTPGET resets what an earlier attempt on this handle set: POST, upload, NOBODY.
  curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
  const std::string_view method = current_method(t);
  const bool is_head = method == "HEAD";
  // A body goes out the way a POST does, so any other method with a body is named
  // explicitly: a GET with a body (search APIs) must not leave as a POST.
  const bool has_body =
      !is_head && !t.hop_as_get && (r.body || r.body_fd >= 0 || !r.multipart.empty());
  const bool libcurl_says_it = method == "POST" || is_head || (method == "GET" && !has_body);
  curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, libcurl_says_it ? nullptr : r.method.c_str());
  t.upload.reset();
  if (is_head) {
    curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
  } else if (t.hop_as_get) {
    // HTTPGET above already dropped any body.
  } else if (r.body) {
    const std::string& body = *r.body;
    curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    if (body.size() <= kInlineBodyLimit) {
      curl_easy_setopt(e, CURLOPT_POSTFIELDS, body.data());
    } else {
      stream_body(e, t, Transfer::Upload{body.data(), -1, body.size()});
    }
  } else if (r.body_fd >= 0) {
    curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(r.body_file_size));
    stream_body(e, t, Transfer::Upload{nullptr, r.body_fd, r.body_file_size});
  } else if (!r.multipart.empty()) {
    return attach_multipart(e, t);
  } else if (sends_empty_body(method)) {
    curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t{0});
    curl_easy_setopt(e, CURLOPT_POSTFIELDS, "");
  }
  return std::nullopt;
}

void EasySetup::stream_body(CURL* e, Transfer& t, Transfer::Upload upload) {
  // A POST whose body the read callback supplies (CURLOPT_CUSTOMREQUEST names any other
  // method), with the length set by the caller: Content-Length, not chunked.
  curl_easy_setopt(e, CURLOPT_POSTFIELDS, nullptr);
  curl_easy_setopt(e, CURLOPT_POST, 1L);
  t.upload = upload;
}

std::optional<Failure> EasySetup::attach_multipart(CURL* e, Transfer& t) {
  // A MIME structure belongs to one easy handle, and every hop or attempt may run on a new
  // one: built per transfer, freed by the loop with the handle (release_handle).
  t.mime = curl_mime_init(e);
  if (t.mime == nullptr) return Failure::of(ErrorKind::Connection, "out of memory (multipart)");
  for (const FormPart& p : t.request.multipart) {
    curl_mimepart* part = curl_mime_addpart(t.mime);
    CURLcode rc = part == nullptr ? CURLE_OUT_OF_MEMORY : curl_mime_name(part, p.name.c_str());
    if (rc == CURLE_OK && p.file.empty()) {
      rc = curl_mime_data(part, p.value.data(), p.value.size());
    } else if (rc == CURLE_OK) {
      // libcurl opens the file when it sends the part, and names it by its last path
      // component unless a file name is given.
      rc = curl_mime_filedata(part, p.file.c_str());
      if (rc == CURLE_OK && p.content_type.empty()) {
        rc = curl_mime_type(part, "application/octet-stream");
      }
    }
    if (rc == CURLE_OK && !p.filename.empty()) rc = curl_mime_filename(part, p.filename.c_str());
    if (rc == CURLE_OK && !p.content_type.empty()) {
      rc = curl_mime_type(part, p.content_type.c_str());
    }
    if (rc != CURLE_OK) {
      // The file checked by prepare() is gone or unreadable now, or memory ran out.
      return Failure::of(
          ErrorKind::File,
          "multipart part \"" + p.name + "\" could not be attached: " + curl_easy_strerror(rc));
    }
  }
  curl_easy_setopt(e, CURLOPT_MIMEPOST, t.mime);
  return std::nullopt;
}

namespace {

bool handles_may_be_reused() {
#ifdef RHC_UNSAFE_REUSE_EASY_HANDLES
  return true;  // the meson option of that name: for measuring the guard's cost only
#else
  return curl_version_info(CURLVERSION_NOW)->version_num >= 0x080100;
#endif
}

}  // namespace

EasyPool::EasyPool(const EasySetup& setup) : setup_(setup), reuse_(handles_may_be_reused()) {}

EasyPool::~EasyPool() {
  for (CURL* e : all_) curl_easy_cleanup(e);
  for (CURL* e : spares_) curl_easy_cleanup(e);
  for (CURL* e : retired_) curl_easy_cleanup(e);
}

CURL* EasyPool::make_configured() const {
  CURL* e = curl_calls().easy_init();
  if (e != nullptr) setup_.configure_new(e);
  return e;
}

void EasyPool::release(CURL* easy) {
  if (reuse_) {
    free_.push_back(easy);
    return;
  }
  retired_.push_back(easy);
  if (retired_.size() > kMaxRetired) {  // never idle: clean up as we go
    for (CURL* e : retired_) curl_easy_cleanup(e);
    retired_.clear();
  }
}

void EasyPool::discard(CURL* easy) {
  if (reuse_) all_.erase(std::find(all_.begin(), all_.end(), easy));
  curl_easy_cleanup(easy);
}

void EasyPool::use_idle_time() {
  if (reuse_) return;
  for (CURL* e : retired_) curl_easy_cleanup(e);
  retired_.clear();
  while (spares_.size() < kSpares) {
    CURL* e = make_configured();
    if (e == nullptr) return;  // out of memory: acquire() will say so when it matters
    spares_.push_back(e);
  }
}

CURL* EasyPool::acquire() {
  if (!reuse_) {
    // A handle that never made a transfer (curl issue 11101): one made while the loop was
    // idle, else a new one configured from scratch, about half the cost of
    // curl_easy_duphandle, which zeroes a whole Curl_easy and copies 76 string options
    // (docs/benchmarks.md).
    if (!spares_.empty()) {
      CURL* e = spares_.back();
      spares_.pop_back();
      return e;
    }
    return make_configured();
  }
  if (!free_.empty()) {
    CURL* e = free_.back();
    free_.pop_back();
    return e;
  }
  CURL* e = make_configured();
  if (e != nullptr) all_.push_back(e);
  return e;
}

}  // namespace rhc::detail
