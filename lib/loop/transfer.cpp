#include "loop/transfer.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <string_view>

#include "authority/authority_registry.hpp"
#include "base/ascii.hpp"
#include "http/header_check.hpp"
#include "http/response_framing.hpp"

namespace rhc::detail {
namespace {

Transfer& of(void* p) { return *static_cast<Transfer*>(p); }

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return s;
}

// The header callback's refusal of a malformed head: libcurl ends the transfer with
// CURLE_WRITE_ERROR, which the loop reports as ProtocolError with this reason.
std::size_t refuse(Transfer& t, const char* reason) {
  t.protocol_error = reason;
  return 0;
}

// A final 2xx body's bytes, to the request's BodyStream. Its consumer runs on the executor;
// when it falls behind, the transfer pauses until the loop is told to resume it
// (EventLoop::resume_body), and libcurl hands this same chunk over again then.
std::size_t on_streamed_body(Transfer& t, char* data, std::size_t n) {
  switch (t.stream->offer(data, n)) {
    case BodyStream::Offer::Queued:
      try {
        t.streams_to_kick->push_back(t.request.body_stream);
      } catch (...) {
        t.stream->kick();  // out of memory for the list: hand it over now instead
      }
      [[fallthrough]];
    case BodyStream::Offer::Taken:
      t.request.body_committed = true;  // never retried from here on (chain.cpp)
      t.last_activity = *t.loop_now;
      return n;
    case BodyStream::Offer::Full:
      t.paused = true;
      return CURL_WRITEFUNC_PAUSE;
    case BodyStream::Offer::Refused:
      break;
  }
  t.stream_refused = true;
  return 0;  // libcurl ends the transfer with CURLE_WRITE_ERROR
}

}  // namespace

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* p) {
  Transfer& t = of(p);
  const std::size_t n = size * count;
  if (t.streaming) return on_streamed_body(t, data, n);
  if (t.max_body != 0 && t.body.size() + n > t.max_body) {
    // Counted after decompression, so a small compressed bomb is stopped here too.
    t.too_large = true;
    return 0;  // libcurl ends the transfer with CURLE_WRITE_ERROR
  }
  // Out of memory: libcurl ends the transfer with CURLE_WRITE_ERROR.
  if (!t.body.append(data, n)) return 0;
  t.last_activity = *t.loop_now;
  return n;
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* p) {
  Transfer& t = of(p);
  const std::size_t n = size * count;
  t.last_activity = *t.loop_now;
  std::string_view line(data, n);
  // Every head of the transfer counts, interim (1xx) ones included: an endless stream of
  // 103s is as much a flood as one endless head.
  t.header_bytes += n;
  if (t.header_bytes > kMaxHeaderBytes) {
    t.too_large = true;
    return 0;
  }
  // libcurl takes "HTTP/" in any case ("HtTP/1.1 ..."), so rhc does too (found by the
  // response fuzzer: a head rhc did not see begin made libcurl's refusals look like ours).
  if (!t.in_head && line.size() >= 5 && ascii_iequals(line.substr(0, 5), "HTTP/")) {
    // A new response begins (after a 100 Continue): keep only the last one's.
    // Room for a typical response's headers at once, instead of growing 1, 2, 4, 8.
    t.headers.clear();
    t.headers.reserve(16);
    t.streaming = false;
    t.answered = true;
    t.in_head = true;
    t.content_length.reset();
    t.transfer_encoding = false;
    if (!valid_status_line(line)) return refuse(t, "status code is not three digits in 100-999");
    if (t.stream != nullptr) t.status = status_code_of(line);
    return n;
  }
  // A line starting with CR or LF ends the headers, as libcurl itself reads it; libcurl
  // still hands it over, whatever follows (found by the response fuzzer).
  if (line.empty() || line.front() == '\r' || line.front() == '\n') {
    const bool ends_head = t.in_head;
    t.in_head = false;
    // Only a final 2xx response's body is streamed (a 1xx is followed by another head).
    if (ends_head && t.stream != nullptr) t.streaming = t.status >= 200 && t.status < 300;
    // RFC 9112 6.3 lets Transfer-Encoding override Content-Length; libcurl does, but a proxy
    // on the way may have framed the message by the length: refused, not guessed at.
    if (ends_head && t.transfer_encoding && t.content_length) {
      return refuse(t, "both Transfer-Encoding and Content-Length");
    }
    return n;
  }
  // obs-fold (RFC 9112 5.2): libcurl reads the continuation as a line of its own (a folded
  // Content-Length keeps its first line's value), so any reading of it rhc chose could
  // differ from the one that framed the body. Deprecated since RFC 7230; refused.
  if (is_obs_fold(line)) return refuse(t, "obsolete line folding (obs-fold) in a header");
  const auto colon = line.find(':');
  if (colon == std::string_view::npos) return n;
  std::string_view name = trim(line.substr(0, colon));
  std::string_view value = trim(line.substr(colon + 1));
  // RFC 9110: a field name is a token. A line that is not a field is dropped, not guessed at.
  if (!is_token(name)) return n;
  if (ascii_iequals(name, "content-length")) {
    // RFC 9112 6.3: an invalid length, or two different ones, is an unrecoverable error
    // (libcurl would take the last, or the leading digits of "5abc").
    const auto length = parse_content_length(value);
    if (!length) return refuse(t, "invalid Content-Length");
    if (t.content_length && *t.content_length != *length) {
      return refuse(t, "two different Content-Length values");
    }
    t.content_length = length;
    // Size the body once instead of growing it chunk by chunk, but only up to a bound: the
    // announced length is the server's word (and a HEAD response has no body at all).
    // (A streamed request's 2xx body never lands there.)
    constexpr std::uint64_t kMaxReserve = std::uint64_t{1} << 20;
    if (t.stream == nullptr) {
      t.body.reserve(static_cast<std::size_t>(std::min(*length, kMaxReserve)));
    }
  } else if (ascii_iequals(name, "transfer-encoding")) {
    t.transfer_encoding = true;
  }
  // A value carrying NUL is dropped.
  if (value.find('\0') != std::string_view::npos) return n;
  auto& field = t.headers.emplace_back(std::string(name), std::string(value));
  // RFC 9112 2.2: a bare CR inside a field may be replaced by a space; never pass it on.
  std::replace(field.second.begin(), field.second.end(), '\r', ' ');
  return n;
}

