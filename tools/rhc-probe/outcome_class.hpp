// How rhc-probe names and scores an outcome: the error's class name, the outcome class used
// for exit codes and load-run counts.
#pragma once

#include <exception>
#include <string>

namespace rhc::probe {

// Exit codes of `rhc-probe URL` (also listed in --help and docs/usage.md).
enum ExitCode : int {
  kExitSuccess = 0,      // a 2xx/3xx response
  kExitUsage = 2,        // bad arguments or configuration (ConfigError)
  kExitConnection = 3,   // connection failure, timeout, 408/429/5xx, circuit open
  kExitClientError = 4,  // a 4xx response (APIStatusError)
  kExitPoolTimeout = 5,  // no bulkhead slot (PoolTimeoutError)
  kExitOther = 6,        // anything else (cancelled, closed, redirects, decode)
};

struct ErrorInfo {
  std::string class_name;  // "ServerError", "APITimeoutError", ...
  std::string message;     // what()
  int status_code = 0;
  int attempts = 0;
  std::string request_id;
  ExitCode exit_code = kExitOther;
};

// Names the most derived rhc error class of `error` (or "std::exception").
ErrorInfo describe_error(const std::exception_ptr& error);

}  // namespace rhc::probe
