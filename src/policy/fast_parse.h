// Fast paths of Policy::Parse and `iamd eval` (see fast_parse.cc): build
// documents from a JsonDoc, or say "no" and let the reference parser speak.
#pragma once

#include <optional>
#include <string>

#include "iamd/policy.h"
#include "policy/document.h"
#include "policy/fast_json.h"

namespace iam::policy {

// Fills `out` from the policy object at `root` of `doc` and returns true, or
// returns false if ParseDocument might not accept it as the same document.
bool BuildDocument(const JsonDoc& doc, uint32_t root, PolicyType type, Document& out);

// A JSON scalar as the reference path turns it into text: strings as they
// are, booleans as "true"/"false", numbers as nlohmann renders them.
// False for null, arrays and objects.
bool ScalarText(const JsonNode& n, std::string& out);

// Parses and compiles `json` without error texts: nullopt when the caller
// must run the reference path (which also words the quota error). With
// `only_action`, compiled for that action only (see Compile).
std::optional<Policy> TryParsePolicy(std::string_view json, PolicyType type, std::string_view only_action = {});

}  // namespace iam::policy
