// Your own request id: derive it from what makes the operation unique (an order number, a
// job id), so that a repeat of the same operation, even from another process, carries the
// same id and the server can answer it from its idempotency cache.
#include <iostream>
#include <rhc/rhc.hpp>
#include <string>

int main(int argc, char** argv) {
  rhc::ClientConfig config;
  config.base_url = argc > 1 ? argv[1] : "http://localhost:8000";
  rhc::ResilientClient client(config);

  const std::string order_number = "A-1042";
  rhc::RequestOptions create_order;
  create_order.json = R"({"item": "widget"})";
  create_order.request_id = "create-order-" + order_number;  // the X-Request-ID of every attempt

  rhc::Response first = client.post("/msg", create_order).get();
  rhc::Response again = client.post("/msg", create_order).get();  // same id: deduplicated

  const std::string id1 = first.json()["message_id"].GetString();
  const std::string id2 = again.json()["message_id"].GetString();
  std::cout << first.request_id << ": message_id " << id1
            << (id1 == id2 ? " (the repeat got the same one)" : " (the repeat got another!)")
            << "\n";

  // An X-Request-ID header works too, when RequestOptions::request_id is not set:
  rhc::RequestOptions with_header;
  with_header.headers = {{"X-Request-ID", "create-order-" + order_number}};
  rhc::Response third = client.post("/msg", with_header).get();
  return id1 == id2 && third.json()["message_id"].GetString() == id1 ? 0 : 1;
}
