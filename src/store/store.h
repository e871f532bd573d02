// The identity store: everything iamd keeps about accounts, identities,
// policies and credentials, behind one abstract interface with SQLite and
// (later) PostgreSQL backends. Open one with OpenStore() (open_store.h).
//
//   IAM_ASSIGN_OR_RETURN(auto store, OpenStore({.url = "sqlite:///var/lib/iamd/iamd.db"}));
//   IAM_ASSIGN_OR_RETURN(User u, store->CreateUser(account, {.name = "bob"}));
//   // Several operations atomically:
//   IAM_RETURN_IF_ERROR(store->Transact(TxnMode::kWrite, [&](StoreOps& t) -> Status {
//     IAM_RETURN_IF_ERROR(t.CreateUser(account, {.name = "alice"}).status());
//     return t.AddUserToGroup(account, "admins", "alice");
//   }));
//
// Every StoreOps method called on a Store runs in its own transaction; inside
// Transact() they share one. A failed call changes nothing. Input is checked
// against AWS's name/path/length rules (kValidationError), existence
// (kNoSuchEntity), uniqueness, case-insensitive as AWS (kEntityAlreadyExists),
// dependents (kDeleteConflict) and quotas (kLimitExceeded). Any method may
// also return kServiceFailure (database unavailable, busy beyond the timeout)
// or kInternal; the per-method comments list only the other codes.
//
// Thread-safety: a Store is safe to use from many threads. A StoreOps given
// to a Transact() callback belongs to that call and that thread only.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/key_ring.h"
#include "iamd/status.h"
#include "store/model.h"
#include "store/read_cache.h"

namespace iam::store {

struct NewUser {
  std::string name{};
  std::string path = "/";
  std::string permissions_boundary_arn{};
  std::vector<Tag> tags{};
};
struct NewGroup {
  std::string name{};
  std::string path = "/";
};
struct NewRole {
  std::string name{};
  std::string path = "/";
  std::string assume_role_policy_document{};
  std::string description{};
  int max_session_duration = 3600;
  std::string permissions_boundary_arn{};
  std::vector<Tag> tags{};
};
struct RoleUpdate {
  std::optional<std::string> description{};
  std::optional<int> max_session_duration{};
};
struct Rename {  // UpdateUser / UpdateGroup
  std::optional<std::string> new_name{};
  std::optional<std::string> new_path{};
};
struct NewInstanceProfile {
  std::string name{};
  std::string path = "/";
  std::vector<Tag> tags{};
};
struct NewPolicy {
  std::string name{};
  std::string path = "/";
  std::string description{};
  std::string document{};
  std::vector<Tag> tags{};
};
struct NewAccessKey {
  std::string access_key_id{};  // from NewAccessKeyId(); the sealing aad
  std::string sealed_secret{};  // KeyRing::Seal(secret, access_key_id)
};
struct NewMfaDevice {
  std::string name{};
  std::string path = "/";
  std::string sealed_seed{};
  std::vector<Tag> tags{};
};
struct NewOidcProvider {
  std::string url{};
  std::vector<std::string> client_ids{};
  std::vector<std::string> thumbprints{};
  std::vector<Tag> tags{};
};
struct NewSamlProvider {
  std::string name{};
  std::string metadata_document{};
  std::optional<Timestamp> valid_until{};
  std::vector<Tag> tags{};
};

// The operations, available on a Store (one transaction each) and on the
// StoreOps handed to Transact() (one transaction for all).
class StoreOps {
 public:
  virtual ~StoreOps() = default;

  // ---- Accounts -------------------------------------------------------
  // CreateAccount makes an account; an empty id draws a random 12-digit one.
  // kValidationError (bad id/alias), kEntityAlreadyExists.
  virtual Result<Account> CreateAccount(std::string account_id, std::string alias) = 0;
  // kNoSuchEntity.
  virtual Result<Account> GetAccount(std::string_view account_id) = 0;
  virtual Result<std::vector<Account>> ListAccounts() = 0;
  // Sets or (with "") removes the alias, unique across the server.
  // kNoSuchEntity, kValidationError, kEntityAlreadyExists.
  virtual Status SetAccountAlias(std::string_view account_id, std::string_view alias) = 0;
  // kNoSuchEntity ("The Password Policy with domain name ... cannot be found.").
  virtual Result<PasswordPolicy> GetPasswordPolicy(std::string_view account_id) = 0;
  // kNoSuchEntity, kValidationError (length 6..128, age 1..1095, reuse 1..24).
  virtual Status PutPasswordPolicy(std::string_view account_id, const PasswordPolicy& p) = 0;
  // kNoSuchEntity.
  virtual Status DeletePasswordPolicy(std::string_view account_id) = 0;
  // kNoSuchEntity.
  virtual Result<AccountSummary> GetAccountSummary(std::string_view account_id) = 0;

