// rhc-probe load as a user runs it: the real binary against the failure-injection and echo
// servers; counts, percentiles and histograms that parse, methods and bodies, -z, -q,
// --max-errors, --resilience, per-authority figures and Prometheus text.
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

#include <rapidjson/document.h>
#include <test_server/test_server.hpp>

#include <rhc/errors.hpp>

#include "echo_server.hpp"
#include "probe_run.hpp"

using namespace rhc::probe_test;
using rhc::test_server::Fault;
using rhc::test_server::TestServer;

TEST_CASE("rhc-probe load reports counts and percentiles that parse", "[probe][load]") {
  TestServer server;
  server.start();
  auto run = probe("load " + server.base_url() + "/msg -c 8 -n 400 --output json");
  REQUIRE(run.exit_code == 0);
  auto doc = json_line(run.out);
  CHECK(doc["requests"].GetUint64() == 400);
  CHECK(doc["issued"].GetUint64() == 400);
  CHECK(outcome_count(doc, "served_first_try") == 400);
  CHECK(doc["status"]["200"].GetUint64() == 400);
  CHECK(doc["attempts"]["1"].GetUint64() == 400);
  const auto& latency = doc["latency_ms"];
  CHECK(latency["count"].GetUint64() == 400);
  CHECK(latency["p50"].GetDouble() <= latency["p90"].GetDouble());
  CHECK(latency["p90"].GetDouble() <= latency["p99"].GetDouble());
  CHECK(latency["p99"].GetDouble() <= latency["p99_9"].GetDouble());
  CHECK(latency["p99_9"].GetDouble() <= latency["max"].GetDouble());
  std::uint64_t in_buckets = 0;
  for (const auto& bucket : latency["histogram"].GetArray())
    in_buckets += bucket["count"].GetUint64();
  CHECK(in_buckets == 400);
  CHECK(server.stats().msg_requests == 400);

  auto text = probe("load " + server.base_url() + "/msg -c 4 -z 500ms");
  INFO(text.out);
  CHECK(text.exit_code == 0);
  CHECK(contains(text.out, "throughput"));
  CHECK(contains(text.out, "p99.9"));
  CHECK(contains(text.out, "status       200: "));
  CHECK(contains(text.out, "served first try"));
}

TEST_CASE("rhc-probe load --output json is one document with every figure", "[probe][load]") {
  TestServer server;
  server.start();
  auto run = probe("load " + server.base_url() + "/msg -c 2 -n 20 --output json");
  REQUIRE(run.exit_code == 0);
  auto doc = json_line(run.out);
  for (const char* key : {"method",
                          "url",
                          "mode",
                          "concurrency",
                          "resilience",
                          "seconds",
                          "deadline_reached",
                          "issued",
                          "requests",
                          "cancelled_at_deadline",
                          "round_trips",
                          "served",
                          "errors",
                          "error_share",
                          "rps",
                          "served_rps",
                          "status",
                          "latency_ms",
                          "outcomes",
                          "attempts",
                          "authorities"}) {
    INFO(key);
    CHECK(doc.HasMember(key));
  }
  for (const char* key : {"count", "p50", "p90", "p99", "p99_9", "max", "mean", "histogram"}) {
    INFO(key);
    CHECK(doc["latency_ms"].HasMember(key));
  }
  for (const char* outcome : {"served_first_try", "served_after_retries", "breaker_open",
                              "bulkhead_rejected", "failed", "cancelled_at_deadline"}) {
    INFO(outcome);
    CHECK(doc["outcomes"].HasMember(outcome));
  }
  CHECK(std::string(doc["method"].GetString()) == "GET");
  CHECK(std::string(doc["mode"].GetString()) == "closed");
  CHECK_FALSE(doc["resilience"].GetBool());
  CHECK(doc["rps"].GetDouble() > 0);
  const auto& histogram = doc["latency_ms"]["histogram"].GetArray();
  REQUIRE(histogram.Size() > 1);
  CHECK(histogram[histogram.Size() - 1]["le_ms"].IsNull());
}

