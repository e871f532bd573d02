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

// True if `s` has any of the bytes a, b, c (none of them zero; repeat one
// to look for fewer).
bool HasAnyOf(std::string_view s, char a, char b, char c);
// '*', '?' or kLiteralEscape.
bool HasWildcard(std::string_view s);

// a == b, inlined for the short strings of the hot path (keys, services,
// actions, ARN parts), where a libc memcmp call costs more than the compare.
inline bool BytesEqual(std::string_view a, std::string_view b) {
  size_t n = a.size();
  if (n != b.size()) return false;
  const char* p = a.data();
  const char* q = b.data();
  auto load8 = [](const char* s) { uint64_t v; std::memcpy(&v, s, 8); return v; };
  auto load4 = [](const char* s) { uint32_t v; std::memcpy(&v, s, 4); return v; };
  if (n >= 8) {
    // Whole words, then the last word (overlapping the previous one).
    for (size_t i = 0; i + 8 < n; i += 8) {
      if (load8(p + i) != load8(q + i)) return false;
    }
    return load8(p + n - 8) == load8(q + n - 8);
  }
  if (n >= 4) return load4(p) == load4(q) && load4(p + n - 4) == load4(q + n - 4);
  if (n == 0) return true;
  return p[0] == q[0] && p[n / 2] == q[n / 2] && p[n - 1] == q[n - 1];
}

// ASCII lower-casing (AWS's case rules are ASCII-only).
inline char AsciiLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }
std::string AsciiLowerCopy(std::string_view s);
// Writes `s` lower-cased to `out` (s.size() bytes), 8 ASCII bytes at a time.
void AsciiLowerInto(std::string_view s, char* out);
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

}  // namespace iam::policy
