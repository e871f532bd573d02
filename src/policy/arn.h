// ARNs as policies see them: "arn:partition:service:region:account:resource".
#pragma once

#include <array>
#include <cstdint>
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

// A concrete ARN split once per request, for matching against many patterns.
struct ArnView {
  std::string_view whole;
  bool split = false;  // six-part ARN; `parts` valid
  std::array<std::string_view, 6> parts;
  explicit ArnView(std::string_view arn) : whole(arn) { split = SplitArn(arn, parts); }
};
bool ArnPatternMatch(std::string_view pattern, const ArnView& arn);

// A fixed ARN pattern split at compile time. Parts are offsets into the
// pattern text (so the owner may move it); each part is classified so that
// the common "*" and wildcard-free parts skip the glob matcher.
class ArnPattern {
 public:
  static ArnPattern Make(std::string_view pattern);
  // Same result as ArnPatternMatch(pattern, arn.whole); `pattern` is the
  // text this was made from.
  bool Matches(std::string_view pattern, const ArnView& arn) const;

  // For a pattern whose text starts with `prefix` (literal) and continues
  // with unknown text: false when no such pattern can match `arn` (a quick
  // rejection before resolving policy variables), true when it may.
  static ArnPattern MakePrefix(std::string_view prefix);

  // The literal start of the resource part (up to its first wildcard), which
  // every ARN this matches must begin its resource part with; "" when that
  // says nothing (not a six-part pattern). `pattern` as for Matches/MayMatch.
  std::string_view LiteralResourceStart(std::string_view pattern) const;
  bool MayMatch(std::string_view prefix, const ArnView& arn) const;
  // After MayMatch: whether `resolved` (the whole pattern, starting with the
  // prefix) matches; only its resource part is left to check.
  bool ResolvedMatches(std::string_view resolved, const ArnView& arn) const;

 private:
  enum class Kind : uint8_t { kAny, kExact, kPrefix, kGlob };
  static Kind KindOf(size_t size, size_t stars, bool others, bool ends_with_star);
  static bool PartMatches(Kind kind, std::string_view p, std::string_view text);
  struct Part {
    uint32_t begin = 0, size = 0;
    Kind kind = Kind::kGlob;
  };
  bool star_ = false;   // the whole pattern is "*"
  bool split_ = false;  // six-part ARN pattern
  std::array<Part, 6> parts_{};
};

// ArnPattern::Make(pattern), recalled from this thread's memo of recent
// patterns when it was made lately: policies repeat their resources.
ArnPattern RecentArnPattern(std::string_view pattern);

// The 12-digit account in an ARN, or "" when it has none.
std::string_view ArnAccount(std::string_view arn);

bool IsAccountId(std::string_view s);

}  // namespace iam::policy
