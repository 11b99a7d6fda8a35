// (b) The minimal raw libcurl multi loop: the limit for any libcurl wrapper.
//
// Deliberately naive, like the first loop anyone writes from libcurl's multi-app.c: one
// thread, one easy handle per slot with only the options a transfer needs (URL, where the
// body goes), re-added to the multi handle for the next request so its connection is reused;
// curl_multi_perform, reap CURLMSG_DONE, curl_multi_poll. The body is kept in a std::string,
// as any real client keeps it; headers are not collected.
#include "clients.hpp"

#include <curl/curl.h>

#include <stdexcept>
#include <string>
#include <vector>

namespace rhc::bench {
namespace {

struct Slot {
  CURL* easy = nullptr;
  std::string body;
  Clock::time_point started;
};

size_t append_body(char* data, size_t size, size_t count, void* user) {
  static_cast<Slot*>(user)->body.append(data, size * count);
  return size * count;
}

// (b') The same loop with libcurl configured for speed ("raw-tuned"): the proxy
// settings said explicitly, even empty, so libcurl stops reading http_proxy, no_proxy...
// from the environment on every transfer; and the URL handed over already parsed
// (CURLOPT_CURLU), so libcurl does not parse the URL string again for every transfer. One
// CURLU serves every handle: libcurl only reads it.
void tune(CURL* easy, CURLU* url) {
  curl_easy_setopt(easy, CURLOPT_PROXY, "");
  curl_easy_setopt(easy, CURLOPT_NOPROXY, "");
  curl_easy_setopt(easy, CURLOPT_CURLU, url);
}

class RawMulti final : public Workload {
 public:
  explicit RawMulti(bool tuned) : tuned_(tuned) {}
  ~RawMulti() override { curl_url_cleanup(url_); }

  void prepare(const Plan& plan) override {
    curl_global_init(CURL_GLOBAL_DEFAULT);
    multi_ = curl_multi_init();
    if (multi_ == nullptr) throw std::runtime_error("curl_multi_init failed");
    if (tuned_) {
      url_ = curl_url();
      if (curl_url_set(url_, CURLUPART_URL, plan.url.c_str(), 0) != CURLUE_OK) {
        throw std::runtime_error("bad URL " + plan.url);
      }
    }
  }

  void run(Plan& plan) override {
    std::vector<Slot> slots(static_cast<std::size_t>(plan.concurrency));
    int active = 0;
    for (Slot& slot : slots) {
      slot.easy = curl_easy_init();
      curl_easy_setopt(slot.easy, CURLOPT_URL, plan.url.c_str());
      curl_easy_setopt(slot.easy, CURLOPT_WRITEFUNCTION, append_body);
      curl_easy_setopt(slot.easy, CURLOPT_WRITEDATA, &slot);
      curl_easy_setopt(slot.easy, CURLOPT_PRIVATE, &slot);
      if (url_ != nullptr) tune(slot.easy, url_);
      if (issue(plan, slot)) ++active;
    }
    while (active > 0) {
      int running = 0;
      curl_multi_perform(multi_, &running);
      int queued = 0;
      while (CURLMsg* msg = curl_multi_info_read(multi_, &queued)) {
        if (msg->msg != CURLMSG_DONE) continue;
        Slot* slot = nullptr;
        curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &slot);
        long status = 0;
        curl_easy_getinfo(msg->easy_handle, CURLINFO_RESPONSE_CODE, &status);
        const bool ok = msg->data.result == CURLE_OK && status == 200 && !slot->body.empty();
        plan.completed(slot->started, Clock::now(), ok);
        curl_multi_remove_handle(multi_, slot->easy);
        if (!issue(plan, *slot)) --active;
      }
      if (active > 0) curl_multi_poll(multi_, nullptr, 0, 100, nullptr);
    }
    for (Slot& slot : slots) curl_easy_cleanup(slot.easy);
  }

  void finish() override {
    curl_multi_cleanup(multi_);
    curl_global_cleanup();
  }

 private:
  bool issue(Plan& plan, Slot& slot) {
    if (!plan.may_issue()) return false;
    slot.body.clear();
    slot.started = Clock::now();
    curl_multi_add_handle(multi_, slot.easy);
    return true;
  }

  bool tuned_;
  CURLU* url_ = nullptr;
  CURLM* multi_ = nullptr;
};

}  // namespace

std::unique_ptr<Workload> make_raw_multi(bool tuned) { return std::make_unique<RawMulti>(tuned); }

}  // namespace rhc::bench