TEST_CASE("rhc-probe load sends the method, headers and body it is given", "[probe][load]") {
  TestServer server;
  server.start();
  // /idempotent executes each Idempotency-Key once and fingerprints method, path and body:
  // the same body again is replayed, another body under the same key is a 422.
  const std::string url = server.base_url() + "/idempotent -H 'Idempotency-Key: load-k1'";
  auto same = probe("load " + url + " -d a=1 -n 3 -c 1 --output json");
  REQUIRE(same.exit_code == 0);
  auto doc = json_line(same.out);
  CHECK(std::string(doc["method"].GetString()) == "POST");
  CHECK(doc["status"]["200"].GetUint64() == 3);
  CHECK(server.executions_for_key("load-k1") == 1);
  CHECK(server.stats().idempotent_replays == 2);

  auto other = probe("load " + url + " -d a=2 -n 1 --output json");
  REQUIRE(other.exit_code == 0);
  CHECK(json_line(other.out)["status"]["422"].GetUint64() == 1);
  CHECK(server.stats().idempotent_mismatches == 1);

  const std::string file = "probe_test_load_body.json";
  std::ofstream(file) << R"({"k": 1})";
  auto put = probe("load " + server.base_url() +
                   "/idempotent -H 'Idempotency-Key: load-k2' -X PUT --data-binary @" + file +
                   " -n 2 -c 1 --output json");
  std::remove(file.c_str());
  REQUIRE(put.exit_code == 0);
  auto put_doc = json_line(put.out);
  CHECK(std::string(put_doc["method"].GetString()) == "PUT");
  CHECK(put_doc["status"]["200"].GetUint64() == 2);
  CHECK(server.executions_for_key("load-k2") == 1);

  auto json = probe("load " + server.base_url() +
                    "/idempotent -H 'Idempotency-Key: load-k3' --json '{\"a\":1}' -n 1 "
                    "--output json");
  REQUIRE(json.exit_code == 0);
  CHECK(json_line(json.out)["status"]["200"].GetUint64() == 1);
  CHECK(server.executions_for_key("load-k3") == 1);
}

TEST_CASE("rhc-probe load -z ends the run by its deadline, cancelling hung requests",
          "[probe][load]") {
  TestServer server;
  server.start();
  server.fail_next(1000, Fault::hang(std::chrono::seconds(20)));
  const auto start = std::chrono::steady_clock::now();
  auto run = probe("load " + server.base_url() + "/msg -c 4 -z 1s --output json");
  const double took = seconds_since(start);
  REQUIRE(run.exit_code == 0);
  CHECK(took < 6.0);
  auto doc = json_line(run.out);
  CHECK(doc["deadline_reached"].GetBool());
  CHECK(doc["cancelled_at_deadline"].GetUint64() == 4);
  CHECK(outcome_count(doc, "cancelled_at_deadline") == 4);
  CHECK(doc["requests"].GetUint64() == 0);
  CHECK(doc["errors"].GetUint64() == 0);
  CHECK(doc["seconds"].GetDouble() < 2.0);
}

TEST_CASE("rhc-probe load -q sends on schedule, about rate x duration requests", "[probe][load]") {
  TestServer server;
  server.start();
  auto run = probe("load " + server.base_url() + "/msg -q 50 -z 2s -c 8 --output json");
  REQUIRE(run.exit_code == 0);
  auto doc = json_line(run.out);
  INFO(run.out);
  CHECK(std::string(doc["mode"].GetString()) == "open");
  CHECK(doc["rate"].GetDouble() == 50);
  // 100 slots are due in 2 s (at 0, 20 ms, ..., 1.98 s); a slow machine may reach fewer.
  const auto slots = doc["schedule"]["slots"].GetUint64();
  CHECK(slots >= 60);
  CHECK(slots <= 100);
  CHECK(doc["issued"].GetUint64() + doc["schedule"]["skipped"].GetUint64() == slots);
  CHECK(server.stats().msg_requests >= 50);
  CHECK(server.stats().msg_requests <= 100);

  // The schedule sets the pace: 30 requests at 100 per second take at least 0.29 s, however
  // fast the server answers.
  auto paced = probe("load " + server.base_url() + "/msg -q 100 -n 30 --output json");
  REQUIRE(paced.exit_code == 0);
  auto paced_doc = json_line(paced.out);
  CHECK(paced_doc["schedule"]["slots"].GetUint64() == 30);
  CHECK(paced_doc["seconds"].GetDouble() >= 0.29);
  CHECK(paced_doc["requests"].GetUint64() + paced_doc["schedule"]["skipped"].GetUint64() == 30);
}

