#include "store/validation.h"

#include <cctype>
#include <set>

#include "common/status_macros.h"

namespace iam::store {
namespace {

bool IsWord(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

Status PatternError(std::string_view value, std::string_view member, std::string_view pattern) {
  return ValidationError("1 validation error detected: Value '" + std::string(value) + "' at '" +
                         std::string(member) +
                         "' failed to satisfy constraint: Member must satisfy regular expression "
                         "pattern: " +
                         std::string(pattern));
}

Status LengthError(std::string_view value, std::string_view member, size_t min, size_t max) {
  std::string rule = value.size() < min
                         ? "greater than or equal to " + std::to_string(min)
                         : "less than or equal to " + std::to_string(max);
  return ValidationError("1 validation error detected: Value '" + std::string(value) + "' at '" +
                         std::string(member) +
                         "' failed to satisfy constraint: Member must have length " + rule);
}

Status CheckLength(std::string_view value, std::string_view member, size_t min, size_t max) {
  if (value.size() < min || value.size() > max) return LengthError(value, member, min, max);
  return Status();
}

// Tag keys and values: letters, digits, spaces (any non-ASCII UTF-8 is
// allowed as AWS allows \p{L}\p{Z}\p{N}) and _ . : / = + - @.
bool IsTagChar(char c) {
  return IsWord(c) || static_cast<unsigned char>(c) >= 0x80 || c == ' ' || c == '.' ||
         c == ':' || c == '/' || c == '=' || c == '+' || c == '-' || c == '@';
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace

Status ValidateName(std::string_view value, std::string_view member, size_t max_len,
                    NamePattern pattern) {
  IAM_RETURN_IF_ERROR(CheckLength(value, member, 1, max_len));
  for (char c : value) {
    bool ok = pattern == NamePattern::kIdentity
                  ? IsWord(c) || c == '+' || c == '=' || c == ',' || c == '.' || c == '@' || c == '-'
                  : IsWord(c) || c == '.' || c == '-';
    if (!ok) {
      return PatternError(value, member,
                          pattern == NamePattern::kIdentity ? "[\\w+=,.@-]+" : "[\\w._-]+");
    }
  }
  return Status();
}

Status ValidatePath(std::string_view path, std::string_view member) {
  IAM_RETURN_IF_ERROR(CheckLength(path, member, 1, 512));
  bool ok = path.front() == '/' && path.back() == '/' && path.find("//") == std::string_view::npos;
  for (char c : path) ok = ok && c >= 0x21 && c <= 0x7e;
  if (!ok) return PatternError(path, member, "(\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)");
  return Status();
}

Status ValidatePathPrefix(std::string_view prefix) {
  IAM_RETURN_IF_ERROR(CheckLength(prefix, "pathPrefix", 1, 512));
  bool ok = prefix.front() == '/';
  for (char c : prefix) ok = ok && static_cast<unsigned char>(c) >= 0x21 && static_cast<unsigned char>(c) <= 0x7f;
  if (!ok) return PatternError(prefix, "pathPrefix", "\\u002F[\\u0021-\\u007F]*");
  return Status();
}

Status ValidateListOptions(const ListOptions& o) {
  IAM_RETURN_IF_ERROR(ValidatePathPrefix(o.path_prefix));
  if (o.max_items < 1 || o.max_items > 1000) {
    return ValidationError("1 validation error detected: Value '" + std::to_string(o.max_items) +
                           "' at 'maxItems' failed to satisfy constraint: Member must have value " +
                           (o.max_items < 1 ? "greater than or equal to 1"
                                            : "less than or equal to 1000"));
  }
  return Status();
}

Status ValidateTags(const std::vector<Tag>& tags, const Quotas& q) {
  if (static_cast<int>(tags.size()) > q.tags_per_entity) {
    return LimitExceeded("The number of tags has reached the maximum limit.");
  }
  std::set<std::string> seen;
  for (const Tag& t : tags) {
    IAM_RETURN_IF_ERROR(CheckLength(t.key, "tags.member.key", 1, 128));
    IAM_RETURN_IF_ERROR(CheckLength(t.value, "tags.member.value", 0, 256));
    for (char c : t.key) {
      if (!IsTagChar(c)) return PatternError(t.key, "tags.member.key", "[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+");
    }
    for (char c : t.value) {
      if (!IsTagChar(c)) {
        return PatternError(t.value, "tags.member.value", "[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*");
      }
    }
    std::string lower = Lower(t.key);
    if (lower.rfind("aws:", 0) == 0) {
      return InvalidInput("User-defined tag keys can't start with \"aws:\".");
    }
    if (!seen.insert(lower).second) {
      return InvalidInput("Duplicate tag keys found. Please note that Tag keys are case insensitive.");
    }
  }
  return Status();
}

Status ValidateDocument(std::string_view doc, std::string_view member) {
  if (doc.empty() || doc.size() > kPolicyDocumentMax) {
    return ValidationError("1 validation error detected: Value at '" + std::string(member) +
                           "' failed to satisfy constraint: Member must have length " +
                           (doc.empty() ? "greater than or equal to 1"
                                        : "less than or equal to 131072"));
  }
  return Status();
}

size_t PolicySize(std::string_view doc) {
  size_t n = 0;
  for (char c : doc) {
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') ++n;
  }
  return n;
}

Status ValidateDescription(std::string_view description, size_t max_len) {
  return CheckLength(description, "description", 0, max_len);
}

Status ValidateMaxSessionDuration(int seconds) {
  if (seconds < kMinSessionDuration || seconds > kMaxSessionDuration) {
    return ValidationError("1 validation error detected: Value '" + std::to_string(seconds) +
                           "' at 'maxSessionDuration' failed to satisfy constraint: Member must have value " +
                           (seconds < kMinSessionDuration ? "greater than or equal to 3600"
                                                          : "less than or equal to 43200"));
  }
  return Status();
}

Status ValidateAccountId(std::string_view id) {
  bool ok = id.size() == 12;
  for (char c : id) ok = ok && c >= '0' && c <= '9';
  if (!ok) return ValidationError("Account id must be 12 digits: '" + std::string(id) + "'");
  return Status();
}

Status ValidateAccountAlias(std::string_view alias) {
  IAM_RETURN_IF_ERROR(CheckLength(alias, "accountAlias", 3, 63));
  bool ok = alias.front() != '-' && alias.back() != '-' && alias.find("--") == std::string_view::npos;
  for (char c : alias) ok = ok && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-');
  if (!ok) return PatternError(alias, "accountAlias", "^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$");
  return Status();
}

Status ValidateAccessKeyId(std::string_view id) {
  bool ok = id.size() == 20 && id.substr(0, 4) == "AKIA";
  for (char c : id) ok = ok && ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'));
  if (!ok) return PatternError(id, "accessKeyId", "AKIA[A-Z0-9]{16}");
  return Status();
}

Status ValidateOidcUrl(std::string_view url) {
  IAM_RETURN_IF_ERROR(CheckLength(url, "url", 1, 255));
  if (url.substr(0, 8) != "https://" || url.size() == 8) {
    return ValidationError("Invalid OpenID Connect provider URL: '" + std::string(url) +
                           "'; it must begin with https://");
  }
  return Status();
}

Status ValidateThumbprint(std::string_view thumbprint) {
  bool ok = thumbprint.size() == 40;
  for (char c : thumbprint) ok = ok && std::isxdigit(static_cast<unsigned char>(c));
  if (!ok) return LengthError(thumbprint, "thumbprintList.member", 40, 40);
  return Status();
}

Status ValidateClientId(std::string_view client_id) {
  return CheckLength(client_id, "clientIDList.member", 1, 255);
}

Status ValidatePasswordPolicy(const PasswordPolicy& p) {
  if (p.minimum_password_length < 6 || p.minimum_password_length > 128) {
    return ValidationError("MinimumPasswordLength must be between 6 and 128.");
  }
  if (p.max_password_age && (*p.max_password_age < 1 || *p.max_password_age > 1095)) {
    return ValidationError("MaxPasswordAge must be between 1 and 1095.");
  }
  if (p.password_reuse_prevention &&
      (*p.password_reuse_prevention < 1 || *p.password_reuse_prevention > 24)) {
    return ValidationError("PasswordReusePrevention must be between 1 and 24.");
  }
  return Status();
}

}  // namespace iam::store
