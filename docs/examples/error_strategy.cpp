// An error-handling strategy by family: let the client's retries do their work, react to
// the few client errors you can fix, and let the rest propagate.
#include <iostream>
#include <optional>
#include <rhc/rhc.hpp>
#include <string>

std::string token = "expired";
void refresh_token() { token = "fresh"; }

// The data, or nullopt when it does not exist.
std::optional<rhc::Response> api_operation(rhc::ResilientClient& client) {
  for (int tries = 0;; ++tries) {
    rhc::RequestOptions options;
    options.headers = {{"Authorization", "Bearer " + token}};
    try {
      return client.get("/msg", options).get();
    } catch (const rhc::APIConnectionError&) {
      // Service or network issue, already retried by the client; consider backing off at
      // the application level (see "Error recovery strategies").
      throw;
    } catch (const rhc::AuthenticationError&) {
      if (tries > 0) throw;  // refreshed once already: a real authorisation problem
      refresh_token();       // then go round once more
    } catch (const rhc::NotFoundError&) {
      return std::nullopt;  // a missing resource is an answer, not an error
    }
    // Other APIStatusErrors (400, 422, ...) propagate: the request itself is wrong.
  }
}

int main(int argc, char** argv) {
  rhc::ClientConfig config;
  config.base_url = argc > 1 ? argv[1] : "http://localhost:8000";
  rhc::ResilientClient client(config);

  client.post("/fail/count/1?status=401").get();  // as if the token had expired
  std::optional<rhc::Response> data = api_operation(client);
  std::cout << (data ? "got the data with a refreshed token\n" : "no data\n");
  return data && token == "fresh" ? 0 : 1;
}