TEST_CASE("rhc-probe load counts statuses, and sends one attempt per request by default",
          "[probe][load]") {
  TestServer server;
  server.start();
  server.fail_next(10, Fault::status_code(503));
  auto run = probe("load " + server.base_url() + "/msg -n 30 -c 1 --output json");
  REQUIRE(run.exit_code == 0);
  auto doc = json_line(run.out);
  CHECK(doc["status"]["503"].GetUint64() == 10);
  CHECK(doc["status"]["200"].GetUint64() == 20);
  CHECK(doc["errors"].GetUint64() == 10);
  CHECK(outcome_count(doc, "failed") == 10);
  CHECK(server.stats().msg_requests == 30);

  // A server failing every request: rhc's defaults would retry each (5 attempts) and open
  // the breaker after 5 failures; without --resilience, each request is one attempt.
  server.reset();
  server.fail_next(1000, Fault::status_code(500));
  auto failing = probe("load " + server.base_url() + "/msg -n 20 -c 4 --output json");
  REQUIRE(failing.exit_code == 0);
  auto failing_doc = json_line(failing.out);
  CHECK(failing_doc["status"]["500"].GetUint64() == 20);
  CHECK(failing_doc["attempts"]["1"].GetUint64() == 20);
  CHECK(outcome_count(failing_doc, "breaker_open") == 0);
  CHECK(server.stats().msg_requests == 20);

  auto text = probe("load " + server.base_url() + "/msg -n 5 -c 1");
  INFO(text.out);
  CHECK(contains(text.out, "status       500: 5\n"));
}

TEST_CASE("rhc-probe load --max-errors sets the exit code", "[probe][load]") {
  TestServer server;
  server.start();
  const std::string url = server.base_url() + "/msg -n 100 -c 1";
  server.fail_next(5, Fault::status_code(503));
  auto within = probe("load " + url + " --max-errors 10% --output json");
  CHECK(within.exit_code == 0);
  CHECK_FALSE(json_line(within.out)["over_error_limit"].GetBool());

  server.fail_next(5, Fault::status_code(503));
  auto over = probe("load " + url + " --max-errors 1% --output json");
  CHECK(over.exit_code == 1);
  auto doc = json_line(over.out);
  CHECK(doc["over_error_limit"].GetBool());
  CHECK(doc["error_share"].GetDouble() == Approx(0.05));
  CHECK(doc["max_error_share"].GetDouble() == Approx(0.01));

  // One syntax, a percentage with its sign: a bare share is refused rather than guessed.
  CHECK(probe("load " + url + " --max-errors 0.01").exit_code == 2);
  CHECK(probe("load " + url + " --max-errors 101%").exit_code == 2);
  CHECK(probe("load " + server.base_url() + "/msg -z 5x").exit_code == 2);
  CHECK(probe("load " + server.base_url() + "/msg").exit_code == 2);
}

TEST_CASE("rhc-probe load --resilience reports breaker refusals as their own outcome",
          "[probe][load]") {
  TestServer server;
  server.start();
  const std::string config_path = "probe_test_load_config.json";
  std::ofstream(config_path) << R"({"retry": {"max_attempts": 2, "min_wait_seconds": 0.01,
      "max_wait_seconds": 0.02}, "circuit_breaker": {"failure_threshold": 3,
      "recovery_timeout": 60}})";
  const std::string load =
      "load " + server.base_url() + "/msg -c 1 --resilience --config " + config_path;

  server.fail_next(1000, Fault::status_code(500));
  auto run = probe(load + " -n 50 --output json");
  REQUIRE(run.exit_code == 0);
  auto doc = json_line(run.out);
  INFO(run.out);
  CHECK(doc["resilience"].GetBool());
  CHECK(outcome_count(doc, "failed") == 3);
  CHECK(outcome_count(doc, "breaker_open") == 47);
  CHECK(doc["status"]["CircuitOpenError"].GetUint64() == 47);
  CHECK(doc["attempts"]["0"].GetUint64() == 47);
  CHECK(doc["attempts"]["2"].GetUint64() == 3);
  // Refusals sent nothing: they are errors, but neither round trips nor in their latencies.
  CHECK(doc["round_trips"].GetUint64() == 3);
  CHECK(doc["latency_ms"]["count"].GetUint64() == 3);
  CHECK(doc["errors"].GetUint64() == 50);
  CHECK(server.stats().msg_requests == 6);

  server.reset();
  server.fail_next(1, Fault::status_code(503));
  auto retried = probe(load + " -n 5 --output json");
  REQUIRE(retried.exit_code == 0);
  auto retried_doc = json_line(retried.out);
  CHECK(outcome_count(retried_doc, "served_after_retries") == 1);
  CHECK(outcome_count(retried_doc, "served_first_try") == 4);
  CHECK(retried_doc["errors"].GetUint64() == 0);
  std::remove(config_path.c_str());
}

