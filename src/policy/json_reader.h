// Strict JSON reading for policy documents: rejects duplicate keys, nesting
// deeper than a limit, invalid UTF-8 and trailing garbage, without recursion
// (nlohmann's parser keeps its own stack).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "iamd/status.h"

namespace iam::policy {

struct JsonLimits {
  size_t max_depth = 32;
  size_t max_bytes = 1 << 20;
};

// Parses `text`. On failure returns a message describing the problem
// ("duplicate key \"Effect\"", "nesting deeper than 32", "invalid JSON at
// byte 17: ...") in `error` and false.
bool ReadJson(std::string_view text, const JsonLimits& limits, nlohmann::json& out,
              std::string& error);

}  // namespace iam::policy
