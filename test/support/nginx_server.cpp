#include "nginx_server.hpp"

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <system_error>
#include <thread>
#include <vector>

#include "test_certs.hpp"
#include "text_files.hpp"

namespace rhc::testing {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// Generous: a sanitizer build of the test slows only the test, but the machine may be busy.
constexpr std::chrono::seconds kStartTimeout{20};
constexpr std::chrono::seconds kStopTimeout{5};
constexpr int kStartAttempts = 5;

// Thrown when a port picked as free was taken before nginx bound it: start again elsewhere.
struct PortTaken : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// $RHC_NGINX, else `nginx` on PATH or in the sbin folders a non-root PATH often lacks.
std::string find_nginx() {
  if (const char* chosen = std::getenv("RHC_NGINX"); chosen && *chosen) {
    if (access(chosen, X_OK) == 0) return chosen;
    throw std::runtime_error(std::string("NginxServer: RHC_NGINX=") + chosen +
                             " is not an executable file: apt-get install nginx-light, or point "
                             "RHC_NGINX at nginx");
  }
  std::vector<std::string> folders;
  if (const char* path = std::getenv("PATH")) {
    std::istringstream list(path);
    for (std::string folder; std::getline(list, folder, ':');) folders.push_back(folder);
  }
  folders.insert(folders.end(), {"/usr/sbin", "/usr/local/sbin", "/sbin"});
  for (const std::string& folder : folders) {
    const fs::path candidate = fs::path(folder.empty() ? "." : folder) / "nginx";
    if (access(candidate.c_str(), X_OK) == 0) return candidate.string();
  }
  throw std::runtime_error(
      "NginxServer: nginx not found (PATH, /usr/sbin, /usr/local/sbin): apt-get install "
      "nginx-light (tools/dev.sh installs it), or set RHC_NGINX to the program");
}

// nginx cannot bind port 0 and report the port, so the ports are picked here: bound to port 0
// all at once (so they differ), then released for nginx. Another process may take one in
// between; the caller then starts again with new ones.
std::vector<int> free_ports(int count) {
  std::vector<int> sockets;
  std::vector<int> ports;
  for (int i = 0; i < count; ++i) {
    const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
      const int error = errno;
      if (fd >= 0) close(fd);
      for (int open : sockets) close(open);
      throw std::system_error(error, std::generic_category(), "NginxServer: free port");
    }
    sockets.push_back(fd);
    ports.push_back(ntohs(address.sin_port));
  }
  for (int fd : sockets) close(fd);
  return ports;
}

// Byte i is i % 251: a period prime to every buffer size, so a chunk delivered twice, lost or
// out of order changes the bytes, not only the length.
void write_large_file(const fs::path& path) {
  std::string block(251 * 1024, '\0');
  for (std::size_t i = 0; i < block.size(); ++i) block[i] = static_cast<char>(i % 251);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  std::size_t left = NginxServer::kLargeFileBytes;
  while (left > 0) {
    const std::size_t n = std::min(left, block.size());
    out.write(block.data(), static_cast<std::streamsize>(n));
    left -= n;
  }
  if (!out) throw std::runtime_error("NginxServer: cannot write " + path.string());
}

std::string routes() {
  return R"(
    location = /small { return 200 '{"ok":true}'; }
    location = /large {
      default_type application/octet-stream;
      try_files /large.bin =404;
    }
    location / { return 404 '{"error":"no such route"}'; }
)";
}

std::string server_block(const std::string& listen, const std::string& extra = "") {
  return "  server {\n" + listen + extra + routes() + "  }\n";
}

using Ports = std::array<int, 7>;  // indexed by NginxListener
static_assert(static_cast<int>(NginxListener::wrong_name) == 6, "one port per listener");

