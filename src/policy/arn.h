// ARNs as policies see them: "arn:partition:service:region:account:resource".
#pragma once

#include <array>
#include <string_view>

namespace iam::policy {

// The six colon-separated parts of an ARN; the resource part keeps any
// further colons. Returns false if `arn` does not start with "arn:" or has
// fewer than five colons.
bool SplitArn(std::string_view arn, std::array<std::string_view, 6>& parts);

// Matches an ARN pattern (with '*', '?' and escapes) against a concrete ARN
// part by part, so a wildcard in one part never spans into the next. When
// either side is not a six-part ARN, the whole strings are globbed.
bool ArnPatternMatch(std::string_view pattern, std::string_view arn);

// The 12-digit account in an ARN, or "" when it has none.
std::string_view ArnAccount(std::string_view arn);

bool IsAccountId(std::string_view s);

}  // namespace iam::policy
