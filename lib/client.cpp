// The seam: validates the configuration, wires the executor, the event loop (which owns the
// chain) and the caller-side preparation together, and turns each public call into one
// submitted Request.
#include <rhc/client.hpp>

#include <algorithm>
#include <atomic>
#include <thread>
#include <utility>

#include "chain/delivery.hpp"
#include "chain/prepare.hpp"
#include "chain/request.hpp"
#include "exec/thread_pool.hpp"
#include "logging/logger.hpp"
#include "loop/event_loop.hpp"
#include "observe/event_dispatcher.hpp"
#include "url/url.hpp"
#include "url/url_check.hpp"

namespace rhc {

using detail::Failure;
using detail::Request;

namespace {

int executor_size(const ClientConfig& config) {
  return config.executor_threads > 0 ? config.executor_threads
                                     : detail::ThreadPool::default_threads();
}

const ClientConfig& validated(const ClientConfig& config) {
  config.validate();
  return config;
}

}  // namespace

class ResilientClient::Impl {
 public:
  explicit Impl(ClientConfig config)
      : config_(std::move(config)),
        logger_(validated(config_).logging),
        base_url_(config_.base_url),
        executor_(executor_size(config_), logger_),
        refusals_(&executor_, logger_),
        events_(logger_),
        loop_(config_, logger_, executor_, events_) {
    if (!config_.verify_ssl) {
      RHC_LOG(logger_, detail::Severity::Warning, "")
          << "verify_ssl is off: TLS certificates are not checked";
    }
  }

  ~Impl() { close(); }

  void submit(std::string method, std::string path, RequestOptions&& options,
              std::shared_ptr<Request> r) {
    r->submitted = detail::Clock::now();
    if (closed_.load(std::memory_order_acquire)) {
      r->url = detail::display_path(path);
      r->method = std::move(method);
      return refuse(*r, detail::ErrorKind::ClientClosed, "client closed");
    }
    if (auto problem =
            detail::prepare(config_, base_url_, std::move(method), path, std::move(options), *r)) {
      return refusals_.fail(*r, *problem);
    }
    if (loop_.refused_at_once(*r) && !cancelled(*r)) return refuse_open_circuit(std::move(r));
    if (!loop_.submit(r)) refuse(*r, detail::ErrorKind::ClientClosed, "client closed");
  }

  void close() {
    closed_.store(true, std::memory_order_release);
    loop_.close();
    events_.shutdown();  // delivers the events of the requests close() ended
    // Callbacks already posted still run; close() from one of them must not join itself.
    executor_.shutdown();
  }

  CircuitState circuit_state() const { return loop_.circuit_state(base_url_.authority()); }
  CircuitState circuit_state(std::string_view url_or_authority) const {
    std::string error;
    detail::UrlPtr url = detail::parse_absolute_url(std::string(url_or_authority), &error);
    if (!url) {
      throw ConfigError("circuit_state: \"" + std::string(url_or_authority) +
                        "\" is not an absolute http or https URL (" + error + ")");
    }
    return loop_.circuit_state(detail::authority_of(url.get()));
  }
  const ClientConfig& config() const { return config_; }

  void add_listener(std::shared_ptr<Listener> listener) {
    if (listener == nullptr) throw ConfigError("add_listener: the listener is null");
    events_.add(std::move(listener));
  }
  ClientStats stats() { return loop_.stats(); }

 private:
  void refuse(Request& r, detail::ErrorKind kind, const char* cause) {
    refusals_.fail(r, Failure::of(kind, cause));
  }

  // Fail fast: an open breaker's refusal needs nothing from the loop but its books, so it is
  // delivered here, on the caller's thread, without waiting for the loop's turn (the loop
  // would say the same: the breaker comes after idempotency, before anything that waits).
  // The books go first, so a callback that reads stats() already sees its own refusal.
  // From then on two threads read the request, so its URL text (made on first use) is made
  // before: the loop's events and the error's context then only read it.
  void refuse_open_circuit(std::shared_ptr<Request> r) {
    RHC_LOG(logger_, detail::Severity::Debug, r->request_id) << "rejected: circuit breaker is open";
    r->loggable_url();
    loop_.account_refusal(r, detail::Clock::now() - r->submitted);
    refuse(*r, detail::ErrorKind::CircuitOpen, "Circuit breaker is OPEN; no request was sent");
  }

  // A request whose token was cancelled before the call ends as cancelled, whatever the
  // breaker says: the loop decides that (Chain::submit), as it always did.
  static bool cancelled(const Request& r) {
    return r.cancel_state != nullptr && r.cancel_state->cancelled.load(std::memory_order_acquire);
  }

  const ClientConfig config_;
  const detail::Logger logger_;
  const detail::BaseUrl base_url_;
  detail::ThreadPool executor_;
  detail::Delivery refusals_;  // for requests refused before they reach the loop
  detail::EventDispatcher events_;
  detail::EventLoop loop_;
  std::atomic<bool> closed_{false};
};

ResilientClient::ResilientClient(ClientConfig config)
    : impl_(std::make_unique<Impl>(std::move(config))) {}

ResilientClient::~ResilientClient() = default;

std::future<Response> ResilientClient::request(std::string method, std::string path,
                                               RequestOptions opts) {
  auto r = std::make_shared<Request>();
  std::future<Response> future = r->promise.get_future();
  impl_->submit(std::move(method), std::move(path), std::move(opts), std::move(r));
  return future;
}

void ResilientClient::request(std::string method, std::string path, RequestOptions opts,
                              Callback cb) {
  auto r = std::make_shared<Request>();
  r->callback = std::move(cb);
  if (!r->callback) {
    // An empty callback could never be "run exactly once"; treat it as fire-and-forget.
    r->callback = [](Outcome) {};
  }
  impl_->submit(std::move(method), std::move(path), std::move(opts), std::move(r));
}

#define RHC_METHOD(name, verb)                                                         \
  std::future<Response> ResilientClient::name(std::string path, RequestOptions opts) { \
    return request(verb, std::move(path), std::move(opts));                            \
  }                                                                                    \
  void ResilientClient::name(std::string path, RequestOptions opts, Callback cb) {     \
    request(verb, std::move(path), std::move(opts), std::move(cb));                    \
  }
RHC_METHOD(get, "GET")
RHC_METHOD(post, "POST")
RHC_METHOD(put, "PUT")
RHC_METHOD(patch, "PATCH")
RHC_METHOD(del, "DELETE")
RHC_METHOD(head, "HEAD")
#undef RHC_METHOD

void ResilientClient::close() { impl_->close(); }

CircuitState ResilientClient::circuit_state() const { return impl_->circuit_state(); }

CircuitState ResilientClient::circuit_state(std::string_view url_or_authority) const {
  return impl_->circuit_state(url_or_authority);
}

const ClientConfig& ResilientClient::config() const { return impl_->config(); }

void ResilientClient::add_listener(std::shared_ptr<Listener> listener) {
  impl_->add_listener(std::move(listener));
}

ClientStats ResilientClient::stats() const { return impl_->stats(); }

std::unique_ptr<ResilientClient> create_resilient_client(ClientConfig config) {
  return std::make_unique<ResilientClient>(std::move(config));
}

}  // namespace rhc
