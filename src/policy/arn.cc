#include "policy/arn.h"

#include <algorithm>
#include <cstring>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "policy/text_memo.h"
#include "policy/wildcard.h"

namespace iam::policy {

bool SplitArn(std::string_view arn, std::array<std::string_view, 6>& parts) {
  if (arn.size() < 4 || arn.substr(0, 4) != "arn:") return false;
  // The five colons sit in a short head: find them 16 bytes at a time
  // rather than with a memchr call each.
  const char* s = arn.data();
  size_t n = arn.size(), start = 4, pos = 4;
  parts[0] = arn.substr(0, 3);
  int i = 1;
  auto colon_at = [&](size_t colon) {
    parts[i++] = std::string_view(s + start, colon - start);
    start = colon + 1;
  };
#ifdef __SSE2__
  for (; i < 5 && pos + 16 <= n; pos += 16) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + pos));
    unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(':'))));
    while (mask != 0 && i < 5) {
      colon_at(pos + static_cast<size_t>(__builtin_ctz(mask)));
      mask &= mask - 1;
    }
  }
  pos = std::max(pos, start);
#endif
  for (; i < 5 && pos < n; ++pos) {
    if (s[pos] == ':') colon_at(pos);
  }
  if (i < 5) return false;
  parts[5] = std::string_view(s + start, n - start);
  return true;
}

bool ArnPatternMatch(std::string_view pattern, std::string_view arn) {
  if (pattern == "*") return true;
  std::array<std::string_view, 6> p, a;
  if (!SplitArn(pattern, p) || !SplitArn(arn, a)) return GlobMatch(pattern, arn);
  for (int i = 1; i < 6; ++i) {
    if (!GlobMatch(p[i], a[i])) return false;
  }
  return true;
}

bool ArnPatternMatch(std::string_view pattern, const ArnView& arn) {
  if (pattern == "*") return true;
  std::array<std::string_view, 6> p;
  if (!arn.split || !SplitArn(pattern, p)) return GlobMatch(pattern, arn.whole);
  for (int i = 1; i < 6; ++i) {
    if (!GlobMatch(p[i], arn.parts[i])) return false;
  }
  return true;
}

bool ArnPattern::PartMatches(Kind kind, std::string_view p, std::string_view text) {
  switch (kind) {
    case Kind::kAny: return true;
    case Kind::kExact: return BytesEqual(p, text);
    case Kind::kPrefix: {
      size_t n = p.size() - 1;
      return text.size() >= n && BytesEqual(text.substr(0, n), p.substr(0, n));
    }
    case Kind::kGlob: return GlobMatch(p, text);
  }
  return false;
}

namespace {

// Bits [0, n) set (n <= 64).
inline uint64_t LowBits(size_t n) { return n >= 64 ? ~uint64_t{0} : (uint64_t{1} << n) - 1; }

}  // namespace

ArnPattern::Kind ArnPattern::KindOf(size_t size, size_t stars, bool others, bool ends_with_star) {
  // A glob of only '*' matches anything; one without wildcards is equality;
  // "literal*" (the usual "bucket/*") a prefix compare, its size keeping
  // the '*'.
  if (size > 0 && stars == size) return Kind::kAny;
  if (stars == 0 && !others) return Kind::kExact;
  if (stars == 1 && !others && ends_with_star) return Kind::kPrefix;
  return Kind::kGlob;
}

ArnPattern ArnPattern::Make(std::string_view pattern) {
  ArnPattern m;
  m.star_ = pattern == "*";
  size_t n = pattern.size();
  if (n < 4 || pattern.substr(0, 4) != "arn:") return m;
  // Where the colons, stars and other wildcards ('?', escapes) are, as
  // bit masks: 16 bytes at a time for the usual short patterns.
  uint64_t colons = 0, stars = 0, others = 0;
#ifdef __SSE2__
  if (n <= 64) {
    alignas(16) char buf[64] = {};
    std::memcpy(buf, pattern.data(), n);
    for (size_t k = 0; k < n; k += 16) {
      __m128i v = _mm_load_si128(reinterpret_cast<const __m128i*>(buf + k));
      auto mask = [](__m128i hits) { return static_cast<uint64_t>(static_cast<unsigned>(_mm_movemask_epi8(hits))); };
      colons |= mask(_mm_cmpeq_epi8(v, _mm_set1_epi8(':'))) << k;
      stars |= mask(_mm_cmpeq_epi8(v, _mm_set1_epi8('*'))) << k;
      others |= mask(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('?')),
                                  _mm_cmpeq_epi8(v, _mm_set1_epi8(kLiteralEscape)))) << k;
    }
    colons &= ~LowBits(4);  // the one of "arn:"
    size_t begin = 4;
    for (int i = 1; i < 6; ++i) {
      size_t end = n;
      if (i < 5) {
        if (colons == 0) return m;  // fewer than six parts
        end = static_cast<size_t>(__builtin_ctzll(colons));
        colons &= colons - 1;
      }
      uint64_t range = LowBits(end) & ~LowBits(begin);
      Part& part = m.parts_[i];
      part.begin = static_cast<uint32_t>(begin);
      part.size = static_cast<uint32_t>(end - begin);
      // The part's star count, as far as KindOf tells counts apart (no
      // popcount: without -mpopcnt it is a library call).
      uint64_t part_stars = stars & range;
      size_t count = part_stars == 0 ? 0 : part_stars == range ? end - begin : (part_stars & (part_stars - 1)) == 0 ? 1 : 2;
      part.kind = KindOf(end - begin, count, (others & range) != 0, end > begin && pattern[end - 1] == '*');
      begin = end + 1;
    }
    m.split_ = true;
    return m;
  }
