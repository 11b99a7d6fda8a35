// Every method, with query parameters, headers, a JSON or raw body and a per-request timeout.
// The test server answers GET, POST, PUT, PATCH, DELETE (and HEAD) on /msg; against your
// own API the paths would be /users, /users/123, /search ...
#include <chrono>
#include <future>
#include <iostream>
#include <rhc/rhc.hpp>

using namespace std::chrono_literals;

int main(int argc, char** argv) {
  rhc::ClientConfig config;
  config.base_url = argc > 1 ? argv[1] : "http://localhost:8000";
  rhc::ResilientClient client(config);

  // GET
  rhc::Response response = client.get("/msg").get();

  // POST with a JSON body (Content-Type: application/json is set for you)
  rhc::RequestOptions create;
  create.json = R"({"name": "John Doe"})";
  response = client.post("/msg", create).get();

  // PUT with a JSON body and custom headers
  rhc::RequestOptions update;
  update.json = R"({"name": "Jane Doe"})";
  update.headers = {{"Authorization", "Bearer token"}};  // never written to the logs
  response = client.put("/msg", update).get();

  // PATCH with a raw body: sent as is, with the Content-Type you give (none otherwise)
  rhc::RequestOptions patch;
  patch.body = "name=Jane";
  patch.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
  response = client.patch("/msg", patch).get();

  // DELETE (`delete` is a C++ keyword, hence del) and HEAD
  response = client.del("/msg").get();
  response = client.head("/msg").get();

  // Query parameters, headers and a per-request timeout (the Python guide's httpx.Timeout(30.0))
  rhc::RequestOptions search;
  search.params = {{"q", "c++ & curl"}, {"limit", "10"}};  // URL-encoded for you, in order
  search.headers = {{"Accept", "application/json"}};
  search.timeout = rhc::TimeoutConfig::all(30s);  // connect, read, write and pool = 30 s
  response = client.get("/msg", search).get();
  std::cout << "GET " << response.url << " -> " << response.status_code << "\n";

  // Any method, by name (get() is request("GET", ...))
  response = client.request("GET", "/health").get();

  // Futures make fan-out easy: start all, then collect. The requests run concurrently.
  std::future<rhc::Response> a = client.get("/msg");
  std::future<rhc::Response> b = client.get("/msg");
  std::cout << a.get().json()["message_id"].GetString() << "\n"
            << b.get().json()["message_id"].GetString() << "\n";
}