  // ---- Users ------------------------------------------------------------
  // kValidationError, kEntityAlreadyExists, kLimitExceeded, kNoSuchEntity
  // (account or boundary policy).
  virtual Result<User> CreateUser(std::string_view account_id, const NewUser& u) = 0;
  // kNoSuchEntity ("The user with name bob cannot be found.").
  virtual Result<User> GetUser(std::string_view account_id, std::string_view name) = 0;
  // kNoSuchEntity, kValidationError, kEntityAlreadyExists (new name taken).
  virtual Status UpdateUser(std::string_view account_id, std::string_view name, const Rename& r) = 0;
  // kNoSuchEntity, kDeleteConflict (keys, login profile, MFA, inline or
  // attached policies, group memberships).
  virtual Status DeleteUser(std::string_view account_id, std::string_view name) = 0;
  // Users by name. kValidationError (bad marker or max_items).
  virtual Result<Page<User>> ListUsers(std::string_view account_id, const ListOptions& o) = 0;

  // ---- Groups -----------------------------------------------------------
  // kValidationError, kEntityAlreadyExists, kLimitExceeded, kNoSuchEntity.
  virtual Result<Group> CreateGroup(std::string_view account_id, const NewGroup& g) = 0;
  // kNoSuchEntity.
  virtual Result<Group> GetGroup(std::string_view account_id, std::string_view name) = 0;
  // kNoSuchEntity, kValidationError, kEntityAlreadyExists.
  virtual Status UpdateGroup(std::string_view account_id, std::string_view name, const Rename& r) = 0;
  // kNoSuchEntity, kDeleteConflict (members, inline or attached policies).
  virtual Status DeleteGroup(std::string_view account_id, std::string_view name) = 0;
  // kValidationError.
  virtual Result<Page<Group>> ListGroups(std::string_view account_id, const ListOptions& o) = 0;
  // Idempotent, as AWS. kNoSuchEntity, kLimitExceeded (GroupsPerUser).
  virtual Status AddUserToGroup(std::string_view account_id, std::string_view group,
                                std::string_view user) = 0;
  // kNoSuchEntity (either, or user not in group).
  virtual Status RemoveUserFromGroup(std::string_view account_id, std::string_view group,
                                     std::string_view user) = 0;
  // kNoSuchEntity, kValidationError.
  virtual Result<Page<Group>> ListGroupsForUser(std::string_view account_id, std::string_view user,
                                                const ListOptions& o) = 0;
  // kNoSuchEntity, kValidationError.
  virtual Result<Page<User>> ListGroupMembers(std::string_view account_id, std::string_view group,
                                              const ListOptions& o) = 0;

  // ---- Roles ------------------------------------------------------------
  // kValidationError, kEntityAlreadyExists, kLimitExceeded, kNoSuchEntity.
  virtual Result<Role> CreateRole(std::string_view account_id, const NewRole& r) = 0;
  // kNoSuchEntity.
  virtual Result<Role> GetRole(std::string_view account_id, std::string_view name) = 0;
  // kNoSuchEntity, kValidationError.
  virtual Status UpdateRole(std::string_view account_id, std::string_view name, const RoleUpdate& u) = 0;
  // kNoSuchEntity, kValidationError, kLimitExceeded (trust policy size).
  virtual Status UpdateAssumeRolePolicy(std::string_view account_id, std::string_view name,
                                        std::string_view document) = 0;
  // kNoSuchEntity, kDeleteConflict (policies, instance profiles).
  virtual Status DeleteRole(std::string_view account_id, std::string_view name) = 0;
  // kValidationError.
  virtual Result<Page<Role>> ListRoles(std::string_view account_id, const ListOptions& o) = 0;
  // Records RoleLastUsed. kNoSuchEntity.
  virtual Status RecordRoleUsed(std::string_view account_id, std::string_view name, Timestamp when,
                                std::string_view region) = 0;

