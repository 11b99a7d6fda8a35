#include "chain/request.hpp"

#include <unistd.h>

#include "chain/chain.hpp"

namespace rhc::detail {

Request::~Request() {
  curl_slist_free_all(header_list);
  curl_slist_free_all(proxy_header_list);
  if (body_fd >= 0) ::close(body_fd);
}

void Request::on_timer(Timer& timer) { chain->on_timer(*this, timer); }

void Request::on_cancel() {
  // The token's lock is held and the request is live (it unsubscribes before it is
  // released), so shared_from_this() is safe; the loop does the actual work.
  cancel_sink->post_cancel(shared_from_this());
}

}  // namespace rhc::detail
