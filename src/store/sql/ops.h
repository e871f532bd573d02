// SqlOps implements the store's operations on one connection (sql::Db)
// inside a transaction opened by a backend's Transact (SQLite, PostgreSQL):
// the business rules live here once, the backends supply the connection.
// Definitions are split by subject: ops_account.cc, ops_identity.cc,
// ops_role.cc, ops_policy.cc, ops_credential.cc, and ops_named.cc for what
// users, groups, roles and instance profiles share.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status_macros.h"
#include "store/clock.h"
#include "store/quotas.h"
#include "store/sql/db.h"
#include "store/store.h"
#include "store/validation.h"

namespace iam::store::sql {

// A kind of entity named within an account, with a path: its statements
// (string literals, as Db::NewCursor requires) and AWS's wording for it.
struct NamedKind {
  const char* find;    // id by (account_id, name)
  const char* count;   // rows of an account
  const char* list;    // ids by account ?1, path prefix ?2, marker ?3, limit ?4
  const char* rename;  // name, path (each coalesced), id; null: not renamed
  const char* remove;  // by id
  std::string_view missing;   // "<missing>NAME cannot be found."
  std::string_view existing;  // "<existing>NAME already exists."
  std::string_view quota_name;
  int Quotas::*quota;  // per account
  std::optional<PrincipalKind> principal;  // holds policies: refused deletion while it does
  std::optional<TaggableKind> taggable;    // its tags go with it
};
extern const NamedKind kUsers, kGroups, kRoles, kProfiles;

class SqlOps final : public StoreOps {
 public:
  SqlOps(Db& db, const Quotas& quotas, const Clock& clock)
      : db_(db), quotas_(quotas), clock_(clock) {}
  Db& db() { return db_; }
  // Rows changed by usage records (last-used dates, the MFA step counter).
  // Backends do not move the generation for these: nothing a cache keeps
  // depends on them, and a server records them on every request.
  int64_t usage_changes() const { return usage_changes_; }

