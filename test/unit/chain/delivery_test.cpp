// Delivery in the event loop's batched mode: outcomes wait for flush(), then every future
// is fulfilled and every callback run exactly once; the request itself may be gone by then.
#include <catch2/catch.hpp>

#include <chrono>
#include <future>
#include <memory>
#include <string>
#include <vector>

#include "chain/delivery.hpp"
#include "chain/request.hpp"
#include "logging/logger.hpp"

using namespace rhc::detail;

namespace {

rhc::LoggingConfig quiet() {
  rhc::LoggingConfig c;
  c.level = "ERROR";
  return c;
}

bool ready(std::future<rhc::Response>& f) {
  return f.wait_for(std::chrono::seconds(0)) == std::future_status::ready;
}

}  // namespace

TEST_CASE("batched delivery hands outcomes over at flush, each exactly once", "[delivery]") {
  Logger logger{quiet()};
  Delivery delivery{nullptr, logger, Delivery::Mode::Batched};  // callbacks run inline

  std::vector<std::future<rhc::Response>> futures;
  std::vector<std::string> called;
  for (int i = 0; i < 4; ++i) {
    auto r = std::make_shared<Request>();  // destroyed before flush: nothing may point into it
    r->request_id = "id-" + std::to_string(i);
    r->method = "GET";
    if (i % 2 == 0) {
      futures.push_back(r->promise.get_future());
    } else {
      r->callback = [&called, id = r->request_id](rhc::Outcome o) {
        called.push_back(id + (o.ok() ? ":ok" : ":error"));
      };
    }
    if (i < 2) {
      rhc::Response response;
      response.status_code = 200;
      delivery.succeed(*r, std::move(response));
    } else {
      Failure f;
      f.kind = ErrorKind::Server;
      f.cause = "HTTP 500";
      delivery.fail(*r, f);
    }
  }
  for (auto& f : futures) CHECK_FALSE(ready(f));
  CHECK(called.empty());

  delivery.flush();
  REQUIRE(ready(futures[0]));
  REQUIRE(ready(futures[1]));
  CHECK(futures[0].get().status_code == 200);
  CHECK_THROWS_AS(futures[1].get(), rhc::ServerError);
  CHECK(called == std::vector<std::string>{"id-1:ok", "id-3:error"});  // in finishing order

  delivery.flush();  // nothing left: nothing runs twice
  CHECK(called.size() == 2);
}
