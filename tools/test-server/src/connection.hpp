// One accepted TCP connection, as the httplib::Stream that cpp-httplib parses requests from
// and writes responses to.
//
// cpp-httplib 0.11 never shows a handler its socket, so a handler cannot reset or cut short
// the connection it is answering. Owning the Stream gives that control without touching the
// socket behind cpp-httplib's back: a handler calls Connection::current()->abort(), every
// later write fails (so not one response byte leaves), cpp-httplib gives up on the
// connection, and the destructor closes it with SO_LINGER 0, which sends a TCP RST.
#pragma once

#include <httplib.h>

#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <string>

#include "stop_signal.hpp"

namespace rhc::test_server::detail {

class Connection final : public httplib::Stream {
 public:
  // Takes ownership of `fd`. Reads and writes give up after `io_timeout` or once `stop` is
  // requested.
  Connection(int fd, const StopSignal& stop, std::chrono::milliseconds io_timeout);
  ~Connection() override;  // closes the socket: a FIN normally, an RST once aborted
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  bool is_readable() const override;
  bool is_writable() const override;
  ssize_t read(char* ptr, size_t size) override;
  ssize_t write(const char* ptr, size_t size) override;
  void get_remote_ip_and_port(std::string& ip, int& port) const override;
  void get_local_ip_and_port(std::string& ip, int& port) const override;
  int socket() const override { return fd_; }

  // Waits up to `idle` for the first byte of the next request. False on timeout, on stop, or
  // if the peer closed without sending anything.
  bool wait_for_request(std::chrono::milliseconds idle) const;

  // True if the peer has closed (or reset) the connection: a FIN or RST has arrived and no
  // unread byte is ahead of it. Does not wait. A half-close by a client that still reads looks
  // the same; HTTP clients do not do that.
  bool peer_gone() const;

  // Makes every later write fail and the close an RST. Called by the handler thread that
  // serves this connection.
  void abort() { aborted_.store(true); }
  bool aborted() const { return aborted_.load(); }

  // The connection the calling worker thread is serving, or nullptr outside a handler.
  static Connection* current();

 private:
  friend class CurrentConnectionScope;
  enum class Ready { yes, timed_out, stopped, failed };
  Ready wait_until(short events, std::chrono::milliseconds timeout) const;

  int fd_;
  const StopSignal& stop_;
  std::chrono::milliseconds io_timeout_;
  std::atomic<bool> aborted_{false};
  // cpp-httplib reads request lines one byte at a time; a buffer saves a syscall per byte.
  std::array<char, 4096> buffer_{};
  std::size_t buffer_begin_ = 0;
  std::size_t buffer_end_ = 0;
};

// Makes `connection` the calling thread's Connection::current() for this scope.
class CurrentConnectionScope {
 public:
  explicit CurrentConnectionScope(Connection& connection);
  ~CurrentConnectionScope();
  CurrentConnectionScope(const CurrentConnectionScope&) = delete;
  CurrentConnectionScope& operator=(const CurrentConnectionScope&) = delete;
};

}  // namespace rhc::test_server::detail
