// (b) The minimal raw libcurl multi loop: the limit for any libcurl wrapper.
//
// Deliberately naive, like the first loop anyone writes from libcurl's multi-app.c: one
// thread, one easy handle per slot with only the options a transfer needs (URL, where the
// body goes), re-added to the multi handle for the next request so its connection is reused;
// curl_multi_perform, reap CURLMSG_DONE, curl_multi_poll. The body is kept in a std::string,
// as any real client keeps it; headers are not collected.
#include <curl/curl.h>

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

#include "clients.hpp"

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

// Per-transfer libcurl settings the naive loop leaves at their defaults, by name, for (b')
// and for measuring what one setting costs (rhc-bench-curl raw --libcurl proxy,curlu,...):
//   proxy  CURLOPT_PROXY and CURLOPT_NOPROXY set, even empty: libcurl stops reading
//          http_proxy, no_proxy... from the environment on every transfer
//   curlu  the URL handed over parsed (CURLOPT_CURLU), so libcurl does not parse the URL
//          string again for every transfer; one CURLU serves every handle (libcurl only
//          reads it)
//   ua     a User-Agent header, as rhc sends ("rhc/0.1.0")
//   xid    an X-Request-ID request header, as rhc sends
//   hdr    rhc's request headers: an X-Request-ID and "Expect:"
//   hfn    a header callback (CURLOPT_HEADERFUNCTION) that looks at nothing
//   enc    CURLOPT_ACCEPT_ENCODING "" (every encoding libcurl can decode)
//   gzip   CURLOPT_ACCEPT_ENCODING "gzip", as rhc sets
//   fresh  a new easy handle for every request (curl_easy_cleanup + curl_easy_init and the
//          options again), as rhc does on libcurl < 8.1.0 to stay clear of curl issue 11101
//          (a folded first header on a reused handle frees memory twice)
struct Settings {
  bool proxy = false, curlu = false, ua = false, xid = false, hdr = false, hfn = false, enc = false,
       gzip = false, fresh = false;
};

Settings parse_settings(const std::string& list) {
  Settings s;
  std::size_t start = 0;
  while (start <= list.size()) {
    const std::size_t comma = std::min(list.find(',', start), list.size());
    const std::string name = list.substr(start, comma - start);
    if (name == "proxy") {
      s.proxy = true;
    } else if (name == "curlu") {
      s.curlu = true;
    } else if (name == "ua") {
      s.ua = true;
    } else if (name == "xid") {
      s.xid = true;
    } else if (name == "hdr") {
      s.hdr = true;
    } else if (name == "hfn") {
      s.hfn = true;
    } else if (name == "enc") {
      s.enc = true;
    } else if (name == "gzip") {
      s.gzip = true;
    } else if (name == "fresh") {
      s.fresh = true;
    } else if (!name.empty()) {
      throw std::invalid_argument("unknown --libcurl setting '" + name + "'");
    }
    start = comma + 1;
  }
  return s;
}

size_t ignore_header(char*, size_t size, size_t count, void*) { return size * count; }

class RawMulti final : public Workload {
 public:
  explicit RawMulti(Settings settings) : settings_(settings) {}
  ~RawMulti() override {
    curl_slist_free_all(headers_);
    curl_url_cleanup(url_);
  }

  void prepare(const Plan& plan) override {
    curl_global_init(CURL_GLOBAL_DEFAULT);
    multi_ = curl_multi_init();
    if (multi_ == nullptr) throw std::runtime_error("curl_multi_init failed");
    if (settings_.xid || settings_.hdr) {
      headers_ = curl_slist_append(nullptr, "X-Request-ID: 5b0e3c1e-8d2a-4c61-9a57-0f1d2e3c4b5a");
    }
    if (settings_.hdr) headers_ = curl_slist_append(headers_, "Expect:");
    if (settings_.curlu) {
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
      make_easy(plan, slot);
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
        if (settings_.fresh) {
          curl_easy_cleanup(slot->easy);
          make_easy(plan, *slot);
        }
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
  void make_easy(const Plan& plan, Slot& slot) const {
    slot.easy = curl_easy_init();
    curl_easy_setopt(slot.easy, CURLOPT_URL, plan.url.c_str());
    curl_easy_setopt(slot.easy, CURLOPT_WRITEFUNCTION, append_body);
    curl_easy_setopt(slot.easy, CURLOPT_WRITEDATA, &slot);
    curl_easy_setopt(slot.easy, CURLOPT_PRIVATE, &slot);
    apply(slot.easy);
  }

  void apply(CURL* easy) const {
    if (settings_.proxy) {
      curl_easy_setopt(easy, CURLOPT_PROXY, "");
      curl_easy_setopt(easy, CURLOPT_NOPROXY, "");
    }
    if (settings_.curlu) curl_easy_setopt(easy, CURLOPT_CURLU, url_);
    if (settings_.ua) curl_easy_setopt(easy, CURLOPT_USERAGENT, "rhc/0.1.0");
    if (headers_ != nullptr) curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers_);
    if (settings_.hfn) curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, ignore_header);
    if (settings_.enc) curl_easy_setopt(easy, CURLOPT_ACCEPT_ENCODING, "");
    if (settings_.gzip) curl_easy_setopt(easy, CURLOPT_ACCEPT_ENCODING, "gzip");
  }

  bool issue(Plan& plan, Slot& slot) {
    if (!plan.may_issue()) return false;
    slot.body.clear();
    slot.started = Clock::now();
    curl_multi_add_handle(multi_, slot.easy);
    return true;
  }

  Settings settings_;
  CURLU* url_ = nullptr;
  curl_slist* headers_ = nullptr;
  CURLM* multi_ = nullptr;
};

}  // namespace

std::unique_ptr<Workload> make_raw_multi(const std::string& libcurl_settings) {
  return std::make_unique<RawMulti>(parse_settings(libcurl_settings));
}

}  // namespace rhc::bench
