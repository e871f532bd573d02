#include "store/store.h"

#include <algorithm>
#include <exception>
#include <thread>
#include <utility>

#include "common/status_macros.h"
#include "crypto/aead.h"

namespace iam::store {
namespace {

constexpr char kKeyWrapAad[] = "iamd-key-ring";

// Runs a Result-returning operation in its own transaction.
template <typename T, typename F>
Result<T> Run(Store& store, TxnMode mode, F&& f) {
  std::optional<T> out;
  Status s = store.Transact(mode, [&](StoreOps& t) -> Status {
    Result<T> r = f(t);
    if (!r.ok()) return r.status();
    out.emplace(std::move(r).value());
    return Status();
  });
  if (!s.ok()) return s;
  if (!out) return Internal("transaction produced no value");
  return std::move(*out);
}

}  // namespace

Result<int64_t> Store::WaitForChange(int64_t seen, std::chrono::milliseconds timeout) {
  // Polling: a few reads per timeout, so a change is seen within a fraction
  // of it without spinning on the database.
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  const auto step = std::max(std::chrono::milliseconds(5), timeout / 4);
  while (true) {
    IAM_ASSIGN_OR_RETURN(int64_t generation, RefreshGeneration());
    if (generation != seen) return generation;
    const auto now = std::chrono::steady_clock::now();
    if (now >= deadline) return generation;
    std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(step, deadline - now));
  }
}

Result<crypto::KeyRing> Store::LoadKeyRing() {
  IAM_ASSIGN_OR_RETURN(std::vector<WrappedKey> keys, ListWrappedKeys());
  crypto::KeyRing ring;
  for (const WrappedKey& k : keys) {
    Result<std::string> key = crypto::Open(master_key_, k.wrapped, kKeyWrapAad);
    if (!key.ok()) {
      return Internal("key " + std::to_string(k.key_id) +
                      " of the key ring does not unwrap: wrong master key?");
    }
    IAM_RETURN_IF_ERROR(ring.Add(k.key_id, std::move(key).value()));
    if (k.is_current) IAM_RETURN_IF_ERROR(ring.SetCurrent(k.key_id));
  }
  return ring;
}

Result<uint32_t> Store::RotateKey() { return AddKey(/*only_if_empty=*/false); }

Status Store::CreateFirstKey() { return AddKey(/*only_if_empty=*/true).status(); }

Result<uint32_t> Store::AddKey(bool only_if_empty) {
  uint32_t id = 0;
  IAM_RETURN_IF_ERROR(Transact(TxnMode::kWrite, [&](StoreOps& t) -> Status {
    IAM_ASSIGN_OR_RETURN(std::vector<WrappedKey> keys, t.ListWrappedKeys());
    id = 0;
    for (const WrappedKey& k : keys) id = std::max(id, k.key_id);
    if (only_if_empty && id != 0) return Status();
    ++id;
    IAM_ASSIGN_OR_RETURN(std::string wrapped,
                         crypto::Seal(master_key_, crypto::GenerateAeadKey(), kKeyWrapAad));
    return t.AddWrappedKey({.key_id = id, .wrapped = std::move(wrapped), .is_current = true});
  }));
  return id;
}

Result<Account> Store::CreateAccount(std::string account_id, std::string alias) {
  return Run<Account>(*this, TxnMode::kWrite,
      [&](StoreOps& ops) { return ops.CreateAccount(std::move(account_id), std::move(alias)); });
}

Result<Account> Store::GetAccount(std::string_view account_id) {
  return Run<Account>(*this, TxnMode::kRead,
      [&](StoreOps& ops) { return ops.GetAccount(account_id); });
}

Result<std::vector<Account>> Store::ListAccounts() {
  return Run<std::vector<Account>>(*this, TxnMode::kRead,
      [&](StoreOps& ops) { return ops.ListAccounts(); });
}

Status Store::SetAccountAlias(std::string_view account_id, std::string_view alias) {
  return Transact(TxnMode::kWrite, [&](StoreOps& ops) { return ops.SetAccountAlias(account_id, alias); });
}

