#include "api/query/response.h"

#include <cmath>
#include <cstdio>
#include <ctime>

#include "api/query/xml_writer.h"
#include "common/iso8601.h"

namespace iam::api {
namespace {

using nlohmann::json;
using model::Member;
using model::Service;
using model::Shape;
using model::ShapeType;

Status Mismatch(std::string_view where, std::string_view what) {
  return Status(StatusCode::kInternal,
                "output does not fit the model at " + std::string(where) + ": " + std::string(what));
}

Result<std::string> ScalarText(const Shape& shape, const json& v, std::string_view where) {
  switch (shape.type) {
    case ShapeType::kBoolean:
      if (!v.is_boolean()) return Mismatch(where, "expected a boolean");
      return std::string(v.get<bool>() ? "true" : "false");
    case ShapeType::kInteger:
    case ShapeType::kLong:
      if (!v.is_number_integer()) return Mismatch(where, "expected an integer");
      return v.dump();
    case ShapeType::kDouble:
    case ShapeType::kFloat:
      if (!v.is_number()) return Mismatch(where, "expected a number");
      return v.dump();
    case ShapeType::kTimestamp:
      if (v.is_string()) return v.get<std::string>();
      if (v.is_number()) return FormatIso8601(static_cast<std::int64_t>(std::floor(v.get<double>())));
      return Mismatch(where, "expected a timestamp (ISO 8601 string or epoch seconds)");
    default:
      if (!v.is_string()) return Mismatch(where, "expected a string");
      return v.get<std::string>();
  }
}

// Writes `value` as element `name` of type `shape`.
Status Render(const Service& service, const Shape& shape, const json& value, std::string_view name,
              XmlWriter* w);

Status RenderMembers(const Service& service, const Shape& shape, const json& value, std::string_view where,
                     XmlWriter* w) {
  if (!value.is_object()) return Mismatch(where, "expected an object");
  auto members = model::Members(service, shape);
  // One lookup per member; a member the model does not know is found by
  // the count afterwards (the half-written XML is then thrown away).
  std::size_t present = 0;
  for (const Member& m : members) {
    auto it = value.find(m.name);
    if (it == value.end()) continue;
    ++present;
    if (it->is_null()) continue;
    Status s = Render(service, service.shapes[m.shape], *it, m.wire_name, w);
    if (!s.ok()) return s;
  }
  if (present != value.size()) {
    for (auto it = value.begin(); it != value.end(); ++it) {
      bool known = false;
      for (const Member& m : members) known = known || m.name == it.key();
      if (!known) return Mismatch(where, "unknown member " + it.key());
    }
  }
  return Status();
}

Status Render(const Service& service, const Shape& shape, const json& value, std::string_view name,
              XmlWriter* w) {
  switch (shape.type) {
    case ShapeType::kStructure: {
      w->Open(name);
      Status s = RenderMembers(service, shape, value, name, w);
      if (!s.ok()) return s;
      w->Close(name);
      return Status();
    }
    case ShapeType::kList: {
      if (!value.is_array()) return Mismatch(name, "expected an array");
      const Shape& item = service.shapes[shape.list_member];
      std::string_view item_name = shape.flattened ? name : shape.list_member_name;
      if (!shape.flattened) w->Open(name);
      for (const json& v : value) {
        Status s = Render(service, item, v, item_name, w);
        if (!s.ok()) return s;
      }
      if (!shape.flattened) w->Close(name);
      return Status();
    }
    case ShapeType::kMap: {
      if (!value.is_object()) return Mismatch(name, "expected an object (map)");
      if (!shape.flattened) w->Open(name);
      for (auto it = value.begin(); it != value.end(); ++it) {
        std::string_view entry = shape.flattened ? name : std::string_view("entry");
        w->Open(entry);
        w->Leaf(shape.map_key_name, it.key());
        Status s = Render(service, service.shapes[shape.map_value], it.value(), shape.map_value_name, w);
        if (!s.ok()) return s;
        w->Close(entry);
      }
      if (!shape.flattened) w->Close(name);
      return Status();
    }
    default: {
      // Strings (most leaves) are written from the tree, not copied first.
      bool stringly = shape.type != ShapeType::kBoolean && shape.type != ShapeType::kInteger &&
                      shape.type != ShapeType::kLong && shape.type != ShapeType::kDouble &&
                      shape.type != ShapeType::kFloat;
      if (stringly && value.is_string()) {
        w->Leaf(name, value.get_ref<const std::string&>());
        return Status();
      }
      Result<std::string> text = ScalarText(shape, value, name);
      if (!text.ok()) return text.status();
      w->Leaf(name, *text);
      return Status();
    }
  }
}

void RenderMetadata(std::string_view request_id, XmlWriter* w) {
  w->Open("ResponseMetadata");
  w->Leaf("RequestId", request_id);
  w->Close("ResponseMetadata");
}

}  // namespace

Result<std::string> RenderResponse(const Service& service, const model::Operation& op, const json& output,
                                   std::string_view request_id) {
  XmlWriter w;
  std::string root = std::string(op.name) + "Response";
  w.OpenRoot(root, service.xml_namespace);
  if (op.output >= 0) {
    const Shape& shape = service.shapes[op.output];
    std::string wrapper =
        op.result_wrapper.empty() ? std::string(op.name) + "Result" : std::string(op.result_wrapper);
    w.Open(wrapper);
    const json& value = output.is_null() ? json::object() : output;
    Status s = RenderMembers(service, shape, value, wrapper, &w);
    if (!s.ok()) return s;
    w.Close(wrapper);
  } else if (!output.is_null() && !output.empty()) {
    return Mismatch(op.name, "the operation has no output");
  }
  RenderMetadata(request_id, &w);
  w.Close(root);
  std::string out = w.Take();
  out.push_back('\n');
  return out;
}

std::string RenderError(const Service& service, const AwsError& error, std::string_view request_id) {
  XmlWriter w;
  w.OpenRoot("ErrorResponse", service.xml_namespace);
  w.Open("Error");
  w.Leaf("Type", error.sender_fault ? "Sender" : "Receiver");
  w.Leaf("Code", error.code);
  w.Leaf("Message", error.message);
  w.Close("Error");
  w.Leaf("RequestId", request_id);
  w.Close("ErrorResponse");
  std::string out = w.Take();
  out.push_back('\n');
  return out;
}

std::string FormatTimestamp(std::chrono::system_clock::time_point t) {
  return FormatIso8601(std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count());
}

}  // namespace iam::api
