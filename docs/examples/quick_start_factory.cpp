// Quick start with the Python guide's factory, create_resilient_client: a std::unique_ptr to a
// client, for when the client lives in a member or is handed around.
#include <iostream>
#include <memory>
#include <rhc/rhc.hpp>

int main(int argc, char** argv) {
  rhc::ClientConfig config;
  config.base_url = argc > 1 ? argv[1] : "http://localhost:8000";

  std::unique_ptr<rhc::ResilientClient> client = rhc::create_resilient_client(config);
  rhc::Response response = client->get("/msg").get();  // throws an rhc::MyAPIError on failure
  std::cout << response.text << "\n";
}  // ~unique_ptr -> ~ResilientClient -> close(): nothing is left running
