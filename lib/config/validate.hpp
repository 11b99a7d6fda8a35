// What validate() finds wrong with a ClientConfig, as values the loaders can annotate (with
// the variable or file a bad value came from) before one ConfigError reports them all.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <rhc/config.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace rhc::detail::config {

// One invalid field: `path` is its key path, `text` says why ("must be >= 1 (got 0)").
// For a list, `index` is the bad item's position ("sensitive_headers[1] must be ...").
struct Problem {
  std::string_view path;
  std::string text;
  std::optional<std::size_t> index = std::nullopt;
};

// Every problem with `config`, in field-table order; empty when it is valid.
std::vector<Problem> find_problems(const ClientConfig& config);

// The transport fields' problems (tls.*, http_version, unix_socket, accept_encoding),
// appended to `out`; part of find_problems (validate_transport.cpp).
void check_transport(const ClientConfig& config, std::vector<Problem>& out);

// Every problem with a request's own timeouts (RequestOptions::timeout), found by the very
// table rows that check ClientConfig's "timeout.*" fields, so a per-request value can never
// pass what the client's configuration would refuse. Paths are "timeout.read", ...
std::vector<Problem> find_timeout_problems(const TimeoutConfig& timeout);

// Where a field's value came from, by key path ("RHC_RETRY_MAX_ATTEMPTS"); fields not in it
// are described by path alone.
using Sources = std::map<std::string_view, std::string, std::less<>>;

// "retry.max_attempts must be >= 1 (got 0)", or with a source
// "retry.max_attempts (from RHC_RETRY_MAX_ATTEMPTS) must be >= 1 (got 0)"; a list item is
// "sensitive_headers[1] (from RHC_SENSITIVE_HEADERS) must be ...".
std::string describe(const Problem& problem, const Sources& sources = {});

// Throws ConfigError("invalid ClientConfig: p1; p2; ...") naming every problem, if any.
void throw_if_invalid(const ClientConfig& config, const Sources& sources = {});

// Throws ConfigError("invalid <subject>: m1; m2; ..."). `messages` must not be empty.
[[noreturn]] void throw_config_error(std::string_view subject,
                                     const std::vector<std::string>& messages);

// A user-supplied value made safe to quote in an error: in double quotes, control
// characters escaped, cut to 64 characters.
std::string quote(std::string_view value);

// A number as people write it: 1, 0.5, -1, 1000000000, 1e+20, nan.
std::string format_number(double value);

}  // namespace rhc::detail::config
