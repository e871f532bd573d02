#include "policy/wildcard.h"

#include <cstring>
#include <string>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace iam::policy {
namespace {

// Iterative glob with single backtrack point: O(|pattern| * |text|) worst
// case, no recursion, so hostile patterns cannot blow the stack.
template <bool kFoldCase>
bool Match(std::string_view p, std::string_view t) {
  size_t pi = 0, ti = 0;
  size_t star_p = std::string_view::npos, star_t = 0;
  while (ti < t.size()) {
    if (pi < p.size()) {
      char pc = p[pi];
      char tc = kFoldCase ? AsciiLower(t[ti]) : t[ti];
      if (pc == kLiteralEscape && pi + 1 < p.size()) {
        char lc = kFoldCase ? AsciiLower(p[pi + 1]) : p[pi + 1];
        if (lc == tc) {
          pi += 2;
          ++ti;
          continue;
        }
      } else if (pc == '*') {
        star_p = pi++;
        star_t = ti;
        continue;
      } else if (pc == '?' || pc == tc) {
        ++pi;
        ++ti;
        continue;
      }
    }
    if (star_p == std::string_view::npos) return false;
    pi = star_p + 1;
    ti = ++star_t;
  }
  while (pi < p.size() && p[pi] == '*') ++pi;
  return pi == p.size();
}

}  // namespace

bool GlobMatch(std::string_view pattern, std::string_view text) {
  return Match<false>(pattern, text);
}

bool GlobMatchLowerPattern(std::string_view lower_pattern, std::string_view text) {
  return Match<true>(lower_pattern, text);
}

namespace {

// True if some byte of the word `w` equals `c` (c != 0): a byte of w ^ c
// is zero there, and the classic zero-byte test finds it.
inline bool WordHasByte(uint64_t w, char c) {
  uint64_t x = w ^ (0x0101010101010101ull * static_cast<uint8_t>(c));
  return ((x - 0x0101010101010101ull) & ~x & 0x8080808080808080ull) != 0;
}

}  // namespace

bool HasAnyOf(std::string_view s, char a, char b, char c) {
  const char* p = s.data();
  size_t n = s.size();
  // Whole blocks, then one last block overlapping the one before: no
  // byte-at-a-time tail (these texts are 5-60 bytes, the tail a good part).
#ifdef __SSE2__
  if (n >= 16) {
    const __m128i va = _mm_set1_epi8(a), vb = _mm_set1_epi8(b), vc = _mm_set1_epi8(c);
    auto hit = [&](const char* q) {
      __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(q));
      __m128i any = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, va), _mm_cmpeq_epi8(v, vb)), _mm_cmpeq_epi8(v, vc));
      return _mm_movemask_epi8(any) != 0;
    };
    for (size_t i = 0; i + 16 < n; i += 16) {
      if (hit(p + i)) return true;
    }
    return hit(p + n - 16);
  }
#endif
  auto word_hit = [&](uint64_t w) { return WordHasByte(w, a) || WordHasByte(w, b) || WordHasByte(w, c); };
  if (n >= 8) {
    uint64_t w;
    for (size_t i = 0; i + 8 < n; i += 8) {
      std::memcpy(&w, p + i, 8);
      if (word_hit(w)) return true;
    }
    std::memcpy(&w, p + n - 8, 8);
    return word_hit(w);
  }
  if (n >= 4) {
    // Zero-extended 4-byte words: the zero bytes never equal a, b or c.
    uint32_t head, tail;
    std::memcpy(&head, p, 4);
    std::memcpy(&tail, p + n - 4, 4);
    return word_hit(head) || word_hit(tail);
  }
  for (size_t i = 0; i < n; ++i) {
    if (p[i] == a || p[i] == b || p[i] == c) return true;
  }
  return false;
}

bool HasWildcard(std::string_view s) { return HasAnyOf(s, '*', '?', kLiteralEscape); }

namespace {

constexpr uint64_t kHighBits = 0x8080808080808080ull;

// Lower-cases the ASCII bytes of a word whose high bits are all clear: b +
// 0x3F reaches the high bit from 'A' on, b + 0x25 from past 'Z'; they
// differ exactly for 'A'..'Z' (no carries below 0x80), which gain 0x20.
// Zero bytes (a shorter load, zero-extended) stay zero.
inline uint64_t LowerAsciiWord(uint64_t w) {
  return w | ((((w + 0x3F3F3F3F3F3F3F3Full) ^ (w + 0x2525252525252525ull)) & kHighBits) >> 2);
}

}  // namespace

void AsciiLowerInto(std::string_view s, char* out) {
  const char* p = s.data();
  size_t n = s.size();
  if (n < 4) {
    for (size_t i = 0; i < n; ++i) out[i] = AsciiLower(p[i]);
    return;
  }
  if (n < 8) {
    // Two overlapping 4-byte words, both read before either is written
    // (`out` may be `p`).
    uint32_t head, tail;
    std::memcpy(&head, p, 4);
    std::memcpy(&tail, p + n - 4, 4);
    if (((head | tail) & 0x80808080u) != 0) {
      for (size_t i = 0; i < n; ++i) out[i] = AsciiLower(p[i]);
      return;
    }
    head = static_cast<uint32_t>(LowerAsciiWord(head));
    tail = static_cast<uint32_t>(LowerAsciiWord(tail));
    std::memcpy(out, &head, 4);
    std::memcpy(out + n - 4, &tail, 4);
    return;
  }
#ifdef __SSE2__
  if (n >= 16) {
    // 16 bytes at a time, the last block overlapping the one before (read
    // first, as `out` may be `p`; lower-casing twice changes nothing).
    // Signed compares: bytes from 0x80 are negative, never in 'A'..'Z'.
    auto lower = [](const char* q) {
      __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(q));
      __m128i upper = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('A' - 1)), _mm_cmplt_epi8(v, _mm_set1_epi8('Z' + 1)));
      return _mm_or_si128(v, _mm_and_si128(upper, _mm_set1_epi8(0x20)));
    };
    __m128i last = lower(p + n - 16);
    for (size_t i = 0; i + 16 < n; i += 16) _mm_storeu_si128(reinterpret_cast<__m128i*>(out + i), lower(p + i));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out + n - 16), last);
    return;
  }
#endif
  // 8 bytes at a time; the last word overlaps the one before, which is
  // harmless: lower-casing a lower-cased byte changes nothing.
  for (size_t i = 0;; i += 8) {
    if (i + 8 > n) i = n - 8;
    uint64_t w;
    std::memcpy(&w, p + i, 8);
    if ((w & kHighBits) == 0) {
      w = LowerAsciiWord(w);
      std::memcpy(out + i, &w, 8);
    } else {
      for (size_t k = i; k < i + 8; ++k) out[k] = AsciiLower(p[k]);
    }
    if (i + 8 == n) return;
  }
}

std::string AsciiLowerCopy(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = AsciiLower(c);
  return out;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (AsciiLower(a[i]) != AsciiLower(b[i])) return false;
  }
  return true;
}

}  // namespace iam::policy