// The http block's shared settings; @PREFIX@, @SERVER_CERT@ and @SERVER_KEY@ are filled in.
// Headers set here reach every location (no server or location adds its own). Every path
// nginx would otherwise write to (its compiled-in /var/lib/nginx, /var/log/nginx) is in the
// prefix, so it runs unprivileged too.
constexpr const char* kConfigHead = R"(daemon off;
master_process off;
worker_processes 1;
pid @PREFIX@/nginx.pid;
error_log @PREFIX@/nginx.log info;
events { worker_connections 1024; }
http {
  access_log off;
  server_tokens off;
  default_type application/json;
  root @PREFIX@/www;
  client_max_body_size 0;
  keepalive_timeout 60s;
  client_body_temp_path @PREFIX@/tmp/body;
  proxy_temp_path @PREFIX@/tmp/proxy;
  fastcgi_temp_path @PREFIX@/tmp/fastcgi;
  uwsgi_temp_path @PREFIX@/tmp/uwsgi;
  scgi_temp_path @PREFIX@/tmp/scgi;
  ssl_certificate @SERVER_CERT@;
  ssl_certificate_key @SERVER_KEY@;
  ssl_protocols TLSv1.2 TLSv1.3;
  add_header X-Protocol $server_protocol always;
  add_header X-Connection $connection always;
  add_header X-Connection-Requests $connection_requests always;
  add_header X-TLS-Protocol $ssl_protocol always;
  add_header X-Client-Verify $ssl_client_verify always;
  add_header X-Client-Subject $ssl_client_s_dn always;
)";

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

std::string config(const std::string& prefix, const Ports& ports, const std::string& socket,
                   const TestCerts& certs) {
  const auto port = [&ports](NginxListener listener) {
    return std::to_string(ports[static_cast<int>(listener)]);
  };
  std::string text = replace_all(kConfigHead, "@PREFIX@", prefix);
  text = replace_all(text, "@SERVER_CERT@", certs.server_cert);
  text = replace_all(text, "@SERVER_KEY@", certs.server_key);
  const auto tls = [&port](NginxListener listener) {
    return "    listen 127.0.0.1:" + port(listener) + " ssl http2;\n";
  };
  text += server_block("    listen 127.0.0.1:" + port(NginxListener::http) +
                       ";\n    listen unix:" + socket + ";\n");
  text += server_block("    listen 127.0.0.1:" + port(NginxListener::h2c) + " http2;\n");
  text += server_block(tls(NginxListener::https));
  text += server_block(tls(NginxListener::mtls),
                       "    ssl_verify_client on;\n"
                       "    ssl_client_certificate " +
                           certs.ca_cert + ";\n");
  text += server_block(tls(NginxListener::tls12), "    ssl_protocols TLSv1.2;\n");
  text += server_block(
      tls(NginxListener::goaway),
      "    keepalive_requests " + std::to_string(NginxServer::kGoawayAfterRequests) + ";\n");
  text += server_block(tls(NginxListener::wrong_name),
                       "    ssl_certificate " + certs.wrong_name_cert + ";\n" +
                           "    ssl_certificate_key " + certs.wrong_name_key + ";\n");
  text += "}\n";
  return text;
}

// fork rather than posix_spawn, for PR_SET_PDEATHSIG: nginx gets SIGTERM when the thread that
// started it dies, so a crashed or killed test process leaves no nginx behind. Between fork
// and exec the child makes only async-signal-safe calls (the test process has threads).
pid_t spawn(const std::string& nginx, const std::string& prefix, const std::string& log) {
  std::vector<std::string> args{nginx, "-p", prefix + "/", "-c", prefix + "/nginx.conf", "-e", log};
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid < 0) throw std::system_error(errno, std::generic_category(), "NginxServer: fork");
  if (pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (getppid() != parent) _exit(127);  // the parent died before prctl
    // A blocked signal stays blocked across exec, and nginx needs SIGTERM to stop.
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    const int out = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    const int in = open("/dev/null", O_RDONLY);
    if (out < 0 || in < 0) _exit(127);
    dup2(in, STDIN_FILENO);
    dup2(out, STDOUT_FILENO);
    dup2(out, STDERR_FILENO);
    // Sockets and files the test has open (without O_CLOEXEC) are not nginx's to keep.
    close_range(3, ~0U, 0);
    execv(argv[0], argv.data());
    _exit(127);
  }
  return pid;
}

// True once nginx answers a request on the unix socket: its event loop runs only after every
// listener is bound, so from then on every port is nginx's.
bool answers(const std::string& socket_path) {
  const int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::strncpy(address.sun_path, socket_path.c_str(), sizeof address.sun_path - 1);
  timeval timeout{1, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
  std::string reply;
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0) {
    const std::string request = "GET /small HTTP/1.0\r\nHost: localhost\r\n\r\n";
    if (send(fd, request.data(), request.size(), MSG_NOSIGNAL) ==
        static_cast<ssize_t>(request.size())) {
      char buffer[512];
      ssize_t n = 0;
      while ((n = recv(fd, buffer, sizeof buffer, 0)) > 0) reply.append(buffer, n);
    }
  }
  close(fd);
  return reply.rfind("HTTP/1.1 200", 0) == 0;
}

