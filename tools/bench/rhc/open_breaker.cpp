// (g) Fail fast: what a request refused by an open circuit breaker costs its caller, from
// the call to the exception. prepare() opens the breaker with requests to a loopback port
// that refuses connections; run() times get().get() calls that each throw CircuitOpenError.

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <exception>
#include <memory>
#include <stdexcept>
#include <string>
#include <system_error>
#include <thread>

#include <rhc/rhc.hpp>

#include "../common/refusing_port.hpp"
#include "clients.hpp"

namespace rhc::bench {
namespace {

// Failed requests in a row that open the breaker; the open period outlasts any run here (a
// longer one would end in a half-open trial, which fails and shows as errors).
constexpr int kFailuresToOpen = 3;
constexpr Seconds kOpenFor{300.0};

class OpenBreaker final : public Workload {
 public:
  // The --url's path is each request's; its host is not called.
  void prepare(const Plan& plan) override {
    path_ = split_url(plan.url).second;
    ClientConfig config = bench_config(plan, "http://127.0.0.1:" + std::to_string(refused_.port()));
    config.retry.max_attempts = 1;
    config.circuit_breaker.failure_threshold = kFailuresToOpen;
    config.circuit_breaker.recovery_timeout = kOpenFor;
    // Failures (the connection refused) are logged at WARNING; they are expected here.
    config.logging.level = "ERROR";
    client_ = create_resilient_client(config);
    for (int i = 0; i < kFailuresToOpen; ++i) {
      try {
        client_->get(path_).get();
        throw std::runtime_error("a request to a refused port succeeded");
      } catch (const Error&) {
      }
    }
    // The loop records a failure around the time the future resolves: wait for the state.
    const auto deadline = Clock::now() + std::chrono::seconds(2);
    while (client_->circuit_state() != CircuitState::Open) {
      if (Clock::now() > deadline) {
        throw std::runtime_error(
            std::string("the breaker is ") + to_string(client_->circuit_state()) + " after " +
            std::to_string(kFailuresToOpen) + " refused connections, not OPEN");
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    rejections_before_ = client_->stats().breaker_rejections;
  }

  void run(Plan& plan) override {
    run_caller_threads(plan, [this] {
      try {
        client_->get(path_).get();
      } catch (const CircuitOpenError&) {
        refused_calls_.fetch_add(1, std::memory_order_relaxed);
        return true;
      } catch (const std::exception&) {
      }
      return false;
    });
  }

  // Whether every refusal was counted: stderr, as the listener clients print their counts.
  void finish() override {
    client_->close();
    std::fprintf(
        stderr, "breaker: %ld calls refused; stats().breaker_rejections %llu\n",
        refused_calls_.load(),
        static_cast<unsigned long long>(client_->stats().breaker_rejections - rejections_before_));
  }

 private:
  RefusingPort refused_;
  std::unique_ptr<ResilientClient> client_;
  std::string path_;
  std::uint64_t rejections_before_ = 0;
  std::atomic<long> refused_calls_{0};
};

}  // namespace

std::unique_ptr<Workload> make_rhc_open_breaker() { return std::make_unique<OpenBreaker>(); }

}  // namespace rhc::bench