Result<PasswordPolicy> Store::GetPasswordPolicy(std::string_view account_id) {
  return Run<PasswordPolicy>(*this, TxnMode::kRead,
      [&](StoreOps& ops) { return ops.GetPasswordPolicy(account_id); });
}

Status Store::PutPasswordPolicy(std::string_view account_id, const PasswordPolicy& p) {
  return Transact(TxnMode::kWrite, [&](StoreOps& ops) { return ops.PutPasswordPolicy(account_id, p); });
}

Status Store::DeletePasswordPolicy(std::string_view account_id) {
  return Transact(TxnMode::kWrite, [&](StoreOps& ops) { return ops.DeletePasswordPolicy(account_id); });
}

Result<AccountSummary> Store::GetAccountSummary(std::string_view account_id) {
  return Run<AccountSummary>(*this, TxnMode::kRead,
      [&](StoreOps& ops) { return ops.GetAccountSummary(account_id); });
}

Result<User> Store::CreateUser(std::string_view account_id, const NewUser& u) {
  return Run<User>(*this, TxnMode::kWrite,
      [&](StoreOps& ops) { return ops.CreateUser(account_id, u); });
}

Result<User> Store::GetUser(std::string_view account_id, std::string_view name) {
  const ReadStamp stamp = Stamp();
  std::string key;
  key.reserve(account_id.size() + name.size() + 1);
  key.append(account_id).append(1, '/').append(name);  // names have no '/'
  if (std::shared_ptr<const User> hit = users_.Find(key, stamp)) return *hit;
  Result<User> user = Run<User>(*this, TxnMode::kRead, [&](StoreOps& ops) { return ops.GetUser(account_id, name); });
  if (user.ok()) users_.Put(key, stamp, *user);
  return user;
}

Status Store::UpdateUser(std::string_view account_id, std::string_view name, const Rename& r) {
  return Transact(TxnMode::kWrite, [&](StoreOps& ops) { return ops.UpdateUser(account_id, name, r); });
}

Status Store::DeleteUser(std::string_view account_id, std::string_view name) {
  return Transact(TxnMode::kWrite, [&](StoreOps& ops) { return ops.DeleteUser(account_id, name); });
}

Result<Page<User>> Store::ListUsers(std::string_view account_id, const ListOptions& o) {
  return Run<Page<User>>(*this, TxnMode::kRead,
      [&](StoreOps& ops) { return ops.ListUsers(account_id, o); });
}

Result<Group> Store::CreateGroup(std::string_view account_id, const NewGroup& g) {
  return Run<Group>(*this, TxnMode::kWrite,
      [&](StoreOps& ops) { return ops.CreateGroup(account_id, g); });
}

Result<Group> Store::GetGroup(std::string_view account_id, std::string_view name) {
  return Run<Group>(*this, TxnMode::kRead,
      [&](StoreOps& ops) { return ops.GetGroup(account_id, name); });
}

Status Store::UpdateGroup(std::string_view account_id, std::string_view name, const Rename& r) {
  return Transact(TxnMode::kWrite, [&](StoreOps& ops) { return ops.UpdateGroup(account_id, name, r); });
}

Status Store::DeleteGroup(std::string_view account_id, std::string_view name) {
  return Transact(TxnMode::kWrite, [&](StoreOps& ops) { return ops.DeleteGroup(account_id, name); });
}

Result<Page<Group>> Store::ListGroups(std::string_view account_id, const ListOptions& o) {
  return Run<Page<Group>>(*this, TxnMode::kRead,
      [&](StoreOps& ops) { return ops.ListGroups(account_id, o); });
}

Status Store::AddUserToGroup(std::string_view account_id, std::string_view group, std::string_view user) {
  return Transact(TxnMode::kWrite, [&](StoreOps& ops) { return ops.AddUserToGroup(account_id, group, user); });
}

