// Roles, permissions boundaries, instance profiles.
#include "common/status_macros.h"
#include "store/ids.h"
#include "store/sql/ops.h"
#include "store/validation.h"

namespace iam::store::sql {
// ---- Roles ---------------------------------------------------------------------

Result<Role> SqlOps::CreateRole(std::string_view account_id, const NewRole& r) {
  IAM_RETURN_IF_ERROR(ValidateName(r.name, "roleName", kRoleNameMax));
  IAM_RETURN_IF_ERROR(ValidatePath(r.path));
  IAM_RETURN_IF_ERROR(ValidateDocument(r.assume_role_policy_document, "assumeRolePolicyDocument"));
  IAM_RETURN_IF_ERROR(ValidateDescription(r.description, kRoleDescriptionMax));
  IAM_RETURN_IF_ERROR(ValidateMaxSessionDuration(r.max_session_duration));
  IAM_RETURN_IF_ERROR(ValidateTags(r.tags, quotas_));
  if (static_cast<int>(PolicySize(r.assume_role_policy_document)) > quotas_.trust_policy_size) {
    return LimitExceeded(QuotaMessage("ACLSizePerRole", quotas_.trust_policy_size));
  }
  IAM_RETURN_IF_ERROR(CheckNewName(kRoles, account_id, r.name));
  std::optional<int64_t> boundary;
  if (!r.permissions_boundary_arn.empty()) {
    IAM_ASSIGN_OR_RETURN(PolicyRow p, FindPolicy(account_id, r.permissions_boundary_arn));
    boundary = p.id;
  }
  Stmt ins(db_, "INSERT INTO roles (account_id, name, path, unique_id, create_date, trust_policy, "
                "description, max_session, boundary_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "RETURNING id",
           account_id, r.name, r.path, NewUniqueId(kRoleIdPrefix), Now(),
           r.assume_role_policy_document, r.description, r.max_session_duration, boundary);
  IAM_ASSIGN_OR_RETURN(int64_t id, ins.InsertReturningId());
  IAM_RETURN_IF_ERROR(WriteTags(TaggableKind::kRole, id, r.tags));
  return ReadRole(id);
}

Result<Role> SqlOps::GetRole(std::string_view account_id, std::string_view name) {
  return GetNamed(kRoles, account_id, name, &SqlOps::ReadRole);
}

Status SqlOps::UpdateRole(std::string_view account_id, std::string_view name, const RoleUpdate& u) {
  IAM_ASSIGN_OR_RETURN(int64_t row, RoleRow(account_id, name));
  if (u.description) IAM_RETURN_IF_ERROR(ValidateDescription(*u.description, kRoleDescriptionMax));
  if (u.max_session_duration) IAM_RETURN_IF_ERROR(ValidateMaxSessionDuration(*u.max_session_duration));
  Stmt q(db_, "UPDATE roles SET description = coalesce(?, description), "
              "max_session = coalesce(?, max_session) WHERE id = ?",
         u.description, u.max_session_duration, row);
  return q.Run();
}

Status SqlOps::UpdateAssumeRolePolicy(std::string_view account_id, std::string_view name,
                                         std::string_view document) {
  IAM_ASSIGN_OR_RETURN(int64_t row, RoleRow(account_id, name));
  IAM_RETURN_IF_ERROR(ValidateDocument(document, "policyDocument"));
  if (static_cast<int>(PolicySize(document)) > quotas_.trust_policy_size) {
    return LimitExceeded(QuotaMessage("ACLSizePerRole", quotas_.trust_policy_size));
  }
  Stmt q(db_, "UPDATE roles SET trust_policy = ? WHERE id = ?", document, row);
  return q.Run();
}

Status SqlOps::DeleteRole(std::string_view account_id, std::string_view name) {
  IAM_ASSIGN_OR_RETURN(int64_t row, RoleRow(account_id, name));
  IAM_ASSIGN_OR_RETURN(int64_t n,
                       CountId("SELECT count(*) FROM instance_profile_roles WHERE role_id = ?", row));
  if (n) return DeleteConflict("Cannot delete entity, must remove roles from instance profile first.");
  return DeleteNamedRow(kRoles, row);
}

Result<Page<Role>> SqlOps::ListRoles(std::string_view account_id, const ListOptions& o) {
  return ListNamed(kRoles, account_id, o, &SqlOps::ReadRole);
}

Status SqlOps::RecordRoleUsed(std::string_view account_id, std::string_view name, Timestamp when,
                                 std::string_view region) {
  IAM_ASSIGN_OR_RETURN(int64_t row, RoleRow(account_id, name));
  UsageRecord usage(*this);
  Stmt q(db_, "UPDATE roles SET last_used_date = ?, last_used_region = ? WHERE id = ?", when, region, row);
  return q.Run();
}

// ---- Permissions boundaries -----------------------------------------------------

Status SqlOps::PutPermissionsBoundary(std::string_view account_id, const PrincipalRef& p,
                                         std::string_view policy_arn) {
  if (p.kind == PrincipalKind::kGroup) return InvalidInput("Groups cannot have a permissions boundary.");
  IAM_ASSIGN_OR_RETURN(int64_t row, PrincipalRow(account_id, p));
  IAM_ASSIGN_OR_RETURN(PolicyRow policy, FindPolicy(account_id, policy_arn));
  Stmt q(db_, p.kind == PrincipalKind::kUser ? "UPDATE users SET boundary_id = ? WHERE id = ?"
                                              : "UPDATE roles SET boundary_id = ? WHERE id = ?",
         policy.id, row);
  return q.Run();
}

Status SqlOps::DeletePermissionsBoundary(std::string_view account_id, const PrincipalRef& p) {
  if (p.kind == PrincipalKind::kGroup) return InvalidInput("Groups cannot have a permissions boundary.");
  IAM_ASSIGN_OR_RETURN(int64_t row, PrincipalRow(account_id, p));
  Stmt q(db_, p.kind == PrincipalKind::kUser ? "UPDATE users SET boundary_id = NULL WHERE id = ?"
                                              : "UPDATE roles SET boundary_id = NULL WHERE id = ?",
         row);
  return q.Run();
}

// ---- Instance profiles ------------------------------------------------------------

Result<InstanceProfile> SqlOps::CreateInstanceProfile(std::string_view account_id,
                                                         const NewInstanceProfile& p) {
  IAM_RETURN_IF_ERROR(ValidateName(p.name, "instanceProfileName", kInstanceProfileNameMax));
  IAM_RETURN_IF_ERROR(ValidatePath(p.path));
  IAM_RETURN_IF_ERROR(ValidateTags(p.tags, quotas_));
  IAM_RETURN_IF_ERROR(CheckNewName(kProfiles, account_id, p.name));
  Stmt ins(db_, "INSERT INTO instance_profiles (account_id, name, path, unique_id, create_date) "
                "VALUES (?, ?, ?, ?, ?) RETURNING id",
           account_id, p.name, p.path, NewUniqueId(kInstanceProfileIdPrefix), Now());
  IAM_ASSIGN_OR_RETURN(int64_t id, ins.InsertReturningId());
  IAM_RETURN_IF_ERROR(WriteTags(TaggableKind::kInstanceProfile, id, p.tags));
  return ReadProfile(id);
}

Result<InstanceProfile> SqlOps::GetInstanceProfile(std::string_view account_id, std::string_view name) {
  return GetNamed(kProfiles, account_id, name, &SqlOps::ReadProfile);
}

Status SqlOps::DeleteInstanceProfile(std::string_view account_id, std::string_view name) {
  IAM_ASSIGN_OR_RETURN(int64_t row, ProfileRow(account_id, name));
  IAM_ASSIGN_OR_RETURN(int64_t n,
                       CountId("SELECT count(*) FROM instance_profile_roles WHERE profile_id = ?", row));
  if (n) return DeleteConflict("Cannot delete entity, must remove roles from instance profile first.");
  return DeleteNamedRow(kProfiles, row);
}

Result<Page<InstanceProfile>> SqlOps::ListInstanceProfiles(std::string_view account_id,
                                                              const ListOptions& o) {
  return ListNamed(kProfiles, account_id, o, &SqlOps::ReadProfile);
}

Status SqlOps::AddRoleToInstanceProfile(std::string_view account_id, std::string_view profile,
                                           std::string_view role) {
  IAM_ASSIGN_OR_RETURN(int64_t p, ProfileRow(account_id, profile));
  IAM_ASSIGN_OR_RETURN(int64_t r, RoleRow(account_id, role));
  Stmt has(db_, "SELECT 1 FROM instance_profile_roles WHERE profile_id = ? AND role_id = ?", p, r);
  IAM_ASSIGN_OR_RETURN(bool member, has.Step());
  if (member) {
    return AlreadyExists("Role " + std::string(role) + " is already in instance profile " +
                         std::string(profile) + ".");
  }
  IAM_ASSIGN_OR_RETURN(int64_t n,
                       CountId("SELECT count(*) FROM instance_profile_roles WHERE profile_id = ?", p));
  if (n >= quotas_.roles_per_instance_profile) {
    return LimitExceeded(
        QuotaMessage("InstanceSessionsPerInstanceProfile", quotas_.roles_per_instance_profile));
  }
  Stmt ins(db_, "INSERT INTO instance_profile_roles VALUES (?, ?)", p, r);
  return ins.Run();
}

Status SqlOps::RemoveRoleFromInstanceProfile(std::string_view account_id, std::string_view profile,
                                                std::string_view role) {
  IAM_ASSIGN_OR_RETURN(int64_t p, ProfileRow(account_id, profile));
  IAM_ASSIGN_OR_RETURN(int64_t r, RoleRow(account_id, role));
  Stmt q(db_, "DELETE FROM instance_profile_roles WHERE profile_id = ? AND role_id = ? RETURNING 1", p, r);
  IAM_ASSIGN_OR_RETURN(bool row, q.Step());
  if (!row) {
    return NoSuchEntity("Role " + std::string(role) + " is not in instance profile " +
                        std::string(profile) + ".");
  }
  return q.Run();
}

Result<Page<InstanceProfile>> SqlOps::ListInstanceProfilesForRole(std::string_view account_id,
                                                                     std::string_view role,
                                                                     const ListOptions& o) {
  IAM_RETURN_IF_ERROR(ValidateListOptions(o));
  IAM_ASSIGN_OR_RETURN(int64_t r, RoleRow(account_id, role));
  Stmt q(db_, "SELECT p.id FROM instance_profile_roles x JOIN instance_profiles p ON p.id = x.profile_id "
              "WHERE x.role_id = ?1 AND substr(p.path, 1, length(?2)) = ?2 AND p.name >= ?3 "
              "ORDER BY p.name LIMIT ?4",
         r, o.path_prefix, o.marker, o.max_items + 1);
  return ReadPage(q, o, &SqlOps::ReadProfile);
}

}  // namespace iam::store::sql
