// The meson consumer: the quick start, against the base URL given as argv[1].
#include <iostream>
#include <rhc/rhc.hpp>

int main(int argc, char** argv) {
  rhc::ClientConfig config;
  config.base_url = argc > 1 ? argv[1] : "http://localhost:8000";
  rhc::ResilientClient client(config);
  rhc::Response response = client.get("/msg").get();
  std::cout << "meson consumer: Message ID: " << response.json()["message_id"].GetString() << "\n";
}
