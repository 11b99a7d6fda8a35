// Unit-testing your code without a server: put a seam where your code calls rhc, and give
// the code under test a fake in tests. Response has public fields and every error class
// takes a message and an ErrorContext, so fakes can return anything rhc can.
#include <exception>
#include <functional>
#include <future>
#include <iostream>
#include <rhc/rhc.hpp>
#include <string>
#include <utility>

// The seam: what your code needs from an HTTP client, no more.
class MessageApi {
 public:
  virtual ~MessageApi() = default;
  virtual std::future<rhc::Response> get(const std::string& path) = 0;
};

// Production: forwards to rhc.
class RhcMessageApi : public MessageApi {
 public:
  explicit RhcMessageApi(rhc::ClientConfig config) : client_(std::move(config)) {}
  std::future<rhc::Response> get(const std::string& path) override { return client_.get(path); }

 private:
  rhc::ResilientClient client_;
};

// Tests: answers with whatever the test scripted, at once.
class FakeMessageApi : public MessageApi {
 public:
  std::function<rhc::Response(const std::string&)> answer;  // may throw an rhc error
  std::future<rhc::Response> get(const std::string& path) override {
    std::promise<rhc::Response> promise;
    try {
      promise.set_value(answer(path));
    } catch (...) {
      promise.set_exception(std::current_exception());
    }
    return promise.get_future();
  }
};

// The code under test.
std::string describe_message(MessageApi& api) {
  try {
    return std::string("message ") + api.get("/msg").get().json()["message_id"].GetString();
  } catch (const rhc::APIConnectionError&) {
    return "service unavailable";
  }
}

int main() {
  FakeMessageApi fake;

  fake.answer = [](const std::string&) {
    rhc::Response r;
    r.status_code = 200;
    r.text = R"({"message_id": "m-1"})";
    r.attempts = 1;
    return r;
  };
  const bool ok = describe_message(fake) == "message m-1";

  fake.answer = [](const std::string& path) -> rhc::Response {
    rhc::ErrorContext context;
    context.status_code = 503;
    context.attempts = 5;
    context.method = "GET";
    context.url = "http://api.test" + path;
    throw rhc::ServiceUnavailableError("HTTP 503 after 5 attempts", context);
  };
  const bool degraded = describe_message(fake) == "service unavailable";

  std::cout << (ok && degraded ? "all tests passed\n" : "a test failed\n");
  return ok && degraded ? 0 : 1;
}
