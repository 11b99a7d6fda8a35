#include "echo_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <mutex>
#include <stdexcept>
#include <vector>

#include <httplib.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "wait.hpp"

namespace rhc::testing {

class EchoServer::Impl {
 public:
  httplib::Server server;
  std::thread thread;
  mutable std::mutex mutex;
  std::set<int> client_ports;
};

namespace {

std::string echo_json(const httplib::Request& req) {
  rapidjson::StringBuffer out;
  rapidjson::Writer<rapidjson::StringBuffer> w(out);
  w.StartObject();
  w.Key("method");
  w.String(req.method.c_str());
  w.Key("path");
  w.String(req.path.c_str());
  w.Key("query");
  w.StartObject();
  for (const auto& [k, v] : req.params) {
    w.Key(k.c_str());
    w.String(v.c_str());
  }
  w.EndObject();
  w.Key("headers");
  w.StartObject();
  for (const auto& [k, v] : req.headers) {
    w.Key(k.c_str());
    w.String(v.c_str());
  }
  w.EndObject();
  w.Key("body");
  w.String(req.body.c_str(), static_cast<rapidjson::SizeType>(req.body.size()));
  w.EndObject();
  return out.GetString();
}

}  // namespace

EchoServer::EchoServer() : impl_(std::make_unique<Impl>()) {
  auto& s = impl_->server;
  s.new_task_queue = [] { return new httplib::ThreadPool(64); };
  // Without TCP_NODELAY, httplib's separate header and body writes meet the client's delayed
  // ACK: 40 ms per request on a reused connection. And keep connections for the whole test.
  s.set_tcp_nodelay(true);
  s.set_keep_alive_max_count(100000);
  auto record = [this](const httplib::Request& req) {
    ++requests_;
    std::lock_guard<std::mutex> lock(impl_->mutex);
    impl_->client_ports.insert(req.remote_port);
  };
  auto echo = [record](const httplib::Request& req, httplib::Response& res) {
    record(req);
    res.set_content(echo_json(req), "application/json");
  };
  s.Get("/echo", echo);
  s.Post("/echo", echo);
  s.Put("/echo", echo);
  s.Patch("/echo", echo);
  s.Delete("/echo", echo);
  s.Options("/echo", echo);
  // /status/418?retry_after=2
  s.Get(R"(/status/(\d+))", [record](const httplib::Request& req, httplib::Response& res) {
    record(req);
    res.status = std::stoi(req.matches[1]);
    if (req.has_param("retry_after"))
      res.set_header("Retry-After", req.get_param_value("retry_after"));
    res.set_content(R"({"error":"injected"})", "application/json");
  });
  s.Get("/text", [record](const httplib::Request& req, httplib::Response& res) {
    record(req);
    res.set_content("not json", "text/plain");
  });
  s.Get("/redirect", [record](const httplib::Request& req, httplib::Response& res) {
    record(req);
    res.set_redirect("/echo");
  });
  // /redirect-to?url=...[&status=307]: a redirect anywhere (another origin, another
  // scheme), 302 unless told otherwise, whatever the method.
  auto redirect_to = [record](const httplib::Request& req, httplib::Response& res) {
    record(req);
    const int status = req.has_param("status") ? std::stoi(req.get_param_value("status")) : 302;
    res.set_redirect(req.get_param_value("url"), status);
  };
  s.Get("/redirect-to", redirect_to);
  s.Post("/redirect-to", redirect_to);
  s.Put("/redirect-to", redirect_to);
  s.Get("/redirect-loop", [record](const httplib::Request& req, httplib::Response& res) {
    record(req);
    res.set_redirect("/redirect-loop");
  });
  // /bytes?n=N: N bytes of body. /header-flood?n=N: N response headers of 1 KiB each.
  s.Get("/bytes", [record](const httplib::Request& req, httplib::Response& res) {
    record(req);
    res.set_content(std::string(std::stoul(req.get_param_value("n")), 'x'),
                    "application/octet-stream");
  });
  s.Get("/header-flood", [record](const httplib::Request& req, httplib::Response& res) {
    record(req);
    const int n = std::stoi(req.get_param_value("n"));
    for (int i = 0; i < n; ++i)
      res.set_header("X-Flood-" + std::to_string(i), std::string(1024, 'h'));
    res.set_content("{}", "application/json");
  });
  port_ = s.bind_to_any_port("127.0.0.1");
  if (port_ <= 0) throw std::runtime_error("EchoServer: cannot bind");
  impl_->thread = std::thread([this] { impl_->server.listen_after_bind(); });
  if (!eventually([this] { return impl_->server.is_running(); }, std::chrono::seconds(30),
                  std::chrono::milliseconds(1))) {
    impl_->server.stop();
    impl_->thread.join();
    throw std::runtime_error("EchoServer: not running 30 s after start");
  }
}

EchoServer::~EchoServer() {
  impl_->server.stop();
  impl_->thread.join();
}

std::string EchoServer::base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }

std::size_t EchoServer::connections_seen() const {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return impl_->client_ports.size();
}

SilentServer::SilentServer(bool accept_connections) {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    throw std::runtime_error("SilentServer: cannot bind");
  }
  ::listen(listen_fd_, accept_connections ? 4096 : 0);
  socklen_t len = sizeof addr;
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  if (!accept_connections) {
    // Fill the backlog with one connection nobody accepts: further SYNs are dropped, so a
    // client's connect hangs until its connect timeout.
    int filler = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    ::connect(filler, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    thread_ = std::thread([this, filler] {
      while (!stop_) std::this_thread::sleep_for(std::chrono::milliseconds(20));
      ::close(filler);
    });
    return;
  }
  thread_ = std::thread([this] {
    std::vector<int> held;
    while (!stop_) {
      pollfd p{listen_fd_, POLLIN, 0};
      if (::poll(&p, 1, 20) <= 0) continue;
      int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd >= 0) {
        held.push_back(fd);
        ++accepted_;
      }
    }
    for (int fd : held) ::close(fd);
  });
}

SilentServer::~SilentServer() {
  stop_ = true;
  thread_.join();
  ::close(listen_fd_);
}

std::string SilentServer::base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }

}  // namespace rhc::testing
