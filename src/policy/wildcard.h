// Glob matching with AWS's two wildcards: '*' (any run of characters,
// including none, crossing '/' and ':') and '?' (exactly one character).
#pragma once

#include <cstdint>
#include <cstring>
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

// a == b, inlined for the short strings of the hot path (keys, services,
// actions, ARN parts), where a libc memcmp call costs more than the compare.
inline bool BytesEqual(std::string_view a, std::string_view b) {
  size_t n = a.size();
  if (n != b.size()) return false;
  const char* p = a.data();
  const char* q = b.data();
  while (n >= 8) {
    uint64_t x, y;
    std::memcpy(&x, p, 8);
    std::memcpy(&y, q, 8);
    if (x != y) return false;
    p += 8, q += 8, n -= 8;
  }
  for (size_t i = 0; i < n; ++i) {
    if (p[i] != q[i]) return false;
  }
  return true;
}

// ASCII lower-casing (AWS's case rules are ASCII-only).
inline char AsciiLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }
std::string AsciiLowerCopy(std::string_view s);
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

}  // namespace iam::policy
