// What each statement of a policy document refers to, read from its JSON
// text without compiling it: its Action (or NotAction) patterns and the
// context keys it needs — condition keys and ${...} policy variables — in
// order of appearance. The simulator reports keys a request lacks from this.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "iamd/status.h"

namespace iam::service {

struct StatementKeys {
  std::vector<std::string> actions;  // Action, or NotAction when not_action
  bool not_action = false;
  bool allow = false;  // Effect is Allow
  std::vector<std::string> context_keys;

  // Whether the statement's Action/NotAction can match `action`
  // (case-insensitive, * and ? wildcards).
  bool MayApplyTo(std::string_view action) const;
};

// The statements of `document`. kInvalidInput if it is not a JSON object.
Result<std::vector<StatementKeys>> StatementKeysOf(std::string_view document);

// Case-insensitive match of `text` against `pattern` with * and ? wildcards.
bool WildcardMatch(std::string_view pattern, std::string_view text);

// Appends `key` unless `keys` has it already, ignoring case.
void AddKeyOnce(std::vector<std::string>& keys, const std::string& key);

}  // namespace iam::service
