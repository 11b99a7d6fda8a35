#include "json_bodies.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace rhc::test_server::detail {
namespace {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

void write_string(JsonWriter& json, std::string_view text) {
  json.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
}

void write_key(JsonWriter& json, std::string_view key) {
  json.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
}

void write_echo(JsonWriter& json, const MsgEcho& echo) {
  write_key(json, "method");
  write_string(json, echo.method);
  write_key(json, "request_id");
  if (echo.request_id) {
    write_string(json, *echo.request_id);
  } else {
    json.Null();
  }
  write_key(json, "attempt");
  json.Uint64(echo.attempt);
  write_key(json, "delay_ms");
  json.Int64(echo.delay_ms);
}

void write_counts(JsonWriter& json, const std::map<std::string, std::uint64_t>& counts) {
  json.StartObject();
  for (const auto& [key, count] : counts) {
    write_key(json, key);
    json.Uint64(count);
  }
  json.EndObject();
}

void write_fault(JsonWriter& json, const Fault& fault) {
  json.StartObject();
  write_key(json, "kind");
  write_string(json, to_string(fault.kind));
  switch (fault.kind) {
    case FaultKind::status:
      write_key(json, "status");
      json.Int(fault.status);
      if (fault.retry_after) {
        write_key(json, "retry_after");
        json.Int64(fault.retry_after->count());
        write_key(json, "retry_after_format");
        write_string(json, fault.retry_after_http_date ? "http-date" : "seconds");
      }
      break;
    case FaultKind::hang:
      write_key(json, "hang_ms");
      json.Int64(fault.hang_for.count());
      break;
    case FaultKind::truncate:
      write_key(json, "body_bytes");
      json.Uint64(fault.body_bytes);
      break;
    case FaultKind::slow_body:
      write_key(json, "body_bytes");
      json.Uint64(fault.body_bytes);
      write_key(json, "chunk_bytes");
      json.Uint64(fault.chunk_bytes);
      write_key(json, "chunk_interval_ms");
      json.Int64(fault.chunk_interval.count());
      break;
    case FaultKind::reset:
      break;
  }
  json.EndObject();
}

}  // namespace

std::string msg_success_json(const MsgEcho& echo, const std::string& message_id, bool replayed) {
  rapidjson::StringBuffer buffer;
  JsonWriter json(buffer);
  json.StartObject();
  write_key(json, "message_id");
  write_string(json, message_id);
  write_key(json, "replayed");
  json.Bool(replayed);
  write_echo(json, echo);
  json.EndObject();
  return buffer.GetString();
}

std::string msg_fault_json(const MsgEcho& echo, const Fault& fault) {
  rapidjson::StringBuffer buffer;
  JsonWriter json(buffer);
  json.StartObject();
  write_key(json, "error");
  write_string(json, "injected fault");
  write_key(json, "fault");
  write_string(json, fault.name());
  write_echo(json, echo);
  json.EndObject();
  return buffer.GetString();
}

std::string idempotent_success_json(const std::string& message_id, const std::string& key) {
  rapidjson::StringBuffer buffer;
  JsonWriter json(buffer);
  json.StartObject();
  write_key(json, "message_id");
  write_string(json, message_id);
  write_key(json, "idempotency_key");
  write_string(json, key);
  json.EndObject();
  return buffer.GetString();
}

std::string idempotent_fault_json(const Fault& fault) {
  rapidjson::StringBuffer buffer;
  JsonWriter json(buffer);
  json.StartObject();
  write_key(json, "error");
  write_string(json, "injected fault");
  write_key(json, "fault");
  write_string(json, fault.name());
  json.EndObject();
  return buffer.GetString();
}

std::string error_json(std::string_view message) {
  rapidjson::StringBuffer buffer;
  JsonWriter json(buffer);
  json.StartObject();
  write_key(json, "error");
  write_string(json, message);
  json.EndObject();
  return buffer.GetString();
}

std::string overload_json(const Overload& overload) {
  rapidjson::StringBuffer buffer;
  JsonWriter json(buffer);
  json.StartObject();
  write_key(json, "error");
  write_string(json, "server overloaded");
  write_key(json, "max_in_flight");
  json.Uint64(overload.max_in_flight);
  json.EndObject();
  return buffer.GetString();
}

