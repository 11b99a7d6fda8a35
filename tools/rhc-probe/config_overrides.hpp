// The client configuration rhc-probe runs with: --config FILE, else RHC_* environment
// variables, then the command-line flags that override single fields (-m, -k, -x, ...).
#pragma once

#include <string>

#include <rhc/config.hpp>

namespace rhc::probe {

// Overrides of single fields from the command line; unset ones keep the configuration's.
struct Overrides {
  int retries = -1;                                 // --retries: max_attempts - 1
  double timeout = 0;                               // --timeout: connect, read, write and pool
  double max_time = -1;                             // -m: timeout.total
  double connect_timeout = 0;                       // --connect-timeout
  bool insecure = false;                            // -k
  std::string cacert;                               // --cacert
  std::string proxy;                                // -x
  std::string user_agent;                           // -A
  std::string cert, key, key_password, pinned_key;  // --cert, --key, --pass, --pinnedpubkey
  std::string tls_min;                              // --tlsv1.2, --tlsv1.3: "1.2", "1.3"
  std::string http_version;                         // --http1.1, --http2, --http2-prior-knowledge
  std::string unix_socket;                          // --unix-socket
  bool compressed = false;                          // --compressed: every coding libcurl decodes
};

// --config FILE, else the environment; then `overrides`. `one_shot` (`rhc-probe URL`) retries
// quickly unless --config or an RHC_RETRY_* variable says otherwise: 3 attempts, 0.1 s to 1 s
// apart. Throws rhc::ConfigError for an unreadable file or an invalid configuration.
rhc::ClientConfig load_config(const std::string& file, const Overrides& overrides, bool one_shot);

}  // namespace rhc::probe
