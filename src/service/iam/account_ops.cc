// Account-wide reads: GetAccountSummary and GetAccountAuthorizationDetails.
#include "service/iam/op_context.h"

#include <set>

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

// Every item of a list the store pages, in the store's order.
template <typename T, typename List>
Result<std::vector<T>> All(List list) {
  std::vector<T> out;
  store::ListOptions o;
  o.max_items = 1000;
  for (;;) {
    IAM_ASSIGN_OR_RETURN(store::Page<T> page, list(o));
    std::move(page.items.begin(), page.items.end(), std::back_inserter(out));
    if (!page.is_truncated) return out;
    o.marker = page.marker;
  }
}

// The inline policies (UserPolicyList, GroupPolicyList, RolePolicyList) and
// attached managed policies of one principal.
Status PutPrincipalPolicies(store::StoreOps& t, const std::string& account, const PrincipalRef& p,
                            const char* inline_key, json& j) {
  IAM_ASSIGN_OR_RETURN(std::vector<std::string> names, All<std::string>([&](const store::ListOptions& o) {
                         return t.ListInlinePolicies(account, p, o);
                       }));
  json inline_list = json::array();
  for (const std::string& name : names) {
    IAM_ASSIGN_OR_RETURN(store::InlinePolicy ip, t.GetInlinePolicy(account, p, name));
    inline_list.push_back({{"PolicyName", ip.name}, {"PolicyDocument", UrlEncodePolicy(ip.document)}});
  }
  j[inline_key] = inline_list;
  IAM_ASSIGN_OR_RETURN(std::vector<store::AttachedPolicy> attached,
                       All<store::AttachedPolicy>([&](const store::ListOptions& o) {
                         return t.ListAttachedPolicies(account, p, o);
                       }));
  json attached_list = json::array();
  for (const store::AttachedPolicy& a : attached) {
    attached_list.push_back({{"PolicyName", a.name}, {"PolicyArn", a.arn}});
  }
  j["AttachedManagedPolicies"] = attached_list;
  return Status();
}

Result<json> UserDetail(store::StoreOps& t, const std::string& account, const store::User& u) {
  json j = UserJson(u, true);
  j.erase("PasswordLastUsed");  // not part of UserDetail
  IAM_RETURN_IF_ERROR(PutPrincipalPolicies(t, account, {PrincipalKind::kUser, u.name}, "UserPolicyList", j));
  IAM_ASSIGN_OR_RETURN(std::vector<store::Group> groups, All<store::Group>([&](const store::ListOptions& o) {
                         return t.ListGroupsForUser(account, u.name, o);
                       }));
  json names = json::array();
  for (const store::Group& g : groups) names.push_back(g.name);
  j["GroupList"] = names;
  return j;
}

Result<json> GroupDetail(store::StoreOps& t, const std::string& account, const store::Group& g) {
  json j = GroupJson(g);
  IAM_RETURN_IF_ERROR(PutPrincipalPolicies(t, account, {PrincipalKind::kGroup, g.name}, "GroupPolicyList", j));
  return j;
}

Result<json> RoleDetail(store::StoreOps& t, const std::string& account, const store::Role& r) {
  json j = RoleJson(r, true);
  j.erase("Description");  // RoleDetail has neither
  j.erase("MaxSessionDuration");
  IAM_RETURN_IF_ERROR(PutPrincipalPolicies(t, account, {PrincipalKind::kRole, r.name}, "RolePolicyList", j));
  IAM_ASSIGN_OR_RETURN(std::vector<store::InstanceProfile> profiles,
                       All<store::InstanceProfile>([&](const store::ListOptions& o) {
                         return t.ListInstanceProfilesForRole(account, r.name, o);
                       }));
  json list = json::array();
  for (const store::InstanceProfile& p : profiles) list.push_back(InstanceProfileJson(p));
  j["InstanceProfileList"] = list;
  return j;
}

Result<json> PolicyDetail(store::StoreOps& t, const std::string& account, const store::ManagedPolicy& p) {
  json j = PolicyJson(p);
  j.erase("Tags");  // not part of ManagedPolicyDetail
  IAM_ASSIGN_OR_RETURN(std::vector<store::PolicyVersion> versions, t.ListPolicyVersions(account, p.arn));
  json list = json::array();
  for (const store::PolicyVersion& v : versions) list.push_back(VersionJson(v, true));
  j["PolicyVersionList"] = list;
  return j;
}

