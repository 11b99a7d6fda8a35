#include "config_overrides.hpp"

#include <fstream>
#include <sstream>
#include <string_view>

#include <rhc/errors.hpp>

extern char** environ;

namespace rhc::probe {
namespace {

// The retry settings of `rhc-probe URL` when neither --config nor an RHC_RETRY_* variable
// says otherwise: rhc's defaults (5 attempts from 1 s, doubling) make a refused port take
// ~12 s, too long for a command a person waits on.
constexpr int kProbeMaxAttempts = 3;
constexpr double kProbeMinWaitSeconds = 0.1;
constexpr double kProbeMaxWaitSeconds = 1.0;

bool retry_set_in_environment() {
  for (char** e = environ; *e != nullptr; ++e) {
    if (std::string_view(*e).rfind("RHC_RETRY_", 0) == 0) return true;
  }
  return false;
}

}  // namespace

rhc::ClientConfig load_config(const std::string& file, const Overrides& o, bool one_shot) {
  rhc::ClientConfig config;
  if (!file.empty()) {
    std::ifstream in(file);
    if (!in) throw rhc::ConfigError("cannot read --config file '" + file + "'");
    std::ostringstream text;
    text << in.rdbuf();
    config = rhc::ClientConfig::from_json(text.str());
  } else {
    config = rhc::ClientConfig::from_env();
    if (one_shot && !retry_set_in_environment()) {
      config.retry.max_attempts = kProbeMaxAttempts;
      config.retry.min_wait = rhc::Seconds(kProbeMinWaitSeconds);
      config.retry.max_wait = rhc::Seconds(kProbeMaxWaitSeconds);
    }
  }
  if (o.retries >= 0) config.retry.max_attempts = o.retries + 1;
  if (o.timeout > 0) {
    const rhc::Seconds total = config.timeout.total;
    config.timeout = rhc::TimeoutConfig::all(rhc::Seconds(o.timeout));
    config.timeout.total = total;
  }
  if (o.connect_timeout > 0) config.timeout.connect = rhc::Seconds(o.connect_timeout);
  if (o.max_time >= 0) config.timeout.total = rhc::Seconds(o.max_time);
  if (o.insecure) config.verify_ssl = false;
  if (!o.cacert.empty()) config.ca_bundle = o.cacert;
  if (!o.cert.empty()) config.tls.client_cert = o.cert;
  if (!o.key.empty()) config.tls.client_key = o.key;
  if (!o.key_password.empty()) config.tls.key_password = o.key_password;
  if (!o.pinned_key.empty()) config.tls.pinned_public_key = o.pinned_key;
  if (!o.tls_min.empty()) config.tls.min_version = o.tls_min;
  if (!o.http_version.empty()) config.http_version = o.http_version;
  if (!o.unix_socket.empty()) config.unix_socket = o.unix_socket;
  if (o.compressed) config.accept_encoding = "";
  if (!o.proxy.empty()) config.proxy = o.proxy;
  if (!o.user_agent.empty()) config.user_agent = o.user_agent;
  config.validate();
  return config;
}

}  // namespace rhc::probe
