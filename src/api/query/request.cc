#include "api/query/request.h"

#include <cctype>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <memory>
#include <utility>

namespace iam::api {
namespace {

using nlohmann::json;
using model::Member;
using model::Service;
using model::Shape;
using model::ShapeType;

// Parameters with more dot-separated segments than this cannot address
// anything in the IAM/STS models; they are ignored (and cannot blow the stack).
constexpr int kMaxSegments = 24;

// Longest over-long value still checked against its pattern (see Validate).
constexpr std::int64_t kMaxPatternCheckLength = 8192;

// The parameter names as a tree: "Tags.member.1.Key" -> Tags/member/1/Key.
struct ParamNode {
  const std::string* value = nullptr;
  std::map<std::string_view, std::unique_ptr<ParamNode>, std::less<>> kids;

  const ParamNode* Kid(std::string_view name) const {
    auto it = kids.find(name);
    return it == kids.end() ? nullptr : it->second.get();
  }
};

void Insert(ParamNode* root, const std::string& name, const std::string& value) {
  int segments = 1 + static_cast<int>(std::count(name.begin(), name.end(), '.'));
  if (segments > kMaxSegments) return;
  ParamNode* node = root;
  std::string_view rest = name;
  while (true) {
    std::size_t dot = rest.find('.');
    std::string_view seg = rest.substr(0, dot);
    auto& kid = node->kids[seg];
    if (!kid) kid = std::make_unique<ParamNode>();
    node = kid.get();
    if (dot == std::string_view::npos) break;
    rest = rest.substr(dot + 1);
  }
  node->value = &value;
}

// "1".."999999999" -> index; anything else (0, leading zeros, signs) -> -1.
long ParseIndex(std::string_view s) {
  if (s.empty() || s.size() > 9 || s[0] == '0') return -1;
  long v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return -1;
    v = v * 10 + (c - '0');
  }
  return v;
}

std::vector<const ParamNode*> Indexed(const ParamNode* node) {
  std::vector<std::pair<long, const ParamNode*>> items;
  if (node != nullptr) {
    for (const auto& [name, kid] : node->kids) {
      long i = ParseIndex(name);
      if (i > 0) items.emplace_back(i, kid.get());
    }
  }
  std::sort(items.begin(), items.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<const ParamNode*> out;
  out.reserve(items.size());
  for (const auto& item : items) out.push_back(item.second);
  return out;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

// Phase 1: the parameter tree to JSON, guided by the shape. Scalars that do
// not convert stay strings; Validate() reports them. Discarded: absent.
json Build(const Service& service, const Shape& shape, const ParamNode& node) {
  switch (shape.type) {
    case ShapeType::kStructure: {
      json obj = json::object();
      for (const Member& m : model::Members(service, shape)) {
        const ParamNode* kid = node.Kid(m.wire_name);
        if (kid == nullptr) continue;
        json v = Build(service, service.shapes[m.shape], *kid);
        if (!v.is_discarded()) obj[std::string(m.name)] = std::move(v);
      }
      return obj;
    }
    case ShapeType::kList: {
      const ParamNode* items = shape.flattened ? &node : node.Kid(shape.list_member_name);
      json arr = json::array();
      for (const ParamNode* item : Indexed(items)) {
        json v = Build(service, service.shapes[shape.list_member], *item);
        if (!v.is_discarded()) arr.push_back(std::move(v));
      }
      return arr;
    }
    case ShapeType::kMap: {
      const ParamNode* entries = shape.flattened ? &node : node.Kid("entry");
      json obj = json::object();
      for (const ParamNode* entry : Indexed(entries)) {
        const ParamNode* k = entry->Kid(shape.map_key_name);
        const ParamNode* v = entry->Kid(shape.map_value_name);
        if (k == nullptr || k->value == nullptr || v == nullptr) continue;
        json value = Build(service, service.shapes[shape.map_value], *v);
        if (!value.is_discarded()) obj[model::SanitizeUtf8(*k->value)] = std::move(value);
      }
      return obj;
    }
    default:
      break;
  }
  if (node.value == nullptr) return json(json::value_t::discarded);
  const std::string& raw = *node.value;
  switch (shape.type) {
    case ShapeType::kInteger:
    case ShapeType::kLong: {
      long long v = 0;
      const char* end = raw.data() + raw.size();
      auto [p, ec] = std::from_chars(raw.data(), end, v);
      if (ec == std::errc() && p == end && !raw.empty()) {
        if (shape.type == ShapeType::kLong || (v >= INT32_MIN && v <= INT32_MAX)) return json(v);
      }
      break;
    }
    case ShapeType::kBoolean:
      if (EqualsIgnoreCase(raw, "true")) return json(true);
      if (EqualsIgnoreCase(raw, "false")) return json(false);
      break;
    case ShapeType::kDouble:
    case ShapeType::kFloat: {
      char* end = nullptr;
      double d = std::strtod(raw.c_str(), &end);
      if (!raw.empty() && end == raw.c_str() + raw.size()) return json(d);
      break;
    }
    default:
      break;
  }
  return json(model::SanitizeUtf8(raw));
}

std::string Join(const std::string& path, std::string_view segment) {
  if (path.empty()) return std::string(segment);
  std::string out = path;
  out += '.';
  out += segment;
  return out;
}

// How AWS shows a value in a violation: 'x', or nothing for sensitive ones.
std::string Rendered(const Shape& shape, const json& value) {
  if (shape.sensitive) return "";
  if (value.is_string()) return "'" + value.get<std::string>() + "'";
  if (value.is_array()) {
    std::string out = "'[";
    for (std::size_t i = 0; i < value.size(); ++i) {
      if (i > 0) out += ", ";
      out += value[i].is_string() ? value[i].get<std::string>() : value[i].dump();
    }
    return out + "]'";
  }
  return "'" + value.dump(-1, ' ', false, json::error_handler_t::replace) + "'";
}

void CheckLength(const Shape& shape, const json& value, std::int64_t length, const std::string& path,
                 std::vector<std::string>* violations) {
  if (shape.has_min && length < shape.min) {
    violations->push_back(Violation(Rendered(shape, value), path,
                                    "Member must have length greater than or equal to " + std::to_string(shape.min)));
  }
  if (shape.has_max && length > shape.max) {
    violations->push_back(Violation(Rendered(shape, value), path,
                                    "Member must have length less than or equal to " + std::to_string(shape.max)));
  }
}

std::string_view TypeConstraint(ShapeType type) {
  switch (type) {
    case ShapeType::kStructure: return "Member must be a structure";
    case ShapeType::kList: return "Member must be a list";
    case ShapeType::kMap: return "Member must be a map";
    case ShapeType::kInteger: return "Member must be an integer";
    case ShapeType::kLong: return "Member must be a long";
    case ShapeType::kBoolean: return "Member must be a boolean (true or false)";
    case ShapeType::kDouble:
    case ShapeType::kFloat: return "Member must be a number";
    default: return "Member must be a string";
  }
}

}  // namespace

void Validate(const Service& service, const Shape& shape, const json& value, const std::string& path,
              std::vector<std::string>* violations) {
  // Rendering the value costs; only violations need it.
  auto rendered = [&] { return Rendered(shape, value); };
  auto type_error = [&] { violations->push_back(Violation(rendered(), path, TypeConstraint(shape.type))); };
  switch (shape.type) {
    case ShapeType::kStructure:
      if (!value.is_object()) return type_error();
      for (const Member& m : model::Members(service, shape)) {
        std::string sub = Join(path, m.path_name);
        auto it = value.find(m.name);
        if (it == value.end() || it->is_null()) {
          if (m.required) violations->push_back(Violation("null", sub, "Member must not be null"));
          continue;
        }
        Validate(service, service.shapes[m.shape], *it, sub, violations);
      }
      return;
    case ShapeType::kList:
      if (!value.is_array()) return type_error();
      CheckLength(shape, value, static_cast<std::int64_t>(value.size()), path, violations);
      for (std::size_t i = 0; i < value.size(); ++i) {
        Validate(service, service.shapes[shape.list_member], value[i],
                 Join(path, std::to_string(i + 1) + ".member"), violations);
      }
      return;
    case ShapeType::kMap: {
      if (!value.is_object()) return type_error();
      CheckLength(shape, value, static_cast<std::int64_t>(value.size()), path, violations);
      std::size_t i = 0;
      for (auto it = value.begin(); it != value.end(); ++it) {
        ++i;
        std::string entry = Join(path, "entry." + std::to_string(i));
        Validate(service, service.shapes[shape.map_key], json(it.key()), Join(entry, "key"), violations);
        Validate(service, service.shapes[shape.map_value], it.value(), Join(entry, "value"), violations);
      }
      return;
    }
    case ShapeType::kInteger:
    case ShapeType::kLong: {
      if (!value.is_number_integer()) return type_error();
      std::int64_t v = value.get<std::int64_t>();
      if (shape.has_min && v < shape.min) {
        violations->push_back(Violation(rendered(), path,
                                        "Member must have value greater than or equal to " + std::to_string(shape.min)));
      }
      if (shape.has_max && v > shape.max) {
        violations->push_back(
            Violation(rendered(), path, "Member must have value less than or equal to " + std::to_string(shape.max)));
      }
      return;
    }
    case ShapeType::kBoolean:
      if (!value.is_boolean()) return type_error();
      return;
    case ShapeType::kDouble:
    case ShapeType::kFloat:
      if (!value.is_number()) return type_error();
      return;
    case ShapeType::kString:
    case ShapeType::kTimestamp:
    case ShapeType::kBlob:
      break;
  }
  if (!value.is_string()) return type_error();
  const std::string& s = value.get_ref<const std::string&>();
  auto enums = model::EnumValues(service, shape);
  if (!enums.empty() && std::find(enums.begin(), enums.end(), s) == enums.end()) {
    std::string set = "Member must satisfy enum value set: [";
    for (std::size_t i = 0; i < enums.size(); ++i) {
      if (i > 0) set += ", ";
      set += enums[i];
    }
    violations->push_back(Violation(rendered(), path, set + "]"));
  }
  const auto length = static_cast<std::int64_t>(model::Utf16Length(s));
  // A value far beyond its maximum length is reported for its length only:
  // the pattern check would then be the one cost an attacker controls.
  const bool absurd = shape.has_max && length > shape.max && length > kMaxPatternCheckLength;
  if (shape.pattern >= 0 && !absurd && !model::ShapePattern(service, shape).Matches(s)) {
    violations->push_back(Violation(rendered(), path,
                                    "Member must satisfy regular expression pattern: " +
                                        std::string(service.patterns[shape.pattern])));
  }
  if (shape.type == ShapeType::kString) {
    CheckLength(shape, value, length, path, violations);
  }
}

ApiResult<json> ParseInput(const Service& service, const model::Operation& op, const QueryParams& params) {
  if (op.input < 0) return json::object();
  ParamNode root;
  for (const auto& [name, value] : params) Insert(&root, name, value);
  const Shape& shape = service.shapes[op.input];
  json input = Build(service, shape, root);
  std::vector<std::string> violations;
  Validate(service, shape, input, "", &violations);
  if (!violations.empty()) return ValidationFailure(violations);
  return input;
}

ApiResult<ParsedRequest> ParseRequest(const Service& service, const QueryParams& params) {
  auto action = params.find("Action");
  if (action == params.end() || action->second.empty()) return MissingAction();
  auto version = params.find("Version");
  std::string_view v = version == params.end() ? std::string_view("NO_VERSION_SPECIFIED") : version->second;
  const model::Operation* op = model::FindOperation(service, action->second);
  if (op == nullptr || v != service.api_version) return InvalidAction(action->second, v);
  ApiResult<json> input = ParseInput(service, *op, params);
  if (!input.ok()) return input.error();
  ParsedRequest req;
  req.service = &service;
  req.operation = op;
  req.input = std::move(input).value();
  return req;
}

const Service* FindService(std::string_view name) {
  if (name == model::Iam().name) return &model::Iam();
  if (name == model::Sts().name) return &model::Sts();
  return nullptr;
}

}  // namespace iam::api
