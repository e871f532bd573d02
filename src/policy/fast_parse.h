// Fast paths of Policy::Parse and `iamd eval` (see fast_parse.cc): compile
// policies straight from a JsonDoc, or say "no" and let the reference
// parser speak.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "iamd/policy.h"
#include "policy/document.h"
#include "policy/fast_json.h"

namespace iam::policy {

// The policy object at `root` of `doc` compiled as Compile() would compile
// ParseDocument's Document of it, or nullptr if ParseDocument might not
// accept it as the same document. With `only_action`, for that action only
// (see Compile). `pooled`: in a Compiled of this thread's pool, for
// policies that live as long as one `iamd eval` case.
std::shared_ptr<const Policy::Compiled> FastCompile(const JsonDoc& doc, uint32_t root, PolicyType type,
                                                    std::string_view only_action, bool pooled);

// A JSON scalar as the reference path turns it into text: strings as they
// are, booleans as "true"/"false", numbers as nlohmann renders them.
// False for null, arrays and objects.
bool ScalarText(const JsonNode& n, std::string& out);

// Parses and compiles `json` without error texts: nullopt when the caller
// must run the reference path (which also words the quota error). With
// `only_action`, compiled for that action only (see Compile).
std::optional<Policy> TryParsePolicy(std::string_view json, PolicyType type, std::string_view only_action = {});

}  // namespace iam::policy
