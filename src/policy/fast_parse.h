// Fast paths of Policy::Parse and `iamd eval` (see fast_parse.cc): build
// documents from a JsonDoc, or say "no" and let the reference parser speak.
#pragma once

#include <optional>
#include <string>

#include "iamd/policy.h"
#include "policy/document.h"
#include "policy/fast_json.h"

namespace iam::policy {

// The document of the policy object at `root` of `doc`, or nullptr if
// ParseDocument might not accept it as the same document. The Document is
// this thread's, reused by the next call (compile it before that); its
// views point into `doc`.
const Document* BuildDocument(const JsonDoc& doc, uint32_t root, PolicyType type);

// A JSON scalar as the reference path turns it into text: strings as they
// are, booleans as "true"/"false", numbers as nlohmann renders them.
// False for null, arrays and objects.
bool ScalarText(const JsonNode& n, std::string& out);

// Parses and compiles `json` without error texts: nullopt when the caller
// must run the reference path (which also words the quota error). With
// `only_action`, compiled for that action only (see Compile).
std::optional<Policy> TryParsePolicy(std::string_view json, PolicyType type, std::string_view only_action = {});

}  // namespace iam::policy
