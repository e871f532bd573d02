// Account-wide reads.
#include "service/iam/op_context.h"

#include "common/status_macros.h"
#include "store/quotas.h"

namespace iam::service {
namespace {

using nlohmann::json;
using store::PrincipalKind;
using store::PrincipalRef;

Result<json> GetAccountSummary(Ctx& c) {
  IAM_ASSIGN_OR_RETURN(store::AccountSummary s, c.store.GetAccountSummary(c.account()));
  store::Quotas q;  // AWS's defaults; the store's configured quotas are not exposed
  json m = {{"Users", s.users},
            {"UsersQuota", q.users_per_account},
            {"Groups", s.groups},
            {"GroupsQuota", q.groups_per_account},
            {"Roles", s.roles},
            {"RolesQuota", q.roles_per_account},
            {"Policies", s.policies},
            {"PoliciesQuota", q.policies_per_account},
            {"InstanceProfiles", s.instance_profiles},
            {"InstanceProfilesQuota", q.instance_profiles_per_account},
            {"MFADevices", s.mfa_devices},
            {"MFADevicesInUse", s.mfa_devices_in_use},
            {"AccessKeysPerUserQuota", q.access_keys_per_user},
            {"GroupsPerUserQuota", q.groups_per_user},
            {"AttachedPoliciesPerUserQuota", q.attached_policies_per_user},
            {"AttachedPoliciesPerGroupQuota", q.attached_policies_per_group},
            {"AttachedPoliciesPerRoleQuota", q.attached_policies_per_role},
            {"PolicyVersionsInUseQuota", 10000},
            {"VersionsPerPolicyQuota", q.versions_per_policy},
            {"PolicySizeQuota", q.managed_policy_size},
            {"UserPolicySizeQuota", q.user_inline_policy_size},
            {"GroupPolicySizeQuota", q.group_inline_policy_size},
            {"AccountAccessKeysPresent", 1},
            {"AccountMFAEnabled", 0},
            {"ServerCertificates", s.server_certificates},
            {"Providers", s.providers}};
  return json{{"SummaryMap", m}};
}

}  // namespace

void AddAccountOps(OpTable& ops) {
  ops.emplace("GetAccountSummary", GetAccountSummary);
}

}  // namespace iam::service
