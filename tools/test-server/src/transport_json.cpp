#include "transport_json.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <string_view>

namespace rhc::test_server::detail {
namespace {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

void write_string(JsonWriter& json, std::string_view text) {
  json.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
}

void write_key(JsonWriter& json, std::string_view key) {
  json.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
}

void write_optional(JsonWriter& json, std::string_view key,
                    const std::optional<std::string>& value) {
  write_key(json, key);
  if (value) {
    write_string(json, *value);
  } else {
    json.Null();
  }
}

}  // namespace

std::string upload_json(const UploadEcho& echo) {
  rapidjson::StringBuffer buffer;
  JsonWriter json(buffer);
  json.StartObject();
  write_key(json, "method");
  write_string(json, echo.method);
  write_key(json, "length");
  json.Uint64(echo.length);
  write_key(json, "sha256");
  write_string(json, echo.sha256);
  write_optional(json, "content_type", echo.content_type);
  write_key(json, "content_length");
  if (echo.content_length) {
    json.Uint64(*echo.content_length);
  } else {
    json.Null();
  }
  write_key(json, "chunked");
  json.Bool(echo.chunked);
  json.EndObject();
  return buffer.GetString();
}

std::string multipart_json(const std::optional<std::string>& content_type,
                           const std::vector<PartEcho>& parts) {
  rapidjson::StringBuffer buffer;
  JsonWriter json(buffer);
  json.StartObject();
  write_optional(json, "content_type", content_type);
  write_key(json, "parts");
  json.StartArray();
  for (const PartEcho& part : parts) {
    json.StartObject();
    write_key(json, "name");
    write_string(json, part.name);
    write_optional(json, "filename", part.filename);
    write_optional(json, "content_type", part.content_type);
    write_key(json, "length");
    json.Uint64(part.length);
    write_key(json, "sha256");
    write_string(json, part.sha256);
    if (part.value) write_optional(json, "value", part.value);
    json.EndObject();
  }
  json.EndArray();
  json.EndObject();
  return buffer.GetString();
}

std::string cookies_json(const std::optional<std::string>& cookie_header,
                         const std::vector<std::pair<std::string, std::string>>& cookies) {
  rapidjson::StringBuffer buffer;
  JsonWriter json(buffer);
  json.StartObject();
  write_optional(json, "cookie_header", cookie_header);
  write_key(json, "cookies");
  json.StartObject();
  std::vector<std::string_view> written;
  for (const auto& [name, value] : cookies) {
    bool seen = false;
    for (std::string_view earlier : written) seen = seen || earlier == name;
    if (seen) continue;
    written.push_back(name);
    write_key(json, name);
    write_string(json, value);
  }
  json.EndObject();
  json.EndObject();
  return buffer.GetString();
}

std::string set_cookies_json(const std::vector<std::string>& set_cookie_headers) {
  rapidjson::StringBuffer buffer;
  JsonWriter json(buffer);
  json.StartObject();
  write_key(json, "set_cookie");
  json.StartArray();
  for (const std::string& header : set_cookie_headers) write_string(json, header);
  json.EndArray();
  json.EndObject();
  return buffer.GetString();
}

}  // namespace rhc::test_server::detail