fs::path make_prefix() {
  // A unix socket path is at most 107 bytes: a long TMPDIR would not fit it.
  fs::path base = fs::temp_directory_path();
  if (base.string().size() > 60) base = "/tmp";
  std::string pattern = (base / "rhc-nginx.XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) {
    throw std::system_error(errno, std::generic_category(), "NginxServer: mkdtemp " + pattern);
  }
  return pattern;
}

}  // namespace

NginxServer::NginxServer() {
  const std::string nginx = find_nginx();
  const TestCerts& certs = test_certs();
  prefix_ = make_prefix().string();
  try {
    for (const char* folder : {"www", "tmp"}) fs::create_directory(fs::path(prefix_) / folder);
    unix_socket_ = prefix_ + "/nginx.sock";
    large_file_ = prefix_ + "/www/large.bin";
    write_large_file(large_file_);
    for (int attempt = 1;; ++attempt) {
      try {
        const std::vector<int> picked = free_ports(static_cast<int>(ports_.size()));
        std::copy(picked.begin(), picked.end(), ports_.begin());
        write_file(fs::path(prefix_) / "nginx.conf", config(prefix_, ports_, unix_socket_, certs));
        // A fresh log per attempt: an old "Address already in use" would read as a new one.
        fs::remove(fs::path(prefix_) / "nginx.log");
        fs::remove(unix_socket_);
        pid_ = spawn(nginx, prefix_, prefix_ + "/nginx.log");
        start_once();
        return;
      } catch (const PortTaken& taken) {
        if (attempt == kStartAttempts) {
          throw std::runtime_error("NginxServer: a port was taken before nginx bound it, " +
                                   std::to_string(attempt) + " times; nginx's last log:\n" +
                                   taken.what());
        }
      }
    }
  } catch (...) {
    stop();
    std::error_code ignored;
    fs::remove_all(prefix_, ignored);
    throw;
  }
}

NginxServer::~NginxServer() {
  stop();
  std::error_code ignored;
  fs::remove_all(prefix_, ignored);
}

void NginxServer::start_once() {
  const auto deadline = Clock::now() + kStartTimeout;
  while (Clock::now() < deadline) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      const std::string text = log();
      if (text.find("Address already in use") != std::string::npos) throw PortTaken(text);
      const std::string how = WIFEXITED(status)
                                  ? "with status " + std::to_string(WEXITSTATUS(status))
                                  : "on signal " + std::to_string(WTERMSIG(status));
      throw std::runtime_error("NginxServer: nginx exited " + how + " before answering; its log (" +
                               prefix_ + "/nginx.log):\n" + text);
    }
    // nginx retries a failed bind for 2.5 s before giving up: no need to wait for that.
    if (const std::string text = log(); text.find("Address already in use") != std::string::npos) {
      stop();
      throw PortTaken(text);
    }
    if (answers(unix_socket_)) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  const std::string text = log();
  stop();
  throw std::runtime_error("NginxServer: nginx did not answer within " +
                           std::to_string(kStartTimeout.count()) + " s; its log:\n" + text);
}

void NginxServer::stop() noexcept {
  if (pid_ <= 0) return;
  kill(pid_, SIGTERM);
  const auto deadline = Clock::now() + kStopTimeout;
  int status = 0;
  while (waitpid(pid_, &status, WNOHANG) == 0) {
    if (Clock::now() >= deadline) {
      kill(pid_, SIGKILL);
      waitpid(pid_, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  pid_ = -1;
}

int NginxServer::port(NginxListener listener) const { return ports_[static_cast<int>(listener)]; }

std::string NginxServer::url(NginxListener listener, const std::string& path) const {
  const bool plain = listener == NginxListener::http || listener == NginxListener::h2c;
  return std::string(plain ? "http" : "https") + "://127.0.0.1:" + std::to_string(port(listener)) +
         path;
}

std::string NginxServer::log() const { return read_file(fs::path(prefix_) / "nginx.log"); }

}  // namespace rhc::testing
