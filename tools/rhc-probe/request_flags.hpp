// curl's options that say what to send and how to connect, registered on a CLI11 command:
// `rhc-probe URL` and `rhc-probe load URL` take the same ones, with the same help.
#pragma once

#include <CLI/CLI.hpp>

#include "config_overrides.hpp"
#include "request_spec.hpp"

namespace rhc::probe {

// The option takes exactly one value per occurrence, so that an option before the URL never
// swallows it (`-H 'A: b' URL`).
CLI::Option* one_value(CLI::Option* option);

// -X, -H, -d/--data, --data-raw, --data-binary, --json, -u: what the request carries.
void add_request_flags(CLI::App& command, RequestSpec& spec);

// -k, --cacert, -A, -x, -m/--max-time, --connect-timeout, --timeout: fields of the client's
// configuration.
void add_connection_flags(CLI::App& command, Overrides& overrides);

}  // namespace rhc::probe
