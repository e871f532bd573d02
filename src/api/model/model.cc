#include "api/model/model.h"

#include <algorithm>
#include <cstdio>
#include <string>

#include "api/model/model_internal.h"

namespace iam::api::model {

namespace internal {

std::vector<Pattern> CompilePatterns(std::span<const std::string_view> texts) {
  std::vector<Pattern> out;
  out.reserve(texts.size());
  for (std::string_view text : texts) {
    Result<Pattern> p = Pattern::Compile(text);
    if (!p.ok()) {
      std::fprintf(stderr, "iamd: model pattern not supported, not checked: %s\n", p.status().message().c_str());
      p = Pattern::Compile("(?:.|\\n|\\r)*");
    }
    out.push_back(std::move(p).value());
  }
  return out;
}

}  // namespace internal

const Operation* FindOperation(const Service& service, std::string_view name) {
  auto it = std::lower_bound(service.operations.begin(), service.operations.end(), name,
                             [](const Operation& op, std::string_view n) { return op.name < n; });
  if (it == service.operations.end() || it->name != name) return nullptr;
  return &*it;
}

const Shape* FindShape(const Service& service, std::string_view name) {
  for (const Shape& s : service.shapes) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

std::span<const Member> Members(const Service& service, const Shape& shape) {
  if (shape.type != ShapeType::kStructure) return {};
  return service.members.subspan(shape.first_member, shape.member_count);
}

std::span<const std::string_view> EnumValues(const Service& service, const Shape& shape) {
  return service.enum_values.subspan(shape.first_enum, shape.enum_count);
}

std::span<const int> Errors(const Service& service, const Operation& op) {
  return service.errors.subspan(op.first_error, op.error_count);
}

const Shape* FindErrorByCode(const Service& service, std::string_view code) {
  for (const Shape& s : service.shapes) {
    if (s.is_error && s.error_code == code) return &s;
  }
  return nullptr;
}

}  // namespace iam::api::model
