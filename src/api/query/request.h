// Request side of the AWS Query protocol: from decoded form parameters to
// the typed input of an operation, validated against the service model
// exactly as AWS validates it.
//
//   ApiResult<QueryParams> params = ParseForm(body);
//   if (!params.ok()) return RenderError(model::Iam(), params.error(), id);
//   ApiResult<ParsedRequest> req = ParseRequest(model::Iam(), *params);
//   if (!req.ok()) return RenderError(model::Iam(), req.error(), id);
//   // req->operation->name == "CreateUser"
//   // req->input == {"UserName": "alice", "Tags": [{"Key": "team", "Value": "a"}]}
//
// Values: a structure is a JSON object keyed by model member names (absent
// optional members are absent), a list an array, a map an object, strings
// strings (invalid UTF-8 replaced by U+FFFD), integers and longs numbers,
// booleans booleans, timestamps and blobs their wire strings (ISO 8601,
// base64). Parameters the model does not know are ignored, as AWS does.
// Thread-safety: pure functions over constant model tables.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/model/model.h"
#include "api/query/errors.h"
#include "api/query/form.h"

namespace iam::api {

struct ParsedRequest {
  const model::Service* service = nullptr;
  const model::Operation* operation = nullptr;
  nlohmann::json input = nlohmann::json::object();
};

// Reads `Action` and `Version` and parses that operation's input.
// Errors: MissingAction (no Action); InvalidAction "Could not find operation
// X for version Y" (unknown Action, or Version not the service's API version;
// a missing Version reads as "NO_VERSION_SPECIFIED"); ValidationError with
// AWS's message for every violated constraint.
ApiResult<ParsedRequest> ParseRequest(const model::Service& service, const QueryParams& params);

// Parses the input of `op` from params (Action/Version are not looked at).
ApiResult<nlohmann::json> ParseInput(const model::Service& service, const model::Operation& op,
                                     const QueryParams& params);

// Checks `value` (a JSON value shaped like `shape`) against the model's
// constraints and appends AWS's violation texts ("Value 'x' at 'userName'
// failed to satisfy constraint: ...") to *violations. `path` is the AWS path
// of the value ("userName", "tags.1.member.key"). Type mismatches are
// reported as violations too. Used by ParseInput; usable by services that
// build inputs themselves.
void Validate(const model::Service& service, const model::Shape& shape, const nlohmann::json& value,
              const std::string& path, std::vector<std::string>* violations);

// The service whose endpoint prefix ("iam", "sts") is `name`, or nullptr.
const model::Service* FindService(std::string_view name);

}  // namespace iam::api