  // ---- Permissions boundaries (users and roles) ------------------------
  // `policy_arn` must name an existing managed policy visible to the
  // account. kNoSuchEntity, kInvalidInput (groups have no boundary).
  virtual Status PutPermissionsBoundary(std::string_view account_id, const PrincipalRef& p,
                                        std::string_view policy_arn) = 0;
  // kNoSuchEntity, kInvalidInput.
  virtual Status DeletePermissionsBoundary(std::string_view account_id, const PrincipalRef& p) = 0;

  // ---- Instance profiles ------------------------------------------------
  // kValidationError, kEntityAlreadyExists, kLimitExceeded.
  virtual Result<InstanceProfile> CreateInstanceProfile(std::string_view account_id,
                                                        const NewInstanceProfile& p) = 0;
  // kNoSuchEntity.
  virtual Result<InstanceProfile> GetInstanceProfile(std::string_view account_id,
                                                     std::string_view name) = 0;
  // kNoSuchEntity, kDeleteConflict (still has a role).
  virtual Status DeleteInstanceProfile(std::string_view account_id, std::string_view name) = 0;
  // kValidationError.
  virtual Result<Page<InstanceProfile>> ListInstanceProfiles(std::string_view account_id,
                                                             const ListOptions& o) = 0;
  // kNoSuchEntity, kEntityAlreadyExists, kLimitExceeded (one role per profile).
  virtual Status AddRoleToInstanceProfile(std::string_view account_id, std::string_view profile,
                                          std::string_view role) = 0;
  // kNoSuchEntity.
  virtual Status RemoveRoleFromInstanceProfile(std::string_view account_id,
                                               std::string_view profile, std::string_view role) = 0;
  // kNoSuchEntity, kValidationError.
  virtual Result<Page<InstanceProfile>> ListInstanceProfilesForRole(std::string_view account_id,
                                                                    std::string_view role,
                                                                    const ListOptions& o) = 0;

  // ---- Managed policies -------------------------------------------------
  // Creates a customer managed policy with version v1 as default.
  // kValidationError, kEntityAlreadyExists, kLimitExceeded (count, size).
  virtual Result<ManagedPolicy> CreatePolicy(std::string_view account_id, const NewPolicy& p) = 0;
  // Creates or replaces (as a new default version) an AWS managed policy,
  // visible to and attachable from every account. kValidationError.
  virtual Result<ManagedPolicy> SeedAwsManagedPolicy(const NewPolicy& p) = 0;
  // Policies addressed by ARN are visible to their own account, and AWS
  // managed ones to all. kNoSuchEntity, kValidationError (not a policy ARN).
  virtual Result<ManagedPolicy> GetPolicy(std::string_view account_id, std::string_view arn) = 0;
  // kNoSuchEntity, kDeleteConflict (attached, used as boundary, or has
  // non-default versions), kUnmodifiableEntity (AWS managed).
  virtual Status DeletePolicy(std::string_view account_id, std::string_view arn) = 0;
  // kValidationError.
  virtual Result<Page<ManagedPolicy>> ListPolicies(std::string_view account_id,
                                                   const PolicyListOptions& o) = 0;
  // kNoSuchEntity, kLimitExceeded (5 versions, size), kUnmodifiableEntity.
  virtual Result<PolicyVersion> CreatePolicyVersion(std::string_view account_id,
                                                    std::string_view arn, std::string_view document,
                                                    bool set_as_default) = 0;
  // kNoSuchEntity.
  virtual Result<PolicyVersion> GetPolicyVersion(std::string_view account_id, std::string_view arn,
                                                 std::string_view version_id) = 0;
  // Newest first, as AWS. kNoSuchEntity.
  virtual Result<std::vector<PolicyVersion>> ListPolicyVersions(std::string_view account_id,
                                                                std::string_view arn) = 0;
  // kNoSuchEntity, kDeleteConflict (the default version), kUnmodifiableEntity.
  virtual Status DeletePolicyVersion(std::string_view account_id, std::string_view arn,
                                     std::string_view version_id) = 0;
  // kNoSuchEntity, kUnmodifiableEntity.
  virtual Status SetDefaultPolicyVersion(std::string_view account_id, std::string_view arn,
                                         std::string_view version_id) = 0;