Status Store::RemoveUserFromGroup(std::string_view account_id, std::string_view group, std::string_view user) {
  return Transact(TxnMode::kWrite, [&](StoreOps& ops) { return ops.RemoveUserFromGroup(account_id, group, user); });
}

Result<Page<Group>> Store::ListGroupsForUser(std::string_view account_id, std::string_view user, const ListOptions& o) {
  return Run<Page<Group>>(*this, TxnMode::kRead,
      [&](StoreOps& ops) { return ops.ListGroupsForUser(account_id, user, o); });
}

Result<Page<User>> Store::ListGroupMembers(std::string_view account_id, std::string_view group, const ListOptions& o) {
  return Run<Page<User>>(*this, TxnMode::kRead,
      [&](StoreOps& ops) { return ops.ListGroupMembers(account_id, group, o); });
}

Result<Role> Store::CreateRole(std::string_view account_id, const NewRole& r) {
  return Run<Role>(*this, TxnMode::kWrite,
      [&](StoreOps& ops) { return ops.CreateRole(account_id, r); });
}

Result<Role> Store::GetRole(std::string_view account_id, std::string_view name) {
  return Run<Role>(*this, TxnMode::kRead,
      [&](StoreOps& ops) { return ops.GetRole(account_id, name); });
}

Status Store::UpdateRole(std::string_view account_id, std::string_view name, const RoleUpdate& u) {
  return Transact(TxnMode::kWrite, [&](StoreOps& ops) { return ops.UpdateRole(account_id, name, u); });
}

Status Store::UpdateAssumeRolePolicy(std::string_view account_id, std::string_view name, std::string_view document) {
  return Transact(TxnMode::kWrite, [&](StoreOps& ops) { return ops.UpdateAssumeRolePolicy(account_id, name, document); });
}

Status Store::DeleteRole(std::string_view account_id, std::string_view name) {
  return Transact(TxnMode::kWrite, [&](StoreOps& ops) { return ops.DeleteRole(account_id, name); });
}

Result<Page<Role>> Store::ListRoles(std::string_view account_id, const ListOptions& o) {
  return Run<Page<Role>>(*this, TxnMode::kRead,
      [&](StoreOps& ops) { return ops.ListRoles(account_id, o); });
}

Status Store::RecordRoleUsed(std::string_view account_id, std::string_view name, Timestamp when, std::string_view region) {
  return Transact(TxnMode::kWrite, [&](StoreOps& ops) { return ops.RecordRoleUsed(account_id, name, when, region); });
}

Status Store::PutPermissionsBoundary(std::string_view account_id, const PrincipalRef& p, std::string_view policy_arn) {
  return Transact(TxnMode::kWrite, [&](StoreOps& ops) { return ops.PutPermissionsBoundary(account_id, p, policy_arn); });
}

Status Store::DeletePermissionsBoundary(std::string_view account_id, const PrincipalRef& p) {
  return Transact(TxnMode::kWrite, [&](StoreOps& ops) { return ops.DeletePermissionsBoundary(account_id, p); });
}

Result<InstanceProfile> Store::CreateInstanceProfile(std::string_view account_id, const NewInstanceProfile& p) {
  return Run<InstanceProfile>(*this, TxnMode::kWrite,
      [&](StoreOps& ops) { return ops.CreateInstanceProfile(account_id, p); });
}

Result<InstanceProfile> Store::GetInstanceProfile(std::string_view account_id, std::string_view name) {
  return Run<InstanceProfile>(*this, TxnMode::kRead,
      [&](StoreOps& ops) { return ops.GetInstanceProfile(account_id, name); });
}

Status Store::DeleteInstanceProfile(std::string_view account_id, std::string_view name) {
  return Transact(TxnMode::kWrite, [&](StoreOps& ops) { return ops.DeleteInstanceProfile(account_id, name); });
}

Result<Page<InstanceProfile>> Store::ListInstanceProfiles(std::string_view account_id, const ListOptions& o) {
  return Run<Page<InstanceProfile>>(*this, TxnMode::kRead,
      [&](StoreOps& ops) { return ops.ListInstanceProfiles(account_id, o); });
}

