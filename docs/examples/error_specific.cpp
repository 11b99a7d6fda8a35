// The specific classes, and what every error carries: status_code(), attempts(),
// request_id(), method(), url() and response() (the failing response, when there was one).
#include <chrono>
#include <iostream>
#include <rhc/rhc.hpp>
#include <string>

using namespace std::chrono_literals;

int main(int argc, char** argv) {
  rhc::ClientConfig config;
  config.base_url = argc > 1 ? argv[1] : "http://localhost:8000";
  config.retry.max_attempts = 2;
  config.retry.min_wait = 100ms;
  config.timeout.read = 500ms;  // so that the hang below times out quickly
  rhc::ResilientClient client(config);

  // The test server gives the next two /msg requests whatever status or fault we ask for.
  int caught = 0;
  for (const char* fault : {"status=401", "status=404", "status=503", "kind=hang&hang_ms=2000"}) {
    client.post(std::string("/fail/count/2?") + fault).get();
    try {
      client.get("/msg").get();  // your API: "/protected-resource"
      std::cout << fault << ": no error?\n";
    } catch (const rhc::AuthenticationError& e) {  // 401, 403: not retried
      std::cout << "Need to refresh authentication token (HTTP " << e.status_code() << ", "
                << e.attempts() << " attempt)\n";
      ++caught;
    } catch (const rhc::NotFoundError& e) {  // 404: not retried
      std::cout << "Resource doesn't exist: " << e.method() << " " << e.url() << "\n";
      if (const rhc::Response* r = e.response()) std::cout << "  its body: " << r->text << "\n";
      ++caught;
    } catch (const rhc::ServiceUnavailableError& e) {  // 502, 503, 504: retried first
      std::cout << "Service is temporarily down: HTTP " << e.status_code() << " on all "
                << e.attempts() << " attempts of request " << e.request_id() << "\n";
      ++caught;
    } catch (const rhc::APITimeoutError& e) {  // client side: connect, read, write, pool, total
      std::cout << "Request timed out (" << rhc::to_string(e.which()) << " timeout, "
                << e.attempts() << " attempts)\n";
      ++caught;
    }
  }
  return caught == 4 ? 0 : 1;
}
