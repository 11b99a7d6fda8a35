#include "http_server.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <stdexcept>

#include "connection.hpp"

namespace rhc::test_server::detail {
namespace {

// cpp-httplib 0.11 reads a POST/PUT/PATCH/DELETE body without Content-Length until the
// connection closes, so `curl -X POST URL` would wait for the read timeout and get a 400.
// HTTP/1.1 (RFC 9112, 6.3) says such a request has no body; say so explicitly.
void add_missing_content_length(httplib::Request& request) {
  if (!request.has_header("Content-Length") && !request.has_header("Transfer-Encoding")) {
    request.set_header("Content-Length", "0");
  }
}

}  // namespace

HttpServer::HttpServer(const StopSignal& stop, ConnectionLimits limits)
    : stop_(stop), limits_(limits) {
  // Only for the Keep-Alive header cpp-httplib writes; the loop below enforces both.
  set_keep_alive_max_count(limits.keep_alive_max_requests);
  set_keep_alive_timeout(
      std::chrono::duration_cast<std::chrono::seconds>(limits.keep_alive_timeout).count());
  // cpp-httplib's default options add SO_REUSEPORT, which would let a second server on the
  // same fixed port start silently and steal half the connections. SO_REUSEADDR alone still
  // allows a quick restart on a port in TIME_WAIT.
  set_socket_options([](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
}

int HttpServer::bind(const std::string& host, int port, int backlog) {
  const int bound = port == 0 ? bind_to_any_port(host) : (bind_to_port(host, port) ? port : -1);
  if (bound <= 0) {
    throw std::runtime_error("rhc-test-server: cannot bind " + host + ":" + std::to_string(port));
  }
  // cpp-httplib listens with a backlog of 5: a burst of 256 connects would overflow it and
  // the kernel would make clients retry their SYN a second later. Calling listen() again on
  // a listening socket only changes its backlog.
  ::listen(svr_sock_, backlog);
  return bound;
}

bool HttpServer::process_and_close_socket(socket_t sock) {
  // cpp-httplib writes headers and body separately: with Nagle on, the body waits for the
  // client's delayed ACK, 40 ms per request on every reused connection.
  int one = 1;
  setsockopt(sock, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  Connection connection(sock, stop_, limits_.io_timeout);
  CurrentConnectionScope scope(connection);
  bool ok = true;
  for (std::size_t served = 0; served < limits_.keep_alive_max_requests; ++served) {
    if (!connection.wait_for_request(limits_.keep_alive_timeout)) break;
    const bool last = served + 1 == limits_.keep_alive_max_requests || stop_.stop_requested();
    bool closed_by_client = false;
    ok = process_request(connection, last, closed_by_client, add_missing_content_length);
    if (!ok || last || closed_by_client || connection.aborted()) break;
  }
  return ok;
}

}  // namespace rhc::test_server::detail
