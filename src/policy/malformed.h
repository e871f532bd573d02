// MalformedPolicyDocument errors in AWS's words, each followed by where the
// problem is: shared by the grammar's checks (grammar.cc) and the parser
// (parser.cc).
#pragma once

#include <string>
#include <string_view>

#include "iamd/status.h"

namespace iam::policy {

inline constexpr std::string_view kSyntax = "Syntax errors in policy.";
inline constexpr std::string_view kLegacy = "The policy failed legacy parsing";

// `aws_message`, then " (where)" unless `where` is empty.
Status Malformed(std::string_view aws_message, const std::string& where);
// `s` in double quotes, cut to 80 characters.
std::string Quote(std::string_view s);

}  // namespace iam::policy
