// An out-of-tree consumer of the installed rhc: built by run.sh with nothing but
//   c++ -std=c++17 -Wall -Wextra -Werror consumer.cpp $(pkg-config --cflags --libs rhc)
// and run against rhc-test-server. Prints what run.sh checks.
#include <chrono>
#include <cstring>
#include <iostream>
#include <rhc/rhc.hpp>
#include <string>

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: consumer BASE_URL\n";
    return 2;
  }
  // The headers this program was compiled with and the library it loaded must agree.
  std::cout << "consumer: rhc " << RHC_VERSION_STRING << " (loaded " << rhc::version() << ")\n";
  if (std::strcmp(RHC_VERSION_STRING, rhc::version()) != 0) return 1;

  rhc::ClientConfig config;
  config.base_url = argv[1];
  config.retry.min_wait = std::chrono::milliseconds(50);
  config.logging.level = "WARNING";
  auto client = rhc::create_resilient_client(config);

  rhc::Response response = client->get("/msg").get();
  std::cout << "consumer: GET /msg -> " << response.status_code << " message_id "
            << response.json()["message_id"].GetString() << "\n";

  client->post("/fail/count/2").get();
  response = client->get("/msg").get();
  std::cout << "consumer: after 2 injected failures -> " << response.status_code << " in "
            << response.attempts << " attempts\n";

  client->post("/fail/count/1?status=404").get();
  try {
    client->get("/msg").get();
    return 1;
  } catch (const rhc::NotFoundError& e) {
    std::cout << "consumer: NotFoundError status " << e.status_code() << " attempts "
              << e.attempts() << "\n";
  }
  client->close();
  std::cout << "consumer: ok\n";
}