  Result<Account> CreateAccount(std::string account_id, std::string alias) override;
  Result<Account> GetAccount(std::string_view account_id) override;
  Result<std::vector<Account>> ListAccounts() override;
  Status SetAccountAlias(std::string_view account_id, std::string_view alias) override;
  Result<PasswordPolicy> GetPasswordPolicy(std::string_view account_id) override;
  Status PutPasswordPolicy(std::string_view account_id, const PasswordPolicy& p) override;
  Status DeletePasswordPolicy(std::string_view account_id) override;
  Result<AccountSummary> GetAccountSummary(std::string_view account_id) override;
  Result<User> CreateUser(std::string_view account_id, const NewUser& u) override;
  Result<User> GetUser(std::string_view account_id, std::string_view name) override;
  Status UpdateUser(std::string_view account_id, std::string_view name, const Rename& r) override;
  Status DeleteUser(std::string_view account_id, std::string_view name) override;
  Result<Page<User>> ListUsers(std::string_view account_id, const ListOptions& o) override;
  Result<Group> CreateGroup(std::string_view account_id, const NewGroup& g) override;
  Result<Group> GetGroup(std::string_view account_id, std::string_view name) override;
  Status UpdateGroup(std::string_view account_id, std::string_view name, const Rename& r) override;
  Status DeleteGroup(std::string_view account_id, std::string_view name) override;
  Result<Page<Group>> ListGroups(std::string_view account_id, const ListOptions& o) override;
  Status AddUserToGroup(std::string_view account_id, std::string_view group, std::string_view user) override;
  Status RemoveUserFromGroup(std::string_view account_id, std::string_view group, std::string_view user) override;
  Result<Page<Group>> ListGroupsForUser(std::string_view account_id, std::string_view user, const ListOptions& o) override;
  Result<Page<User>> ListGroupMembers(std::string_view account_id, std::string_view group, const ListOptions& o) override;
  Result<Role> CreateRole(std::string_view account_id, const NewRole& r) override;
  Result<Role> GetRole(std::string_view account_id, std::string_view name) override;
  Status UpdateRole(std::string_view account_id, std::string_view name, const RoleUpdate& u) override;
  Status UpdateAssumeRolePolicy(std::string_view account_id, std::string_view name, std::string_view document) override;
  Status DeleteRole(std::string_view account_id, std::string_view name) override;
  Result<Page<Role>> ListRoles(std::string_view account_id, const ListOptions& o) override;
  Status RecordRoleUsed(std::string_view account_id, std::string_view name, Timestamp when, std::string_view region) override;
  Status PutPermissionsBoundary(std::string_view account_id, const PrincipalRef& p, std::string_view policy_arn) override;
  Status DeletePermissionsBoundary(std::string_view account_id, const PrincipalRef& p) override;
  Result<InstanceProfile> CreateInstanceProfile(std::string_view account_id, const NewInstanceProfile& p) override;
  Result<InstanceProfile> GetInstanceProfile(std::string_view account_id, std::string_view name) override;
  Status DeleteInstanceProfile(std::string_view account_id, std::string_view name) override;
  Result<Page<InstanceProfile>> ListInstanceProfiles(std::string_view account_id, const ListOptions& o) override;
  Status AddRoleToInstanceProfile(std::string_view account_id, std::string_view profile, std::string_view role) override;
  Status RemoveRoleFromInstanceProfile(std::string_view account_id, std::string_view profile, std::string_view role) override;
  Result<Page<InstanceProfile>> ListInstanceProfilesForRole(std::string_view account_id, std::string_view role, const ListOptions& o) override;
  Result<ManagedPolicy> CreatePolicy(std::string_view account_id, const NewPolicy& p) override;
  Result<ManagedPolicy> SeedAwsManagedPolicy(const NewPolicy& p) override;
  Result<ManagedPolicy> GetPolicy(std::string_view account_id, std::string_view arn) override;
  Status DeletePolicy(std::string_view account_id, std::string_view arn) override;
  Result<Page<ManagedPolicy>> ListPolicies(std::string_view account_id, const PolicyListOptions& o) override;
  Result<PolicyVersion> CreatePolicyVersion(std::string_view account_id, std::string_view arn, std::string_view document, bool set_as_default) override;
  Result<PolicyVersion> GetPolicyVersion(std::string_view account_id, std::string_view arn, std::string_view version_id) override;
  Result<std::vector<PolicyVersion>> ListPolicyVersions(std::string_view account_id, std::string_view arn) override;
  Status DeletePolicyVersion(std::string_view account_id, std::string_view arn, std::string_view version_id) override;
  Status SetDefaultPolicyVersion(std::string_view account_id, std::string_view arn, std::string_view version_id) override;
  Status PutInlinePolicy(std::string_view account_id, const PrincipalRef& p, std::string_view policy_name, std::string_view document) override;
  Result<InlinePolicy> GetInlinePolicy(std::string_view account_id, const PrincipalRef& p, std::string_view policy_name) override;
  Status DeleteInlinePolicy(std::string_view account_id, const PrincipalRef& p, std::string_view policy_name) override;
  Result<Page<std::string>> ListInlinePolicies(std::string_view account_id, const PrincipalRef& p, const ListOptions& o) override;
  Status AttachPolicy(std::string_view account_id, const PrincipalRef& p, std::string_view policy_arn) override;
  Status DetachPolicy(std::string_view account_id, const PrincipalRef& p, std::string_view policy_arn) override;
  Result<Page<AttachedPolicy>> ListAttachedPolicies(std::string_view account_id, const PrincipalRef& p, const ListOptions& o) override;
  Result<PolicyEntities> ListEntitiesForPolicy(std::string_view account_id, std::string_view policy_arn) override;
  Status TagResource(std::string_view account_id, const TagTarget& t, const std::vector<Tag>& tags) override;
  Status UntagResource(std::string_view account_id, const TagTarget& t, const std::vector<std::string>& keys) override;
  Result<std::vector<Tag>> ListTags(std::string_view account_id, const TagTarget& t) override;
  Result<AccessKey> CreateAccessKey(std::string_view account_id, std::string_view user, const NewAccessKey& k) override;
  Result<AccessKey> GetAccessKey(std::string_view access_key_id) override;
  Result<std::vector<AccessKey>> ListAccessKeys(std::string_view account_id, std::string_view user) override;
  Status UpdateAccessKeyStatus(std::string_view account_id, std::string_view user, std::string_view access_key_id, AccessKeyStatus s) override;
  Status DeleteAccessKey(std::string_view account_id, std::string_view user, std::string_view access_key_id) override;
  Status RecordAccessKeyUsed(std::string_view access_key_id, Timestamp when, std::string_view service, std::string_view region) override;
  Result<LoginProfile> CreateLoginProfile(std::string_view account_id, std::string_view user, std::string_view password_hash, bool reset_required) override;
  Result<LoginProfile> GetLoginProfile(std::string_view account_id, std::string_view user) override;
  Status UpdateLoginProfile(std::string_view account_id, std::string_view user, std::optional<std::string> password_hash, std::optional<bool> reset_required) override;
  Status DeleteLoginProfile(std::string_view account_id, std::string_view user) override;
  Status RecordPasswordUsed(std::string_view account_id, std::string_view user, Timestamp when) override;
  Result<MfaDevice> CreateVirtualMfaDevice(std::string_view account_id, const NewMfaDevice& d) override;
  Result<MfaDevice> GetMfaDevice(std::string_view account_id, std::string_view serial) override;
  Status EnableMfaDevice(std::string_view account_id, std::string_view user, std::string_view serial, int64_t totp_step) override;
  Status DeactivateMfaDevice(std::string_view account_id, std::string_view user, std::string_view serial) override;
  Status DeleteVirtualMfaDevice(std::string_view account_id, std::string_view serial) override;
  Result<std::vector<MfaDevice>> ListMfaDevices(std::string_view account_id, std::string_view user) override;
  Result<bool> AdvanceMfaStep(std::string_view account_id, std::string_view serial, int64_t totp_step) override;
  Result<OidcProvider> CreateOidcProvider(std::string_view account_id, const NewOidcProvider& p) override;
  Result<OidcProvider> GetOidcProvider(std::string_view account_id, std::string_view arn) override;
  Status UpdateOidcProvider(std::string_view account_id, std::string_view arn, std::optional<std::vector<std::string>> client_ids, std::optional<std::vector<std::string>> thumbprints) override;
  Status DeleteOidcProvider(std::string_view account_id, std::string_view arn) override;
  Result<std::vector<OidcProvider>> ListOidcProviders(std::string_view account_id) override;
  Result<SamlProvider> CreateSamlProvider(std::string_view account_id, const NewSamlProvider& p) override;
  Result<SamlProvider> GetSamlProvider(std::string_view account_id, std::string_view arn) override;
  Status UpdateSamlProvider(std::string_view account_id, std::string_view arn, std::string_view metadata_document) override;
  Status DeleteSamlProvider(std::string_view account_id, std::string_view arn) override;
  Result<std::vector<SamlProvider>> ListSamlProviders(std::string_view account_id) override;
  Result<PrincipalPolicySet> GetPolicySet(std::string_view account_id, const PrincipalRef& p) override;
  Result<std::vector<WrappedKey>> ListWrappedKeys() override;
  Status AddWrappedKey(const WrappedKey& k) override;
  Status AddRootAccessKey(const RootAccessKey& k) override;
  Result<RootAccessKey> GetRootAccessKey(std::string_view access_key_id) override;

