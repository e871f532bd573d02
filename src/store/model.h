// Plain values that the Store reads and writes: what AWS IAM keeps about
// accounts, identities, policies and credentials. No behaviour here; rules
// live in the backends (uniqueness, conflicts, quotas) and in validation.h.
// Times are whole seconds since the Unix epoch, UTC (AWS prints seconds).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace iam::store {

using Timestamp = int64_t;

// The pseudo-account that owns AWS managed policies (arn:aws:iam::aws:policy/...).
inline constexpr char kAwsAccount[] = "aws";

struct Tag {
  std::string key{};
  std::string value{};
  bool operator==(const Tag&) const = default;
};

struct PasswordPolicy {
  int minimum_password_length = 8;
  bool require_symbols = false;
  bool require_numbers = false;
  bool require_uppercase_characters = false;
  bool require_lowercase_characters = false;
  bool allow_users_to_change_password = false;
  std::optional<int> max_password_age{};           // days; absent = never expires
  std::optional<int> password_reuse_prevention{};  // previous passwords remembered
  bool hard_expiry = false;
  bool operator==(const PasswordPolicy&) const = default;
};

struct Account {
  std::string account_id{};  // 12 digits
  std::string alias{};       // empty when none
  Timestamp create_date = 0;
};

struct User {
  std::string account_id{};
  std::string name{};
  std::string path = "/";
  std::string user_id{};  // AIDA...
  std::string arn{};
  Timestamp create_date = 0;
  std::optional<Timestamp> password_last_used{};
  std::string permissions_boundary_arn{};  // empty when none
  std::vector<Tag> tags{};
};

struct Group {
  std::string account_id{};
  std::string name{};
  std::string path = "/";
  std::string group_id{};  // AGPA...
  std::string arn{};
  Timestamp create_date = 0;
};

struct Role {
  std::string account_id{};
  std::string name{};
  std::string path = "/";
  std::string role_id{};  // AROA...
  std::string arn{};
  Timestamp create_date = 0;
  std::string assume_role_policy_document{};
  std::string description{};
  int max_session_duration = 3600;  // seconds, 3600..43200
  std::string permissions_boundary_arn{};
  std::optional<Timestamp> last_used_date{};
  std::string last_used_region{};
  std::vector<Tag> tags{};
};

struct InstanceProfile {
  std::string account_id{};
  std::string name{};
  std::string path = "/";
  std::string instance_profile_id{};  // AIPA...
  std::string arn{};
  Timestamp create_date = 0;
  std::vector<Role> roles{};  // AWS allows at most one
  std::vector<Tag> tags{};
};

struct ManagedPolicy {
  std::string account_id{};  // kAwsAccount for AWS managed policies
  std::string name{};
  std::string path = "/";
  std::string policy_id{};  // ANPA...
  std::string arn{};
  std::string description{};
  std::string default_version_id{};  // "v1".."vN"
  int attachment_count = 0;
  int permissions_boundary_usage_count = 0;
  bool is_attachable = true;
  Timestamp create_date = 0;
  Timestamp update_date = 0;
  std::vector<Tag> tags{};
};

struct PolicyVersion {
  std::string version_id{};  // "v1", "v2", ...
  std::string document{};
  bool is_default = false;
  Timestamp create_date = 0;
};

enum class PrincipalKind { kUser, kGroup, kRole };

// Names a user, group or role within an account.
struct PrincipalRef {
  PrincipalKind kind = PrincipalKind::kUser;
  std::string name{};
};

struct InlinePolicy {
  std::string name{};
  std::string document{};
};

struct AttachedPolicy {
  std::string name{};
  std::string arn{};
};

// Who in an account uses a managed policy (ListEntitiesForPolicy), each
// list by name: attached as a permissions policy, or set as a boundary.
struct PolicyEntities {
  struct Entity {
    std::string name{};
    std::string id{};
    std::string path = "/";
  };
  std::vector<Entity> users, groups, roles;
  std::vector<Entity> boundary_users, boundary_roles;
};

enum class AccessKeyStatus { kActive, kInactive };

struct AccessKey {
  std::string access_key_id{};  // AKIA... (20 chars)
  std::string account_id{};
  std::string user_name{};
  std::string user_id{};
  AccessKeyStatus status = AccessKeyStatus::kActive;
  Timestamp create_date = 0;
  std::string sealed_secret{};  // KeyRing box; the store never sees plaintext
  std::optional<Timestamp> last_used_date{};
  std::string last_used_service{};  // "N/A" in AWS's answers when never used
  std::string last_used_region{};
};