  // ---- Inline policies and attachments ------------------------------------
  // Creates or replaces. kNoSuchEntity, kValidationError, kLimitExceeded
  // (aggregate inline size of the principal).
  virtual Status PutInlinePolicy(std::string_view account_id, const PrincipalRef& p,
                                 std::string_view policy_name, std::string_view document) = 0;
  // kNoSuchEntity.
  virtual Result<InlinePolicy> GetInlinePolicy(std::string_view account_id, const PrincipalRef& p,
                                               std::string_view policy_name) = 0;
  // kNoSuchEntity.
  virtual Status DeleteInlinePolicy(std::string_view account_id, const PrincipalRef& p,
                                    std::string_view policy_name) = 0;
  // Policy names. kNoSuchEntity, kValidationError.
  virtual Result<Page<std::string>> ListInlinePolicies(std::string_view account_id,
                                                       const PrincipalRef& p,
                                                       const ListOptions& o) = 0;
  // Idempotent. kNoSuchEntity, kLimitExceeded (AttachedPoliciesPer...).
  virtual Status AttachPolicy(std::string_view account_id, const PrincipalRef& p,
                              std::string_view policy_arn) = 0;
  // kNoSuchEntity (also when not attached).
  virtual Status DetachPolicy(std::string_view account_id, const PrincipalRef& p,
                              std::string_view policy_arn) = 0;
  // kNoSuchEntity, kValidationError. path_prefix filters the policies' paths.
  virtual Result<Page<AttachedPolicy>> ListAttachedPolicies(std::string_view account_id,
                                                            const PrincipalRef& p,
                                                            const ListOptions& o) = 0;
  // kNoSuchEntity.
  virtual Result<PolicyEntities> ListEntitiesForPolicy(std::string_view account_id,
                                                       std::string_view policy_arn) = 0;

  // ---- Tags -------------------------------------------------------------
  // Adds or overwrites (keys compare case-insensitively, case kept).
  // kNoSuchEntity, kValidationError, kInvalidInput (aws: prefix),
  // kLimitExceeded (50 per entity).
  virtual Status TagResource(std::string_view account_id, const TagTarget& t,
                             const std::vector<Tag>& tags) = 0;
  // Missing keys are ignored, as AWS. kNoSuchEntity.
  virtual Status UntagResource(std::string_view account_id, const TagTarget& t,
                               const std::vector<std::string>& keys) = 0;
  // kNoSuchEntity.
  virtual Result<std::vector<Tag>> ListTags(std::string_view account_id, const TagTarget& t) = 0;

  // ---- Access keys --------------------------------------------------------
  // kNoSuchEntity, kValidationError (id not AKIA+16), kEntityAlreadyExists,
  // kLimitExceeded (AccessKeysPerUser).
  virtual Result<AccessKey> CreateAccessKey(std::string_view account_id, std::string_view user,
                                            const NewAccessKey& k) = 0;
  // The request-path lookup, across all accounts. kNoSuchEntity.
  virtual Result<AccessKey> GetAccessKey(std::string_view access_key_id) = 0;
  // kNoSuchEntity.
  virtual Result<std::vector<AccessKey>> ListAccessKeys(std::string_view account_id,
                                                        std::string_view user) = 0;
  // kNoSuchEntity (unknown key, or not this user's).
  virtual Status UpdateAccessKeyStatus(std::string_view account_id, std::string_view user,
                                       std::string_view access_key_id, AccessKeyStatus s) = 0;
  // kNoSuchEntity.
  virtual Status DeleteAccessKey(std::string_view account_id, std::string_view user,
                                 std::string_view access_key_id) = 0;
  // kNoSuchEntity.
  virtual Status RecordAccessKeyUsed(std::string_view access_key_id, Timestamp when,
                                     std::string_view service, std::string_view region) = 0;

  // ---- Login profiles -----------------------------------------------------
  // kNoSuchEntity, kEntityAlreadyExists.
  virtual Result<LoginProfile> CreateLoginProfile(std::string_view account_id, std::string_view user,
                                                  std::string_view password_hash,
                                                  bool reset_required) = 0;
  // kNoSuchEntity ("Login Profile for User bob cannot be found.").
  virtual Result<LoginProfile> GetLoginProfile(std::string_view account_id, std::string_view user) = 0;
  // Changes what is given. kNoSuchEntity.
  virtual Status UpdateLoginProfile(std::string_view account_id, std::string_view user,
                                    std::optional<std::string> password_hash,
                                    std::optional<bool> reset_required) = 0;
  // kNoSuchEntity.
  virtual Status DeleteLoginProfile(std::string_view account_id, std::string_view user) = 0;
  // Sets User::password_last_used. kNoSuchEntity.
  virtual Status RecordPasswordUsed(std::string_view account_id, std::string_view user,
                                    Timestamp when) = 0;

