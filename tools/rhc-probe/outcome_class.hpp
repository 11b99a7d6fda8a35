// How rhc-probe names and scores an outcome: the error's class name, the outcome class used
// for exit codes and load-run counts.
#pragma once

#include <exception>
#include <optional>
#include <string>

#include <rhc/response.hpp>

namespace rhc::probe {

// Exit codes shared by every mode (`rhc-probe URL`, `load`, `demo`).
enum ExitCode : int {
  kExitSuccess = 0,
  kExitUsage = 2,  // bad arguments or configuration (ConfigError)
  kExitOther = 6,  // `rhc-probe load`: writing the Prometheus text failed
};

// Exit codes of `rhc-probe URL` (listed in --help's footer and docs/usage.md): curl's where
// the failure class is curl's, rhc-probe's own from 120 (above curl's, which end near 100,
// and below the shell's 126+) for what curl does not have.
enum CurlExit : int {
  kCurlUnsupportedProtocol = 1,  // a redirect rhc refused (RedirectError)
  kCurlResolveProxy = 5,
  kCurlResolveHost = 6,
  kCurlConnect = 7,             // refused, unreachable; any other connection failure
  kCurlWeirdReply = 8,          // ProtocolError
  kCurlPartialFile = 18,        // the body was cut short
  kCurlHttpError = 22,          // a status >= 400 with -f/--fail
  kCurlWriteError = 23,         // -o FILE could not be written
  kCurlTimeout = 28,            // APITimeoutError (connect, read, write, pool or -m total)
  kCurlSslConnect = 35,         // the TLS handshake failed (refused, or cut short)
  kCurlTooManyRedirects = 47,   // TooManyRedirectsError
  kCurlGotNothing = 52,         // the server closed without answering
  kCurlRecvError = 56,          // the connection broke while receiving
  kCurlSslCertProblem = 58,     // TLSError: the client certificate or key cannot be used
  kCurlPeerVerification = 60,   // TLSError: the server's certificate did not verify
  kCurlPinnedKeyMismatch = 90,  // TLSError: the server's key is not the pinned one
  kCurlFileSizeExceeded = 63,   // ResponseTooLargeError
  kProbeCircuitOpen = 120,      // CircuitOpenError: the breaker refused, nothing was sent
  kProbeBulkheadTimeout = 121,  // PoolTimeoutError: no bulkhead slot in time
  kProbeCancelled = 122,        // CancelledError (Ctrl-C, SIGTERM), ClientClosedError
  kProbeOtherError = 123,       // any other rhc error
};

struct ErrorInfo {
  std::string class_name;  // "ServerError", "APITimeoutError", ...
  std::string message;     // what()
  int status_code = 0;
  int attempts = 0;
  std::string request_id;
  // `rhc-probe URL`'s exit code for this error (CurlExit, or kExitUsage for a ConfigError).
  // An HTTP error status is kCurlHttpError here; without -f it is printed and exits 0.
  int exit_code = kProbeOtherError;
  // The failing response of an HTTP status error (4xx, 5xx), else empty.
  std::optional<rhc::Response> response;
};

// Names the most derived rhc error class of `error` (or "std::exception") and its exit code.
// A plain APIConnectionError carries libcurl's message only (rhc has no typed cause), so
// resolve, connect, TLS handshake and receive failures are told apart by that text; what
// does not match is kCurlConnect.
ErrorInfo describe_error(const std::exception_ptr& error);

}  // namespace rhc::probe
