#include "one_request.hpp"

#include <fstream>
#include <future>
#include <iostream>
#include <sstream>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <rhc/rhc.hpp>

#include "outcome_class.hpp"
#include "stats_report.hpp"

namespace rhc::probe {
namespace {

std::string read_json_arg(const std::string& value) {
  if (value.empty() || value[0] != '@') return value;
  std::ifstream in(value.substr(1));
  if (!in) throw rhc::ConfigError("cannot read --json file '" + value.substr(1) + "'");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

rhc::Headers parse_headers(const std::vector<std::string>& lines) {
  rhc::Headers out;
  for (const auto& line : lines) {
    const auto colon = line.find(':');
    if (colon == std::string::npos || colon == 0) {
      throw rhc::ConfigError("-H expects 'Name: value', got '" + line + "'");
    }
    std::string value = line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(' '));
    out.emplace_back(line.substr(0, colon), value);
  }
  return out;
}

void print_json_line(const rhc::Response* r, const ErrorInfo* e, rhc::CircuitState circuit) {
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
  }
  w.EndObject();
  std::cout << buffer.GetString() << "\n";
}

// Prints the response or the error (text or one JSON line) and returns the exit code.
int report_outcome(rhc::ResilientClient& client, std::future<rhc::Response>& future,
                   const RequestArgs& args) {
  try {
    rhc::Response r = future.get();
    if (args.json_output) {
      print_json_line(&r, nullptr, client.circuit_state());
    } else {
      std::cout << "status      " << r.status_code << "\n"
                << "attempts    " << r.attempts << "\n"
                << "request-id  " << r.request_id << "\n"
                << "elapsed     " << r.elapsed.count() << " s\n"
                << "circuit     " << rhc::to_string(client.circuit_state()) << "\n"
                << "url         " << r.url << "\n\n"
                << r.text << (r.text.empty() || r.text.back() == '\n' ? "" : "\n");
    }
    return kExitSuccess;
  } catch (...) {
    ErrorInfo e = describe_error(std::current_exception());
    if (args.json_output) {
      print_json_line(nullptr, &e, client.circuit_state());
    } else {
      std::cout << "error       " << e.class_name << "\n"
                << "status      " << e.status_code << "\n"
                << "attempts    " << e.attempts << "\n"
                << "request-id  " << e.request_id << "\n"
                << "circuit     " << rhc::to_string(client.circuit_state()) << "\n"
                << "message     " << e.message << "\n";
    }
    return e.exit_code;
  }
}

}  // namespace

int run_one(const rhc::ClientConfig& base_config, const RequestArgs& args) {
  rhc::RequestOptions options;
  try {
    options.headers = parse_headers(args.headers);
    if (args.json) options.json = read_json_arg(*args.json);
  } catch (const rhc::ConfigError& e) {
    std::cerr << "rhc-probe: " << e.what() << "\n";
    return kExitUsage;
  }
  options.request_id = args.request_id;
  rhc::ClientConfig config = base_config;
  if (args.verbose) config.logging.level = "DEBUG";

  std::unique_ptr<rhc::ResilientClient> client;
  try {
    client = rhc::create_resilient_client(config);
  } catch (const rhc::ConfigError& e) {
    std::cerr << "rhc-probe: " << e.what() << "\n";
    return kExitUsage;
  }
  auto future = client->request(args.method, args.url, std::move(options));
  const int exit_code = report_outcome(*client, future, args);
  if (args.stats) {
    // After close() every figure includes this request, however the loop ordered its
    // bookkeeping and the future's resolution.
    client->close();
    const std::string report = stats_report(client->stats());
    if (args.json_output) {
      std::cerr << report;
    } else {
      std::cout << "\n" << report;
    }
  }
  return exit_code;
}

}  // namespace rhc::probe
