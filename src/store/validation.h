// AWS IAM's input rules for names, paths, tags and documents, with the
// messages AWS gives ("1 validation error detected: Value 'a b' at 'userName'
// failed to satisfy constraint: Member must satisfy regular expression
// pattern: [\w+=,.@-]+"). Every check returns OK or kValidationError unless
// its comment says otherwise. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "iamd/status.h"
#include "store/model.h"
#include "store/quotas.h"

namespace iam::store {

// Character classes of AWS's name patterns.
enum class NamePattern {
  kIdentity,  // [\w+=,.@-]+  users, groups, roles, policies, profiles, MFA
  kSaml,      // [\w._-]+
};

// ValidateName checks a name against `pattern` and 1..max_len characters.
// `member` is the API member name used in the message, e.g. "userName".
Status ValidateName(std::string_view value, std::string_view member, size_t max_len,
                    NamePattern pattern = NamePattern::kIdentity);

// Per-entity limits (AWS's service model).
inline constexpr size_t kUserNameMax = 64;
inline constexpr size_t kGroupNameMax = 128;
inline constexpr size_t kRoleNameMax = 64;
inline constexpr size_t kPolicyNameMax = 128;
inline constexpr size_t kInstanceProfileNameMax = 128;
inline constexpr size_t kMfaNameMax = 226;
inline constexpr size_t kSamlNameMax = 128;
inline constexpr size_t kPolicyDocumentMax = 131072;
inline constexpr size_t kRoleDescriptionMax = 1000;
inline constexpr size_t kPolicyDescriptionMax = 1000;
inline constexpr int kMinSessionDuration = 3600;
inline constexpr int kMaxSessionDuration = 43200;

// ValidatePath: "/" or "/segments/" of printable ASCII, 1..512.
Status ValidatePath(std::string_view path, std::string_view member = "path");
// ValidatePathPrefix: "/" followed by printable ASCII, 1..512.
Status ValidatePathPrefix(std::string_view prefix);
// ValidateListOptions checks the prefix and max_items (1..1000).
Status ValidateListOptions(const ListOptions& o);

// ValidateTags checks count (kLimitExceeded beyond the quota), keys
// (1..128), values (0..256), characters, duplicates, and the reserved
// "aws:" prefix (kInvalidInput).
Status ValidateTags(const std::vector<Tag>& tags, const Quotas& q);

// ValidateDocument checks 1..131072 characters of policy text; JSON and
// grammar are the policy layer's job.
Status ValidateDocument(std::string_view doc, std::string_view member = "policyDocument");
// PolicySize counts a document's characters without white space, as AWS
// does for its size quotas.
size_t PolicySize(std::string_view doc);

Status ValidateDescription(std::string_view description, size_t max_len);
// 3600..43200 seconds.
Status ValidateMaxSessionDuration(int seconds);
// 12 digits.
Status ValidateAccountId(std::string_view id);
// ^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$
Status ValidateAccountAlias(std::string_view alias);
// AKIA + 16 characters of [A-Z0-9].
Status ValidateAccessKeyId(std::string_view id);
// https:// URL, 1..255 characters.
Status ValidateOidcUrl(std::string_view url);
// 40 hex characters.
Status ValidateThumbprint(std::string_view thumbprint);
// 1..255 characters.
Status ValidateClientId(std::string_view client_id);
// Checks a password policy's ranges.
Status ValidatePasswordPolicy(const PasswordPolicy& p);

}  // namespace iam::store
