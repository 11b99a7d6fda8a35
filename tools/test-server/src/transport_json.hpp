// The JSON bodies of the transport endpoints: the /upload, /multipart and /cookies echoes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace rhc::test_server::detail {

// What `/upload` received.
struct UploadEcho {
  std::string method;
  std::uint64_t length = 0;  // body bytes received (after any Content-Encoding was undone)
  std::string sha256;        // of those bytes, 64 lowercase hex digits
  std::optional<std::string> content_type;
  std::optional<std::uint64_t> content_length;  // the Content-Length header, when sent
  bool chunked = false;                         // Transfer-Encoding: chunked
};

// {"method","length","sha256","content_type","content_length","chunked"}; absent values null.
std::string upload_json(const UploadEcho& echo);

// One part of a multipart/form-data body, as `/multipart` received it.
struct PartEcho {
  std::string name;
  std::optional<std::string> filename;
  std::optional<std::string> content_type;
  std::uint64_t length = 0;
  std::string sha256;
  std::optional<std::string> value;  // the content, for a part without a filename up to 64 KiB
};

// {"content_type": <the request's>, "parts": [{"name","filename","content_type","length",
// "sha256"[,"value"]}, ...]} in the order the parts arrived.
std::string multipart_json(const std::optional<std::string>& content_type,
                           const std::vector<PartEcho>& parts);

// `/cookies`: {"cookie_header": <the Cookie header as received, or null>, "cookies": {name:
// value, ...}} (for a name sent twice, the first).
std::string cookies_json(const std::optional<std::string>& cookie_header,
                         const std::vector<std::pair<std::string, std::string>>& cookies);

// `/cookies/set` and `/cookies/set-one`: {"set_cookie": [<each Set-Cookie header sent>]}.
std::string set_cookies_json(const std::vector<std::string>& set_cookie_headers);

}  // namespace rhc::test_server::detail
