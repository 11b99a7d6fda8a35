// (c) Legacy threads: what rhc's users run today. One thread per request in flight, each
// looping on a blocking curl_easy_perform with its own easy handle (so its own connection).
#include "clients.hpp"

#include <curl/curl.h>

#include <string>
#include <thread>
#include <vector>

namespace rhc::bench {
namespace {

size_t append_body(char* data, size_t size, size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

void worker(Plan& plan) {
  std::string body;
  CURL* easy = curl_easy_init();
  curl_easy_setopt(easy, CURLOPT_URL, plan.url.c_str());
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, append_body);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, &body);
  // Required in a multi-threaded program (libcurl's thread-safety notes).
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  while (plan.may_issue()) {
    body.clear();
    const auto started = Clock::now();
    const CURLcode result = curl_easy_perform(easy);
    long status = 0;
    curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
    plan.completed(started, Clock::now(), result == CURLE_OK && status == 200 && !body.empty());
  }
  curl_easy_cleanup(easy);
}

class EasyThreads final : public Workload {
 public:
  void prepare(const Plan&) override { curl_global_init(CURL_GLOBAL_DEFAULT); }

  void run(Plan& plan) override {
    std::vector<std::thread> threads;
    threads.reserve(static_cast<std::size_t>(plan.concurrency));
    for (int i = 0; i < plan.concurrency; ++i) threads.emplace_back(worker, std::ref(plan));
    for (std::thread& t : threads) t.join();
  }

  void finish() override { curl_global_cleanup(); }
};

}  // namespace

std::unique_ptr<Workload> make_easy_threads() { return std::make_unique<EasyThreads>(); }

}  // namespace rhc::bench
