#include "soak_outcome.hpp"

#include <string_view>

#include <rhc/errors.hpp>

namespace rhc::soak {

const char* name(Class c) {
  switch (c) {
    case Class::None:
      return "unresolved";
    case Class::Success:
      return "success";
    case Class::CircuitOpen:
      return "CircuitOpenError";
    case Class::PoolTimeout:
      return "PoolTimeoutError";
    case Class::Timeout:
      return "APITimeoutError";
    case Class::RateLimit:
      return "RateLimitError";
    case Class::ServerTimeout:
      return "ServerTimeoutError";
    case Class::ServiceUnavailable:
      return "ServiceUnavailableError";
    case Class::Server:
      return "ServerError";
    case Class::Connection:
      return "APIConnectionError";
    case Class::ClientClosed:
      return "ClientClosedError";
    case Class::Other:
      return "other";
  }
  return "?";
}

bool no_io(Class c) { return c == Class::CircuitOpen || c == Class::PoolTimeout; }

bool retryable(Class c) {
  switch (c) {
    case Class::Timeout:
    case Class::RateLimit:
    case Class::ServerTimeout:
    case Class::ServiceUnavailable:
    case Class::Server:
    case Class::Connection:
      return true;
    default:
      return false;
  }
}

void record_error(Record& rec, const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const MyAPIError& e) {
    rec.budget_refused =
        std::string_view(e.what()).find("retry budget exhausted") != std::string_view::npos;
  } catch (...) {
  }
  // Most derived first: every class below derives from APIConnectionError or MyAPIError.
  try {
    std::rethrow_exception(error);
  } catch (const CircuitOpenError& e) {
    rec.cls = Class::CircuitOpen, rec.attempts = e.attempts();
  } catch (const APITimeoutError& e) {
    rec.cls = Class::Timeout, rec.attempts = e.attempts();
  } catch (const RateLimitError& e) {
    rec.cls = Class::RateLimit, rec.attempts = e.attempts();
  } catch (const ServerTimeoutError& e) {
    rec.cls = Class::ServerTimeout, rec.attempts = e.attempts();
  } catch (const ServiceUnavailableError& e) {
    rec.cls = Class::ServiceUnavailable, rec.attempts = e.attempts();
  } catch (const ServerError& e) {
    rec.cls = Class::Server, rec.attempts = e.attempts();
  } catch (const APIConnectionError& e) {
    rec.cls = Class::Connection, rec.attempts = e.attempts();
  } catch (const PoolTimeoutError& e) {
    rec.cls = Class::PoolTimeout, rec.attempts = e.attempts();
  } catch (const ClientClosedError& e) {
    rec.cls = Class::ClientClosed, rec.attempts = e.attempts();
  } catch (const MyAPIError& e) {
    rec.cls = Class::Other, rec.attempts = e.attempts();
  } catch (...) {
    rec.cls = Class::Other;
  }
}

void record_response(Record& rec, const Response& r, const std::string& id) {
  rec.cls = Class::Success;
  rec.attempts = r.attempts;
  rec.id_ok = r.request_id == id && r.status_code == 200;
  try {
    const rapidjson::Document body = r.json();
    // RapidJSON asserts on a missing member or a wrong type, so look before reading.
    auto member = [&body](const char* key) -> const rapidjson::Value* {
      if (!body.IsObject()) return nullptr;
      auto it = body.FindMember(key);
      return it == body.MemberEnd() ? nullptr : &it->value;
    };
    const rapidjson::Value* attempt = member("attempt");
    const rapidjson::Value* replayed = member("replayed");
    const rapidjson::Value* message_id = member("message_id");
    const rapidjson::Value* request_id = member("request_id");
    if (attempt == nullptr || !attempt->IsUint64() || replayed == nullptr || !replayed->IsBool() ||
        message_id == nullptr || !message_id->IsString() || request_id == nullptr ||
        !request_id->IsString()) {
      rec.id_ok = false;
      return;
    }
    rec.body_attempt = attempt->GetUint64();
    rec.replayed = replayed->GetBool();
    rec.message_id = message_id->GetString();
    rec.id_ok = rec.id_ok && request_id->GetString() == id;
  } catch (const std::exception&) {  // DecodeError: not JSON
    rec.id_ok = false;
  }
}

}  // namespace rhc::soak