  // ---- Virtual MFA devices ------------------------------------------------
  // kValidationError, kEntityAlreadyExists.
  virtual Result<MfaDevice> CreateVirtualMfaDevice(std::string_view account_id,
                                                   const NewMfaDevice& d) = 0;
  // kNoSuchEntity.
  virtual Result<MfaDevice> GetMfaDevice(std::string_view account_id, std::string_view serial) = 0;
  // kNoSuchEntity, kEntityAlreadyExists (device in use), kLimitExceeded.
  virtual Status EnableMfaDevice(std::string_view account_id, std::string_view user,
                                 std::string_view serial, int64_t totp_step) = 0;
  // kNoSuchEntity (also when not enabled for this user).
  virtual Status DeactivateMfaDevice(std::string_view account_id, std::string_view user,
                                     std::string_view serial) = 0;
  // kNoSuchEntity, kDeleteConflict (still enabled).
  virtual Status DeleteVirtualMfaDevice(std::string_view account_id, std::string_view serial) = 0;
  // Devices enabled for `user`, or all virtual devices when user is empty.
  // kNoSuchEntity.
  virtual Result<std::vector<MfaDevice>> ListMfaDevices(std::string_view account_id,
                                                        std::string_view user) = 0;
  // Accepts a TOTP step only if greater than the last accepted one, so a
  // code is used once. Returns false if the step was already used.
  // kNoSuchEntity.
  virtual Result<bool> AdvanceMfaStep(std::string_view account_id, std::string_view serial,
                                      int64_t totp_step) = 0;

  // ---- Identity providers -------------------------------------------------
  // kValidationError, kEntityAlreadyExists, kLimitExceeded.
  virtual Result<OidcProvider> CreateOidcProvider(std::string_view account_id,
                                                  const NewOidcProvider& p) = 0;
  // kNoSuchEntity.
  virtual Result<OidcProvider> GetOidcProvider(std::string_view account_id, std::string_view arn) = 0;
  // Replaces the lists given. kNoSuchEntity, kValidationError, kLimitExceeded.
  virtual Status UpdateOidcProvider(std::string_view account_id, std::string_view arn,
                                    std::optional<std::vector<std::string>> client_ids,
                                    std::optional<std::vector<std::string>> thumbprints) = 0;
  // kNoSuchEntity.
  virtual Status DeleteOidcProvider(std::string_view account_id, std::string_view arn) = 0;
  virtual Result<std::vector<OidcProvider>> ListOidcProviders(std::string_view account_id) = 0;
  // kValidationError, kEntityAlreadyExists, kLimitExceeded.
  virtual Result<SamlProvider> CreateSamlProvider(std::string_view account_id,
                                                  const NewSamlProvider& p) = 0;
  // kNoSuchEntity.
  virtual Result<SamlProvider> GetSamlProvider(std::string_view account_id, std::string_view arn) = 0;
  // kNoSuchEntity, kValidationError.
  virtual Status UpdateSamlProvider(std::string_view account_id, std::string_view arn,
                                    std::string_view metadata_document) = 0;
  // kNoSuchEntity.
  virtual Status DeleteSamlProvider(std::string_view account_id, std::string_view arn) = 0;
  virtual Result<std::vector<SamlProvider>> ListSamlProviders(std::string_view account_id) = 0;

  // ---- Request path -------------------------------------------------------
  // A principal's identity policies: its inline and attached managed
  // (default version) policies, for users also its groups' inline and
  // attached ones, and its permissions boundary. kNoSuchEntity,
  // kInvalidInput (groups are not principals).
  virtual Result<PrincipalPolicySet> GetPolicySet(std::string_view account_id,
                                                  const PrincipalRef& p) = 0;

  // ---- Server key ring (wrapped keys; see Store::LoadKeyRing) ------------
  virtual Result<std::vector<WrappedKey>> ListWrappedKeys() = 0;
  // Adds a key and makes it the current one. kEntityAlreadyExists.
  virtual Status AddWrappedKey(const WrappedKey& k) = 0;