std::string stats_json(const Stats& stats, std::size_t request_ids_capacity) {
  rapidjson::StringBuffer buffer;
  JsonWriter json(buffer);
  json.StartObject();
  write_key(json, "requests_total");
  json.Uint64(stats.requests_total);
  write_key(json, "requests_by_endpoint");
  write_counts(json, stats.requests_by_endpoint);

  write_key(json, "msg");
  json.StartObject();
  write_key(json, "requests");
  json.Uint64(stats.msg_requests);
  write_key(json, "successes");
  json.Uint64(stats.msg_successes);
  write_key(json, "failures");
  json.Uint64(stats.msg_failures);
  write_key(json, "replays");
  json.Uint64(stats.msg_replays);
  write_key(json, "in_flight");
  json.Uint64(stats.msg_in_flight);
  write_key(json, "max_in_flight");
  json.Uint64(stats.msg_max_in_flight);
  json.EndObject();

  write_key(json, "idempotent");
  json.StartObject();
  write_key(json, "requests");
  json.Uint64(stats.idempotent_requests);
  write_key(json, "executions");
  json.Uint64(stats.idempotent_executions);
  write_key(json, "replays");
  json.Uint64(stats.idempotent_replays);
  write_key(json, "conflicts");
  json.Uint64(stats.idempotent_conflicts);
  write_key(json, "mismatches");
  json.Uint64(stats.idempotent_mismatches);
  json.EndObject();

  write_key(json, "overload_rejections");
  json.Uint64(stats.overload_rejections);
  write_key(json, "slowed");
  json.Uint64(stats.slowed);
  write_key(json, "client_gone");
  json.Uint64(stats.client_gone);

  write_key(json, "transport");
  json.StartObject();
  write_key(json, "bytes_requests");
  json.Uint64(stats.bytes_requests);
  write_key(json, "upload_requests");
  json.Uint64(stats.upload_requests);
  write_key(json, "multipart_requests");
  json.Uint64(stats.multipart_requests);
  write_key(json, "upload_bytes");
  json.Uint64(stats.upload_bytes);
  write_key(json, "uploads_by_sha256");
  write_counts(json, stats.uploads_by_sha256);
  json.EndObject();

  write_key(json, "faults_injected");
  write_counts(json, stats.faults_injected);

  write_key(json, "request_ids");
  json.StartObject();
  write_key(json, "tracked");
  json.Uint64(stats.attempts_by_request_id.size());
  write_key(json, "capacity");
  json.Uint64(request_ids_capacity);
  write_key(json, "attempts");
  write_counts(json, stats.attempts_by_request_id);
  json.EndObject();

  write_key(json, "idempotency_keys");
  json.StartObject();
  write_key(json, "tracked");
  json.Uint64(stats.executions_by_idempotency_key.size());
  write_key(json, "capacity");
  json.Uint64(request_ids_capacity);
  write_key(json, "executions");
  write_counts(json, stats.executions_by_idempotency_key);
  json.EndObject();

  json.EndObject();
  return buffer.GetString();
}

std::string fault_settings_json(const FaultSettings& settings,
                                const std::optional<Overload>& overload, const Slowness& slowness) {
  rapidjson::StringBuffer buffer;
  JsonWriter json(buffer);
  json.StartObject();
  write_key(json, "plan");
  json.StartArray();
  for (const PlannedFaults& step : settings.plan) {
    json.StartObject();
    write_key(json, "remaining");
    json.Uint64(step.remaining);
    write_key(json, "fault");
    write_fault(json, step.fault);
    json.EndObject();
  }
  json.EndArray();
  write_key(json, "chaos");
  json.StartObject();
  write_key(json, "probability");
  json.Double(settings.chaos.probability);
  write_key(json, "seed");
  json.Uint64(settings.chaos.seed);
  write_key(json, "faults");
  json.StartArray();
  for (const Fault& fault : settings.chaos.faults) write_fault(json, fault);
  json.EndArray();
  json.EndObject();

  write_key(json, "overload");
  if (overload) {
    json.StartObject();
    write_key(json, "max_in_flight");
    json.Uint64(overload->max_in_flight);
    if (overload->retry_after) {
      write_key(json, "retry_after");
      json.Int64(overload->retry_after->count());
    }
    json.EndObject();
  } else {
    json.Null();
  }
  write_key(json, "slowness");
  json.StartObject();
  write_key(json, "probability");
  json.Double(slowness.probability);
  write_key(json, "delay_ms");
  json.Int64(slowness.delay.count());
  write_key(json, "seed");
  json.Uint64(slowness.seed);
  write_key(json, "first_attempt");
  json.Bool(slowness.first_attempt_only);
  json.EndObject();
  json.EndObject();
  return buffer.GetString();
}

}  // namespace rhc::test_server::detail
