// The AWS service models of IAM and STS, as tables generated at build time by
// tools/gen_model.py from botocore's service-2.json files. Everything the
// Query protocol needs to parse, validate and render an operation is here:
// operations, shapes, structure members in model order, constraints, errors.
//
//   const model::Service& iam = model::Iam();
//   const model::Operation* op = model::FindOperation(iam, "CreateUser");
//   const model::Shape& in = iam.shapes[op->input];
//   for (const model::Member& m : model::Members(iam, in)) { ... }
//
// Thread-safety: the tables are constant data; Pattern() compiles each
// pattern once (thread-safe static initialization) and is safe to share.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "api/model/pattern.h"

namespace iam::api::model {

enum class ShapeType : std::uint8_t {
  kStructure,
  kList,
  kMap,
  kString,
  kInteger,
  kLong,
  kBoolean,
  kTimestamp,
  kBlob,
  kDouble,
  kFloat,
};

// One member of a structure, in model order.
struct Member {
  std::string_view name;       // model name, e.g. "UserName"; the JSON key of values
  std::string_view wire_name;  // query parameter / XML element name (locationName or name)
  std::string_view path_name;  // segment of AWS validation paths, e.g. "userName"
  int shape;                   // index into Service::shapes
  bool required;
};

struct Shape {
  std::string_view name;
  ShapeType type;
  // kStructure: members [first_member, first_member + member_count).
  int first_member;
  int member_count;
  // kList: element shape and its wire name ("member" unless renamed).
  int list_member;
  std::string_view list_member_name;
  bool flattened;
  // kMap: key and value shapes and their wire names ("key", "value").
  int map_key;
  int map_value;
  std::string_view map_key_name;
  std::string_view map_value_name;
  // Constraints: length (strings, lists, maps) or value range (numbers).
  bool has_min;
  bool has_max;
  std::int64_t min;
  std::int64_t max;
  int pattern;  // index into Service::patterns, or -1
  int first_enum;
  int enum_count;
  bool sensitive;  // value never echoed in messages
  std::string_view timestamp_format;  // "" means ISO 8601
  // Error shapes: AWS error code, HTTP status, Sender (true) or Receiver.
  bool is_error;
  std::string_view error_code;
  int http_status;
  bool sender_fault;
};

struct Operation {
  std::string_view name;
  int input;   // shape index, or -1
  int output;  // shape index, or -1
  std::string_view result_wrapper;  // e.g. "CreateUserResult"; empty without output
  int first_error;  // errors [first_error, first_error + error_count) in Service::errors
  int error_count;
};

struct Service {
  std::string_view name;           // "iam" or "sts"
  std::string_view api_version;    // "2010-05-08"
  std::string_view xml_namespace;  // "https://iam.amazonaws.com/doc/2010-05-08/"
  std::span<const Operation> operations;  // sorted by name
  std::span<const Shape> shapes;
  std::span<const Member> members;
  std::span<const std::string_view> enum_values;
  std::span<const int> errors;  // shape indices of documented errors
  std::span<const std::string_view> patterns;  // Java-style regex texts
  // Compiled patterns (same indexes as `patterns`); built once on first use.
  const Pattern& (*compiled_pattern)(int index);
};

const Service& Iam();
const Service& Sts();

// The operation named exactly `name`, or nullptr.
const Operation* FindOperation(const Service& service, std::string_view name);

// The shape named exactly `name`, or nullptr (linear; for tests and tools).
const Shape* FindShape(const Service& service, std::string_view name);

// The members of a structure shape, in model order (empty for other types).
std::span<const Member> Members(const Service& service, const Shape& shape);

// The enum values of a string shape (empty if not an enum).
std::span<const std::string_view> EnumValues(const Service& service, const Shape& shape);

// The documented error shapes of an operation.
std::span<const int> Errors(const Service& service, const Operation& op);

// The error shape whose AWS code is `code` ("NoSuchEntity"), or nullptr.
const Shape* FindErrorByCode(const Service& service, std::string_view code);

// The compiled pattern of a string shape; precondition: shape.pattern >= 0.
inline const Pattern& ShapePattern(const Service& service, const Shape& shape) {
  return service.compiled_pattern(shape.pattern);
}

}  // namespace iam::api::model