// One entity of the answer: 'U'ser, 'G'roup, 'R'ole or 'P'olicy, and its
// index in the list of its kind.
struct DetailEntry {
  char kind;
  std::string key;  // kind, ':' and name (policy id for policies): the marker
  size_t index;
};

Result<json> GetAccountAuthorizationDetails(Ctx& c) {
  IAM_ASSIGN_OR_RETURN(store::ListOptions o, ListOpts(c));
  std::set<std::string> filter;
  if (auto it = c.in.find("Filter"); it != c.in.end() && it->is_array()) {
    for (const json& f : *it) filter.insert(f.is_string() ? f.get<std::string>() : "");
  }
  auto wanted = [&](const char* type) { return filter.empty() || filter.contains(type); };
  const std::string& account = c.account();
  json out;
  IAM_RETURN_IF_ERROR(c.store.Transact(store::TxnMode::kRead, [&](store::StoreOps& t) -> Status {
    std::vector<store::User> users;
    std::vector<store::Group> groups;
    std::vector<store::Role> roles;
    std::vector<store::ManagedPolicy> policies;
    if (wanted("User")) {
      IAM_ASSIGN_OR_RETURN(users, All<store::User>([&](const auto& lo) { return t.ListUsers(account, lo); }));
    }
    if (wanted("Group")) {
      IAM_ASSIGN_OR_RETURN(groups, All<store::Group>([&](const auto& lo) { return t.ListGroups(account, lo); }));
    }
    if (wanted("Role")) {
      IAM_ASSIGN_OR_RETURN(roles, All<store::Role>([&](const auto& lo) { return t.ListRoles(account, lo); }));
    }
    for (store::PolicyScope scope : {store::PolicyScope::kLocal, store::PolicyScope::kAws}) {
      if (!wanted(scope == store::PolicyScope::kLocal ? "LocalManagedPolicy" : "AWSManagedPolicy")) continue;
      IAM_ASSIGN_OR_RETURN(std::vector<store::ManagedPolicy> found,
                           All<store::ManagedPolicy>([&](const store::ListOptions& lo) {
                             store::PolicyListOptions po;
                             static_cast<store::ListOptions&>(po) = lo;
                             po.scope = scope;
                             return t.ListPolicies(account, po);
                           }));
      for (store::ManagedPolicy& p : found) {
        // AWS managed policies only where the account uses them, as AWS answers.
        bool used = p.attachment_count > 0 || p.permissions_boundary_usage_count > 0;
        if (scope == store::PolicyScope::kLocal || used) policies.push_back(std::move(p));
      }
    }
    std::vector<DetailEntry> entries;
    for (size_t i = 0; i < users.size(); ++i) entries.push_back({'U', "U:" + users[i].name, i});
    for (size_t i = 0; i < groups.size(); ++i) entries.push_back({'G', "G:" + groups[i].name, i});
    for (size_t i = 0; i < roles.size(); ++i) entries.push_back({'R', "R:" + roles[i].name, i});
    for (size_t i = 0; i < policies.size(); ++i) entries.push_back({'P', "P:" + policies[i].policy_id, i});
    IAM_ASSIGN_OR_RETURN(store::Page<DetailEntry> page,
                         PageOf(std::move(entries), o, [](const DetailEntry& e) { return e.key; }));
    json user_list = json::array(), group_list = json::array(), role_list = json::array(), policy_list = json::array();
    for (const DetailEntry& e : page.items) {
      Result<json> j = e.kind == 'U'   ? UserDetail(t, account, users[e.index])
                       : e.kind == 'G' ? GroupDetail(t, account, groups[e.index])
                       : e.kind == 'R' ? RoleDetail(t, account, roles[e.index])
                                       : PolicyDetail(t, account, policies[e.index]);
      if (!j.ok()) return j.status();
      json& into = e.kind == 'U' ? user_list : e.kind == 'G' ? group_list : e.kind == 'R' ? role_list : policy_list;
      into.push_back(std::move(*j));
    }
    out = {{"UserDetailList", user_list},
           {"GroupDetailList", group_list},
           {"RoleDetailList", role_list},
           {"Policies", policy_list}};
    PutPage(c, out, page);
    return Status();
  }));
  return out;
}

}  // namespace

void AddAccountOps(OpTable& ops) {
  ops.emplace("GetAccountSummary", GetAccountSummary);
  ops.emplace("GetAccountAuthorizationDetails", GetAccountAuthorizationDetails);
}

}  // namespace iam::service
