// Glob matching with AWS's two wildcards: '*' (any run of characters,
// including none, crossing '/' and ':') and '?' (exactly one character).
#pragma once

#include <string_view>

namespace iam::policy {

// In a pattern, kLiteralEscape makes the next character literal: this is how
// ${*}, ${?} and the values of policy variables reach the matcher.
inline constexpr char kLiteralEscape = '\x01';

// True if `text` matches `pattern`. Case-sensitive.
bool GlobMatch(std::string_view pattern, std::string_view text);
// Same, but ASCII case-insensitive. `pattern` must already be lower-case.
bool GlobMatchLowerPattern(std::string_view lower_pattern, std::string_view text);

bool HasWildcard(std::string_view s);

// ASCII lower-casing (AWS's case rules are ASCII-only).
inline char AsciiLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }
std::string AsciiLowerCopy(std::string_view s);
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

}  // namespace iam::policy
