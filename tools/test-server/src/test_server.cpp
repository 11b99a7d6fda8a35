#include <stdexcept>
#include <test_server/test_server.hpp>
#include <thread>

#include "http_server.hpp"
#include "routes.hpp"
#include "server_state.hpp"

namespace rhc::test_server {

class TestServer::Impl {
 public:
  explicit Impl(const ServerOptions& options)
      : state(options),
        http(state.stop,
             {options.keep_alive_timeout, options.io_timeout, options.keep_alive_max_requests}) {
    const auto workers =
        static_cast<std::size_t>(options.worker_threads > 0 ? options.worker_threads : 1);
    // One worker per open connection: the pool must be as wide as the concurrency tests use,
    // or slow requests queue behind each other.
    http.new_task_queue = [workers] { return new httplib::ThreadPool(workers); };
    detail::install_routes(http, state);
  }

  detail::ServerState state;
  detail::HttpServer http;
  std::thread listener;
  int port = 0;
};

TestServer::TestServer(ServerOptions options) : impl_(std::make_unique<Impl>(options)) {}

TestServer::~TestServer() { stop(); }

void TestServer::start() {
  if (impl_->listener.joinable()) throw std::logic_error("TestServer::start() called twice");
  const ServerOptions& options = impl_->state.options;
  impl_->port = impl_->http.bind(options.host, options.port, options.listen_backlog);
  impl_->listener = std::thread([this] { impl_->http.listen_after_bind(); });
  // stop() only takes effect once the accept loop runs; waiting for it here means a stop()
  // right after start() cannot be lost. Bounded: the loop starts within microseconds.
  for (int i = 0; i < 5000 && !impl_->http.is_running(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

void TestServer::stop() {
  if (!impl_->listener.joinable()) return;
  impl_->state.stop.request_stop();
  // Closes the listening socket; the accept loop then joins every worker, which the stop
  // request has already told to finish.
  impl_->http.stop();
  impl_->listener.join();
}

int TestServer::port() const { return impl_->port; }

std::string TestServer::base_url() const {
  const std::string& host = impl_->state.options.host;
  const bool ipv6 = host.find(':') != std::string::npos;
  return "http://" + (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(impl_->port);
}

void TestServer::fail_next(std::size_t n, const Fault& fault) {
  impl_->state.faults.fail_next(n, fault);
}

void TestServer::then_fail(std::size_t n, const Fault& fault) {
  impl_->state.faults.then_fail(n, fault);
}

void TestServer::set_chaos(const ChaosSettings& chaos) { impl_->state.faults.set_chaos(chaos); }

void TestServer::set_overload(const std::optional<Overload>& overload) {
  impl_->state.overload.set(overload);
}

void TestServer::set_slowness(const Slowness& slowness) { impl_->state.slowness.set(slowness); }

void TestServer::reset() { impl_->state.reset(); }

Stats TestServer::stats() const { return impl_->state.stats.snapshot(); }

std::uint64_t TestServer::attempts_for(std::string_view request_id) const {
  return impl_->state.stats.attempts_for(std::string(request_id));
}

std::uint64_t TestServer::executions_for_key(std::string_view key) const {
  return impl_->state.stats.executions_for(std::string(key));
}

}  // namespace rhc::test_server
