// ClientConfig::from_json and the JSON side of the field table.
#include "config/json_config.hpp"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include <cmath>
#include <limits>
#include <optional>
#include <utility>

#include "config/field_table.hpp"
#include "config/validate.hpp"

namespace rhc {

ClientConfig ClientConfig::from_json(std::string_view json_text) {
  ClientConfig config;
  std::vector<std::string> errors;
  detail::config::apply_json(json_text, config, errors);
  if (!errors.empty()) detail::config::throw_config_error("JSON config", errors);
  config.validate();
  return config;
}

}  // namespace rhc

namespace rhc::detail::config {
namespace {

template <class... F>
struct Overloaded : F... {
  using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;  // clang 14 has no aggregate CTAD

const char* type_name(const rapidjson::Value& v) {
  switch (v.GetType()) {
    case rapidjson::kNullType:
      return "null";
    case rapidjson::kFalseType:
    case rapidjson::kTrueType:
      return "a boolean";
    case rapidjson::kObjectType:
      return "an object";
    case rapidjson::kArrayType:
      return "an array";
    case rapidjson::kStringType:
      return "a string";
    case rapidjson::kNumberType:
      return "a number";
  }
  return "unknown";
}

// Sets an enum field from `v`, one of its spellings; false, with a message in `errors`, when
// `v` is not a string or spells no enumerator.
bool assign_enum(const std::string& path, const EnumMember& m, const rapidjson::Value& v,
                 ClientConfig& c, std::vector<std::string>& errors) {
  const std::string want = path + " must be one of " + enum_choices(m);
  if (!v.IsString()) {
    errors.push_back(want + " (got " + type_name(v) + ")");
    return false;
  }
  const std::string_view text(v.GetString(), v.GetStringLength());
  const std::optional<int> value = parse_enum(m, text);
  if (!value) {
    errors.push_back(want + " (got " + quote(text) + ")");
    return false;
  }
  m.set(c, *value);
  return true;
}

// Sets one field from `v`; false, with a message in `errors`, when `v` has the wrong type.
bool assign(const Field& f, const rapidjson::Value& v, ClientConfig& c,
            std::vector<std::string>& errors) {
  const std::string path(f.path);
  auto wrong = [&](const char* want) {
    errors.push_back(path + " must be " + want + " (got " + type_name(v) + ")");
    return false;
  };
  return std::visit(Overloaded{
                        [&](StringMember m) {
                          if (!v.IsString()) return wrong("a string");
                          m(c).assign(v.GetString(), v.GetStringLength());
                          return true;
                        },
                        [&](BoolMember m) {
                          if (!v.IsBool()) return wrong("a boolean");
                          m(c) = v.GetBool();
                          return true;
                        },
                        [&](IntMember m) {
                          if (v.IsInt()) {
                            m(c) = v.GetInt();
                            return true;
                          }
                          if (!v.IsNumber()) return wrong("an integer");
                          // 2.5, 1e3 or 3000000000: a number, but not one an int field can hold
                          // exactly.
                          errors.push_back(path + " must be an integer from " +
                                           std::to_string(std::numeric_limits<int>::min()) +
                                           " to " +
                                           std::to_string(std::numeric_limits<int>::max()) +
                                           " (got " + format_number(v.GetDouble()) + ")");
                          return false;
                        },
                        [&](DoubleMember m) {
                          if (!v.IsNumber()) return wrong("a number");
                          m(c) = v.GetDouble();
                          return true;
                        },
                        [&](SecondsMember m) {
                          if (!v.IsNumber()) return wrong("a number of seconds");
                          m(c) = Seconds(v.GetDouble());
                          return true;
                        },
                        [&](StringListMember m) {
                          if (!v.IsArray()) return wrong("an array of strings");
                          // Built aside, so a bad element leaves the field as it was.
                          std::vector<std::string> items;
                          for (rapidjson::SizeType i = 0; i < v.Size(); ++i) {
                            const rapidjson::Value& item = v[i];
                            if (!item.IsString()) {
                              errors.push_back(path + "[" + std::to_string(i) +
                                               "] must be a string (got " + type_name(item) + ")");
                              return false;
                            }
                            items.emplace_back(item.GetString(), item.GetStringLength());
                          }
                          m(c) = std::move(items);
                          return true;
                        },
                        [&](const EnumMember& m) { return assign_enum(path, m, v, c, errors); },
                    },
                    f.member);
}

// JSON has no NaN or infinity (RapidJSON's writer would stop mid-document): such a value,
// which only an invalid config holds, is written as null, which from_json() rejects.
rapidjson::Value number(double v) {
  return std::isfinite(v) ? rapidjson::Value(v) : rapidjson::Value();
}

void walk(const rapidjson::Value& object, const std::string& prefix, ClientConfig& c,
          std::vector<std::string_view>& set, std::vector<std::string>& errors) {
  for (auto it = object.MemberBegin(); it != object.MemberEnd(); ++it) {
    const std::string_view key(it->name.GetString(), it->name.GetStringLength());
    const std::string path = prefix.empty() ? std::string(key) : prefix + "." + std::string(key);
    // A dotted key ("retry.jitter" at the top) must not pass for the nested one.
    const Field* field = key.find('.') == std::string_view::npos ? find_field(path) : nullptr;
    if (field != nullptr) {
      if (assign(*field, it->value, c, errors)) set.push_back(field->path);
    } else if (key.find('.') == std::string_view::npos && is_group(path)) {
      if (it->value.IsObject()) {
        walk(it->value, path, c, set, errors);
      } else {
        errors.push_back(path + " must be an object (got " + type_name(it->value) + ")");
      }
    } else {
      errors.push_back("unknown key " + quote(path));
    }
  }
}

}  // namespace

std::vector<std::string_view> apply_json(std::string_view json_text, ClientConfig& config,
                                         std::vector<std::string>& errors) {
  std::vector<std::string_view> set;
  rapidjson::Document doc;
  // Strict JSON: no comments, no trailing commas, no NaN; nothing after the root value.
  // Iterative: the parser's state lives on the heap, so deep nesting cannot overflow the
  // stack (found by the config_json fuzzer: 512 x '[' was enough on a small stack).
  doc.Parse<rapidjson::kParseIterativeFlag>(json_text.data(), json_text.size());
  if (doc.HasParseError()) {
    errors.push_back("not valid JSON at offset " + std::to_string(doc.GetErrorOffset()) + ": " +
                     rapidjson::GetParseError_En(doc.GetParseError()));
    return set;
  }
  if (!doc.IsObject()) {
    errors.push_back(std::string("the document must be an object (got ") + type_name(doc) + ")");
    return set;
  }
  walk(doc, "", config, set, errors);
  return set;
}

std::string to_json(const ClientConfig& config) {
  rapidjson::Document doc(rapidjson::kObjectType);
  auto& alloc = doc.GetAllocator();
  for (const Field& f : fields()) {
    // Each dot is one group down: "retry.budget.ratio" goes in doc["retry"]["budget"],
    // made by the first field under it. Looked up afresh per field: adding a member may move
    // its siblings.
    rapidjson::Value* parent = &doc;
    std::string_view key = f.path;
    for (auto dot = key.find('.'); dot != std::string_view::npos; dot = key.find('.')) {
      const auto dot_size = static_cast<rapidjson::SizeType>(dot);
      const rapidjson::Value group_name(rapidjson::StringRef(key.data(), dot_size));
      // HasMember rather than FindMember() == MemberEnd(): RapidJSON 1.1's iterator
      // comparison is ambiguous under C++20's reversed operators.
      if (!parent->HasMember(group_name)) {
        parent->AddMember(rapidjson::Value(key.data(), dot_size, alloc),
                          rapidjson::Value(rapidjson::kObjectType), alloc);
      }
      parent = &(*parent)[group_name];
      key.remove_prefix(dot + 1);
    }
    rapidjson::Value value = std::visit(
        Overloaded{
            [&](StringMember m) {
              const std::string& s = read(m, config);
              return rapidjson::Value(s.data(), static_cast<rapidjson::SizeType>(s.size()), alloc);
            },
            [&](BoolMember m) { return rapidjson::Value(read(m, config)); },
            [&](IntMember m) { return rapidjson::Value(read(m, config)); },
            [&](DoubleMember m) { return number(read(m, config)); },
            [&](SecondsMember m) { return number(read(m, config).count()); },
            [&](StringListMember m) {
              rapidjson::Value array(rapidjson::kArrayType);
              for (const std::string& s : read(m, config)) {
                array.PushBack(
                    rapidjson::Value(s.data(), static_cast<rapidjson::SizeType>(s.size()), alloc),
                    alloc);
              }
              return array;
            },
            [&](const EnumMember& m) {
              // A value no enumerator has (only a cast makes one) is written as null, which
              // from_json() rejects, as for NaN.
              const auto text = enum_text(m, read(m, config));
              if (!text) return rapidjson::Value();
              return rapidjson::Value(text->data(), static_cast<rapidjson::SizeType>(text->size()),
                                      alloc);
            },
        },
        f.member);
    parent->AddMember(
        rapidjson::Value(key.data(), static_cast<rapidjson::SizeType>(key.size()), alloc), value,
        alloc);
  }
  rapidjson::StringBuffer out;
  rapidjson::PrettyWriter<rapidjson::StringBuffer> writer(out);
  writer.SetIndent(' ', 2);
  doc.Accept(writer);
  return out.GetString();
}

}  // namespace rhc::detail::config