  // ---- Account root access keys -------------------------------------------
  // kNoSuchEntity (account), kEntityAlreadyExists (id taken), kInvalidInput
  // (no sealed secret).
  virtual Status AddRootAccessKey(const RootAccessKey& k) = 0;
  // kNoSuchEntity.
  virtual Result<RootAccessKey> GetRootAccessKey(std::string_view access_key_id) = 0;
};

enum class TxnMode { kRead, kWrite };

class Store : public StoreOps {
 public:
  // Transact runs `fn` in one transaction: committed if it returns OK,
  // rolled back (the store unchanged) otherwise, and that status returned.
  // kRead transactions see one consistent snapshot and must not write
  // (writes fail with kInternal). `fn` must not call this Store (deadlock);
  // it uses the StoreOps it is given. Exceptions from `fn` are caught and
  // become kInternal.
  virtual Status Transact(TxnMode mode, const std::function<Status(StoreOps&)>& fn) = 0;

  // Generation moves forward with every committed write (a transaction that
  // changed something), so that caches can tell they are stale. Cheap: no I/O.
  // Within one process it is exact; other processes' writes are seen when
  // this Store next writes or calls RefreshGeneration().
  virtual int64_t Generation() const = 0;
  // Reads the generation from the database. kServiceFailure.
  virtual Result<int64_t> RefreshGeneration() = 0;
  // WaitForChange returns once the database generation differs from `seen`
  // or `timeout` has passed, with the generation read last. Backends that
  // can be told of other nodes' writes (PostgreSQL LISTEN/NOTIFY) return as
  // soon as one commits; the default polls RefreshGeneration. A watcher
  // thread calls it in a loop so that caches follow other nodes' writes.
  // kServiceFailure when the database cannot be reached.
  virtual Result<int64_t> WaitForChange(int64_t seen, std::chrono::milliseconds timeout);

  // CheckIntegrity runs the backend's consistency checks (SQLite:
  // integrity_check and foreign_key_check). kInternal with the findings.
  virtual Status CheckIntegrity() = 0;

  // LoadKeyRing unwraps the server key ring with the master key. kInternal
  // if a key does not unwrap (wrong master key).
  Result<crypto::KeyRing> LoadKeyRing();
  // RotateKey adds a fresh key and makes it current; old keys stay for
  // opening. Returns the new key id.
  Result<uint32_t> RotateKey();
  // CreateFirstKey adds the first key if the ring has none, in one write
  // transaction, so that nodes opening an empty database at once make one.
  Status CreateFirstKey();

