#include "policy/arn.h"

#include "policy/wildcard.h"

namespace iam::policy {

bool SplitArn(std::string_view arn, std::array<std::string_view, 6>& parts) {
  if (arn.size() < 4 || arn.substr(0, 4) != "arn:") return false;
  size_t start = 0;
  for (int i = 0; i < 5; ++i) {
    size_t colon = arn.find(':', start);
    if (colon == std::string_view::npos) return false;
    parts[i] = arn.substr(start, colon - start);
    start = colon + 1;
  }
  parts[5] = arn.substr(start);
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

ArnPattern ArnPattern::Make(std::string_view pattern) {
  ArnPattern m;
  m.star_ = pattern == "*";
  std::array<std::string_view, 6> p;
  m.split_ = SplitArn(pattern, p);
  if (!m.split_) return m;
  for (int i = 1; i < 6; ++i) {
    Part& part = m.parts_[i];
    part.begin = static_cast<uint32_t>(p[i].data() - pattern.data());
    part.size = static_cast<uint32_t>(p[i].size());
    // A glob of only '*' matches anything; one without wildcards is equality.
    bool only_stars = !p[i].empty() && p[i].find_first_not_of('*') == std::string_view::npos;
    part.kind = only_stars ? Kind::kAny : HasWildcard(p[i]) ? Kind::kGlob : Kind::kExact;
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

bool ArnPattern::MayMatch(std::string_view prefix, const ArnView& arn) const {
  if (!split_ || !arn.split) return true;
  std::string_view start = prefix.substr(parts_[5].begin, parts_[5].size);
  if (arn.parts[5].size() < start.size() || !BytesEqual(arn.parts[5].substr(0, start.size()), start)) return false;
  for (int i = 1; i < 5; ++i) {
    const Part& part = parts_[i];
    std::string_view p = prefix.substr(part.begin, part.size);
    if (part.kind == Kind::kExact && !BytesEqual(p, arn.parts[i])) return false;
    if (part.kind == Kind::kGlob && !GlobMatch(p, arn.parts[i])) return false;
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
    switch (part.kind) {
      case Kind::kAny:
        break;
      case Kind::kExact:
        if (!BytesEqual(p, arn.parts[i])) return false;
        break;
      case Kind::kGlob:
        if (!GlobMatch(p, arn.parts[i])) return false;
        break;
    }
  }
  return true;
}

bool IsAccountId(std::string_view s) {
  if (s.size() != 12) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

std::string_view ArnAccount(std::string_view arn) {
  std::array<std::string_view, 6> parts;
  if (!SplitArn(arn, parts) || !IsAccountId(parts[4])) return {};
  return parts[4];
}

}  // namespace iam::policy
