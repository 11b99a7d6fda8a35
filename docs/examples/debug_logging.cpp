// Debug logging. At INFO and WARNING the client logs retries, circuit breaker changes and
// bulkhead rejections; DEBUG adds each request's final failure, requests refused by the
// open circuit, and cancellations. Every line names its request id.
// Without touching code: RHC_LOGGING_LEVEL=DEBUG with ClientConfig::from_env.
#include <chrono>
#include <rhc/rhc.hpp>

int main(int argc, char** argv) {
  rhc::ClientConfig config;
  config.base_url = argc > 1 ? argv[1] : "http://localhost:8000";
  config.logging.level = "DEBUG";  // lines go to stderr (see Custom logging)
  config.retry.max_attempts = 2;
  config.retry.min_wait = std::chrono::milliseconds(100);
  rhc::ResilientClient client(config);

  client.post("/fail/count/2?status=503").get();
  try {
    client.get("/msg").get();  // logs the retry (INFO), then the final failure (DEBUG)
  } catch (const rhc::ServiceUnavailableError&) {
  }
}
