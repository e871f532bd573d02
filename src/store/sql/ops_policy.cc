// Managed policies and versions, inline policies, attachments, and the
// request-path policy set.
#include "common/status_macros.h"
#include "store/ids.h"
#include "store/sql/ops.h"
#include "store/validation.h"

namespace iam::store::sql {
namespace {

int Kind(PrincipalKind k) { return static_cast<int>(k); }

const char* KindWord(PrincipalKind k) {
  switch (k) {
    case PrincipalKind::kUser:
      return "user";
    case PrincipalKind::kGroup:
      return "group";
    case PrincipalKind::kRole:
      return "role";
  }
  return "?";
}

std::string VersionId(int64_t v) { return "v" + std::to_string(v); }

// Parses "v3" into 3; 0 if malformed.
int64_t ParseVersionId(std::string_view id) {
  if (id.size() < 2 || id.size() > 10 || id[0] != 'v') return 0;
  int64_t v = 0;
  for (char c : id.substr(1)) {
    if (c < '0' || c > '9') return 0;
    v = v * 10 + (c - '0');
  }
  return v;
}

// How often policy POLICY is attached, or used as a boundary, by principals
// of account ACCOUNT (SQL expressions; the arguments are SQL too).
#define ATTACHMENTS_IN_SQL(POLICY, ACCOUNT)                                                         \
  "(SELECT count(*) FROM attachments a WHERE a.policy_id = " POLICY " AND " ACCOUNT " = CASE " \
  "a.principal_kind WHEN 0 THEN (SELECT account_id FROM users WHERE id = a.principal_id) "    \
  "WHEN 1 THEN (SELECT account_id FROM iam_groups WHERE id = a.principal_id) "                \
  "ELSE (SELECT account_id FROM roles WHERE id = a.principal_id) END)"
#define BOUNDARY_USES_IN_SQL(POLICY, ACCOUNT)                                                         \
  "((SELECT count(*) FROM users WHERE boundary_id = " POLICY " AND account_id = " ACCOUNT ") + " \
  "(SELECT count(*) FROM roles WHERE boundary_id = " POLICY " AND account_id = " ACCOUNT "))"

// Markers for lists that mix AWS and customer policies: "account/name".
std::string PolicyMarker(std::string_view account, std::string_view name) {
  return std::string(account) + "/" + std::string(name);
}
std::pair<std::string, std::string> SplitPolicyMarker(std::string_view marker) {
  size_t slash = marker.find('/');
  if (slash == std::string_view::npos) return {"", std::string(marker)};
  return {std::string(marker.substr(0, slash)), std::string(marker.substr(slash + 1))};
}

}  // namespace

Result<SqlOps::PolicyRow> SqlOps::FindPolicy(std::string_view account_id, std::string_view arn) {
  auto missing = [&] {
    return NoSuchEntity("Policy " + std::string(arn) + " does not exist or is not attachable.");
  };
  Result<ParsedArn> parsed = ParseArn(arn);
  if (!parsed.ok()) return parsed.status();
  if (parsed->type != "policy") return ValidationError("ARN " + std::string(arn) + " is not a policy ARN.");
  if (parsed->account_id != account_id && parsed->account_id != kAwsAccount) return missing();
  Stmt q(db_, "SELECT id, account_id, name, path, default_version, next_version FROM policies "
              "WHERE account_id = ? AND name = ?",
         parsed->account_id, parsed->name);
  IAM_ASSIGN_OR_RETURN(bool row, q.Step());
  if (!row) return missing();
  PolicyRow p{q.Int(0), q.Text(1), q.Text(2), q.Text(3), q.Int(4), q.Int(5)};
  if (p.name != parsed->name || p.path != parsed->path) return missing();  // ARNs are case-sensitive.
  return p;
}

Result<ManagedPolicy> SqlOps::ReadPolicy(int64_t row, std::string_view viewer) {
  ManagedPolicy p;
  {
    Stmt q(db_, "SELECT account_id, name, path, unique_id, description, default_version, create_date, "
                "update_date, " ATTACHMENTS_IN_SQL("?1", "?2") ", " BOUNDARY_USES_IN_SQL("?1", "?2")
                " FROM policies WHERE id = ?1",
           row, viewer);
    IAM_ASSIGN_OR_RETURN(bool found, q.Step());
    if (!found) return Internal("policy row missing");
    p.account_id = q.Text(0);
    p.name = q.Text(1);
    p.path = q.Text(2);
    p.policy_id = q.Text(3);
    p.description = q.Text(4);
    p.default_version_id = VersionId(q.Int(5));
    p.create_date = q.Int(6);
    p.update_date = q.Int(7);
    p.attachment_count = static_cast<int>(q.Int(8));
    p.permissions_boundary_usage_count = static_cast<int>(q.Int(9));
  }
  p.arn = PolicyArn(p.account_id, p.path, p.name);
  IAM_ASSIGN_OR_RETURN(p.tags, ReadTags(TaggableKind::kPolicy, row));
  return p;
}

Result<ManagedPolicy> SqlOps::CreatePolicy(std::string_view account_id, const NewPolicy& p) {
  IAM_RETURN_IF_ERROR(ValidateName(p.name, "policyName", kPolicyNameMax));
  IAM_RETURN_IF_ERROR(ValidatePath(p.path));
  IAM_RETURN_IF_ERROR(ValidateDescription(p.description, kPolicyDescriptionMax));
  IAM_RETURN_IF_ERROR(ValidateDocument(p.document));
  IAM_RETURN_IF_ERROR(ValidateTags(p.tags, quotas_));
  if (static_cast<int>(PolicySize(p.document)) > quotas_.managed_policy_size) {
    return LimitExceeded(QuotaMessage("PolicySize", quotas_.managed_policy_size));
  }
  if (account_id != kAwsAccount) IAM_RETURN_IF_ERROR(RequireAccount(account_id));
  {
    Stmt q(db_, "SELECT 1 FROM policies WHERE account_id = ? AND name = ?", account_id, p.name);
    IAM_ASSIGN_OR_RETURN(bool exists, q.Step());
    if (exists) {
      return AlreadyExists("A policy called " + p.name + " already exists. Duplicate names are not allowed.");
    }
  }
  if (account_id != kAwsAccount) {
    IAM_ASSIGN_OR_RETURN(int64_t count, Count("SELECT count(*) FROM policies WHERE account_id = ?", account_id));
    if (count >= quotas_.policies_per_account) {
      return LimitExceeded(QuotaMessage("PoliciesPerAccount", quotas_.policies_per_account));
    }
  }
  Timestamp now = Now();
  Stmt ins(db_, "INSERT INTO policies (account_id, name, path, unique_id, description, default_version, "
                "next_version, create_date, update_date) VALUES (?, ?, ?, ?, ?, 1, 2, ?, ?) RETURNING id",
           account_id, p.name, p.path, NewUniqueId(kPolicyIdPrefix), p.description, now, now);
  IAM_ASSIGN_OR_RETURN(int64_t id, ins.InsertReturningId());
  Stmt v(db_, "INSERT INTO policy_versions VALUES (?, 1, ?, ?)", id, p.document, now);
  IAM_RETURN_IF_ERROR(v.Run());
  IAM_RETURN_IF_ERROR(WriteTags(TaggableKind::kPolicy, id, p.tags));
  return ReadPolicy(id, account_id);
}

Result<ManagedPolicy> SqlOps::SeedAwsManagedPolicy(const NewPolicy& p) {
  Stmt q(db_, "SELECT id, default_version, next_version FROM policies "
              "WHERE account_id = 'aws' AND name = ?", p.name);
  IAM_ASSIGN_OR_RETURN(bool exists, q.Step());
  if (!exists) return CreatePolicy(kAwsAccount, {p.name, p.path, p.description, p.document, {}});
  int64_t id = q.Int(0), default_version = q.Int(1), next = q.Int(2);
  IAM_RETURN_IF_ERROR(q.Run());
  {
    Stmt cur(db_, "SELECT document FROM policy_versions WHERE policy_id = ? AND version = ?", id,
             default_version);
    IAM_ASSIGN_OR_RETURN(bool found, cur.Step());
    if (found && cur.Text(0) == p.document) return ReadPolicy(id, kAwsAccount);  // Already seeded.
  }
  IAM_RETURN_IF_ERROR(ValidateDocument(p.document));
  Timestamp now = Now();
  Stmt v(db_, "INSERT INTO policy_versions VALUES (?, ?, ?, ?)", id, next, p.document, now);
  IAM_RETURN_IF_ERROR(v.Run());
  Stmt u(db_, "UPDATE policies SET default_version = ?1, next_version = ?1 + 1, update_date = ?2 "
              "WHERE id = ?3", next, now, id);
  IAM_RETURN_IF_ERROR(u.Run());
  // Keep at most the quota of versions: drop the oldest non-default ones.
  Stmt prune(db_, "DELETE FROM policy_versions WHERE policy_id = ?1 AND version NOT IN "
                  "(SELECT version FROM policy_versions WHERE policy_id = ?1 "
                  "ORDER BY version DESC LIMIT ?2)",
             id, quotas_.versions_per_policy);
  IAM_RETURN_IF_ERROR(prune.Run());
  return ReadPolicy(id, kAwsAccount);
}

Result<ManagedPolicy> SqlOps::GetPolicy(std::string_view account_id, std::string_view arn) {
  Result<PolicyRow> p = FindPolicy(account_id, arn);
  if (!p.ok()) {
    if (p.status().code() == StatusCode::kNoSuchEntity) {
      return NoSuchEntity("Policy " + std::string(arn) + " was not found.");
    }
    return p.status();
  }
  return ReadPolicy(p->id, account_id);
}

Status SqlOps::DeletePolicy(std::string_view account_id, std::string_view arn) {
  IAM_ASSIGN_OR_RETURN(PolicyRow p, FindPolicy(account_id, arn));
  if (p.account_id == kAwsAccount) {
    return Status(StatusCode::kUnmodifiableEntity, "Cannot delete AWS managed policy " + std::string(arn) + ".");
  }
  IAM_ASSIGN_OR_RETURN(ManagedPolicy mp, ReadPolicy(p.id, account_id));
  if (mp.attachment_count || mp.permissions_boundary_usage_count) {
    return DeleteConflict("Cannot delete a policy attached to entities.");
  }
  IAM_ASSIGN_OR_RETURN(int64_t versions,
                       CountId("SELECT count(*) FROM policy_versions WHERE policy_id = ?", p.id));
  if (versions > 1) {
    return DeleteConflict("This policy has more than one version. Before you delete a policy, you must "
                          "delete the policy's versions. The default version is deleted with the policy.");
  }
  IAM_RETURN_IF_ERROR(DeleteTags(TaggableKind::kPolicy, p.id));
  Stmt q(db_, "DELETE FROM policies WHERE id = ?", p.id);
  return q.Run();
}

Result<Page<ManagedPolicy>> SqlOps::ListPolicies(std::string_view account_id,
                                                    const PolicyListOptions& o) {
  IAM_RETURN_IF_ERROR(ValidateListOptions(o));
  std::string a = o.scope == PolicyScope::kAws ? kAwsAccount : std::string(account_id);
  std::string b = o.scope == PolicyScope::kLocal ? std::string(account_id) : kAwsAccount;
  auto [marker_account, marker_name] = SplitPolicyMarker(o.marker);
  // OnlyAttached and PermissionsPolicy ask for attachments in this account,
  // PermissionsBoundary for boundary uses in it.
  bool attached = o.only_attached || o.usage == PolicyUsage::kPermissionsPolicy;
  bool boundary = o.usage == PolicyUsage::kPermissionsBoundary;
  if (boundary) attached = false;
  Stmt q(db_, "SELECT id FROM policies WHERE account_id IN (?1, ?2) "
              "AND substr(path, 1, length(?3)) = ?3 "
              "AND (?4 = 0 OR " ATTACHMENTS_IN_SQL("policies.id", "?8") " > 0) "
              "AND (?9 = 0 OR " BOUNDARY_USES_IN_SQL("policies.id", "?8") " > 0) "
              "AND (name > ?5 OR (name = ?5 AND account_id >= ?6)) "
              "ORDER BY name, account_id LIMIT ?7",
         a, b, o.path_prefix, attached, marker_name, marker_account, o.max_items + 1, account_id, boundary);
  std::vector<int64_t> ids;
  for (;;) {
    IAM_ASSIGN_OR_RETURN(bool r, q.Step());
    if (!r) break;
    ids.push_back(q.Int(0));
  }
  std::vector<ManagedPolicy> out;
  for (int64_t id : ids) {
    IAM_ASSIGN_OR_RETURN(ManagedPolicy p, ReadPolicy(id, account_id));
    out.push_back(std::move(p));
  }
  return MakePage(std::move(out), o,
                  [](const ManagedPolicy& p) { return PolicyMarker(p.account_id, p.name); });
}

Result<PolicyVersion> SqlOps::CreatePolicyVersion(std::string_view account_id, std::string_view arn,
                                                     std::string_view document, bool set_as_default) {
  IAM_ASSIGN_OR_RETURN(PolicyRow p, FindPolicy(account_id, arn));
  if (p.account_id == kAwsAccount) {
    return Status(StatusCode::kUnmodifiableEntity, "Cannot modify AWS managed policy " + std::string(arn) + ".");
  }
  IAM_RETURN_IF_ERROR(ValidateDocument(document));
  if (static_cast<int>(PolicySize(document)) > quotas_.managed_policy_size) {
    return LimitExceeded(QuotaMessage("PolicySize", quotas_.managed_policy_size));
  }
  IAM_ASSIGN_OR_RETURN(int64_t n, CountId("SELECT count(*) FROM policy_versions WHERE policy_id = ?", p.id));
  if (n >= quotas_.versions_per_policy) {
    return LimitExceeded("A managed policy can have up to " + std::to_string(quotas_.versions_per_policy) +
                         " versions. Before you create a new version, you must delete an existing version.");
  }
  Timestamp now = Now();
  Stmt v(db_, "INSERT INTO policy_versions VALUES (?, ?, ?, ?)", p.id, p.next_version, document, now);
  IAM_RETURN_IF_ERROR(v.Run());
  Stmt u(db_, "UPDATE policies SET next_version = ?1 + 1, update_date = ?2, "
              "default_version = CASE WHEN ?3 <> 0 THEN ?1 ELSE default_version END WHERE id = ?4",
         p.next_version, now, set_as_default, p.id);
  IAM_RETURN_IF_ERROR(u.Run());
  return PolicyVersion{VersionId(p.next_version), std::string(document), set_as_default, now};
}

Result<PolicyVersion> SqlOps::GetPolicyVersion(std::string_view account_id, std::string_view arn,
                                                  std::string_view version_id) {
  IAM_ASSIGN_OR_RETURN(PolicyRow p, FindPolicy(account_id, arn));
  Stmt q(db_, "SELECT document, create_date FROM policy_versions WHERE policy_id = ? AND version = ?",
         p.id, ParseVersionId(version_id));
  IAM_ASSIGN_OR_RETURN(bool row, q.Step());
  if (!row) {
    return NoSuchEntity("Policy " + std::string(arn) + " version " + std::string(version_id) +
                        " does not exist or is not attachable.");
  }
  return PolicyVersion{std::string(version_id), q.Text(0), ParseVersionId(version_id) == p.default_version,
                       q.Int(1)};
}

Result<std::vector<PolicyVersion>> SqlOps::ListPolicyVersions(std::string_view account_id,
                                                                 std::string_view arn) {
  IAM_ASSIGN_OR_RETURN(PolicyRow p, FindPolicy(account_id, arn));
  Stmt q(db_, "SELECT version, document, create_date FROM policy_versions WHERE policy_id = ? "
              "ORDER BY version DESC", p.id);
  std::vector<PolicyVersion> out;
  for (;;) {
    IAM_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    out.push_back({VersionId(q.Int(0)), q.Text(1), q.Int(0) == p.default_version, q.Int(2)});
  }
  return out;
}

Status SqlOps::DeletePolicyVersion(std::string_view account_id, std::string_view arn,
                                      std::string_view version_id) {
  IAM_ASSIGN_OR_RETURN(PolicyRow p, FindPolicy(account_id, arn));
  if (p.account_id == kAwsAccount) {
    return Status(StatusCode::kUnmodifiableEntity, "Cannot modify AWS managed policy " + std::string(arn) + ".");
  }
  int64_t v = ParseVersionId(version_id);
  if (v == p.default_version) return DeleteConflict("Cannot delete the default version of a policy.");
  Stmt q(db_, "DELETE FROM policy_versions WHERE policy_id = ? AND version = ? RETURNING 1", p.id, v);
  IAM_ASSIGN_OR_RETURN(bool row, q.Step());
  if (!row) {
    return NoSuchEntity("Policy " + std::string(arn) + " version " + std::string(version_id) +
                        " does not exist or is not attachable.");
  }
  return q.Run();
}

Status SqlOps::SetDefaultPolicyVersion(std::string_view account_id, std::string_view arn,
                                          std::string_view version_id) {
  IAM_ASSIGN_OR_RETURN(PolicyRow p, FindPolicy(account_id, arn));
  if (p.account_id == kAwsAccount) {
    return Status(StatusCode::kUnmodifiableEntity, "Cannot modify AWS managed policy " + std::string(arn) + ".");
  }
  int64_t v = ParseVersionId(version_id);
  Stmt has(db_, "SELECT 1 FROM policy_versions WHERE policy_id = ? AND version = ?", p.id, v);
  IAM_ASSIGN_OR_RETURN(bool row, has.Step());
  if (!row) {
    return NoSuchEntity("Policy " + std::string(arn) + " version " + std::string(version_id) +
                        " does not exist or is not attachable.");
  }
  Stmt u(db_, "UPDATE policies SET default_version = ?, update_date = ? WHERE id = ?", v, Now(), p.id);
  return u.Run();
}

// ---- Inline policies ----------------------------------------------------------

Status SqlOps::CheckInlineSize(PrincipalKind kind, int64_t row, std::string_view name,
                                  std::string_view principal_name, std::string_view document) {
  size_t total = PolicySize(document);
  Stmt q(db_, "SELECT document FROM inline_policies WHERE principal_kind = ? AND principal_id = ? "
              "AND name != ?", Kind(kind), row, name);
  for (;;) {
    IAM_ASSIGN_OR_RETURN(bool r, q.Step());
    if (!r) break;
    total += PolicySize(q.Text(0));
  }
  int limit = kind == PrincipalKind::kUser    ? quotas_.user_inline_policy_size
              : kind == PrincipalKind::kGroup ? quotas_.group_inline_policy_size
                                              : quotas_.role_inline_policy_size;
  if (static_cast<int>(total) > limit) {
    return LimitExceeded("Maximum policy size of " + std::to_string(limit) + " bytes exceeded for " +
                         KindWord(kind) + " " + std::string(principal_name));
  }
  return Status();
}

Status SqlOps::PutInlinePolicy(std::string_view account_id, const PrincipalRef& p,
                                  std::string_view policy_name, std::string_view document) {
  IAM_RETURN_IF_ERROR(ValidateName(policy_name, "policyName", kPolicyNameMax));
  IAM_RETURN_IF_ERROR(ValidateDocument(document));
  IAM_ASSIGN_OR_RETURN(int64_t row, PrincipalRow(account_id, p));
  IAM_RETURN_IF_ERROR(CheckInlineSize(p.kind, row, policy_name, p.name, document));
  Stmt q(db_, "INSERT INTO inline_policies VALUES (?, ?, ?, ?) ON CONFLICT "
              "(principal_kind, principal_id, name) DO UPDATE SET name = excluded.name, "
              "document = excluded.document",
         Kind(p.kind), row, policy_name, document);
  return q.Run();
}

Result<InlinePolicy> SqlOps::GetInlinePolicy(std::string_view account_id, const PrincipalRef& p,
                                                std::string_view policy_name) {
  IAM_ASSIGN_OR_RETURN(int64_t row, PrincipalRow(account_id, p));
  Stmt q(db_, "SELECT name, document FROM inline_policies WHERE principal_kind = ? AND principal_id = ? "
              "AND name = ?", Kind(p.kind), row, policy_name);
  IAM_ASSIGN_OR_RETURN(bool found, q.Step());
  if (!found) {
    return NoSuchEntity("The " + std::string(KindWord(p.kind)) + " policy with name " +
                        std::string(policy_name) + " cannot be found.");
  }
  return InlinePolicy{q.Text(0), q.Text(1)};
}

Status SqlOps::DeleteInlinePolicy(std::string_view account_id, const PrincipalRef& p,
                                     std::string_view policy_name) {
  IAM_ASSIGN_OR_RETURN(int64_t row, PrincipalRow(account_id, p));
  Stmt q(db_, "DELETE FROM inline_policies WHERE principal_kind = ? AND principal_id = ? AND name = ? "
              "RETURNING 1", Kind(p.kind), row, policy_name);
  IAM_ASSIGN_OR_RETURN(bool found, q.Step());
  if (!found) {
    return NoSuchEntity("The " + std::string(KindWord(p.kind)) + " policy with name " +
                        std::string(policy_name) + " cannot be found.");
  }
  return q.Run();
}

Result<Page<std::string>> SqlOps::ListInlinePolicies(std::string_view account_id, const PrincipalRef& p,
                                                        const ListOptions& o) {
  IAM_RETURN_IF_ERROR(ValidateListOptions(o));
  IAM_ASSIGN_OR_RETURN(int64_t row, PrincipalRow(account_id, p));
  Stmt q(db_, "SELECT name FROM inline_policies WHERE principal_kind = ? AND principal_id = ? "
              "AND name >= ? ORDER BY name LIMIT ?", Kind(p.kind), row, o.marker, o.max_items + 1);
  std::vector<std::string> names;
  for (;;) {
    IAM_ASSIGN_OR_RETURN(bool r, q.Step());
    if (!r) break;
    names.push_back(q.Text(0));
  }
  return MakePage(std::move(names), o, [](const std::string& n) { return n; });
}

// ---- Attachments ----------------------------------------------------------------

Status SqlOps::AttachPolicy(std::string_view account_id, const PrincipalRef& p,
                               std::string_view policy_arn) {
  IAM_ASSIGN_OR_RETURN(int64_t row, PrincipalRow(account_id, p));
  IAM_ASSIGN_OR_RETURN(PolicyRow policy, FindPolicy(account_id, policy_arn));
  Stmt has(db_, "SELECT 1 FROM attachments WHERE principal_kind = ? AND principal_id = ? AND policy_id = ?",
           Kind(p.kind), row, policy.id);
  IAM_ASSIGN_OR_RETURN(bool attached, has.Step());
  if (attached) return Status();
  Stmt n(db_, "SELECT count(*) FROM attachments WHERE principal_kind = ? AND principal_id = ?",
         Kind(p.kind), row);
  IAM_ASSIGN_OR_RETURN(bool r, n.Step());
  int limit = p.kind == PrincipalKind::kUser    ? quotas_.attached_policies_per_user
              : p.kind == PrincipalKind::kGroup ? quotas_.attached_policies_per_group
                                                : quotas_.attached_policies_per_role;
  if (r && n.Int(0) >= limit) {
    const char* quota = p.kind == PrincipalKind::kUser    ? "PoliciesPerUser"
                        : p.kind == PrincipalKind::kGroup ? "PoliciesPerGroup"
                                                          : "PoliciesPerRole";
    return LimitExceeded(QuotaMessage(quota, limit));
  }
  Stmt ins(db_, "INSERT INTO attachments VALUES (?, ?, ?)", Kind(p.kind), row, policy.id);
  return ins.Run();
}

Status SqlOps::DetachPolicy(std::string_view account_id, const PrincipalRef& p,
                               std::string_view policy_arn) {
  IAM_ASSIGN_OR_RETURN(int64_t row, PrincipalRow(account_id, p));
  IAM_ASSIGN_OR_RETURN(PolicyRow policy, FindPolicy(account_id, policy_arn));
  Stmt q(db_, "DELETE FROM attachments WHERE principal_kind = ? AND principal_id = ? AND policy_id = ? "
              "RETURNING 1", Kind(p.kind), row, policy.id);
  IAM_ASSIGN_OR_RETURN(bool found, q.Step());
  if (!found) return NoSuchEntity("Policy " + std::string(policy_arn) + " was not found.");
  return q.Run();
}

Result<Page<AttachedPolicy>> SqlOps::ListAttachedPolicies(std::string_view account_id,
                                                             const PrincipalRef& p, const ListOptions& o) {
  IAM_RETURN_IF_ERROR(ValidateListOptions(o));
  IAM_ASSIGN_OR_RETURN(int64_t row, PrincipalRow(account_id, p));
  auto [marker_account, marker_name] = SplitPolicyMarker(o.marker);
  Stmt q(db_, "SELECT x.account_id, x.path, x.name FROM attachments a JOIN policies x ON x.id = a.policy_id "
              "WHERE a.principal_kind = ?1 AND a.principal_id = ?2 AND substr(x.path, 1, length(?3)) = ?3 "
              "AND (x.name > ?4 OR (x.name = ?4 AND x.account_id >= ?5)) "
              "ORDER BY x.name, x.account_id LIMIT ?6",
         Kind(p.kind), row, o.path_prefix, marker_name, marker_account, o.max_items + 1);
  std::vector<std::pair<std::string, AttachedPolicy>> rows;
  for (;;) {
    IAM_ASSIGN_OR_RETURN(bool r, q.Step());
    if (!r) break;
    rows.push_back({q.Text(0), {q.Text(2), PolicyArn(q.Text(0), q.Text(1), q.Text(2))}});
  }
  auto page = MakePage(std::move(rows), o, [](const auto& r) { return PolicyMarker(r.first, r.second.name); });
  Page<AttachedPolicy> out{{}, page.is_truncated, page.marker};
  for (auto& r : page.items) out.items.push_back(std::move(r.second));
  return out;
}

Result<PolicyEntities> SqlOps::ListEntitiesForPolicy(std::string_view account_id,
                                                        std::string_view policy_arn) {
  IAM_ASSIGN_OR_RETURN(PolicyRow policy, FindPolicy(account_id, policy_arn));
  PolicyEntities out;
  struct Part {
    const char* sql;
    std::vector<PolicyEntities::Entity>* into;
  };
  // Only entities of the caller's account, even for AWS managed policies.
  Part parts[] = {
      {"SELECT u.name, u.unique_id, u.path FROM attachments a JOIN users u ON u.id = a.principal_id "
       "WHERE a.principal_kind = 0 AND a.policy_id = ? AND u.account_id = ? ORDER BY u.name",
       &out.users},
      {"SELECT g.name, g.unique_id, g.path FROM attachments a JOIN iam_groups g ON g.id = a.principal_id "
       "WHERE a.principal_kind = 1 AND a.policy_id = ? AND g.account_id = ? ORDER BY g.name",
       &out.groups},
      {"SELECT r.name, r.unique_id, r.path FROM attachments a JOIN roles r ON r.id = a.principal_id "
       "WHERE a.principal_kind = 2 AND a.policy_id = ? AND r.account_id = ? ORDER BY r.name",
       &out.roles},
      {"SELECT name, unique_id, path FROM users WHERE boundary_id = ? AND account_id = ? ORDER BY name",
       &out.boundary_users},
      {"SELECT name, unique_id, path FROM roles WHERE boundary_id = ? AND account_id = ? ORDER BY name",
       &out.boundary_roles},
  };
  for (Part& part : parts) {
    Stmt q(db_, part.sql, policy.id, account_id);
    for (;;) {
      IAM_ASSIGN_OR_RETURN(bool r, q.Step());
      if (!r) break;
      part.into->push_back({q.Text(0), q.Text(1), q.Text(2)});
    }
  }
  return out;
}

// ---- Request path --------------------------------------------------------------------

Status SqlOps::AppendInline(PrincipalKind kind, int64_t row, SourcedPolicy::Source source,
                               std::string_view via_group, std::vector<SourcedPolicy>& out) {
  Stmt q(db_, "SELECT name, document FROM inline_policies WHERE principal_kind = ? AND principal_id = ? "
              "ORDER BY name", Kind(kind), row);
  for (;;) {
    IAM_ASSIGN_OR_RETURN(bool r, q.Step());
    if (!r) return Status();
    out.push_back({source, q.Text(0), "", std::string(via_group), q.Text(1)});
  }
}

Status SqlOps::AppendManaged(PrincipalKind kind, int64_t row, SourcedPolicy::Source source,
                                std::string_view via_group, std::vector<SourcedPolicy>& out) {
  Stmt q(db_, "SELECT p.account_id, p.path, p.name, v.document FROM attachments a "
              "JOIN policies p ON p.id = a.policy_id "
              "JOIN policy_versions v ON v.policy_id = p.id AND v.version = p.default_version "
              "WHERE a.principal_kind = ? AND a.principal_id = ? ORDER BY p.name", Kind(kind), row);
  for (;;) {
    IAM_ASSIGN_OR_RETURN(bool r, q.Step());
    if (!r) return Status();
    out.push_back({source, q.Text(2), PolicyArn(q.Text(0), q.Text(1), q.Text(2)), std::string(via_group),
                   q.Text(3)});
  }
}

Result<PrincipalPolicySet> SqlOps::GetPolicySet(std::string_view account_id, const PrincipalRef& p) {
  if (p.kind == PrincipalKind::kGroup) return InvalidInput("A group is not a principal.");
  bool user = p.kind == PrincipalKind::kUser;
  PrincipalPolicySet set;
  set.account_id = account_id;
  int64_t row = 0;
  std::optional<int64_t> boundary;
  {
    Stmt q(db_, user ? "SELECT id, path, name, unique_id, boundary_id FROM users WHERE account_id = ? AND name = ?"
                     : "SELECT id, path, name, unique_id, boundary_id FROM roles WHERE account_id = ? AND name = ?",
           account_id, p.name);
    IAM_ASSIGN_OR_RETURN(bool found, q.Step());
    if (!found) {
      return NoSuchEntity("The " + std::string(user ? "user" : "role") + " with name " + p.name +
                          " cannot be found.");
    }
    row = q.Int(0);
    set.principal_arn = Arn(account_id, user ? "user" : "role", q.Text(1), q.Text(2));
    set.principal_id = q.Text(3);
    boundary = q.OptInt(4);
  }
  IAM_ASSIGN_OR_RETURN(set.tags, ReadTags(user ? TaggableKind::kUser : TaggableKind::kRole, row));
  IAM_RETURN_IF_ERROR(AppendInline(p.kind, row, SourcedPolicy::Source::kInline, "", set.policies));
  IAM_RETURN_IF_ERROR(AppendManaged(p.kind, row, SourcedPolicy::Source::kManaged, "", set.policies));
  if (user) {
    std::vector<std::pair<int64_t, std::string>> groups;
    {
      Stmt q(db_, "SELECT g.id, g.name FROM group_members m JOIN iam_groups g ON g.id = m.group_id "
                  "WHERE m.user_id = ? ORDER BY g.name", row);
      for (;;) {
        IAM_ASSIGN_OR_RETURN(bool r, q.Step());
        if (!r) break;
        groups.emplace_back(q.Int(0), q.Text(1));
      }
    }
    for (const auto& [gid, gname] : groups) {
      IAM_RETURN_IF_ERROR(
          AppendInline(PrincipalKind::kGroup, gid, SourcedPolicy::Source::kGroupInline, gname, set.policies));
      IAM_RETURN_IF_ERROR(
          AppendManaged(PrincipalKind::kGroup, gid, SourcedPolicy::Source::kGroupManaged, gname, set.policies));
    }
  }
  if (boundary) {
    Stmt q(db_, "SELECT p.account_id, p.path, p.name, v.document FROM policies p "
                "JOIN policy_versions v ON v.policy_id = p.id AND v.version = p.default_version "
                "WHERE p.id = ?", *boundary);
    IAM_ASSIGN_OR_RETURN(bool found, q.Step());
    if (!found) return Internal("boundary policy row missing");
    set.permissions_boundary = SourcedPolicy{SourcedPolicy::Source::kManaged, q.Text(2),
                                             PolicyArn(q.Text(0), q.Text(1), q.Text(2)), "", q.Text(3)};
  }
  return set;
}

}  // namespace iam::store::sql
