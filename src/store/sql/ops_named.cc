// What users, groups, roles and instance profiles share: they are named
// within an account, found by name, created under a per-account quota,
// renamed, listed by path prefix and deleted the same way; NamedKind holds
// what differs (statements and AWS's wording).
#include "common/status_macros.h"
#include "store/sql/ops.h"

namespace iam::store::sql {

const NamedKind kUsers{
    .find = "SELECT id FROM users WHERE account_id = ? AND name = ?",
    .count = "SELECT count(*) FROM users WHERE account_id = ?",
    .list = "SELECT id FROM users WHERE account_id = ?1 AND substr(path, 1, length(?2)) = ?2 "
            "AND name >= ?3 ORDER BY name LIMIT ?4",
    .rename = "UPDATE users SET name = coalesce(?, name), path = coalesce(?, path) WHERE id = ?",
    .remove = "DELETE FROM users WHERE id = ?",
    .missing = "The user with name ",
    .existing = "User with name ",
    .quota_name = "UsersPerAccount",
    .quota = &Quotas::users_per_account,
    .principal = PrincipalKind::kUser,
    .taggable = TaggableKind::kUser,
};

const NamedKind kGroups{
    .find = "SELECT id FROM iam_groups WHERE account_id = ? AND name = ?",
    .count = "SELECT count(*) FROM iam_groups WHERE account_id = ?",
    .list = "SELECT id FROM iam_groups WHERE account_id = ?1 AND substr(path, 1, length(?2)) = ?2 "
            "AND name >= ?3 ORDER BY name LIMIT ?4",
    .rename = "UPDATE iam_groups SET name = coalesce(?, name), path = coalesce(?, path) WHERE id = ?",
    .remove = "DELETE FROM iam_groups WHERE id = ?",
    .missing = "The group with name ",
    .existing = "Group with name ",
    .quota_name = "GroupsPerAccount",
    .quota = &Quotas::groups_per_account,
    .principal = PrincipalKind::kGroup,
    .taggable = std::nullopt,  // IAM groups carry no tags
};

const NamedKind kRoles{
    .find = "SELECT id FROM roles WHERE account_id = ? AND name = ?",
    .count = "SELECT count(*) FROM roles WHERE account_id = ?",
    .list = "SELECT id FROM roles WHERE account_id = ?1 AND substr(path, 1, length(?2)) = ?2 "
            "AND name >= ?3 ORDER BY name LIMIT ?4",
    .rename = nullptr,  // UpdateRole changes the description and session length, never the name
    .remove = "DELETE FROM roles WHERE id = ?",
    .missing = "The role with name ",
    .existing = "Role with name ",
    .quota_name = "RolesPerAccount",
    .quota = &Quotas::roles_per_account,
    .principal = PrincipalKind::kRole,
    .taggable = TaggableKind::kRole,
};

const NamedKind kProfiles{
    .find = "SELECT id FROM instance_profiles WHERE account_id = ? AND name = ?",
    .count = "SELECT count(*) FROM instance_profiles WHERE account_id = ?",
    .list = "SELECT id FROM instance_profiles WHERE account_id = ?1 "
            "AND substr(path, 1, length(?2)) = ?2 AND name >= ?3 ORDER BY name LIMIT ?4",
    .rename = nullptr,
    .remove = "DELETE FROM instance_profiles WHERE id = ?",
    .missing = "Instance Profile ",
    .existing = "Instance Profile ",
    .quota_name = "InstanceProfilesPerAccount",
    .quota = &Quotas::instance_profiles_per_account,
    .principal = std::nullopt,  // holds no policies
    .taggable = TaggableKind::kInstanceProfile,
};

Result<std::vector<int64_t>> RowIds(Stmt& q) {
  std::vector<int64_t> out;
  for (;;) {
    IAM_ASSIGN_OR_RETURN(bool r, q.Step());
    if (!r) return out;
    out.push_back(q.Int(0));
  }
}

Result<int64_t> SqlOps::NamedRow(const NamedKind& kind, std::string_view account_id, std::string_view name) {
  Stmt q(db_, kind.find, account_id, name);
  IAM_ASSIGN_OR_RETURN(bool row, q.Step());
  if (!row) return NoSuchEntity(std::string(kind.missing) + std::string(name) + " cannot be found.");
  return q.Int(0);
}

Status SqlOps::CheckNewName(const NamedKind& kind, std::string_view account_id, std::string_view name) {
  IAM_RETURN_IF_ERROR(RequireAccount(account_id));
  if (NamedRow(kind, account_id, name).ok()) {
    return AlreadyExists(std::string(kind.existing) + std::string(name) + " already exists.");
  }
  IAM_ASSIGN_OR_RETURN(int64_t n, Count(kind.count, account_id));
  if (n >= quotas_.*kind.quota) return LimitExceeded(QuotaMessage(kind.quota_name, quotas_.*kind.quota));
  return Status();
}

Status SqlOps::RenameNamed(const NamedKind& kind, std::string_view account_id, std::string_view name,
                           const Rename& r, std::string_view new_name_field, int name_max) {
  IAM_ASSIGN_OR_RETURN(int64_t row, NamedRow(kind, account_id, name));
  if (r.new_path) IAM_RETURN_IF_ERROR(ValidatePath(*r.new_path, "newPath"));
  if (r.new_name) {
    IAM_RETURN_IF_ERROR(ValidateName(*r.new_name, new_name_field, name_max));
    Result<int64_t> other = NamedRow(kind, account_id, *r.new_name);
    if (other.ok() && *other != row) {
      return AlreadyExists(std::string(kind.existing) + *r.new_name + " already exists.");
    }
  }
  Stmt q(db_, kind.rename, r.new_name, r.new_path, row);
  return q.Run();
}

Status SqlOps::DeleteNamedRow(const NamedKind& kind, int64_t row) {
  if (kind.principal) IAM_RETURN_IF_ERROR(CheckDeleteConflicts(*kind.principal, row));
  if (kind.taggable) IAM_RETURN_IF_ERROR(DeleteTags(*kind.taggable, row));
  Stmt q(db_, kind.remove, row);
  return q.Run();
}

}  // namespace iam::store::sql