Status Store::AddRoleToInstanceProfile(std::string_view account_id, std::string_view profile, std::string_view role) {
  return Transact(TxnMode::kWrite, [&](StoreOps& ops) { return ops.AddRoleToInstanceProfile(account_id, profile, role); });
}

Status Store::RemoveRoleFromInstanceProfile(std::string_view account_id, std::string_view profile, std::string_view role) {
  return Transact(TxnMode::kWrite, [&](StoreOps& ops) { return ops.RemoveRoleFromInstanceProfile(account_id, profile, role); });
}

Result<Page<InstanceProfile>> Store::ListInstanceProfilesForRole(std::string_view account_id, std::string_view role, const ListOptions& o) {
  return Run<Page<InstanceProfile>>(*this, TxnMode::kRead,
      [&](StoreOps& ops) { return ops.ListInstanceProfilesForRole(account_id, role, o); });
}

Result<ManagedPolicy> Store::CreatePolicy(std::string_view account_id, const NewPolicy& p) {
  return Run<ManagedPolicy>(*this, TxnMode::kWrite,
      [&](StoreOps& ops) { return ops.CreatePolicy(account_id, p); });
}

Result<ManagedPolicy> Store::SeedAwsManagedPolicy(const NewPolicy& p) {
  return Run<ManagedPolicy>(*this, TxnMode::kWrite,
      [&](StoreOps& ops) { return ops.SeedAwsManagedPolicy(p); });
}

Result<ManagedPolicy> Store::GetPolicy(std::string_view account_id, std::string_view arn) {
  return Run<ManagedPolicy>(*this, TxnMode::kRead,
      [&](StoreOps& ops) { return ops.GetPolicy(account_id, arn); });
}

Status Store::DeletePolicy(std::string_view account_id, std::string_view arn) {
  return Transact(TxnMode::kWrite, [&](StoreOps& ops) { return ops.DeletePolicy(account_id, arn); });
}

Result<Page<ManagedPolicy>> Store::ListPolicies(std::string_view account_id, const PolicyListOptions& o) {
  return Run<Page<ManagedPolicy>>(*this, TxnMode::kRead,
      [&](StoreOps& ops) { return ops.ListPolicies(account_id, o); });
}

Result<PolicyVersion> Store::CreatePolicyVersion(std::string_view account_id, std::string_view arn, std::string_view document, bool set_as_default) {
  return Run<PolicyVersion>(*this, TxnMode::kWrite,
      [&](StoreOps& ops) { return ops.CreatePolicyVersion(account_id, arn, document, set_as_default); });
}

Result<PolicyVersion> Store::GetPolicyVersion(std::string_view account_id, std::string_view arn, std::string_view version_id) {
  return Run<PolicyVersion>(*this, TxnMode::kRead,
      [&](StoreOps& ops) { return ops.GetPolicyVersion(account_id, arn, version_id); });
}

Result<std::vector<PolicyVersion>> Store::ListPolicyVersions(std::string_view account_id, std::string_view arn) {
  return Run<std::vector<PolicyVersion>>(*this, TxnMode::kRead,
      [&](StoreOps& ops) { return ops.ListPolicyVersions(account_id, arn); });
}

Status Store::DeletePolicyVersion(std::string_view account_id, std::string_view arn, std::string_view version_id) {
  return Transact(TxnMode::kWrite, [&](StoreOps& ops) { return ops.DeletePolicyVersion(account_id, arn, version_id); });
}

Status Store::SetDefaultPolicyVersion(std::string_view account_id, std::string_view arn, std::string_view version_id) {
  return Transact(TxnMode::kWrite, [&](StoreOps& ops) { return ops.SetDefaultPolicyVersion(account_id, arn, version_id); });
}

Status Store::PutInlinePolicy(std::string_view account_id, const PrincipalRef& p, std::string_view policy_name, std::string_view document) {
  return Transact(TxnMode::kWrite, [&](StoreOps& ops) { return ops.PutInlinePolicy(account_id, p, policy_name, document); });
}