#endif
  std::array<std::string_view, 6> p;
  m.split_ = SplitArn(pattern, p);
  if (!m.split_) return m;
  for (int i = 1; i < 6; ++i) {
    Part& part = m.parts_[i];
    part.begin = static_cast<uint32_t>(p[i].data() - pattern.data());
    part.size = static_cast<uint32_t>(p[i].size());
    size_t part_stars = static_cast<size_t>(std::count(p[i].begin(), p[i].end(), '*'));
    bool part_others = HasAnyOf(p[i], '?', kLiteralEscape, kLiteralEscape);  // find_first_of: a memchr per byte
    part.kind = KindOf(p[i].size(), part_stars, part_others, !p[i].empty() && p[i].back() == '*');
  }
  return m;
}

ArnPattern ArnPattern::MakePrefix(std::string_view prefix) {
  ArnPattern m = Make(prefix);
  if (!m.split_) return m;  // the variable part may hold colons: no rejection
  // The resource part continues past the prefix: keep only its literal
  // start (up to a wildcard) as a required prefix.
  Part& last = m.parts_[5];
  std::string_view text = prefix.substr(last.begin, last.size);
  size_t wild = 0;
  while (wild < text.size() && text[wild] != '*' && text[wild] != '?' && text[wild] != kLiteralEscape) ++wild;
  last.size = static_cast<uint32_t>(wild);
  last.kind = Kind::kExact;
  return m;
}

std::string_view ArnPattern::LiteralResourceStart(std::string_view pattern) const {
  if (star_ || !split_) return {};
  std::string_view text = pattern.substr(parts_[5].begin, parts_[5].size);
  size_t n = 0;
  while (n < text.size() && text[n] != '*' && text[n] != '?' && text[n] != kLiteralEscape) ++n;
  return text.substr(0, n);
}

bool ArnPattern::MayMatch(std::string_view prefix, const ArnView& arn) const {
  if (!split_ || !arn.split) return true;
  std::string_view start = prefix.substr(parts_[5].begin, parts_[5].size);
  if (arn.parts[5].size() < start.size() || !BytesEqual(arn.parts[5].substr(0, start.size()), start)) return false;
  for (int i = 1; i < 5; ++i) {
    const Part& part = parts_[i];
    std::string_view p = prefix.substr(part.begin, part.size);
    if (!PartMatches(part.kind, p, arn.parts[i])) return false;
  }
  return true;
}

bool ArnPattern::ResolvedMatches(std::string_view resolved, const ArnView& arn) const {
  if (!split_ || !arn.split) return ArnPatternMatch(resolved, arn);
  // The prefix holds the first five colons, so the parts before the
  // resource are the prefix's, which MayMatch has checked.
  return GlobMatch(resolved.substr(parts_[5].begin), arn.parts[5]);
}

bool ArnPattern::Matches(std::string_view pattern, const ArnView& arn) const {
  if (star_) return true;
  if (!split_ || !arn.split) return GlobMatch(pattern, arn.whole);
  // The resource part differs most often between patterns: try it first.
  for (int i : {5, 1, 2, 3, 4}) {
    const Part& part = parts_[i];
    std::string_view p = pattern.substr(part.begin, part.size);
    if (!PartMatches(part.kind, p, arn.parts[i])) return false;
  }
  return true;
}

bool IsAccountId(std::string_view s) {
  if (s.size() != 12) return false;
  // Eight and four bytes at once: a byte is a digit when its high nibble is
  // 3 both as it is and plus 6 (no carries: a byte passing the first test
  // is at most 0x3F).
  uint64_t a;
  uint32_t b;
  std::memcpy(&a, s.data(), 8);
  std::memcpy(&b, s.data() + 8, 4);
  constexpr uint64_t kHigh = 0xF0F0F0F0F0F0F0F0ull, kThree = 0x3030303030303030ull, kSix = 0x0606060606060606ull;
  bool digits_a = (a & kHigh) == kThree && ((a + kSix) & kHigh) == kThree;
  bool digits_b = (b & uint32_t(kHigh)) == uint32_t(kThree) && ((b + uint32_t(kSix)) & uint32_t(kHigh)) == uint32_t(kThree);
  return digits_a && digits_b;
}

ArnPattern RecentArnPattern(std::string_view pattern) {
  thread_local TextMemo<ArnPattern> recent;
  return recent.Recall(pattern, ArnPattern::Make);
}

std::string_view ArnAccount(std::string_view arn) {
  std::array<std::string_view, 6> parts;
  if (!SplitArn(arn, parts) || !IsAccountId(parts[4])) return {};
  return parts[4];
}

}  // namespace iam::policy
