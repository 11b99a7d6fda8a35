// What a request carries, as curl's options describe it (-X, -H, -d, --data-raw,
// --data-binary, --json, -u), turned into the method and rhc::RequestOptions to send. Shared by
// `rhc-probe URL` (one request) and `rhc-probe load` (the same request, many times).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <rhc/request.hpp>

namespace rhc::probe {

// One piece of a request body, in command-line order: curl joins them with '&'.
struct BodyPart {
  enum Kind { kData, kDataRaw, kDataBinary, kJson } kind = kData;
  std::string value;  // as given: `@FILE` (`@-`: stdin) is read for kData, kDataBinary, kJson
};

struct RequestSpec {
  std::optional<std::string> method;  // -X; else HEAD with -I, POST with a body, else GET
  std::vector<std::string> headers;   // "K: V"
  std::vector<BodyPart> body;         // -d, --data-raw, --data-binary, --json
  std::optional<std::string> request_id;
  std::optional<std::string> user;  // -u user:password
  bool head = false;                // -I
};

struct PreparedRequest {
  std::string method;
  rhc::RequestOptions options;
};

// curl's rules: -d is form-encoded (an @FILE without its CR and LF), --data-raw takes '@'
// literally, --data-binary sends an @FILE as is, --json sets Content-Type and Accept to
// application/json; several pieces are joined with '&' (--json ones are concatenated). Files
// (and stdin) are read here, once. Throws rhc::ConfigError for a malformed -H or -u, an
// unreadable file, --json mixed with -d, or -I with a body.
PreparedRequest prepare_request(const RequestSpec& spec);

// Whether `headers` has one named `name`, compared case-insensitively.
bool has_header(const rhc::Headers& headers, std::string_view name);

}  // namespace rhc::probe