// An account root's access key: it belongs to the account, not to a user.
struct RootAccessKey {
  std::string access_key_id{};
  std::string account_id{};
  bool active = true;
  Timestamp create_date = 0;
  std::string sealed_secret{};  // KeyRing box (aad: the access key id)
};

struct LoginProfile {
  std::string user_name{};
  std::string password_hash{};  // argon2id string
  bool password_reset_required = false;
  Timestamp create_date = 0;
};

struct MfaDevice {
  std::string account_id{};
  std::string serial_number{};  // arn:aws:iam::ACCOUNT:mfa/path/name
  std::string name{};
  std::string path = "/";
  std::string sealed_seed{};  // KeyRing box of the TOTP seed
  std::string user_name{};    // empty when not enabled for a user
  std::optional<Timestamp> enable_date{};
  Timestamp create_date = 0;
  int64_t last_totp_step = 0;  // highest accepted TOTP step, so codes are used once
  std::vector<Tag> tags{};
};

struct OidcProvider {
  std::string account_id{};
  std::string arn{};  // arn:aws:iam::ACCOUNT:oidc-provider/HOST/PATH
  std::string url{};  // as given, with https://
  std::vector<std::string> client_ids{};
  std::vector<std::string> thumbprints{};
  Timestamp create_date = 0;
  std::vector<Tag> tags{};
};

struct SamlProvider {
  std::string account_id{};
  std::string arn{};  // arn:aws:iam::ACCOUNT:saml-provider/NAME
  std::string name{};
  std::string metadata_document{};
  Timestamp create_date = 0;
  std::optional<Timestamp> valid_until{};
  std::vector<Tag> tags{};
};

// What can carry tags, and how it is named in TagTarget::id.
enum class TaggableKind {
  kUser,             // id = user name
  kRole,             // id = role name
  kPolicy,           // id = policy ARN
  kInstanceProfile,  // id = instance profile name
  kMfaDevice,        // id = serial number
  kOidcProvider,     // id = provider ARN
  kSamlProvider,     // id = provider ARN
};

struct TagTarget {
  TaggableKind kind = TaggableKind::kUser;
  std::string id{};
};

// One sealing key of the server key ring, wrapped by the master key.
struct WrappedKey {
  uint32_t key_id = 0;
  std::string wrapped{};  // crypto::Seal(master key, key, "iamd-key-ring")
  bool is_current = false;
  Timestamp create_date = 0;
};

// A policy document with where it came from, for evaluation and for saying
// which policy decided.
struct SourcedPolicy {
  enum class Source { kInline, kManaged, kGroupInline, kGroupManaged };
  Source source = Source::kInline;
  std::string name{};       // inline policy name or managed policy name
  std::string arn{};        // managed policies only
  std::string via_group{};  // group name for kGroupInline/kGroupManaged
  std::string document{};
};

// Everything needed to evaluate a user's or role's identity policies:
// fetched in one read transaction on the request path.
struct PrincipalPolicySet {
  std::string account_id{};
  std::string principal_arn{};
  std::string principal_id{};
  std::vector<Tag> tags{};  // principal tags, for aws:PrincipalTag/...
  std::vector<SourcedPolicy> policies{};
  std::optional<SourcedPolicy> permissions_boundary{};
};

// Counts for GetAccountSummary.
struct AccountSummary {
  int64_t users = 0, groups = 0, roles = 0, policies = 0, instance_profiles = 0;
  int64_t mfa_devices = 0, mfa_devices_in_use = 0, access_keys = 0;
  int64_t providers = 0, server_certificates = 0;
};

// Pagination as the IAM API has it: `marker` is opaque and comes from the
// previous page; max_items is 1..1000 (AWS's default is 100).
struct ListOptions {
  std::string path_prefix = "/";
  std::string marker{};
  int max_items = 100;
};

template <typename T>
struct Page {
  std::vector<T> items{};
  bool is_truncated = false;
  std::string marker{};  // set when is_truncated
};

enum class PolicyScope { kAll, kAws, kLocal };
// ListPolicies' PolicyUsageFilter: kPermissionsPolicy keeps policies attached
// to a user, group or role of the account, kPermissionsBoundary those used as
// a boundary there.
enum class PolicyUsage { kAny, kPermissionsPolicy, kPermissionsBoundary };

struct PolicyListOptions : ListOptions {
  PolicyScope scope = PolicyScope::kAll;
  bool only_attached = false;  // attached in the account (AttachmentCount > 0)
  PolicyUsage usage = PolicyUsage::kAny;
};

}  // namespace iam::store