Result<InlinePolicy> Store::GetInlinePolicy(std::string_view account_id, const PrincipalRef& p, std::string_view policy_name) {
  return Run<InlinePolicy>(*this, TxnMode::kRead,
      [&](StoreOps& ops) { return ops.GetInlinePolicy(account_id, p, policy_name); });
}

Status Store::DeleteInlinePolicy(std::string_view account_id, const PrincipalRef& p, std::string_view policy_name) {
  return Transact(TxnMode::kWrite, [&](StoreOps& ops) { return ops.DeleteInlinePolicy(account_id, p, policy_name); });
}

Result<Page<std::string>> Store::ListInlinePolicies(std::string_view account_id, const PrincipalRef& p, const ListOptions& o) {
  return Run<Page<std::string>>(*this, TxnMode::kRead,
      [&](StoreOps& ops) { return ops.ListInlinePolicies(account_id, p, o); });
}

Status Store::AttachPolicy(std::string_view account_id, const PrincipalRef& p, std::string_view policy_arn) {
  return Transact(TxnMode::kWrite, [&](StoreOps& ops) { return ops.AttachPolicy(account_id, p, policy_arn); });
}

Status Store::DetachPolicy(std::string_view account_id, const PrincipalRef& p, std::string_view policy_arn) {
  return Transact(TxnMode::kWrite, [&](StoreOps& ops) { return ops.DetachPolicy(account_id, p, policy_arn); });
}

Result<Page<AttachedPolicy>> Store::ListAttachedPolicies(std::string_view account_id, const PrincipalRef& p, const ListOptions& o) {
  return Run<Page<AttachedPolicy>>(*this, TxnMode::kRead,
      [&](StoreOps& ops) { return ops.ListAttachedPolicies(account_id, p, o); });
}

Result<PolicyEntities> Store::ListEntitiesForPolicy(std::string_view account_id, std::string_view policy_arn) {
  return Run<PolicyEntities>(*this, TxnMode::kRead,
      [&](StoreOps& ops) { return ops.ListEntitiesForPolicy(account_id, policy_arn); });
}

Status Store::TagResource(std::string_view account_id, const TagTarget& t, const std::vector<Tag>& tags) {
  return Transact(TxnMode::kWrite, [&](StoreOps& ops) { return ops.TagResource(account_id, t, tags); });
}

Status Store::UntagResource(std::string_view account_id, const TagTarget& t, const std::vector<std::string>& keys) {
  return Transact(TxnMode::kWrite, [&](StoreOps& ops) { return ops.UntagResource(account_id, t, keys); });
}

Result<std::vector<Tag>> Store::ListTags(std::string_view account_id, const TagTarget& t) {
  return Run<std::vector<Tag>>(*this, TxnMode::kRead,
      [&](StoreOps& ops) { return ops.ListTags(account_id, t); });
}

Result<AccessKey> Store::CreateAccessKey(std::string_view account_id, std::string_view user, const NewAccessKey& k) {
  return Run<AccessKey>(*this, TxnMode::kWrite,
      [&](StoreOps& ops) { return ops.CreateAccessKey(account_id, user, k); });
}

Result<AccessKey> Store::GetAccessKey(std::string_view access_key_id) {
  return Run<AccessKey>(*this, TxnMode::kRead,
      [&](StoreOps& ops) { return ops.GetAccessKey(access_key_id); });
}

Result<std::vector<AccessKey>> Store::ListAccessKeys(std::string_view account_id, std::string_view user) {
  return Run<std::vector<AccessKey>>(*this, TxnMode::kRead,
      [&](StoreOps& ops) { return ops.ListAccessKeys(account_id, user); });
}

Status Store::UpdateAccessKeyStatus(std::string_view account_id, std::string_view user, std::string_view access_key_id, AccessKeyStatus s) {
  return Transact(TxnMode::kWrite, [&](StoreOps& ops) { return ops.UpdateAccessKeyStatus(account_id, user, access_key_id, s); });
}

