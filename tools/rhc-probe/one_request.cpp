#include "one_request.hpp"

#include <cstdlib>
#include <fstream>
#include <future>
#include <iostream>
#include <random>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <rhc/rhc.hpp>

#include "outcome_class.hpp"
#include "request_spec.hpp"
#include "signal_canceller.hpp"
#include "stats_report.hpp"

namespace rhc::probe {
namespace {

// A UUIDv4, so that -v can show the X-Request-ID before the request is sent.
std::string uuid4() {
  std::random_device rd;
  std::mt19937_64 gen((static_cast<std::uint64_t>(rd()) << 32) ^ rd());
  const std::uint64_t hi = (gen() & 0xffffffffffff0fffULL) | 0x0000000000004000ULL;
  const std::uint64_t lo = (gen() & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;
  char s[37];
  std::snprintf(
      s, sizeof s, "%08llx-%04llx-%04llx-%04llx-%012llx", static_cast<unsigned long long>(hi >> 32),
      static_cast<unsigned long long>((hi >> 16) & 0xffff),
      static_cast<unsigned long long>(hi & 0xffff), static_cast<unsigned long long>(lo >> 48),
      static_cast<unsigned long long>(lo & 0xffffffffffffULL));
  return s;
}

const char* reason_phrase(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 202:
      return "Accepted";
    case 204:
      return "No Content";
    case 301:
      return "Moved Permanently";
    case 302:
      return "Found";
    case 303:
      return "See Other";
    case 304:
      return "Not Modified";
    case 307:
      return "Temporary Redirect";
    case 308:
      return "Permanent Redirect";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 422:
      return "Unprocessable Content";
    case 429:
      return "Too Many Requests";
    case 500:
      return "Internal Server Error";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    default:
      return "";
  }
}

bool starts_with(const std::string& text, const char* prefix) { return text.rfind(prefix, 0) == 0; }

// rhc does not report the HTTP version it spoke: libcurl speaks HTTP/1.1 to http:// URLs,
// and may negotiate HTTP/2 over TLS, so an https status line carries no version.
std::string status_line(const rhc::Response& r) {
  std::string line = starts_with(r.url, "https:") ? "HTTP " : "HTTP/1.1 ";
  line += std::to_string(r.status_code);
  const std::string reason = reason_phrase(r.status_code);
  if (!reason.empty()) line += " " + reason;
  return line;
}

// What curl writes to its output: the head with -i or -I, the body unless -I.
void write_response(std::ostream& out, const rhc::Response& r, const RequestArgs& args) {
  if (args.include_headers || args.head) {
    out << status_line(r) << "\r\n";
    for (const auto& [name, value] : r.headers) out << name << ": " << value << "\r\n";
    out << "\r\n";
  }
  if (!args.head) out << r.text;
  out.flush();
}

// -v: the request rhc-probe hands to rhc, as curl shows it. libcurl adds what rhc-probe
// cannot see (Content-Length, Accept-Encoding: gzip, ...); `*` lines show rhc's own log.
void print_request(const std::string& method, const rhc::RequestOptions& options,
                   const std::string& url, const rhc::ClientConfig& config) {
  std::string authority, target = url;
  const auto scheme_end = url.find("://");
  if (scheme_end != std::string::npos) {
    const auto path_start = url.find_first_of("/?#", scheme_end + 3);
    authority =
        url.substr(scheme_end + 3, path_start == std::string::npos ? std::string::npos
                                                                   : path_start - scheme_end - 3);
    target = path_start == std::string::npos ? "/" : url.substr(path_start);
    if (target[0] != '/') target = "/" + target;
    const auto hash = target.find('#');
    if (hash != std::string::npos) target.erase(hash);
  }
  std::cerr << "> " << method << " " << target << " HTTP/1.1\n";
  if (!authority.empty() && !has_header(options.headers, "Host")) {
    std::cerr << "> Host: " << authority.substr(authority.find('@') + 1) << "\n";
  }
  if (!has_header(options.headers, "User-Agent")) {
    std::cerr << "> User-Agent: "
              << (config.user_agent.empty() ? std::string("rhc/") + rhc::version()
                                            : config.user_agent)
              << "\n";
  }
  if (!has_header(options.headers, "Accept")) std::cerr << "> Accept: */*\n";
  for (const auto& [name, value] : options.headers)
    std::cerr << "> " << name << ": " << value << "\n";
  if (options.json && !has_header(options.headers, "Content-Type")) {
    std::cerr << "> Content-Type: application/json\n";
  }
  std::cerr << "> X-Request-ID: " << options.request_id.value_or("") << "\n>\n";
}

void print_response_head(const rhc::Response& r) {
  std::cerr << "< " << status_line(r) << "\n";
  for (const auto& [name, value] : r.headers) std::cerr << "< " << name << ": " << value << "\n";
  std::cerr << "<\n";
}

void print_json_line(const rhc::Response* r, const ErrorInfo* e, rhc::CircuitState circuit,
                     int exit_code) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartObject();
  w.Key("ok");
  w.Bool(r != nullptr);
  w.Key("status");
  w.Int(r != nullptr ? r->status_code : e->status_code);
  w.Key("attempts");
  w.Int(r != nullptr ? r->attempts : e->attempts);
  w.Key("request_id");
  w.String((r != nullptr ? r->request_id : e->request_id).c_str());
  w.Key("circuit");
  w.String(rhc::to_string(circuit));
  w.Key("exit_code");
  w.Int(exit_code);
  if (r != nullptr) {
    w.Key("elapsed_s");
    w.Double(r->elapsed.count());
    w.Key("url");
    w.String(r->url.c_str());
    w.Key("body");
    w.String(r->text.c_str(), static_cast<rapidjson::SizeType>(r->text.size()));
  } else {
    w.Key("error");
    w.String(e->class_name.c_str());
    w.Key("message");
    w.String(e->message.c_str());
    if (e->response) {
      w.Key("body");
      w.String(e->response->text.c_str(),
               static_cast<rapidjson::SizeType>(e->response->text.size()));
    }
  }
  w.EndObject();
  std::cout << buffer.GetString() << "\n";
}

// Prints the outcome (stdout: the response or one JSON line; stderr: rhc's report and the
// error) and returns the exit code.
int report_outcome(rhc::ResilientClient& client, std::future<rhc::Response>& future,
                   const RequestArgs& args, std::ostream& data) {
  const bool quiet = args.silent;
  const bool error_line = !args.silent || args.show_error;
  try {
    rhc::Response r = future.get();
    if (args.verbose) print_response_head(r);
    if (args.json_output) {
      print_json_line(&r, nullptr, client.circuit_state(), kExitSuccess);
      if (!args.output_file.empty()) write_response(data, r, args);
    } else {
      if (!quiet) {
        std::cerr << "status      " << r.status_code << "\n"
                  << "attempts    " << r.attempts << "\n"
                  << "request-id  " << r.request_id << "\n"
                  << "elapsed     " << r.elapsed.count() << " s\n"
                  << "circuit     " << rhc::to_string(client.circuit_state()) << "\n"
                  << "url         " << r.url << "\n\n";
      }
      write_response(data, r, args);
    }
    return kExitSuccess;
  } catch (...) {
    ErrorInfo e = describe_error(std::current_exception());
    // An HTTP error status is a response like another, as in curl, unless -f.
    const bool http_error = e.response.has_value();
    const int exit_code = http_error && !args.fail ? kExitSuccess : e.exit_code;
    if (http_error && args.verbose) print_response_head(*e.response);
    if (args.json_output) {
      print_json_line(nullptr, &e, client.circuit_state(), exit_code);
    } else if (!quiet) {
      std::cerr << "error       " << e.class_name << "\n"
                << "status      " << e.status_code << "\n"
                << "attempts    " << e.attempts << "\n"
                << "request-id  " << e.request_id << "\n"
                << "circuit     " << rhc::to_string(client.circuit_state()) << "\n"
                << "message     " << e.message << "\n\n";
    }
    if (http_error && !args.fail) {
      if (!args.json_output || !args.output_file.empty()) write_response(data, *e.response, args);
    } else if (error_line) {
      std::cerr << "rhc-probe: (" << exit_code << ") "
                << (http_error
                        ? "The requested URL returned error: " + std::to_string(e.status_code)
                        : e.message)
                << "\n";
    }
    return exit_code;
  }
}

}  // namespace

