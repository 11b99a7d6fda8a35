#include "byte_server.hpp"

#include <httplib.h>

#include <chrono>
#include <stdexcept>
#include <thread>

namespace rhc::bench {

struct ByteServer::Impl {
  httplib::Server server;
  std::thread thread;
  int port = 0;
  std::string block = std::string(256 * 1024, 'x');
};

ByteServer::ByteServer() : impl_(std::make_unique<Impl>()) {
  Impl& s = *impl_;
  s.server.Get(R"(/bytes/(\d+))", [&s](const httplib::Request& req, httplib::Response& res) {
    const std::size_t n = std::stoull(req.matches[1].str());
    res.set_content_provider(n, "application/octet-stream",
                             [&s](std::size_t, std::size_t length, httplib::DataSink& sink) {
                               return sink.write(s.block.data(), std::min(length, s.block.size()));
                             });
  });
  s.port = s.server.bind_to_any_port("127.0.0.1");
  if (s.port <= 0) throw std::runtime_error("ByteServer: cannot bind 127.0.0.1");
  s.thread = std::thread([&s] { s.server.listen_after_bind(); });
  for (int i = 0; i < 3000 && !s.server.is_running(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

ByteServer::~ByteServer() {
  impl_->server.stop();
  impl_->thread.join();
}

std::string ByteServer::url(std::size_t bytes) const {
  return "http://127.0.0.1:" + std::to_string(impl_->port) + "/bytes/" + std::to_string(bytes);
}

}  // namespace rhc::bench
