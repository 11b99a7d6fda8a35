// Every method of the client against a real server: what goes out on the wire, what comes
// back, futures and callbacks alike.
#include <catch2/catch.hpp>

#include <future>
#include <string>
#include <thread>

#include <rhc/rhc.hpp>

#include "client_config.hpp"
#include "echo_server.hpp"
#include "slack.hpp"

using namespace std::chrono_literals;

namespace {

rhc::ClientConfig config_for(const rhc::testing::EchoServer& server) {
  return rhc::testing::quiet_config(server.base_url());
}

std::string str(const rapidjson::Value& v) {
  return std::string(v.GetString(), v.GetStringLength());
}

}  // namespace

TEST_CASE("every method reaches the server with its own verb", "[client][methods]") {
  rhc::testing::EchoServer server;
  rhc::ResilientClient client(config_for(server));
  CHECK(str(client.get("/echo").get().json()["method"]) == "GET");
  CHECK(str(client.post("/echo").get().json()["method"]) == "POST");
  CHECK(str(client.put("/echo").get().json()["method"]) == "PUT");
  CHECK(str(client.patch("/echo").get().json()["method"]) == "PATCH");
  CHECK(str(client.del("/echo").get().json()["method"]) == "DELETE");
  CHECK(str(client.request("OPTIONS", "/echo").get().json()["method"]) == "OPTIONS");
  auto head = client.head("/echo").get();
  CHECK(head.status_code == 200);
  CHECK(head.text.empty());
  CHECK(server.requests_seen() == 7);  // httplib routes HEAD to the GET handler
}

TEST_CASE("a GET or a DELETE with a body keeps its verb", "[client][methods]") {
  // A body goes out the way libcurl posts one; the verb must still be the caller's (search
  // APIs take a GET with a JSON body).
  rhc::testing::EchoServer server;
  rhc::ResilientClient client(config_for(server));
  rhc::RequestOptions o;
  o.json = R"({"query": {"match_all": {}}})";
  auto del = client.request("DELETE", "/echo", o).get().json();
  CHECK(str(del["method"]) == "DELETE");
  CHECK(str(del["body"]) == *o.json);
  // cpp-httplib does not read a GET's body; the head shows it was sent.
  auto get = client.request("GET", "/echo", o).get().json();
  CHECK(str(get["method"]) == "GET");
  CHECK(str(get["headers"]["Content-Length"]) == std::to_string(o.json->size()));
}

TEST_CASE("params, headers and json round trip", "[client][methods]") {
  rhc::testing::EchoServer server;
  auto client = rhc::create_resilient_client(config_for(server));
  rhc::RequestOptions o;
  o.params = {{"q", "c++ & more"}, {"limit", "10"}};
  o.headers = {{"Accept", "application/json"}, {"X-Custom", "value with spaces"}};
  o.json = R"({"name":"John Doe"})";
  auto r = client->post("/echo", o).get();
  auto doc = r.json();
  CHECK(str(doc["query"]["q"]) == "c++ & more");
  CHECK(str(doc["query"]["limit"]) == "10");
  CHECK(str(doc["headers"]["X-Custom"]) == "value with spaces");
  CHECK(str(doc["headers"]["Content-Type"]) == "application/json");
  CHECK(str(doc["headers"]["X-Request-ID"]) == r.request_id);
  CHECK(str(doc["headers"]["User-Agent"]) == std::string("rhc/") + rhc::version());
  CHECK(str(doc["body"]) == R"({"name":"John Doe"})");
  CHECK(r.header("content-type") == std::optional<std::string>("application/json"));
  CHECK(r.url == server.base_url() + "/echo?q=c%2b%2b%20%26%20more&limit=10");
  CHECK(r.attempts == 1);
}

TEST_CASE("a raw body goes out as is, with only the caller's Content-Type", "[client][methods]") {
  rhc::testing::EchoServer server;
  rhc::ResilientClient client(config_for(server));
  rhc::RequestOptions o;
  o.body = "raw-bytes";
  auto doc = client.put("/echo", o).get().json();
  CHECK(str(doc["body"]) == "raw-bytes");
  CHECK_FALSE(doc["headers"].HasMember("Content-Type"));
  rhc::RequestOptions big;
  big.body = std::string(300 * 1024, 'x');  // streamed rather than sent inline
  big.headers = {{"Content-Type", "application/octet-stream"}};
  auto doc2 = client.post("/echo", big).get().json();
  CHECK(doc2["body"].GetStringLength() == 300 * 1024);
  CHECK(str(doc2["headers"]["Content-Type"]) == "application/octet-stream");
}

TEST_CASE("custom user agent and request id reach the server", "[client][methods]") {
  rhc::testing::EchoServer server;
  auto config = config_for(server);
  config.user_agent = "MyApp/1.0";
  rhc::ResilientClient client(config);
  rhc::RequestOptions o;
  o.request_id = "custom-id-1";
  auto r = client.get("/echo", o).get();
  CHECK(r.request_id == "custom-id-1");
  auto doc = r.json();
  CHECK(str(doc["headers"]["User-Agent"]) == "MyApp/1.0");
  CHECK(str(doc["headers"]["X-Request-ID"]) == "custom-id-1");
}

TEST_CASE("redirects are followed and the effective URL reported", "[client][methods]") {
  rhc::testing::EchoServer server;
  rhc::ResilientClient client(config_for(server));
  auto r = client.get("/redirect").get();
  CHECK(r.status_code == 200);
  CHECK(r.url == server.base_url() + "/echo");

  auto config = config_for(server);
  config.follow_redirects = false;
  rhc::ResilientClient no_follow(config);
  auto r2 = no_follow.get("/redirect").get();
  CHECK(r2.status_code == 302);
  CHECK(r2.header("Location").has_value());
}

TEST_CASE("callbacks run once, on an executor thread, never the caller's", "[client][callbacks]") {
  rhc::testing::EchoServer server;
  rhc::ResilientClient client(config_for(server));
  std::promise<std::pair<rhc::Outcome, std::thread::id>> done;
  client.get("/echo", {}, [&](rhc::Outcome o) {
    done.set_value({std::move(o), std::this_thread::get_id()});
  });
  auto result = done.get_future();
  REQUIRE(result.wait_for(rhc::testing::slack(30s)) == std::future_status::ready);
  auto [outcome, thread] = result.get();
  CHECK(outcome.ok());
  CHECK(outcome.value().status_code == 200);
  CHECK(thread != std::this_thread::get_id());
}

TEST_CASE("many requests reuse one connection", "[client][pooling]") {
  rhc::testing::EchoServer server;
  rhc::ResilientClient client(config_for(server));
  for (int i = 0; i < 50; ++i) REQUIRE(client.get("/echo").get().status_code == 200);
  CHECK(server.requests_seen() == 50);
  CHECK(server.connections_seen() == 1);
}

TEST_CASE("json() on a body that is not JSON throws DecodeError", "[client][json]") {
  rhc::testing::EchoServer server;
  rhc::ResilientClient client(config_for(server));
  auto r = client.get("/text").get();
  CHECK(r.text == "not json");
  CHECK_THROWS_AS(r.json(), rhc::DecodeError);
  CHECK_THROWS_AS(r.json(), rhc::MyAPIError);
}