std::size_t on_upload(char* buffer, std::size_t size, std::size_t count, void* p) {
  Transfer& t = of(p);
  const Transfer::Upload& upload = *t.upload;
  const std::size_t n = std::min(size * count, upload.size - t.upload_offset);
  if (upload.fd < 0) {
    std::memcpy(buffer, upload.data + t.upload_offset, n);
  } else if (n > 0) {
    // One pread, however short: libcurl calls again for the rest.
    const ssize_t got = ::pread(upload.fd, buffer, n, static_cast<off_t>(t.upload_offset));
    if (got <= 0) {
      // The file shrank (or failed) since the request opened it: what was promised as
      // Content-Length can no longer be sent.
      t.upload_error = got == 0 ? "body_file became shorter while it was sent"
                                : "body_file could not be read while it was sent";
      return CURL_READFUNC_ABORT;
    }
    t.upload_offset += static_cast<std::size_t>(got);
    t.last_activity = *t.loop_now;
    return static_cast<std::size_t>(got);
  }
  t.upload_offset += n;
  t.last_activity = *t.loop_now;
  if (n == 0) t.phase = Transfer::Phase::Receiving;
  return n;
}

int on_seek(void* p, curl_off_t offset, int origin) {
  // libcurl rewinds a streamed body before it sends it again (a re-send on a new connection).
  Transfer& t = of(p);
  if (origin != SEEK_SET || !t.upload || offset < 0 ||
      static_cast<std::size_t>(offset) > t.upload->size) {
    return CURL_SEEKFUNC_CANTSEEK;
  }
  t.upload_offset = static_cast<std::size_t>(offset);
  return CURL_SEEKFUNC_OK;
}

int on_connected(void* p, char*, char*, int, int) {
  // CURLOPT_PREREQFUNCTION: a connection (new or reused) is ready and the request is about
  // to go out. Small bodies go with the headers (POSTFIELDS), so they count as sent here.
  Transfer& t = of(p);
  const bool resend = t.sends++ > 0 && !t.answered;
  t.answered = false;
  if (resend) {
    // No answer to the last send, and libcurl sends again: the re-send on another
    // connection (see Transfer::resends). (Redirect hops are transfers of their own.)
    // Over HTTP/2 that is a refused stream, which the server did not process: allowed
    // beyond sends_allowed (libcurl itself gives up after a few).
    const bool refused_stream =
        t.request.authority_state != nullptr && t.request.authority_state->speaks_http2;
    if (!refused_stream && 1 + t.resends >= t.sends_allowed) {
      t.resend_refused = true;
      return CURL_PREREQFUNC_ABORT;
    }
    ++t.resends;
  }
  const bool streams_body = t.upload && t.upload_offset < t.upload->size;
  t.phase = streams_body ? Transfer::Phase::Sending : Transfer::Phase::Receiving;
  t.last_activity = *t.loop_now;
  return CURL_PREREQFUNC_OK;
}

curl_socket_t on_open_socket(void* p, curlsocktype, curl_sockaddr* address) {
  // Only used to learn that the attempt left the connection queue: the socket is opened
  // exactly as libcurl would.
  Transfer& t = of(p);
  t.phase = Transfer::Phase::Connecting;
  return ::socket(address->family, address->socktype | SOCK_CLOEXEC, address->protocol);
}

}  // namespace rhc::detail