int run_one(const rhc::ClientConfig& base_config, const RequestArgs& args) {
  PreparedRequest prepared;
  try {
    prepared = prepare_request(args);
  } catch (const rhc::ConfigError& e) {
    std::cerr << "rhc-probe: " << e.what() << "\n";
    return kExitUsage;
  }
  rhc::ClientConfig config = base_config;
  if (args.verbose) {
    config.logging.level = "DEBUG";
    config.logging.sink = [](const rhc::LogRecord& line) {
      std::cerr << "* " << line.message << "\n";
    };
    if (!prepared.options.request_id) prepared.options.request_id = uuid4();
  } else if (args.silent) {
    config.logging.sink = [](const rhc::LogRecord&) {};
  }

  std::ofstream file;
  if (!args.output_file.empty()) {
    file.open(args.output_file, std::ios::binary | std::ios::trunc);
    if (!file) {
      if (!args.silent || args.show_error) {
        std::cerr << "rhc-probe: (" << kCurlWriteError << ") cannot write -o file '"
                  << args.output_file << "'\n";
      }
      return kCurlWriteError;
    }
  }
  std::ostream& data = args.output_file.empty() ? std::cout : file;

  std::unique_ptr<rhc::ResilientClient> client;
  // Made (and its mask set) before the client's threads start.
  // Never deleted: its detached thread reads it until the process ends.
  // Ctrl-C or SIGTERM cancels the request (exit 122); rhc's report still comes out.
  auto* canceller =
      new SignalCanceller([token = prepared.options.cancel]() mutable { token.cancel(); });
  try {
    client = rhc::create_resilient_client(config);
  } catch (const rhc::ConfigError& e) {
    std::cerr << "rhc-probe: " << e.what() << "\n";
    return kExitUsage;
  }
  if (args.verbose) print_request(prepared.method, prepared.options, args.url, config);
  auto future = client->request(prepared.method, args.url, std::move(prepared.options));
  const int exit_code = report_outcome(*client, future, args, data);
  canceller->done();
  if (args.stats) {
    // After close() every figure includes this request, however the loop ordered its
    // bookkeeping and the future's resolution.
    client->close();
    std::cerr << "\n" << stats_report(client->stats());
  }
  return exit_code;
}

}  // namespace rhc::probe