TEST_CASE("rhc-probe load against a refused port ends at -z, with the errors counted",
          "[probe][load]") {
  const std::string url = refused_url() + "/msg";
  const auto start = std::chrono::steady_clock::now();
  auto run = probe("load " + url + " -z 2s --output json");
  const double took = seconds_since(start);
  REQUIRE(run.exit_code == 0);
  CHECK(took < 6.0);
  auto doc = json_line(run.out);
  CHECK(doc["errors"].GetUint64() > 0);
  CHECK(count_of(doc["status"], "APIConnectionError") == doc["errors"].GetUint64());
  CHECK(doc["served"].GetUint64() == 0);

  // With rhc's retries (1 s and more apart) every request is still backing off at the
  // deadline: cancelled, and the run still ends on time.
  const auto resilient_start = std::chrono::steady_clock::now();
  auto resilient = probe("load " + url + " -z 2s --resilience --output json");
  CHECK(seconds_since(resilient_start) < 6.0);
  REQUIRE(resilient.exit_code == 0);
  CHECK(json_line(resilient.out)["cancelled_at_deadline"].GetUint64() > 0);
}

TEST_CASE("rhc-probe load shows each authority's breaker and budget, and writes Prometheus text",
          "[probe][load][stats]") {
  TestServer server;
  server.start();
  const std::string path = "probe_test_metrics.prom";
  std::remove(path.c_str());
  auto run = probe("load " + server.base_url() + "/msg -c 2 -n 20 --prometheus " + path);
  INFO(run.out);
  REQUIRE(run.exit_code == 0);
  CHECK(contains(run.out, "authority    " + server.base_url() +
                              "  breaker CLOSED  rejected 0  retries 0  budget exhausted 0"));
  const std::string text = read_file(path);
  INFO(text);
  const auto requests = samples(text, "rhc_requests_total");
  REQUIRE(requests.size() == 1);
  CHECK(requests[0].substr(requests[0].rfind(' ') + 1) == "20");
  bool closed_gauge = false;  // the one-hot gauge's closed series for the server, at 1
  for (const auto& line : samples(text, "rhc_circuit_state")) {
    closed_gauge = closed_gauge ||
                   (contains(line, "authority=\"" + server.base_url() + "\"") &&
                    contains(line, "state=\"closed\"") && line.substr(line.rfind(' ') + 1) == "1");
  }
  CHECK(closed_gauge);
  std::remove(path.c_str());

  auto json = probe("load " + server.base_url() + "/msg -c 2 -n 10 --output json --stats");
  REQUIRE(json.exit_code == 0);
  auto doc = json_line(json.out);
  const auto& authority = doc["authorities"][server.base_url().c_str()];
  CHECK(std::string(authority["breaker"].GetString()) == "CLOSED");
  CHECK(authority["retry_budget_exhausted"].GetInt() == 0);

  auto to_stdout = probe("load " + server.base_url() + "/msg -c 1 -n 5 --stats --prometheus -");
  CHECK(to_stdout.exit_code == 0);
  CHECK(contains(to_stdout.out, "requests    5 (successes 5, failures 0)"));
  CHECK(samples(to_stdout.out, "rhc_requests_total").size() == 1);
}

TEST_CASE("rhc-probe load refuses a --prometheus file it cannot write, before sending anything",
          "[probe][load][stats]") {
  TestServer server;
  server.start();
  auto run = probe("load " + server.base_url() + "/msg -n 5 --prometheus /nonexistent-dir/m.prom",
                   Stderr::kMerge);
  INFO(run.out);
  CHECK(run.exit_code == 2);
  CHECK(contains(run.out, "cannot write --prometheus file '/nonexistent-dir/m.prom'"));
  CHECK(server.stats().msg_requests == 0);
}
