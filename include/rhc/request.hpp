// RequestOptions: what one call may add to or override from the client's configuration.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <rhc/cancel.hpp>
#include <rhc/config.hpp>

namespace rhc {

using Headers = std::vector<std::pair<std::string, std::string>>;
using Params = std::vector<std::pair<std::string, std::string>>;

// One part of a multipart/form-data body (RequestOptions::multipart): a field with a value,
// or a file, read when each attempt sends it. name: not empty; no CR, LF or NUL in any field.
struct FormPart {
  std::string name;
  std::string value;         // the field's value; used when file is empty
  std::string file;          // a file to send as the part's content: a readable regular file
  std::string filename;      // the file name the server sees; empty: file's last path component
  std::string content_type;  // empty: none for a value (text/plain), application/octet-stream
                             // for a file
};

struct RequestOptions {
  Params params;    // URL-encoded and appended to the query string, in order.
  Headers headers;  // sent as given; names and values with CR, LF or NUL are a ConfigError.
  std::optional<std::string> json;  // JSON text sent as the body, with
                                    // Content-Type: application/json (unless headers set one).
  std::optional<std::string> body;  // raw body, sent as is, with the Content-Type the headers
                                    // give, else none.
  // A file sent as the body, streamed from disk with its size as Content-Length, and sent
  // again from its start by every attempt (docs/usage.md "Uploading files and forms").
  // Opened when the request is made: a file that is missing, unreadable or not a regular
  // file is a ConfigError. Content-Type as for body. One of json, body, body_file and
  // multipart at most: two are a ConfigError.
  std::string body_file;
  // A multipart/form-data body (libcurl's MIME API, RFC 7578); Content-Type with its boundary
  // is set by rhc, so headers must not set one. Every attempt sends the same parts, files read
  // again. A POST unless the method is another that carries a body (not GET or HEAD).
  std::vector<FormPart> multipart;
  std::optional<TimeoutConfig> timeout;   // replaces the client's timeouts for this request.
  std::optional<std::string> request_id;  // the X-Request-ID of every attempt; else an
                                          // X-Request-ID in headers; else a fresh UUIDv4.
  CancelToken cancel;                     // default: a token nobody cancels.

  // This request's attempts, in place of retry.max_attempts (may exceed it); 1 = no retry.
  // >= 1 (docs/retry.md).
  std::optional<int> max_attempts;
  // The idempotency key (docs/idempotency.md), sent under idempotency.key_header, or under
  // "Idempotency-Key" when that is off, whatever the method. Unset: the configured methods
  // send the request id as their key. Not empty; no CR, LF or NUL.
  std::optional<std::string> idempotency_key;
  // Hedging (ClientConfig::hedging, docs/hedging.md), when it is enabled: false keeps this
  // request unhedged; true hedges a request whose method is not in hedging.methods, which
  // must then carry an idempotency key (else ConfigError). Unset: hedged iff its method is
  // in hedging.methods.
  std::optional<bool> hedge;

  // Streaming the response (docs/usage.md "Streaming a response"). With either set, the body
  // of the final 2xx response goes out as it arrives and Response::text stays empty; bodies
  // of redirects rhc follows and of 4xx/5xx errors are not streamed (an error keeps its body,
  // capped by max_response_bytes, which does not apply to a streamed body). Setting both is a
  // ConfigError. Once a byte has been handed out the request is committed: it is never
  // retried, and a streamed request is never hedged (hedge = true with one: ConfigError).
  // The future or callback resolves after the last chunk was handed out; a request that
  // fails (cancelled, timed out, connection lost mid-body) drops the chunks not yet handed
  // out, and none follows its resolution.
  //
  // Called on the client's executor, in order, never concurrently for one request (calls
  // for different requests may run at once). It may be slow: when more than 1 MiB waits
  // for it, the transfer pauses until it catches up, and rhc's read timeout does not count
  // that pause. If it throws, the transfer is aborted and the request fails with that
  // exception, as thrown.
  std::function<void(std::string_view chunk)> on_chunk;
  // Writes the body to this file instead: opened (created or truncated) when the final 2xx
  // response's first byte arrives, or at its end for an empty body; never for a failed
  // request. Its folder must exist and be writable, and the path must not be a folder
  // (else ConfigError, nothing sent). Opening or writing it failing later (permissions,
  // disk full) fails the request with FileError. A request that fails mid-body leaves the
  // part written so far.
  std::string output_file;
};

}  // namespace rhc