 private:
  // A managed policy row as found by ARN.
  struct PolicyRow {
    int64_t id = 0;
    std::string account_id, name, path;
    int64_t default_version = 0, next_version = 0;
  };

  Timestamp Now() const { return clock_.Now(); }
  Status RequireAccount(std::string_view account_id);
  // Row ids by name; kNoSuchEntity with AWS's message.
  Result<int64_t> NamedRow(const NamedKind& kind, std::string_view account_id, std::string_view name);
  Result<int64_t> UserRow(std::string_view account_id, std::string_view name) {
    return NamedRow(kUsers, account_id, name);
  }
  Result<int64_t> GroupRow(std::string_view account_id, std::string_view name) {
    return NamedRow(kGroups, account_id, name);
  }
  Result<int64_t> RoleRow(std::string_view account_id, std::string_view name) {
    return NamedRow(kRoles, account_id, name);
  }
  Result<int64_t> ProfileRow(std::string_view account_id, std::string_view name) {
    return NamedRow(kProfiles, account_id, name);
  }
  // Before creating `name`: the account exists, the name is free
  // (kEntityAlreadyExists) and the account is under its quota (kLimitExceeded).
  Status CheckNewName(const NamedKind& kind, std::string_view account_id, std::string_view name);
  // UpdateUser / UpdateGroup: a new name (checked as `new_name_field`, at
  // most `name_max`, free in the account) and/or a new path.
  Status RenameNamed(const NamedKind& kind, std::string_view account_id, std::string_view name,
                     const Rename& r, std::string_view new_name_field, int name_max);
  // Deletes a row once the caller has checked what else refers to it: kDeleteConflict
  // while a principal still holds policies; its tags go with it.
  Status DeleteNamedRow(const NamedKind& kind, int64_t row);
  template <typename T>
  Result<T> GetNamed(const NamedKind& kind, std::string_view account_id, std::string_view name,
                     Result<T> (SqlOps::*read)(int64_t)) {
    IAM_ASSIGN_OR_RETURN(int64_t row, NamedRow(kind, account_id, name));
    return (this->*read)(row);
  }
  // A page of entities from `q`, whose first column is the row id.
  template <typename T>
  Result<Page<T>> ReadPage(Stmt& q, const ListOptions& o, Result<T> (SqlOps::*read)(int64_t));
  template <typename T>
  Result<Page<T>> ListNamed(const NamedKind& kind, std::string_view account_id, const ListOptions& o,
                            Result<T> (SqlOps::*read)(int64_t));
  Result<int64_t> PrincipalRow(std::string_view account_id, const PrincipalRef& p);
  Result<int64_t> TagTargetRow(std::string_view account_id, const TagTarget& t);
  Result<PolicyRow> FindPolicy(std::string_view account_id, std::string_view arn);
  Result<int64_t> MfaRow(std::string_view account_id, std::string_view serial);
  Result<int64_t> Count(const char* sql, std::string_view arg);
  Result<int64_t> CountId(const char* sql, int64_t id);

