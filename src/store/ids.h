// Identifiers in AWS's forms: unique ids (AIDA..., 21 chars), access key ids
// (AKIA..., 20 chars), secrets, account ids, and the ARNs of IAM entities.
// Thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "iamd/status.h"

namespace iam::store {

// Prefixes of unique ids, as AWS uses them.
inline constexpr char kUserIdPrefix[] = "AIDA";
inline constexpr char kGroupIdPrefix[] = "AGPA";
inline constexpr char kRoleIdPrefix[] = "AROA";
inline constexpr char kPolicyIdPrefix[] = "ANPA";
inline constexpr char kInstanceProfileIdPrefix[] = "AIPA";

// NewUniqueId returns prefix + 17 random characters of [A-Z2-7].
std::string NewUniqueId(std::string_view prefix);
// NewAccessKeyId returns "AKIA" + 16 random characters of [A-Z2-7].
std::string NewAccessKeyId();
// NewSecretAccessKey returns 40 random base64 characters, as AWS's secrets.
std::string NewSecretAccessKey();
// NewAccountId returns 12 random digits, not starting with 0.
std::string NewAccountId();

// Arn returns arn:aws:iam::ACCOUNT:TYPE{path}{name}, e.g.
// Arn("123456789012", "user", "/dev/", "bob").
std::string Arn(std::string_view account_id, std::string_view type, std::string_view path,
                std::string_view name);

// The parts of an IAM ARN with a path, such as a policy ARN.
struct ParsedArn {
  std::string account_id;  // or "aws"
  std::string type;        // "policy", "user", ...
  std::string path;        // "/" or "/a/b/"
  std::string name;
};
// ParseArn splits "arn:aws:iam::ACCOUNT:TYPE/PATH.../NAME". Returns
// kValidationError if `arn` is not of that form.
Result<ParsedArn> ParseArn(std::string_view arn);

}  // namespace iam::store
