// Idempotency keys: a payment POST whose first attempt times out while the server keeps
// working. The retries carry the same key, get 409 ("still in progress") while the original
// runs, then its stored response: the server executed the payment exactly once.
#include <chrono>
#include <iostream>
#include <rhc/rhc.hpp>

using namespace std::chrono_literals;

int main(int argc, char** argv) {
  rhc::ClientConfig config;
  config.base_url = argc > 1 ? argv[1] : "http://localhost:8000";
  config.idempotency.key_header = "Idempotency-Key";  // off ("") by default
  config.timeout.read = 500ms;  // the first attempt gives up before the work is done
  config.retry.max_attempts = 20;
  config.retry.min_wait = 250ms;
  config.retry.max_wait = 250ms;
  rhc::ResilientClient client(config);
  client.post("/fail/reset").get();

  rhc::RequestOptions opts;
  opts.idempotency_key = "order-2024-0001";  // else the request id is the key
  opts.json = R"({"amount": 5})";
  // The test server's /idempotent follows the IETF draft; work_ms: how long the first
  // execution of a key takes.
  rhc::Response r = client.post("/idempotent?work_ms=1500", opts).get();
  std::cout << "HTTP " << r.status_code << " after " << r.attempts << " attempts, replayed "
            << std::boolalpha << r.replayed << "\n";

  rapidjson::Document stats = client.get("/stats").get().json();
  const auto executions = stats["idempotency_keys"]["executions"]["order-2024-0001"].GetUint64();
  std::cout << "the server executed it " << executions << " time(s)\n";

  // The same key with another payload is the caller's mistake: never retried.
  opts.json = R"({"amount": 6})";
  try {
    client.post("/idempotent", opts).get();
  } catch (const rhc::IdempotencyKeyReusedError& e) {
    std::cout << "key reused: HTTP " << e.status_code() << " after " << e.attempts()
              << " attempt\n";
  }
  return r.replayed && executions == 1 ? 0 : 1;
}
