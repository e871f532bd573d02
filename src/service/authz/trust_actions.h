// The actions whose resource-based policy is a role's trust policy (AWS's
// stricter same-account rule applies to them).
#pragma once

#include <cctype>
#include <string>
#include <string_view>

namespace iam::service {

inline bool IsTrustAction(std::string_view action) {
  std::string lower(action);
  for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return lower.rfind("sts:assumerole", 0) == 0 || lower == "sts:tagsession" || lower == "sts:setsourceidentity" ||
         lower == "sts:setcontext";
}

}  // namespace iam::service
