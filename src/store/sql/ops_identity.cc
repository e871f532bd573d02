// Lookups and reads of principals, users, groups and memberships.
#include "common/status_macros.h"
#include "store/ids.h"
#include "store/sql/ops.h"
#include "store/validation.h"

namespace iam::store::sql {
namespace {

int Kind(PrincipalKind k) { return static_cast<int>(k); }

}  // namespace

// ---- Lookups ----------------------------------------------------------------

Result<int64_t> SqlOps::PrincipalRow(std::string_view account_id, const PrincipalRef& p) {
  switch (p.kind) {
    case PrincipalKind::kUser:
      return UserRow(account_id, p.name);
    case PrincipalKind::kGroup:
      return GroupRow(account_id, p.name);
    case PrincipalKind::kRole:
      return RoleRow(account_id, p.name);
  }
  return Internal("unknown principal kind");
}

Result<std::string> SqlOps::BoundaryArn(std::optional<int64_t> policy_row) {
  if (!policy_row) return std::string();
  Stmt q(db_, "SELECT account_id, path, name FROM policies WHERE id = ?", *policy_row);
  IAM_ASSIGN_OR_RETURN(bool row, q.Step());
  if (!row) return Internal("boundary policy row missing");
  return PolicyArn(q.Text(0), q.Text(1), q.Text(2));
}

// The columns UserFrom reads, in its order; the row id comes last.
constexpr std::string_view kUserColumns =
    "SELECT account_id, name, path, unique_id, create_date, password_last_used, boundary_id, id FROM users ";

Result<User> SqlOps::UserFrom(Stmt& q) {
  User u;
  u.account_id = q.Text(0);
  u.name = q.Text(1);
  u.path = q.Text(2);
  u.user_id = q.Text(3);
  u.create_date = q.Int(4);
  u.password_last_used = q.OptInt(5);
  std::optional<int64_t> boundary = q.OptInt(6);
  int64_t row = q.Int(7);
  u.arn = Arn(u.account_id, "user", u.path, u.name);
  IAM_ASSIGN_OR_RETURN(u.permissions_boundary_arn, BoundaryArn(boundary));
  IAM_ASSIGN_OR_RETURN(u.tags, ReadTags(TaggableKind::kUser, row));
  return u;
}

Result<User> SqlOps::ReadUser(int64_t row) {
  static const std::string sql = std::string(kUserColumns) + "WHERE id = ?";
  Stmt q(db_, sql.c_str(), row);
  IAM_ASSIGN_OR_RETURN(bool found, q.Step());
  if (!found) return Internal("user row missing");
  return UserFrom(q);
}

Result<Group> SqlOps::ReadGroup(int64_t row) {
  Stmt q(db_, "SELECT account_id, name, path, unique_id, create_date FROM iam_groups WHERE id = ?", row);
  IAM_ASSIGN_OR_RETURN(bool found, q.Step());
  if (!found) return Internal("group row missing");
  Group g{q.Text(0), q.Text(1), q.Text(2), q.Text(3), "", q.Int(4)};
  g.arn = Arn(g.account_id, "group", g.path, g.name);
  return g;
}

Result<Role> SqlOps::ReadRole(int64_t row) {
  Role r;
  std::optional<int64_t> boundary;
  {
    Stmt q(db_, "SELECT account_id, name, path, unique_id, create_date, trust_policy, description, "
                "max_session, boundary_id, last_used_date, last_used_region FROM roles WHERE id = ?",
           row);
    IAM_ASSIGN_OR_RETURN(bool found, q.Step());
    if (!found) return Internal("role row missing");
    r.account_id = q.Text(0);
    r.name = q.Text(1);
    r.path = q.Text(2);
    r.role_id = q.Text(3);
    r.create_date = q.Int(4);
    r.assume_role_policy_document = q.Text(5);
    r.description = q.Text(6);
    r.max_session_duration = static_cast<int>(q.Int(7));
    boundary = q.OptInt(8);
    r.last_used_date = q.OptInt(9);
    r.last_used_region = q.Text(10);
  }
  r.arn = Arn(r.account_id, "role", r.path, r.name);
  IAM_ASSIGN_OR_RETURN(r.permissions_boundary_arn, BoundaryArn(boundary));
  IAM_ASSIGN_OR_RETURN(r.tags, ReadTags(TaggableKind::kRole, row));
  return r;
}

Result<InstanceProfile> SqlOps::ReadProfile(int64_t row) {
  InstanceProfile p;
  {
    Stmt q(db_, "SELECT account_id, name, path, unique_id, create_date FROM instance_profiles "
                "WHERE id = ?", row);
    IAM_ASSIGN_OR_RETURN(bool found, q.Step());
    if (!found) return Internal("instance profile row missing");
    p.account_id = q.Text(0);
    p.name = q.Text(1);
    p.path = q.Text(2);
    p.instance_profile_id = q.Text(3);
    p.create_date = q.Int(4);
  }
  p.arn = Arn(p.account_id, "instance-profile", p.path, p.name);
  std::vector<int64_t> roles;
  {
    Stmt q(db_, "SELECT role_id FROM instance_profile_roles WHERE profile_id = ?", row);
    for (;;) {
      IAM_ASSIGN_OR_RETURN(bool r, q.Step());
      if (!r) break;
      roles.push_back(q.Int(0));
    }
  }
  for (int64_t r : roles) {
    IAM_ASSIGN_OR_RETURN(Role role, ReadRole(r));
    p.roles.push_back(std::move(role));
  }
  IAM_ASSIGN_OR_RETURN(p.tags, ReadTags(TaggableKind::kInstanceProfile, row));
  return p;
}

// ---- Users ---------------------------------------------------------------------

Result<User> SqlOps::CreateUser(std::string_view account_id, const NewUser& u) {
  IAM_RETURN_IF_ERROR(ValidateName(u.name, "userName", kUserNameMax));
  IAM_RETURN_IF_ERROR(ValidatePath(u.path));
  IAM_RETURN_IF_ERROR(ValidateTags(u.tags, quotas_));
  IAM_RETURN_IF_ERROR(CheckNewName(kUsers, account_id, u.name));
  std::optional<int64_t> boundary;
  if (!u.permissions_boundary_arn.empty()) {
    IAM_ASSIGN_OR_RETURN(PolicyRow p, FindPolicy(account_id, u.permissions_boundary_arn));
    boundary = p.id;
  }
  Stmt ins(db_, "INSERT INTO users (account_id, name, path, unique_id, create_date, boundary_id) "
                "VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
           account_id, u.name, u.path, NewUniqueId(kUserIdPrefix), Now(), boundary);
  IAM_ASSIGN_OR_RETURN(int64_t id, ins.InsertReturningId());
  IAM_RETURN_IF_ERROR(WriteTags(TaggableKind::kUser, id, u.tags));
  return ReadUser(id);
}

// One statement, not UserRow then ReadUser: GetUser is the cheapest signed
// call and each statement costs about as much as the read itself.
Result<User> SqlOps::GetUser(std::string_view account_id, std::string_view name) {
  static const std::string sql = std::string(kUserColumns) + "WHERE account_id = ? AND name = ?";
  Stmt q(db_, sql.c_str(), account_id, name);
  IAM_ASSIGN_OR_RETURN(bool found, q.Step());
  if (!found) return NoSuchEntity(std::string(kUsers.missing) + std::string(name) + " cannot be found.");
  return UserFrom(q);
}

Status SqlOps::UpdateUser(std::string_view account_id, std::string_view name, const Rename& r) {
  return RenameNamed(kUsers, account_id, name, r, "newUserName", kUserNameMax);
}

Status SqlOps::DeleteUser(std::string_view account_id, std::string_view name) {
  IAM_ASSIGN_OR_RETURN(int64_t row, UserRow(account_id, name));
  IAM_ASSIGN_OR_RETURN(int64_t n, CountId("SELECT count(*) FROM login_profiles WHERE user_id = ?", row));
  if (n) return DeleteConflict("Cannot delete entity, must delete login profile first.");
  IAM_ASSIGN_OR_RETURN(n, CountId("SELECT count(*) FROM access_keys WHERE user_id = ?", row));
  if (n) return DeleteConflict("Cannot delete entity, must delete access keys first.");
  IAM_ASSIGN_OR_RETURN(n, CountId("SELECT count(*) FROM mfa_devices WHERE user_id = ?", row));
  if (n) return DeleteConflict("Cannot delete entity, must delete MFA device first.");
  IAM_ASSIGN_OR_RETURN(n, CountId("SELECT count(*) FROM group_members WHERE user_id = ?", row));
  if (n) return DeleteConflict("Cannot delete entity, must remove user from all groups first.");
  return DeleteNamedRow(kUsers, row);
}

Status SqlOps::CheckDeleteConflicts(PrincipalKind kind, int64_t row) {
  Stmt i(db_, "SELECT count(*) FROM inline_policies WHERE principal_kind = ? AND principal_id = ?",
         Kind(kind), row);
  IAM_ASSIGN_OR_RETURN(bool r, i.Step());
  if (r && i.Int(0)) return DeleteConflict("Cannot delete entity, must delete policies first.");
  Stmt a(db_, "SELECT count(*) FROM attachments WHERE principal_kind = ? AND principal_id = ?",
         Kind(kind), row);
  IAM_ASSIGN_OR_RETURN(r, a.Step());
  if (r && a.Int(0)) return DeleteConflict("Cannot delete entity, must detach all policies first.");
  return Status();
}

Result<Page<User>> SqlOps::ListUsers(std::string_view account_id, const ListOptions& o) {
  return ListNamed(kUsers, account_id, o, &SqlOps::ReadUser);
}

// ---- Groups --------------------------------------------------------------------

Result<Group> SqlOps::CreateGroup(std::string_view account_id, const NewGroup& g) {
  IAM_RETURN_IF_ERROR(ValidateName(g.name, "groupName", kGroupNameMax));
  IAM_RETURN_IF_ERROR(ValidatePath(g.path));
  IAM_RETURN_IF_ERROR(CheckNewName(kGroups, account_id, g.name));
  Stmt ins(db_, "INSERT INTO iam_groups (account_id, name, path, unique_id, create_date) "
                "VALUES (?, ?, ?, ?, ?) RETURNING id",
           account_id, g.name, g.path, NewUniqueId(kGroupIdPrefix), Now());
  IAM_ASSIGN_OR_RETURN(int64_t id, ins.InsertReturningId());
  return ReadGroup(id);
}

Result<Group> SqlOps::GetGroup(std::string_view account_id, std::string_view name) {
  return GetNamed(kGroups, account_id, name, &SqlOps::ReadGroup);
}

Status SqlOps::UpdateGroup(std::string_view account_id, std::string_view name, const Rename& r) {
  return RenameNamed(kGroups, account_id, name, r, "newGroupName", kGroupNameMax);
}

Status SqlOps::DeleteGroup(std::string_view account_id, std::string_view name) {
  IAM_ASSIGN_OR_RETURN(int64_t row, GroupRow(account_id, name));
  IAM_ASSIGN_OR_RETURN(int64_t n, CountId("SELECT count(*) FROM group_members WHERE group_id = ?", row));
  if (n) return DeleteConflict("Cannot delete entity, must remove users from group first.");
  return DeleteNamedRow(kGroups, row);
}

Result<Page<Group>> SqlOps::ListGroups(std::string_view account_id, const ListOptions& o) {
  return ListNamed(kGroups, account_id, o, &SqlOps::ReadGroup);
}

Status SqlOps::AddUserToGroup(std::string_view account_id, std::string_view group,
                                 std::string_view user) {
  IAM_ASSIGN_OR_RETURN(int64_t g, GroupRow(account_id, group));
  IAM_ASSIGN_OR_RETURN(int64_t u, UserRow(account_id, user));
  Stmt has(db_, "SELECT 1 FROM group_members WHERE group_id = ? AND user_id = ?", g, u);
  IAM_ASSIGN_OR_RETURN(bool member, has.Step());
  if (member) return Status();
  IAM_ASSIGN_OR_RETURN(int64_t n, CountId("SELECT count(*) FROM group_members WHERE user_id = ?", u));
  if (n >= quotas_.groups_per_user) {
    return LimitExceeded(QuotaMessage("GroupsPerUser", quotas_.groups_per_user));
  }
  Stmt ins(db_, "INSERT INTO group_members VALUES (?, ?)", g, u);
  return ins.Run();
}

Status SqlOps::RemoveUserFromGroup(std::string_view account_id, std::string_view group,
                                      std::string_view user) {
  IAM_ASSIGN_OR_RETURN(int64_t g, GroupRow(account_id, group));
  IAM_ASSIGN_OR_RETURN(int64_t u, UserRow(account_id, user));
  Stmt q(db_, "DELETE FROM group_members WHERE group_id = ? AND user_id = ? RETURNING 1", g, u);
  IAM_ASSIGN_OR_RETURN(bool row, q.Step());
  if (!row) {
    return NoSuchEntity("The user with name " + std::string(user) + " is not in group " +
                        std::string(group) + ".");
  }
  return q.Run();
}

Result<Page<Group>> SqlOps::ListGroupsForUser(std::string_view account_id, std::string_view user,
                                                 const ListOptions& o) {
  IAM_RETURN_IF_ERROR(ValidateListOptions(o));
  IAM_ASSIGN_OR_RETURN(int64_t u, UserRow(account_id, user));
  Stmt q(db_, "SELECT g.id FROM group_members m JOIN iam_groups g ON g.id = m.group_id "
              "WHERE m.user_id = ?1 AND substr(g.path, 1, length(?2)) = ?2 AND g.name >= ?3 "
              "ORDER BY g.name LIMIT ?4",
         u, o.path_prefix, o.marker, o.max_items + 1);
  return ReadPage(q, o, &SqlOps::ReadGroup);
}

Result<Page<User>> SqlOps::ListGroupMembers(std::string_view account_id, std::string_view group,
                                               const ListOptions& o) {
  IAM_RETURN_IF_ERROR(ValidateListOptions(o));
  IAM_ASSIGN_OR_RETURN(int64_t g, GroupRow(account_id, group));
  Stmt q(db_, "SELECT u.id FROM group_members m JOIN users u ON u.id = m.user_id "
              "WHERE m.group_id = ?1 AND substr(u.path, 1, length(?2)) = ?2 AND u.name >= ?3 "
              "ORDER BY u.name LIMIT ?4",
         g, o.path_prefix, o.marker, o.max_items + 1);
  return ReadPage(q, o, &SqlOps::ReadUser);
}

}  // namespace iam::store::sql