Status Store::DeleteAccessKey(std::string_view account_id, std::string_view user, std::string_view access_key_id) {
  return Transact(TxnMode::kWrite, [&](StoreOps& ops) { return ops.DeleteAccessKey(account_id, user, access_key_id); });
}

Status Store::RecordAccessKeyUsed(std::string_view access_key_id, Timestamp when, std::string_view service, std::string_view region) {
  return Transact(TxnMode::kWrite, [&](StoreOps& ops) { return ops.RecordAccessKeyUsed(access_key_id, when, service, region); });
}

Result<LoginProfile> Store::CreateLoginProfile(std::string_view account_id, std::string_view user, std::string_view password_hash, bool reset_required) {
  return Run<LoginProfile>(*this, TxnMode::kWrite,
      [&](StoreOps& ops) { return ops.CreateLoginProfile(account_id, user, password_hash, reset_required); });
}

Result<LoginProfile> Store::GetLoginProfile(std::string_view account_id, std::string_view user) {
  return Run<LoginProfile>(*this, TxnMode::kRead,
      [&](StoreOps& ops) { return ops.GetLoginProfile(account_id, user); });
}

Status Store::UpdateLoginProfile(std::string_view account_id, std::string_view user, std::optional<std::string> password_hash, std::optional<bool> reset_required) {
  return Transact(TxnMode::kWrite, [&](StoreOps& ops) { return ops.UpdateLoginProfile(account_id, user, std::move(password_hash), std::move(reset_required)); });
}

Status Store::DeleteLoginProfile(std::string_view account_id, std::string_view user) {
  return Transact(TxnMode::kWrite, [&](StoreOps& ops) { return ops.DeleteLoginProfile(account_id, user); });
}

Status Store::RecordPasswordUsed(std::string_view account_id, std::string_view user, Timestamp when) {
  return Transact(TxnMode::kWrite, [&](StoreOps& ops) { return ops.RecordPasswordUsed(account_id, user, when); });
}

Result<MfaDevice> Store::CreateVirtualMfaDevice(std::string_view account_id, const NewMfaDevice& d) {
  return Run<MfaDevice>(*this, TxnMode::kWrite,
      [&](StoreOps& ops) { return ops.CreateVirtualMfaDevice(account_id, d); });
}

Result<MfaDevice> Store::GetMfaDevice(std::string_view account_id, std::string_view serial) {
  return Run<MfaDevice>(*this, TxnMode::kRead,
      [&](StoreOps& ops) { return ops.GetMfaDevice(account_id, serial); });
}

Status Store::EnableMfaDevice(std::string_view account_id, std::string_view user, std::string_view serial, int64_t totp_step) {
  return Transact(TxnMode::kWrite, [&](StoreOps& ops) { return ops.EnableMfaDevice(account_id, user, serial, totp_step); });
}

Status Store::DeactivateMfaDevice(std::string_view account_id, std::string_view user, std::string_view serial) {
  return Transact(TxnMode::kWrite, [&](StoreOps& ops) { return ops.DeactivateMfaDevice(account_id, user, serial); });
}

Status Store::DeleteVirtualMfaDevice(std::string_view account_id, std::string_view serial) {
  return Transact(TxnMode::kWrite, [&](StoreOps& ops) { return ops.DeleteVirtualMfaDevice(account_id, serial); });
}

Result<std::vector<MfaDevice>> Store::ListMfaDevices(std::string_view account_id, std::string_view user) {
  return Run<std::vector<MfaDevice>>(*this, TxnMode::kRead,
      [&](StoreOps& ops) { return ops.ListMfaDevices(account_id, user); });
}

Result<bool> Store::AdvanceMfaStep(std::string_view account_id, std::string_view serial, int64_t totp_step) {
  return Run<bool>(*this, TxnMode::kWrite,
      [&](StoreOps& ops) { return ops.AdvanceMfaStep(account_id, serial, totp_step); });
}

