#include "chain/prepare.hpp"

#include <algorithm>
#include <cctype>
#include <string_view>

#include "base/ascii.hpp"
#include "chain/body_sink.hpp"
#include "chain/prepare_body.hpp"
#include "config/validate.hpp"
#include "http/header_check.hpp"
#include "http/request_id.hpp"

namespace rhc::detail {
namespace {

Failure config_failure(std::string cause) {
  return Failure::of(ErrorKind::Config, std::move(cause));
}

// RFC 9110 9.2.2. Any other method (POST, PATCH, extensions) may change state each time.
bool is_idempotent_method(std::string_view m) {
  return m == "GET" || m == "HEAD" || m == "OPTIONS" || m == "TRACE" || m == "PUT" || m == "DELETE";
}

// The draft's own header name, for a key given per request while the client has none set.
constexpr std::string_view kDefaultKeyHeader = "Idempotency-Key";

bool in_list(const std::vector<std::string>& list, std::string_view item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

}  // namespace

bool sends_empty_body(std::string_view method) {
  return method == "POST" || method == "PUT" || method == "PATCH";
}

std::optional<Failure> prepare(const ClientConfig& config, const BaseUrl& base, std::string method,
                               const std::string& path, RequestOptions&& options, Request& r) {
  r.method = std::move(method);
  r.url = display_path(path);
  r.request_id = resolve_request_id(options.request_id, options.headers);
  r.cancel_state = CancelAccess::take(std::move(options.cancel));
  r.timeouts = options.timeout ? *options.timeout : config.timeout;

  if (auto problem = check_method(r.method)) return config_failure(*problem);
  if (options.timeout) {
    // The client's own rule for these fields (finite, in range), from the one field table.
    const auto problems = config::find_timeout_problems(*options.timeout);
    if (!problems.empty()) {
      std::string cause = "invalid RequestOptions: ";
      for (std::size_t i = 0; i < problems.size(); ++i) {
        if (i > 0) cause += "; ";
        cause += config::describe(problems[i]);
      }
      return config_failure(std::move(cause));
    }
  }
  if (auto problem = check_header("X-Request-ID", r.request_id)) {
    return config_failure("request_id: " + *problem);
  }
  if (options.max_attempts) {
    if (*options.max_attempts < 1) {
      return config_failure("invalid RequestOptions: max_attempts must be >= 1 (got " +
                            std::to_string(*options.max_attempts) + ")");
    }
    r.max_attempts = *options.max_attempts;
  }

  // The idempotency key (docs/idempotency.md): the caller's, else one already in the
  // headers, else, for the configured methods, the request id.
  const std::string& configured_header = config.idempotency.key_header;
  const std::string_view key_header =
      configured_header.empty() ? kDefaultKeyHeader : std::string_view(configured_header);
  std::optional<std::string> key = std::move(options.idempotency_key);
  if (key) {
    if (key->empty()) return config_failure("invalid RequestOptions: idempotency_key is empty");
    if (auto problem = check_header(key_header, *key)) {
      return config_failure("invalid RequestOptions: idempotency_key: " + *problem);
    }
  } else if (!configured_header.empty()) {
    for (const auto& [name, value] : options.headers) {
      if (ascii_iequals(name, key_header) && !value.empty()) key = value;
    }
    if (!key && in_list(config.idempotency.methods, r.method)) key = r.request_id;
  }
  r.sends_idempotency_key = key.has_value();
  r.idempotent = is_idempotent_method(r.method) || r.sends_idempotency_key;

  // A streamed body is handed out as it arrives, so the request can have only one attempt
  // that produces a body: it is never hedged (docs/usage.md "Streaming a response").
  r.streams_body = options.on_chunk || !options.output_file.empty();
  if (r.streams_body) {
    if (options.on_chunk && !options.output_file.empty()) {
      return config_failure(
          "invalid RequestOptions: on_chunk and output_file are both set; a body goes to one");
    }
    if (!options.output_file.empty()) {
      if (auto problem = check_output_file(options.output_file)) return config_failure(*problem);
    }
    if (config.hedging.enabled && options.hedge.value_or(false)) {
      return config_failure(
          "invalid RequestOptions: hedge = true with a streamed body (on_chunk or output_file): "
          "a streamed request is never hedged");
    }
    r.on_chunk = std::move(options.on_chunk);
    r.output_file = std::move(options.output_file);
  }

  // Hedging (docs/hedging.md): the configured (safe) methods unless the request opts out;
  // any other method only when it opts in and carries a key, since it may then run twice.
  if (config.hedging.enabled && !r.streams_body && options.hedge.value_or(true)) {
    if (in_list(config.hedging.methods, r.method)) {
      r.hedgeable = true;
    } else if (options.hedge.value_or(false)) {
      if (!r.sends_idempotency_key) {
        return config_failure("invalid RequestOptions: hedge = true on " + r.method +
                              ", which is not in hedging.methods, needs an idempotency key "
                              "(RequestOptions::idempotency_key, or idempotency.key_header for "
                              "the method): a hedged request may run twice");
      }
      r.hedgeable = true;
    }
  }

  std::string url_error;
  r.url_handle =
      base.resolve(path, options.params, &url_error, &r.https, &r.authority, &r.url_prefix);
  if (!r.url_handle) return config_failure(url_error);
  // The text for people is made when a log line, an event or an error needs it: from the
  // base's text and the path r.url holds now (a simple join), or else from the handle.
  // (display_path hid a path with an '@' as if it held credentials: render that one.)
  if (r.url_prefix != nullptr && path.find('@') != std::string::npos) r.url_prefix.reset();
  if (r.url_prefix == nullptr) r.url.clear();

  bool has_content_type = false;
  std::string line;
  for (const auto& [name, value] : options.headers) {
    if (auto problem = check_header(name, value)) return config_failure(*problem);
    if (ascii_iequals(name, "X-Request-ID")) continue;     // sent once below, with the resolved id
    if (key && ascii_iequals(name, key_header)) continue;  // sent once below, the chosen key
    if (ascii_iequals(name, "Proxy-Authorization")) {
      // Meant for a proxy: libcurl sends it there only (CURLOPT_PROXYHEADER), so no origin,
      // and no host a redirect leads to, ever sees it.
      line.assign(name).append(": ").append(value);
      r.proxy_header_list = curl_slist_append(r.proxy_header_list, line.c_str());
      continue;
    }
    if (ascii_iequals(name, "Content-Type")) has_content_type = true;
    // "Name;" is libcurl's spelling of a header with an empty value ("Name:" would remove it).
    line.assign(name).append(value.empty() ? ";" : ": ").append(value);
    r.header_list = curl_slist_append(r.header_list, line.c_str());
  }
  line.assign("X-Request-ID: ").append(r.request_id);
  r.header_list = curl_slist_append(r.header_list, line.c_str());
  if (key) {
    line.assign(key_header).append(": ").append(*key);
    r.header_list = curl_slist_append(r.header_list, line.c_str());
  }
  if (auto failure = prepare_body(options, has_content_type, r)) return failure;
  // No "Expect: 100-continue" round trip before large bodies: one wasted RTT per request.
  // (Without a body libcurl never asks; the line would only cost every GET its handling.)
  if (r.body || r.body_fd >= 0 || !r.multipart.empty()) {
    r.header_list = curl_slist_append(r.header_list, "Expect:");
  }
  return std::nullopt;
}

}  // namespace rhc::detail