  // ---- StoreOps, each call in its own transaction ------------------------
  Result<Account> CreateAccount(std::string account_id, std::string alias) final;
  Result<Account> GetAccount(std::string_view account_id) final;
  Result<std::vector<Account>> ListAccounts() final;
  Status SetAccountAlias(std::string_view account_id, std::string_view alias) final;
  Result<PasswordPolicy> GetPasswordPolicy(std::string_view account_id) final;
  Status PutPasswordPolicy(std::string_view account_id, const PasswordPolicy& p) final;
  Status DeletePasswordPolicy(std::string_view account_id) final;
  Result<AccountSummary> GetAccountSummary(std::string_view account_id) final;
  Result<User> CreateUser(std::string_view account_id, const NewUser& u) final;
  Result<User> GetUser(std::string_view account_id, std::string_view name) final;
  Status UpdateUser(std::string_view account_id, std::string_view name, const Rename& r) final;
  Status DeleteUser(std::string_view account_id, std::string_view name) final;
  Result<Page<User>> ListUsers(std::string_view account_id, const ListOptions& o) final;
  Result<Group> CreateGroup(std::string_view account_id, const NewGroup& g) final;
  Result<Group> GetGroup(std::string_view account_id, std::string_view name) final;
  Status UpdateGroup(std::string_view account_id, std::string_view name, const Rename& r) final;
  Status DeleteGroup(std::string_view account_id, std::string_view name) final;
  Result<Page<Group>> ListGroups(std::string_view account_id, const ListOptions& o) final;
  Status AddUserToGroup(std::string_view account_id, std::string_view group, std::string_view user) final;
  Status RemoveUserFromGroup(std::string_view account_id, std::string_view group, std::string_view user) final;
  Result<Page<Group>> ListGroupsForUser(std::string_view account_id, std::string_view user, const ListOptions& o) final;
  Result<Page<User>> ListGroupMembers(std::string_view account_id, std::string_view group, const ListOptions& o) final;
  Result<Role> CreateRole(std::string_view account_id, const NewRole& r) final;
  Result<Role> GetRole(std::string_view account_id, std::string_view name) final;
  Status UpdateRole(std::string_view account_id, std::string_view name, const RoleUpdate& u) final;
  Status UpdateAssumeRolePolicy(std::string_view account_id, std::string_view name, std::string_view document) final;
  Status DeleteRole(std::string_view account_id, std::string_view name) final;
  Result<Page<Role>> ListRoles(std::string_view account_id, const ListOptions& o) final;
  Status RecordRoleUsed(std::string_view account_id, std::string_view name, Timestamp when, std::string_view region) final;
  Status PutPermissionsBoundary(std::string_view account_id, const PrincipalRef& p, std::string_view policy_arn) final;
  Status DeletePermissionsBoundary(std::string_view account_id, const PrincipalRef& p) final;
  Result<InstanceProfile> CreateInstanceProfile(std::string_view account_id, const NewInstanceProfile& p) final;
  Result<InstanceProfile> GetInstanceProfile(std::string_view account_id, std::string_view name) final;
  Status DeleteInstanceProfile(std::string_view account_id, std::string_view name) final;
  Result<Page<InstanceProfile>> ListInstanceProfiles(std::string_view account_id, const ListOptions& o) final;
  Status AddRoleToInstanceProfile(std::string_view account_id, std::string_view profile, std::string_view role) final;
  Status RemoveRoleFromInstanceProfile(std::string_view account_id, std::string_view profile, std::string_view role) final;
  Result<Page<InstanceProfile>> ListInstanceProfilesForRole(std::string_view account_id, std::string_view role, const ListOptions& o) final;
  Result<ManagedPolicy> CreatePolicy(std::string_view account_id, const NewPolicy& p) final;
  Result<ManagedPolicy> SeedAwsManagedPolicy(const NewPolicy& p) final;
  Result<ManagedPolicy> GetPolicy(std::string_view account_id, std::string_view arn) final;
  Status DeletePolicy(std::string_view account_id, std::string_view arn) final;
  Result<Page<ManagedPolicy>> ListPolicies(std::string_view account_id, const PolicyListOptions& o) final;
  Result<PolicyVersion> CreatePolicyVersion(std::string_view account_id, std::string_view arn, std::string_view document, bool set_as_default) final;
  Result<PolicyVersion> GetPolicyVersion(std::string_view account_id, std::string_view arn, std::string_view version_id) final;
  Result<std::vector<PolicyVersion>> ListPolicyVersions(std::string_view account_id, std::string_view arn) final;
  Status DeletePolicyVersion(std::string_view account_id, std::string_view arn, std::string_view version_id) final;
  Status SetDefaultPolicyVersion(std::string_view account_id, std::string_view arn, std::string_view version_id) final;
  Status PutInlinePolicy(std::string_view account_id, const PrincipalRef& p, std::string_view policy_name, std::string_view document) final;
  Result<InlinePolicy> GetInlinePolicy(std::string_view account_id, const PrincipalRef& p, std::string_view policy_name) final;
  Status DeleteInlinePolicy(std::string_view account_id, const PrincipalRef& p, std::string_view policy_name) final;
  Result<Page<std::string>> ListInlinePolicies(std::string_view account_id, const PrincipalRef& p, const ListOptions& o) final;
  Status AttachPolicy(std::string_view account_id, const PrincipalRef& p, std::string_view policy_arn) final;
  Status DetachPolicy(std::string_view account_id, const PrincipalRef& p, std::string_view policy_arn) final;
  Result<Page<AttachedPolicy>> ListAttachedPolicies(std::string_view account_id, const PrincipalRef& p, const ListOptions& o) final;
  Result<PolicyEntities> ListEntitiesForPolicy(std::string_view account_id, std::string_view policy_arn) final;
  Status TagResource(std::string_view account_id, const TagTarget& t, const std::vector<Tag>& tags) final;
  Status UntagResource(std::string_view account_id, const TagTarget& t, const std::vector<std::string>& keys) final;
  Result<std::vector<Tag>> ListTags(std::string_view account_id, const TagTarget& t) final;
  Result<AccessKey> CreateAccessKey(std::string_view account_id, std::string_view user, const NewAccessKey& k) final;
  Result<AccessKey> GetAccessKey(std::string_view access_key_id) final;
  Result<std::vector<AccessKey>> ListAccessKeys(std::string_view account_id, std::string_view user) final;
  Status UpdateAccessKeyStatus(std::string_view account_id, std::string_view user, std::string_view access_key_id, AccessKeyStatus s) final;
  Status DeleteAccessKey(std::string_view account_id, std::string_view user, std::string_view access_key_id) final;
  Status RecordAccessKeyUsed(std::string_view access_key_id, Timestamp when, std::string_view service, std::string_view region) final;
  Result<LoginProfile> CreateLoginProfile(std::string_view account_id, std::string_view user, std::string_view password_hash, bool reset_required) final;
  Result<LoginProfile> GetLoginProfile(std::string_view account_id, std::string_view user) final;
  Status UpdateLoginProfile(std::string_view account_id, std::string_view user, std::optional<std::string> password_hash, std::optional<bool> reset_required) final;
  Status DeleteLoginProfile(std::string_view account_id, std::string_view user) final;
  Status RecordPasswordUsed(std::string_view account_id, std::string_view user, Timestamp when) final;
  Result<MfaDevice> CreateVirtualMfaDevice(std::string_view account_id, const NewMfaDevice& d) final;
  Result<MfaDevice> GetMfaDevice(std::string_view account_id, std::string_view serial) final;
  Status EnableMfaDevice(std::string_view account_id, std::string_view user, std::string_view serial, int64_t totp_step) final;
  Status DeactivateMfaDevice(std::string_view account_id, std::string_view user, std::string_view serial) final;
  Status DeleteVirtualMfaDevice(std::string_view account_id, std::string_view serial) final;
  Result<std::vector<MfaDevice>> ListMfaDevices(std::string_view account_id, std::string_view user) final;
  Result<bool> AdvanceMfaStep(std::string_view account_id, std::string_view serial, int64_t totp_step) final;
  Result<OidcProvider> CreateOidcProvider(std::string_view account_id, const NewOidcProvider& p) final;
  Result<OidcProvider> GetOidcProvider(std::string_view account_id, std::string_view arn) final;
  Status UpdateOidcProvider(std::string_view account_id, std::string_view arn, std::optional<std::vector<std::string>> client_ids, std::optional<std::vector<std::string>> thumbprints) final;
  Status DeleteOidcProvider(std::string_view account_id, std::string_view arn) final;
  Result<std::vector<OidcProvider>> ListOidcProviders(std::string_view account_id) final;
  Result<SamlProvider> CreateSamlProvider(std::string_view account_id, const NewSamlProvider& p) final;
  Result<SamlProvider> GetSamlProvider(std::string_view account_id, std::string_view arn) final;
  Status UpdateSamlProvider(std::string_view account_id, std::string_view arn, std::string_view metadata_document) final;
  Status DeleteSamlProvider(std::string_view account_id, std::string_view arn) final;
  Result<std::vector<SamlProvider>> ListSamlProviders(std::string_view account_id) final;
  Result<PrincipalPolicySet> GetPolicySet(std::string_view account_id, const PrincipalRef& p) final;
  Result<std::vector<WrappedKey>> ListWrappedKeys() final;
  Status AddWrappedKey(const WrappedKey& k) final;
  Status AddRootAccessKey(const RootAccessKey& k) final;
  Result<RootAccessKey> GetRootAccessKey(std::string_view access_key_id) final;

 protected:
  // `master_key` wraps the key ring (32 bytes); it never enters the database.
  explicit Store(std::string master_key) : master_key_(std::move(master_key)) {}

  // Backends call this after committing a transaction that wrote last-used
  // dates (which do not move the generation), so that cached reads showing
  // them are read again.
  void NoteUsageWrite() { usage_epoch_.fetch_add(1, std::memory_order_acq_rel); }

 private:
  // What a cached read is valid at now. Read before the database is, so an
  // entry is never newer-stamped than its data.
  ReadStamp Stamp() const { return {Generation(), usage_epoch_.load(std::memory_order_acquire)}; }

  // Adds a fresh current key (none if `only_if_empty` and the ring has one);
  // returns the new, or else the largest, key id.
  Result<uint32_t> AddKey(bool only_if_empty);

  std::string master_key_{};
  std::atomic<uint64_t> usage_epoch_{0};
  ReadCache<User> users_;  // GetUser, keyed by account id and name
};

}  // namespace iam::store