Result<OidcProvider> Store::CreateOidcProvider(std::string_view account_id, const NewOidcProvider& p) {
  return Run<OidcProvider>(*this, TxnMode::kWrite,
      [&](StoreOps& ops) { return ops.CreateOidcProvider(account_id, p); });
}

Result<OidcProvider> Store::GetOidcProvider(std::string_view account_id, std::string_view arn) {
  return Run<OidcProvider>(*this, TxnMode::kRead,
      [&](StoreOps& ops) { return ops.GetOidcProvider(account_id, arn); });
}

Status Store::UpdateOidcProvider(std::string_view account_id, std::string_view arn, std::optional<std::vector<std::string>> client_ids, std::optional<std::vector<std::string>> thumbprints) {
  return Transact(TxnMode::kWrite, [&](StoreOps& ops) { return ops.UpdateOidcProvider(account_id, arn, std::move(client_ids), std::move(thumbprints)); });
}

Status Store::DeleteOidcProvider(std::string_view account_id, std::string_view arn) {
  return Transact(TxnMode::kWrite, [&](StoreOps& ops) { return ops.DeleteOidcProvider(account_id, arn); });
}

Result<std::vector<OidcProvider>> Store::ListOidcProviders(std::string_view account_id) {
  return Run<std::vector<OidcProvider>>(*this, TxnMode::kRead,
      [&](StoreOps& ops) { return ops.ListOidcProviders(account_id); });
}

Result<SamlProvider> Store::CreateSamlProvider(std::string_view account_id, const NewSamlProvider& p) {
  return Run<SamlProvider>(*this, TxnMode::kWrite,
      [&](StoreOps& ops) { return ops.CreateSamlProvider(account_id, p); });
}

Result<SamlProvider> Store::GetSamlProvider(std::string_view account_id, std::string_view arn) {
  return Run<SamlProvider>(*this, TxnMode::kRead,
      [&](StoreOps& ops) { return ops.GetSamlProvider(account_id, arn); });
}

Status Store::UpdateSamlProvider(std::string_view account_id, std::string_view arn, std::string_view metadata_document) {
  return Transact(TxnMode::kWrite, [&](StoreOps& ops) { return ops.UpdateSamlProvider(account_id, arn, metadata_document); });
}

Status Store::DeleteSamlProvider(std::string_view account_id, std::string_view arn) {
  return Transact(TxnMode::kWrite, [&](StoreOps& ops) { return ops.DeleteSamlProvider(account_id, arn); });
}

Result<std::vector<SamlProvider>> Store::ListSamlProviders(std::string_view account_id) {
  return Run<std::vector<SamlProvider>>(*this, TxnMode::kRead,
      [&](StoreOps& ops) { return ops.ListSamlProviders(account_id); });
}

Result<PrincipalPolicySet> Store::GetPolicySet(std::string_view account_id, const PrincipalRef& p) {
  return Run<PrincipalPolicySet>(*this, TxnMode::kRead,
      [&](StoreOps& ops) { return ops.GetPolicySet(account_id, p); });
}

Result<std::vector<WrappedKey>> Store::ListWrappedKeys() {
  return Run<std::vector<WrappedKey>>(*this, TxnMode::kRead,
      [&](StoreOps& ops) { return ops.ListWrappedKeys(); });
}

Status Store::AddWrappedKey(const WrappedKey& k) {
  return Transact(TxnMode::kWrite, [&](StoreOps& ops) { return ops.AddWrappedKey(k); });
}

Status Store::AddRootAccessKey(const RootAccessKey& k) {
  return Transact(TxnMode::kWrite, [&](StoreOps& ops) { return ops.AddRootAccessKey(k); });
}

Result<RootAccessKey> Store::GetRootAccessKey(std::string_view access_key_id) {
  return Run<RootAccessKey>(*this, TxnMode::kRead,
      [&](StoreOps& ops) { return ops.GetRootAccessKey(access_key_id); });
}

}  // namespace iam::store
