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