  Result<User> ReadUser(int64_t row);
  // The user on the current row of a kUserColumns query (ops_identity.cc).
  Result<User> UserFrom(Stmt& q);
  Result<Group> ReadGroup(int64_t row);
  Result<Role> ReadRole(int64_t row);
  Result<InstanceProfile> ReadProfile(int64_t row);
  // Attachment and boundary counts are those within `viewer`'s account, as
  // AWS counts them for the AWS managed policies every account shares.
  Result<ManagedPolicy> ReadPolicy(int64_t row, std::string_view viewer);
  Result<MfaDevice> ReadMfa(int64_t row);
  Result<std::string> BoundaryArn(std::optional<int64_t> policy_row);

  Result<std::vector<Tag>> ReadTags(TaggableKind kind, int64_t row);
  // Adds or overwrites tags after checking the per-entity quota.
  Status WriteTags(TaggableKind kind, int64_t row, const std::vector<Tag>& tags);
  Status DeleteTags(TaggableKind kind, int64_t row);
  Status CheckInlineSize(PrincipalKind kind, int64_t row, std::string_view name,
                         std::string_view principal_name, std::string_view document);
  Status CheckDeleteConflicts(PrincipalKind kind, int64_t row);
  Status AppendManaged(PrincipalKind kind, int64_t row, SourcedPolicy::Source source,
                       std::string_view via_group, std::vector<SourcedPolicy>& out);
  Status AppendInline(PrincipalKind kind, int64_t row, SourcedPolicy::Source source,
                      std::string_view via_group, std::vector<SourcedPolicy>& out);

  // Counts the rows changed while it lives as usage_changes().
  class UsageRecord {
   public:
    explicit UsageRecord(SqlOps& ops) : ops_(ops), before_(ops.db_.TotalChanges()) {}
    ~UsageRecord() { ops_.usage_changes_ += ops_.db_.TotalChanges() - before_; }
    UsageRecord(const UsageRecord&) = delete;
    UsageRecord& operator=(const UsageRecord&) = delete;

   private:
    SqlOps& ops_;
    int64_t before_;
  };

  Db& db_;
  const Quotas& quotas_;
  const Clock& clock_;
  int64_t usage_changes_ = 0;
};

// Shared by the ops_*.cc files.
std::string QuotaMessage(std::string_view name, int limit);
std::string PolicyArn(std::string_view account_id, std::string_view path, std::string_view name);
// Pagination: rows are fetched max_items + 1 at a time from the marker.
template <typename T, typename NameOf>
Page<T> MakePage(std::vector<T> rows, const ListOptions& o, NameOf name_of) {
  Page<T> page;
  if (static_cast<int>(rows.size()) > o.max_items) {
    page.is_truncated = true;
    page.marker = name_of(rows[o.max_items]);
    rows.resize(o.max_items);
  }
  page.items = std::move(rows);
  return page;
}
bool HasPathPrefix(std::string_view path, std::string_view prefix);
// The ids a query's first column yields, all rows.
Result<std::vector<int64_t>> RowIds(Stmt& q);

template <typename T>
Result<Page<T>> SqlOps::ReadPage(Stmt& q, const ListOptions& o, Result<T> (SqlOps::*read)(int64_t)) {
  IAM_ASSIGN_OR_RETURN(std::vector<int64_t> ids, RowIds(q));
  std::vector<T> items;
  for (int64_t id : ids) {
    IAM_ASSIGN_OR_RETURN(T item, (this->*read)(id));
    items.push_back(std::move(item));
  }
  return MakePage(std::move(items), o, [](const T& item) { return item.name; });
}

template <typename T>
Result<Page<T>> SqlOps::ListNamed(const NamedKind& kind, std::string_view account_id, const ListOptions& o,
                                  Result<T> (SqlOps::*read)(int64_t)) {
  IAM_RETURN_IF_ERROR(ValidateListOptions(o));
  Stmt q(db_, kind.list, account_id, o.path_prefix, o.marker, o.max_items + 1);
  return ReadPage(q, o, read);
}

}  // namespace iam::store::sql
