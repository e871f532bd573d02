#include "service/iam/iam_service.h"

#include <functional>
#include <map>
#include <optional>

#include "common/status_macros.h"
#include "crypto/password.h"
#include "iamd/policy.h"
#include "store/ids.h"
#include "store/quotas.h"

namespace iam::service {
namespace {

using nlohmann::json;
using store::PrincipalKind;
using store::PrincipalRef;

std::string Str(const json& in, const char* key, std::string fallback = "") {
  auto it = in.find(key);
  if (it == in.end() || !it->is_string()) return fallback;
  return it->get<std::string>();
}

bool Has(const json& in, const char* key) { return in.contains(key); }

// The user an operation is about: UserName, or the calling user when absent.
Result<std::string> TargetUser(const Caller& caller, const json& in) {
  std::string name = Str(in, "UserName");
  if (!name.empty()) return name;
  if (caller.is_root) {
    return InvalidInput("iamd keeps no IAM user for the account root; name a user with UserName.");
  }
  return caller.user_name;
}

store::ListOptions ListOpts(const json& in) {
  store::ListOptions o;
  o.path_prefix = Str(in, "PathPrefix", "/");
  o.marker = Str(in, "Marker");
  if (auto it = in.find("MaxItems"); it != in.end() && it->is_number_integer()) o.max_items = it->get<int>();
  return o;
}

template <typename T>
void PutPage(json& out, const store::Page<T>& page) {
  out["IsTruncated"] = page.is_truncated;
  if (page.is_truncated) out["Marker"] = page.marker;
}

json TagsJson(const std::vector<store::Tag>& tags) {
  json arr = json::array();
  for (const store::Tag& t : tags) arr.push_back({{"Key", t.key}, {"Value", t.value}});
  return arr;
}

json UserJson(const store::User& u, bool with_tags) {
  json j = {{"Path", u.path}, {"UserName", u.name}, {"UserId", u.user_id}, {"Arn", u.arn},
            {"CreateDate", u.create_date}};
  if (u.password_last_used) j["PasswordLastUsed"] = *u.password_last_used;
  if (!u.permissions_boundary_arn.empty()) {
    j["PermissionsBoundary"] = {{"PermissionsBoundaryType", "Policy"},
                                {"PermissionsBoundaryArn", u.permissions_boundary_arn}};
  }
  if (with_tags && !u.tags.empty()) j["Tags"] = TagsJson(u.tags);
  return j;
}

json GroupJson(const store::Group& g) {
  return {{"Path", g.path}, {"GroupName", g.name}, {"GroupId", g.group_id}, {"Arn", g.arn},
          {"CreateDate", g.create_date}};
}

json PolicyJson(const store::ManagedPolicy& p) {
  json j = {{"PolicyName", p.name},
            {"PolicyId", p.policy_id},
            {"Arn", p.arn},
            {"Path", p.path},
            {"DefaultVersionId", p.default_version_id},
            {"AttachmentCount", p.attachment_count},
            {"PermissionsBoundaryUsageCount", p.permissions_boundary_usage_count},
            {"IsAttachable", p.is_attachable},
            {"CreateDate", p.create_date},
            {"UpdateDate", p.update_date}};
  if (!p.description.empty()) j["Description"] = p.description;
  if (!p.tags.empty()) j["Tags"] = TagsJson(p.tags);
  return j;
}

std::vector<store::Tag> TagsIn(const json& in) {
  std::vector<store::Tag> tags;
  if (auto it = in.find("Tags"); it != in.end() && it->is_array()) {
    for (const json& t : *it) tags.push_back({Str(t, "Key"), Str(t, "Value")});
  }
  return tags;
}

// Checks a document against the policy grammar of `type`.
Status CheckPolicy(const std::string& document, policy::PolicyType type) {
  Result<policy::Policy> p = policy::Policy::Parse(document, type);
  return p.status();
}

struct Ctx {
  store::Store& store;
  const crypto::KeyRing& ring;
  const Caller& caller;
  const json& in;
  const std::string& account() const { return caller.account_id; }
};

using Op = std::function<Result<json>(Ctx&)>;

Result<json> CreateUser(Ctx& c) {
  store::NewUser u;
  u.name = Str(c.in, "UserName");
  u.path = Str(c.in, "Path", "/");
  u.permissions_boundary_arn = Str(c.in, "PermissionsBoundary");
  u.tags = TagsIn(c.in);
  IAM_ASSIGN_OR_RETURN(store::User user, c.store.CreateUser(c.account(), u));
  return json{{"User", UserJson(user, true)}};
}

Result<json> GetUser(Ctx& c) {
  if (!Has(c.in, "UserName") && c.caller.is_root) {
    // AWS answers the root's GetUser with the account itself.
    IAM_ASSIGN_OR_RETURN(store::Account a, c.store.GetAccount(c.account()));
    return json{{"User", {{"UserId", a.account_id}, {"Arn", RootArn(a.account_id)}, {"CreateDate", a.create_date}}}};
  }
  IAM_ASSIGN_OR_RETURN(std::string name, TargetUser(c.caller, c.in));
  IAM_ASSIGN_OR_RETURN(store::User user, c.store.GetUser(c.account(), name));
  return json{{"User", UserJson(user, true)}};
}

Result<json> ListUsers(Ctx& c) {
  IAM_ASSIGN_OR_RETURN(store::Page<store::User> page, c.store.ListUsers(c.account(), ListOpts(c.in)));
  json users = json::array();
  for (const store::User& u : page.items) users.push_back(UserJson(u, false));
  json out = {{"Users", users}};
  PutPage(out, page);
  return out;
}

Result<json> DeleteUser(Ctx& c) {
  IAM_RETURN_IF_ERROR(c.store.DeleteUser(c.account(), Str(c.in, "UserName")));
  return json::object();
}

std::string_view StatusName(store::AccessKeyStatus s) {
  return s == store::AccessKeyStatus::kActive ? "Active" : "Inactive";
}

Result<json> CreateAccessKey(Ctx& c) {
  IAM_ASSIGN_OR_RETURN(std::string user, TargetUser(c.caller, c.in));
  std::string secret = store::NewSecretAccessKey();
  store::NewAccessKey k;
  k.access_key_id = store::NewAccessKeyId();
  IAM_ASSIGN_OR_RETURN(k.sealed_secret, c.ring.Seal(secret, k.access_key_id));
  IAM_ASSIGN_OR_RETURN(store::AccessKey key, c.store.CreateAccessKey(c.account(), user, k));
  return json{{"AccessKey",
               {{"UserName", key.user_name},
                {"AccessKeyId", key.access_key_id},
                {"Status", StatusName(key.status)},
                {"SecretAccessKey", secret},
                {"CreateDate", key.create_date}}}};
}

Result<json> ListAccessKeys(Ctx& c) {
  IAM_ASSIGN_OR_RETURN(std::string user, TargetUser(c.caller, c.in));
  IAM_ASSIGN_OR_RETURN(std::vector<store::AccessKey> keys, c.store.ListAccessKeys(c.account(), user));
  json arr = json::array();
  for (const store::AccessKey& k : keys) {
    arr.push_back({{"UserName", k.user_name},
                   {"AccessKeyId", k.access_key_id},
                   {"Status", StatusName(k.status)},
                   {"CreateDate", k.create_date}});
  }
  return json{{"AccessKeyMetadata", arr}, {"IsTruncated", false}};
}

Result<json> DeleteAccessKey(Ctx& c) {
  IAM_ASSIGN_OR_RETURN(std::string user, TargetUser(c.caller, c.in));
  IAM_RETURN_IF_ERROR(c.store.DeleteAccessKey(c.account(), user, Str(c.in, "AccessKeyId")));
  return json::object();
}

Result<json> UpdateAccessKey(Ctx& c) {
  IAM_ASSIGN_OR_RETURN(std::string user, TargetUser(c.caller, c.in));
  store::AccessKeyStatus s =
      Str(c.in, "Status") == "Active" ? store::AccessKeyStatus::kActive : store::AccessKeyStatus::kInactive;
  IAM_RETURN_IF_ERROR(c.store.UpdateAccessKeyStatus(c.account(), user, Str(c.in, "AccessKeyId"), s));
  return json::object();
}

Result<json> GetAccessKeyLastUsed(Ctx& c) {
  IAM_ASSIGN_OR_RETURN(store::AccessKey k, c.store.GetAccessKey(Str(c.in, "AccessKeyId")));
  if (k.account_id != c.account()) {
    return NoSuchEntity("The Access Key with id " + Str(c.in, "AccessKeyId") + " cannot be found.");
  }
  json last = {{"ServiceName", k.last_used_date ? k.last_used_service : "N/A"},
               {"Region", k.last_used_date ? k.last_used_region : "N/A"}};
  if (k.last_used_date) last["LastUsedDate"] = *k.last_used_date;
  return json{{"UserName", k.user_name}, {"AccessKeyLastUsed", last}};
}

Result<json> CreateGroup(Ctx& c) {
  store::NewGroup g{Str(c.in, "GroupName"), Str(c.in, "Path", "/")};
  IAM_ASSIGN_OR_RETURN(store::Group group, c.store.CreateGroup(c.account(), g));
  return json{{"Group", GroupJson(group)}};
}

Result<json> DeleteGroup(Ctx& c) {
  IAM_RETURN_IF_ERROR(c.store.DeleteGroup(c.account(), Str(c.in, "GroupName")));
  return json::object();
}

Result<json> ListGroups(Ctx& c) {
  IAM_ASSIGN_OR_RETURN(store::Page<store::Group> page, c.store.ListGroups(c.account(), ListOpts(c.in)));
  json groups = json::array();
  for (const store::Group& g : page.items) groups.push_back(GroupJson(g));
  json out = {{"Groups", groups}};
  PutPage(out, page);
  return out;
}

Result<json> ListGroupsForUser(Ctx& c) {
  IAM_ASSIGN_OR_RETURN(store::Page<store::Group> page,
                       c.store.ListGroupsForUser(c.account(), Str(c.in, "UserName"), ListOpts(c.in)));
  json groups = json::array();
  for (const store::Group& g : page.items) groups.push_back(GroupJson(g));
  json out = {{"Groups", groups}};
  PutPage(out, page);
  return out;
}

Result<json> AddUserToGroup(Ctx& c) {
  IAM_RETURN_IF_ERROR(c.store.AddUserToGroup(c.account(), Str(c.in, "GroupName"), Str(c.in, "UserName")));
  return json::object();
}

Result<json> RemoveUserFromGroup(Ctx& c) {
  IAM_RETURN_IF_ERROR(
      c.store.RemoveUserFromGroup(c.account(), Str(c.in, "GroupName"), Str(c.in, "UserName")));
  return json::object();
}

Result<json> PutInline(Ctx& c, PrincipalKind kind, const char* name_key) {
  std::string document = Str(c.in, "PolicyDocument");
  IAM_RETURN_IF_ERROR(CheckPolicy(document, policy::PolicyType::kIdentity));
  PrincipalRef p{kind, Str(c.in, name_key)};
  IAM_RETURN_IF_ERROR(c.store.PutInlinePolicy(c.account(), p, Str(c.in, "PolicyName"), document));
  return json::object();
}

Result<json> GetInline(Ctx& c, PrincipalKind kind, const char* name_key) {
  PrincipalRef p{kind, Str(c.in, name_key)};
  IAM_ASSIGN_OR_RETURN(store::InlinePolicy ip, c.store.GetInlinePolicy(c.account(), p, Str(c.in, "PolicyName")));
  return json{{name_key, p.name}, {"PolicyName", ip.name}, {"PolicyDocument", UrlEncodePolicy(ip.document)}};
}

Result<json> DeleteInline(Ctx& c, PrincipalKind kind, const char* name_key) {
  PrincipalRef p{kind, Str(c.in, name_key)};
  IAM_RETURN_IF_ERROR(c.store.DeleteInlinePolicy(c.account(), p, Str(c.in, "PolicyName")));
  return json::object();
}

Result<json> ListInline(Ctx& c, PrincipalKind kind, const char* name_key) {
  PrincipalRef p{kind, Str(c.in, name_key)};
  IAM_ASSIGN_OR_RETURN(store::Page<std::string> page, c.store.ListInlinePolicies(c.account(), p, ListOpts(c.in)));
  json out = {{"PolicyNames", page.items}};
  PutPage(out, page);
  return out;
}

Result<json> Attach(Ctx& c, PrincipalKind kind, const char* name_key, bool attach) {
  PrincipalRef p{kind, Str(c.in, name_key)};
  std::string arn = Str(c.in, "PolicyArn");
  IAM_RETURN_IF_ERROR(attach ? c.store.AttachPolicy(c.account(), p, arn) : c.store.DetachPolicy(c.account(), p, arn));
  return json::object();
}

Result<json> ListAttached(Ctx& c, PrincipalKind kind, const char* name_key) {
  PrincipalRef p{kind, Str(c.in, name_key)};
  IAM_ASSIGN_OR_RETURN(store::Page<store::AttachedPolicy> page,
                       c.store.ListAttachedPolicies(c.account(), p, ListOpts(c.in)));
  json arr = json::array();
  for (const store::AttachedPolicy& a : page.items) arr.push_back({{"PolicyName", a.name}, {"PolicyArn", a.arn}});
  json out = {{"AttachedPolicies", arr}};
  PutPage(out, page);
  return out;
}

Result<json> CreatePolicy(Ctx& c) {
  store::NewPolicy p;
  p.name = Str(c.in, "PolicyName");
  p.path = Str(c.in, "Path", "/");
  p.description = Str(c.in, "Description");
  p.document = Str(c.in, "PolicyDocument");
  p.tags = TagsIn(c.in);
  IAM_RETURN_IF_ERROR(CheckPolicy(p.document, policy::PolicyType::kIdentity));
  IAM_ASSIGN_OR_RETURN(store::ManagedPolicy mp, c.store.CreatePolicy(c.account(), p));
  return json{{"Policy", PolicyJson(mp)}};
}

Result<json> GetPolicy(Ctx& c) {
  IAM_ASSIGN_OR_RETURN(store::ManagedPolicy mp, c.store.GetPolicy(c.account(), Str(c.in, "PolicyArn")));
  return json{{"Policy", PolicyJson(mp)}};
}

Result<json> DeletePolicy(Ctx& c) {
  IAM_RETURN_IF_ERROR(c.store.DeletePolicy(c.account(), Str(c.in, "PolicyArn")));
  return json::object();
}

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

Result<json> UpdateUser(Ctx& c) {
  store::Rename r;
  if (Has(c.in, "NewUserName")) r.new_name = Str(c.in, "NewUserName");
  if (Has(c.in, "NewPath")) r.new_path = Str(c.in, "NewPath");
  IAM_RETURN_IF_ERROR(c.store.UpdateUser(c.account(), Str(c.in, "UserName"), r));
  return json::object();
}

Result<json> UpdateGroup(Ctx& c) {
  store::Rename r;
  if (Has(c.in, "NewGroupName")) r.new_name = Str(c.in, "NewGroupName");
  if (Has(c.in, "NewPath")) r.new_path = Str(c.in, "NewPath");
  IAM_RETURN_IF_ERROR(c.store.UpdateGroup(c.account(), Str(c.in, "GroupName"), r));
  return json::object();
}

Result<json> GetGroup(Ctx& c) {
  std::string name = Str(c.in, "GroupName");
  IAM_ASSIGN_OR_RETURN(store::Group group, c.store.GetGroup(c.account(), name));
  store::ListOptions o = ListOpts(c.in);
  o.path_prefix = "/";
  IAM_ASSIGN_OR_RETURN(store::Page<store::User> page, c.store.ListGroupMembers(c.account(), name, o));
  json users = json::array();
  for (const store::User& u : page.items) users.push_back(UserJson(u, false));
  json out = {{"Group", GroupJson(group)}, {"Users", users}};
  PutPage(out, page);
  return out;
}

Result<json> TagUser(Ctx& c) {
  IAM_RETURN_IF_ERROR(c.store.TagResource(c.account(), {store::TaggableKind::kUser, Str(c.in, "UserName")}, TagsIn(c.in)));
  return json::object();
}

Result<json> UntagUser(Ctx& c) {
  std::vector<std::string> keys;
  if (auto it = c.in.find("TagKeys"); it != c.in.end() && it->is_array()) {
    for (const json& k : *it) keys.push_back(k.is_string() ? k.get<std::string>() : "");
  }
  IAM_RETURN_IF_ERROR(c.store.UntagResource(c.account(), {store::TaggableKind::kUser, Str(c.in, "UserName")}, keys));
  return json::object();
}

Result<json> ListUserTags(Ctx& c) {
  IAM_ASSIGN_OR_RETURN(std::vector<store::Tag> tags,
                       c.store.ListTags(c.account(), {store::TaggableKind::kUser, Str(c.in, "UserName")}));
  return json{{"Tags", TagsJson(tags)}, {"IsTruncated", false}};
}

Result<json> ListPolicies(Ctx& c) {
  store::PolicyListOptions o;
  static_cast<store::ListOptions&>(o) = ListOpts(c.in);
  std::string scope = Str(c.in, "Scope", "All");
  o.scope = scope == "AWS" ? store::PolicyScope::kAws : scope == "Local" ? store::PolicyScope::kLocal : store::PolicyScope::kAll;
  if (auto it = c.in.find("OnlyAttached"); it != c.in.end() && it->is_boolean()) o.only_attached = it->get<bool>();
  IAM_ASSIGN_OR_RETURN(store::Page<store::ManagedPolicy> page, c.store.ListPolicies(c.account(), o));
  json arr = json::array();
  for (const store::ManagedPolicy& p : page.items) {
    json j = PolicyJson(p);
    j.erase("Description");  // ListPolicies does not return descriptions, as AWS
    j.erase("Tags");
    arr.push_back(std::move(j));
  }
  json out = {{"Policies", arr}};
  PutPage(out, page);
  return out;
}

json VersionJson(const store::PolicyVersion& v, bool with_document) {
  json j = {{"VersionId", v.version_id}, {"IsDefaultVersion", v.is_default}, {"CreateDate", v.create_date}};
  if (with_document) j["Document"] = UrlEncodePolicy(v.document);
  return j;
}

Result<json> CreatePolicyVersion(Ctx& c) {
  std::string document = Str(c.in, "PolicyDocument");
  IAM_RETURN_IF_ERROR(CheckPolicy(document, policy::PolicyType::kIdentity));
  bool set_default = false;
  if (auto it = c.in.find("SetAsDefault"); it != c.in.end() && it->is_boolean()) set_default = it->get<bool>();
  IAM_ASSIGN_OR_RETURN(store::PolicyVersion v,
                       c.store.CreatePolicyVersion(c.account(), Str(c.in, "PolicyArn"), document, set_default));
  return json{{"PolicyVersion", VersionJson(v, false)}};
}

Result<json> GetPolicyVersion(Ctx& c) {
  IAM_ASSIGN_OR_RETURN(store::PolicyVersion v,
                       c.store.GetPolicyVersion(c.account(), Str(c.in, "PolicyArn"), Str(c.in, "VersionId")));
  return json{{"PolicyVersion", VersionJson(v, true)}};
}

Result<json> ListPolicyVersions(Ctx& c) {
  IAM_ASSIGN_OR_RETURN(std::vector<store::PolicyVersion> versions,
                       c.store.ListPolicyVersions(c.account(), Str(c.in, "PolicyArn")));
  json arr = json::array();
  for (const store::PolicyVersion& v : versions) arr.push_back(VersionJson(v, false));
  return json{{"Versions", arr}, {"IsTruncated", false}};
}

Result<json> DeletePolicyVersion(Ctx& c) {
  IAM_RETURN_IF_ERROR(c.store.DeletePolicyVersion(c.account(), Str(c.in, "PolicyArn"), Str(c.in, "VersionId")));
  return json::object();
}

Result<json> SetDefaultPolicyVersion(Ctx& c) {
  IAM_RETURN_IF_ERROR(c.store.SetDefaultPolicyVersion(c.account(), Str(c.in, "PolicyArn"), Str(c.in, "VersionId")));
  return json::object();
}

Result<json> ListEntitiesForPolicy(Ctx& c) {
  IAM_ASSIGN_OR_RETURN(store::PolicyEntities e, c.store.ListEntitiesForPolicy(c.account(), Str(c.in, "PolicyArn")));
  json users = json::array(), groups = json::array(), roles = json::array();
  for (const auto& x : e.users) users.push_back({{"UserName", x.name}, {"UserId", x.id}});
  for (const auto& x : e.groups) groups.push_back({{"GroupName", x.name}, {"GroupId", x.id}});
  for (const auto& x : e.roles) roles.push_back({{"RoleName", x.name}, {"RoleId", x.id}});
  return json{{"PolicyGroups", groups}, {"PolicyUsers", users}, {"PolicyRoles", roles}, {"IsTruncated", false}};
}

json RoleJson(const store::Role& r, bool full) {
  json j = {{"Path", r.path},
            {"RoleName", r.name},
            {"RoleId", r.role_id},
            {"Arn", r.arn},
            {"CreateDate", r.create_date},
            {"AssumeRolePolicyDocument", UrlEncodePolicy(r.assume_role_policy_document)},
            {"MaxSessionDuration", r.max_session_duration}};
  if (!r.description.empty()) j["Description"] = r.description;
  if (full) {
    if (!r.permissions_boundary_arn.empty()) {
      j["PermissionsBoundary"] = {{"PermissionsBoundaryType", "Policy"},
                                  {"PermissionsBoundaryArn", r.permissions_boundary_arn}};
    }
    if (!r.tags.empty()) j["Tags"] = TagsJson(r.tags);
    json last = json::object();
    if (r.last_used_date) {
      last["LastUsedDate"] = *r.last_used_date;
      last["Region"] = r.last_used_region;
    }
    j["RoleLastUsed"] = last;
  }
  return j;
}

Result<json> CreateRole(Ctx& c) {
  store::NewRole r;
  r.name = Str(c.in, "RoleName");
  r.path = Str(c.in, "Path", "/");
  r.assume_role_policy_document = Str(c.in, "AssumeRolePolicyDocument");
  r.description = Str(c.in, "Description");
  if (auto it = c.in.find("MaxSessionDuration"); it != c.in.end() && it->is_number_integer()) {
    r.max_session_duration = it->get<int>();
  }
  r.permissions_boundary_arn = Str(c.in, "PermissionsBoundary");
  r.tags = TagsIn(c.in);
  IAM_RETURN_IF_ERROR(CheckPolicy(r.assume_role_policy_document, policy::PolicyType::kTrust));
  IAM_ASSIGN_OR_RETURN(store::Role role, c.store.CreateRole(c.account(), r));
  json j = RoleJson(role, false);
  if (!role.tags.empty()) j["Tags"] = TagsJson(role.tags);
  return json{{"Role", j}};
}

Result<json> GetRole(Ctx& c) {
  IAM_ASSIGN_OR_RETURN(store::Role role, c.store.GetRole(c.account(), Str(c.in, "RoleName")));
  return json{{"Role", RoleJson(role, true)}};
}

Result<json> ListRoles(Ctx& c) {
  IAM_ASSIGN_OR_RETURN(store::Page<store::Role> page, c.store.ListRoles(c.account(), ListOpts(c.in)));
  json roles = json::array();
  for (const store::Role& r : page.items) roles.push_back(RoleJson(r, false));
  json out = {{"Roles", roles}};
  PutPage(out, page);
  return out;
}

Result<json> DeleteRole(Ctx& c) {
  IAM_RETURN_IF_ERROR(c.store.DeleteRole(c.account(), Str(c.in, "RoleName")));
  return json::object();
}

Result<json> UpdateRole(Ctx& c) {
  store::RoleUpdate u;
  if (Has(c.in, "Description")) u.description = Str(c.in, "Description");
  if (auto it = c.in.find("MaxSessionDuration"); it != c.in.end() && it->is_number_integer()) {
    u.max_session_duration = it->get<int>();
  }
  IAM_RETURN_IF_ERROR(c.store.UpdateRole(c.account(), Str(c.in, "RoleName"), u));
  return json::object();
}

Result<json> UpdateRoleDescription(Ctx& c) {
  store::RoleUpdate u;
  u.description = Str(c.in, "Description");
  IAM_RETURN_IF_ERROR(c.store.UpdateRole(c.account(), Str(c.in, "RoleName"), u));
  IAM_ASSIGN_OR_RETURN(store::Role role, c.store.GetRole(c.account(), Str(c.in, "RoleName")));
  return json{{"Role", RoleJson(role, true)}};
}

Result<json> UpdateAssumeRolePolicy(Ctx& c) {
  std::string document = Str(c.in, "PolicyDocument");
  IAM_RETURN_IF_ERROR(CheckPolicy(document, policy::PolicyType::kTrust));
  IAM_RETURN_IF_ERROR(c.store.UpdateAssumeRolePolicy(c.account(), Str(c.in, "RoleName"), document));
  return json::object();
}

// ---- Passwords --------------------------------------------------------------

bool BoolIn(const json& in, const char* key, bool fallback = false) {
  auto it = in.find(key);
  return it != in.end() && it->is_boolean() ? it->get<bool>() : fallback;
}

std::optional<int> IntIn(const json& in, const char* key) {
  auto it = in.find(key);
  if (it == in.end() || !it->is_number_integer()) return std::nullopt;
  return it->get<int>();
}

// The account's password policy, or AWS's default when it has none.
Result<store::PasswordPolicy> EffectivePasswordPolicy(Ctx& c) {
  Result<store::PasswordPolicy> p = c.store.GetPasswordPolicy(c.account());
  if (p.ok() || p.status().code() != StatusCode::kNoSuchEntity) return p;
  return store::PasswordPolicy{};
}

Status CheckPassword(const store::PasswordPolicy& p, const std::string& password) {
  auto violation = [](std::string m) { return Status(StatusCode::kPasswordPolicyViolation, std::move(m)); };
  if (static_cast<int>(password.size()) < p.minimum_password_length) {
    return violation("Password should have a minimum length of " + std::to_string(p.minimum_password_length));
  }
  bool upper = false, lower = false, digit = false, symbol = false;
  for (unsigned char ch : password) {
    if (ch >= 'A' && ch <= 'Z') upper = true;
    else if (ch >= 'a' && ch <= 'z') lower = true;
    else if (ch >= '0' && ch <= '9') digit = true;
    else if (std::string_view("!@#$%^&*()_+-=[]{}|'").find(static_cast<char>(ch)) != std::string_view::npos) symbol = true;
  }
  if (p.require_uppercase_characters && !upper) return violation("Password should have at least one uppercase letter");
  if (p.require_lowercase_characters && !lower) return violation("Password should have at least one lowercase letter");
  if (p.require_numbers && !digit) return violation("Password should have at least one number");
  if (p.require_symbols && !symbol) return violation("Password should have at least one symbol");
  return Status();
}

Result<std::string> CheckedHash(Ctx& c, const std::string& password) {
  IAM_ASSIGN_OR_RETURN(store::PasswordPolicy policy, EffectivePasswordPolicy(c));
  IAM_RETURN_IF_ERROR(CheckPassword(policy, password));
  return crypto::HashPassword(password);
}

json LoginProfileJson(const store::LoginProfile& p) {
  return {{"UserName", p.user_name}, {"CreateDate", p.create_date}, {"PasswordResetRequired", p.password_reset_required}};
}

Result<json> CreateLoginProfile(Ctx& c) {
  IAM_ASSIGN_OR_RETURN(std::string user, TargetUser(c.caller, c.in));
  IAM_RETURN_IF_ERROR(c.store.GetUser(c.account(), user).status());
  IAM_ASSIGN_OR_RETURN(std::string hash, CheckedHash(c, Str(c.in, "Password")));
  IAM_ASSIGN_OR_RETURN(store::LoginProfile p,
                       c.store.CreateLoginProfile(c.account(), user, hash, BoolIn(c.in, "PasswordResetRequired")));
  return json{{"LoginProfile", LoginProfileJson(p)}};
}

Result<json> GetLoginProfile(Ctx& c) {
  IAM_ASSIGN_OR_RETURN(std::string user, TargetUser(c.caller, c.in));
  IAM_ASSIGN_OR_RETURN(store::LoginProfile p, c.store.GetLoginProfile(c.account(), user));
  return json{{"LoginProfile", LoginProfileJson(p)}};
}

Result<json> UpdateLoginProfile(Ctx& c) {
  std::string user = Str(c.in, "UserName");
  IAM_RETURN_IF_ERROR(c.store.GetLoginProfile(c.account(), user).status());
  std::optional<std::string> hash;
  if (Has(c.in, "Password")) {
    IAM_ASSIGN_OR_RETURN(hash, CheckedHash(c, Str(c.in, "Password")));
  }
  std::optional<bool> reset;
  if (Has(c.in, "PasswordResetRequired")) reset = BoolIn(c.in, "PasswordResetRequired");
  IAM_RETURN_IF_ERROR(c.store.UpdateLoginProfile(c.account(), user, hash, reset));
  return json::object();
}

Result<json> DeleteLoginProfile(Ctx& c) {
  IAM_RETURN_IF_ERROR(c.store.DeleteLoginProfile(c.account(), Str(c.in, "UserName")));
  return json::object();
}

Result<json> ChangePassword(Ctx& c) {
  if (c.caller.is_root) {
    return Status(StatusCode::kInvalidInput, "The root account cannot change its password with ChangePassword.");
  }
  IAM_ASSIGN_OR_RETURN(store::LoginProfile p, c.store.GetLoginProfile(c.account(), c.caller.user_name));
  if (!crypto::VerifyPassword(p.password_hash, Str(c.in, "OldPassword"))) {
    return AccessDenied("The old password is incorrect.");
  }
  IAM_ASSIGN_OR_RETURN(std::string hash, CheckedHash(c, Str(c.in, "NewPassword")));
  IAM_RETURN_IF_ERROR(c.store.UpdateLoginProfile(c.account(), c.caller.user_name, hash, false));
  return json::object();
}

Result<json> UpdateAccountPasswordPolicy(Ctx& c) {
  store::PasswordPolicy p;  // unspecified values take AWS's defaults
  if (auto v = IntIn(c.in, "MinimumPasswordLength")) p.minimum_password_length = *v;
  p.require_symbols = BoolIn(c.in, "RequireSymbols");
  p.require_numbers = BoolIn(c.in, "RequireNumbers");
  p.require_uppercase_characters = BoolIn(c.in, "RequireUppercaseCharacters");
  p.require_lowercase_characters = BoolIn(c.in, "RequireLowercaseCharacters");
  p.allow_users_to_change_password = BoolIn(c.in, "AllowUsersToChangePassword");
  p.max_password_age = IntIn(c.in, "MaxPasswordAge");
  p.password_reuse_prevention = IntIn(c.in, "PasswordReusePrevention");
  p.hard_expiry = BoolIn(c.in, "HardExpiry");
  IAM_RETURN_IF_ERROR(c.store.PutPasswordPolicy(c.account(), p));
  return json::object();
}

Result<json> GetAccountPasswordPolicy(Ctx& c) {
  IAM_ASSIGN_OR_RETURN(store::PasswordPolicy p, c.store.GetPasswordPolicy(c.account()));
  json j = {{"MinimumPasswordLength", p.minimum_password_length},
            {"RequireSymbols", p.require_symbols},
            {"RequireNumbers", p.require_numbers},
            {"RequireUppercaseCharacters", p.require_uppercase_characters},
            {"RequireLowercaseCharacters", p.require_lowercase_characters},
            {"AllowUsersToChangePassword", p.allow_users_to_change_password},
            {"ExpirePasswords", p.max_password_age.has_value()}};
  if (p.max_password_age) j["MaxPasswordAge"] = *p.max_password_age;
  if (p.password_reuse_prevention) j["PasswordReusePrevention"] = *p.password_reuse_prevention;
  if (p.max_password_age) j["HardExpiry"] = p.hard_expiry;
  return json{{"PasswordPolicy", j}};
}

Result<json> DeleteAccountPasswordPolicy(Ctx& c) {
  IAM_RETURN_IF_ERROR(c.store.DeletePasswordPolicy(c.account()));
  return json::object();
}

// ---- Permissions boundaries, tags of roles and policies, instance profiles ----

Result<json> PutBoundary(Ctx& c, PrincipalKind kind, const char* name_key) {
  IAM_RETURN_IF_ERROR(c.store.PutPermissionsBoundary(c.account(), {kind, Str(c.in, name_key)},
                                                     Str(c.in, "PermissionsBoundary")));
  return json::object();
}

Result<json> DeleteBoundary(Ctx& c, PrincipalKind kind, const char* name_key) {
  IAM_RETURN_IF_ERROR(c.store.DeletePermissionsBoundary(c.account(), {kind, Str(c.in, name_key)}));
  return json::object();
}

std::vector<std::string> TagKeysIn(const json& in) {
  std::vector<std::string> keys;
  if (auto it = in.find("TagKeys"); it != in.end() && it->is_array()) {
    for (const json& k : *it) keys.push_back(k.is_string() ? k.get<std::string>() : "");
  }
  return keys;
}

Result<json> Tag(Ctx& c, store::TaggableKind kind, const char* id_key) {
  IAM_RETURN_IF_ERROR(c.store.TagResource(c.account(), {kind, Str(c.in, id_key)}, TagsIn(c.in)));
  return json::object();
}

Result<json> Untag(Ctx& c, store::TaggableKind kind, const char* id_key) {
  IAM_RETURN_IF_ERROR(c.store.UntagResource(c.account(), {kind, Str(c.in, id_key)}, TagKeysIn(c.in)));
  return json::object();
}

Result<json> ListTagsOf(Ctx& c, store::TaggableKind kind, const char* id_key) {
  IAM_ASSIGN_OR_RETURN(std::vector<store::Tag> tags, c.store.ListTags(c.account(), {kind, Str(c.in, id_key)}));
  return json{{"Tags", TagsJson(tags)}, {"IsTruncated", false}};
}

json InstanceProfileJson(const store::InstanceProfile& p) {
  json roles = json::array();
  for (const store::Role& r : p.roles) roles.push_back(RoleJson(r, false));
  json j = {{"Path", p.path},
            {"InstanceProfileName", p.name},
            {"InstanceProfileId", p.instance_profile_id},
            {"Arn", p.arn},
            {"CreateDate", p.create_date},
            {"Roles", roles}};
  if (!p.tags.empty()) j["Tags"] = TagsJson(p.tags);
  return j;
}

Result<json> CreateInstanceProfile(Ctx& c) {
  store::NewInstanceProfile p{Str(c.in, "InstanceProfileName"), Str(c.in, "Path", "/"), TagsIn(c.in)};
  IAM_ASSIGN_OR_RETURN(store::InstanceProfile ip, c.store.CreateInstanceProfile(c.account(), p));
  return json{{"InstanceProfile", InstanceProfileJson(ip)}};
}

Result<json> GetInstanceProfile(Ctx& c) {
  IAM_ASSIGN_OR_RETURN(store::InstanceProfile ip,
                       c.store.GetInstanceProfile(c.account(), Str(c.in, "InstanceProfileName")));
  return json{{"InstanceProfile", InstanceProfileJson(ip)}};
}

Result<json> DeleteInstanceProfile(Ctx& c) {
  IAM_RETURN_IF_ERROR(c.store.DeleteInstanceProfile(c.account(), Str(c.in, "InstanceProfileName")));
  return json::object();
}

Result<json> ProfilesPage(const store::Page<store::InstanceProfile>& page) {
  json arr = json::array();
  for (const store::InstanceProfile& p : page.items) arr.push_back(InstanceProfileJson(p));
  json out = {{"InstanceProfiles", arr}};
  PutPage(out, page);
  return out;
}

Result<json> ListInstanceProfiles(Ctx& c) {
  IAM_ASSIGN_OR_RETURN(store::Page<store::InstanceProfile> page,
                       c.store.ListInstanceProfiles(c.account(), ListOpts(c.in)));
  return ProfilesPage(page);
}

Result<json> ListInstanceProfilesForRole(Ctx& c) {
  IAM_ASSIGN_OR_RETURN(store::Page<store::InstanceProfile> page,
                       c.store.ListInstanceProfilesForRole(c.account(), Str(c.in, "RoleName"), ListOpts(c.in)));
  return ProfilesPage(page);
}

Result<json> AddRoleToInstanceProfile(Ctx& c) {
  IAM_RETURN_IF_ERROR(c.store.AddRoleToInstanceProfile(c.account(), Str(c.in, "InstanceProfileName"),
                                                       Str(c.in, "RoleName")));
  return json::object();
}

Result<json> RemoveRoleFromInstanceProfile(Ctx& c) {
  IAM_RETURN_IF_ERROR(c.store.RemoveRoleFromInstanceProfile(c.account(), Str(c.in, "InstanceProfileName"),
                                                            Str(c.in, "RoleName")));
  return json::object();
}

const std::map<std::string, Op, std::less<>>& Ops() {
  static const auto* ops = new std::map<std::string, Op, std::less<>>{
      {"CreateUser", CreateUser},
      {"GetUser", GetUser},
      {"ListUsers", ListUsers},
      {"DeleteUser", DeleteUser},
      {"CreateAccessKey", CreateAccessKey},
      {"ListAccessKeys", ListAccessKeys},
      {"DeleteAccessKey", DeleteAccessKey},
      {"UpdateAccessKey", UpdateAccessKey},
      {"GetAccessKeyLastUsed", GetAccessKeyLastUsed},
      {"CreateGroup", CreateGroup},
      {"DeleteGroup", DeleteGroup},
      {"ListGroups", ListGroups},
      {"ListGroupsForUser", ListGroupsForUser},
      {"AddUserToGroup", AddUserToGroup},
      {"RemoveUserFromGroup", RemoveUserFromGroup},
      {"PutUserPolicy", [](Ctx& c) { return PutInline(c, PrincipalKind::kUser, "UserName"); }},
      {"GetUserPolicy", [](Ctx& c) { return GetInline(c, PrincipalKind::kUser, "UserName"); }},
      {"DeleteUserPolicy", [](Ctx& c) { return DeleteInline(c, PrincipalKind::kUser, "UserName"); }},
      {"ListUserPolicies", [](Ctx& c) { return ListInline(c, PrincipalKind::kUser, "UserName"); }},
      {"PutGroupPolicy", [](Ctx& c) { return PutInline(c, PrincipalKind::kGroup, "GroupName"); }},
      {"GetGroupPolicy", [](Ctx& c) { return GetInline(c, PrincipalKind::kGroup, "GroupName"); }},
      {"DeleteGroupPolicy", [](Ctx& c) { return DeleteInline(c, PrincipalKind::kGroup, "GroupName"); }},
      {"ListGroupPolicies", [](Ctx& c) { return ListInline(c, PrincipalKind::kGroup, "GroupName"); }},
      {"AttachUserPolicy", [](Ctx& c) { return Attach(c, PrincipalKind::kUser, "UserName", true); }},
      {"DetachUserPolicy", [](Ctx& c) { return Attach(c, PrincipalKind::kUser, "UserName", false); }},
      {"ListAttachedUserPolicies", [](Ctx& c) { return ListAttached(c, PrincipalKind::kUser, "UserName"); }},
      {"AttachGroupPolicy", [](Ctx& c) { return Attach(c, PrincipalKind::kGroup, "GroupName", true); }},
      {"DetachGroupPolicy", [](Ctx& c) { return Attach(c, PrincipalKind::kGroup, "GroupName", false); }},
      {"ListAttachedGroupPolicies", [](Ctx& c) { return ListAttached(c, PrincipalKind::kGroup, "GroupName"); }},
      {"CreatePolicy", CreatePolicy},
      {"GetPolicy", GetPolicy},
      {"DeletePolicy", DeletePolicy},
      {"GetAccountSummary", GetAccountSummary},
      {"UpdateUser", UpdateUser},
      {"UpdateGroup", UpdateGroup},
      {"GetGroup", GetGroup},
      {"TagUser", TagUser},
      {"UntagUser", UntagUser},
      {"ListUserTags", ListUserTags},
      {"ListPolicies", ListPolicies},
      {"CreatePolicyVersion", CreatePolicyVersion},
      {"GetPolicyVersion", GetPolicyVersion},
      {"ListPolicyVersions", ListPolicyVersions},
      {"DeletePolicyVersion", DeletePolicyVersion},
      {"SetDefaultPolicyVersion", SetDefaultPolicyVersion},
      {"ListEntitiesForPolicy", ListEntitiesForPolicy},
      {"CreateRole", CreateRole},
      {"PutUserPermissionsBoundary", [](Ctx& c) { return PutBoundary(c, PrincipalKind::kUser, "UserName"); }},
      {"DeleteUserPermissionsBoundary", [](Ctx& c) { return DeleteBoundary(c, PrincipalKind::kUser, "UserName"); }},
      {"PutRolePermissionsBoundary", [](Ctx& c) { return PutBoundary(c, PrincipalKind::kRole, "RoleName"); }},
      {"DeleteRolePermissionsBoundary", [](Ctx& c) { return DeleteBoundary(c, PrincipalKind::kRole, "RoleName"); }},
      {"TagRole", [](Ctx& c) { return Tag(c, store::TaggableKind::kRole, "RoleName"); }},
      {"UntagRole", [](Ctx& c) { return Untag(c, store::TaggableKind::kRole, "RoleName"); }},
      {"ListRoleTags", [](Ctx& c) { return ListTagsOf(c, store::TaggableKind::kRole, "RoleName"); }},
      {"TagPolicy", [](Ctx& c) { return Tag(c, store::TaggableKind::kPolicy, "PolicyArn"); }},
      {"UntagPolicy", [](Ctx& c) { return Untag(c, store::TaggableKind::kPolicy, "PolicyArn"); }},
      {"ListPolicyTags", [](Ctx& c) { return ListTagsOf(c, store::TaggableKind::kPolicy, "PolicyArn"); }},
      {"CreateInstanceProfile", CreateInstanceProfile},
      {"GetInstanceProfile", GetInstanceProfile},
      {"DeleteInstanceProfile", DeleteInstanceProfile},
      {"ListInstanceProfiles", ListInstanceProfiles},
      {"ListInstanceProfilesForRole", ListInstanceProfilesForRole},
      {"AddRoleToInstanceProfile", AddRoleToInstanceProfile},
      {"RemoveRoleFromInstanceProfile", RemoveRoleFromInstanceProfile},
      {"CreateLoginProfile", CreateLoginProfile},
      {"GetLoginProfile", GetLoginProfile},
      {"UpdateLoginProfile", UpdateLoginProfile},
      {"DeleteLoginProfile", DeleteLoginProfile},
      {"ChangePassword", ChangePassword},
      {"UpdateAccountPasswordPolicy", UpdateAccountPasswordPolicy},
      {"GetAccountPasswordPolicy", GetAccountPasswordPolicy},
      {"DeleteAccountPasswordPolicy", DeleteAccountPasswordPolicy},
      {"GetRole", GetRole},
      {"ListRoles", ListRoles},
      {"DeleteRole", DeleteRole},
      {"UpdateRole", UpdateRole},
      {"UpdateRoleDescription", UpdateRoleDescription},
      {"UpdateAssumeRolePolicy", UpdateAssumeRolePolicy},
      {"PutRolePolicy", [](Ctx& c) { return PutInline(c, PrincipalKind::kRole, "RoleName"); }},
      {"GetRolePolicy", [](Ctx& c) { return GetInline(c, PrincipalKind::kRole, "RoleName"); }},
      {"DeleteRolePolicy", [](Ctx& c) { return DeleteInline(c, PrincipalKind::kRole, "RoleName"); }},
      {"ListRolePolicies", [](Ctx& c) { return ListInline(c, PrincipalKind::kRole, "RoleName"); }},
      {"AttachRolePolicy", [](Ctx& c) { return Attach(c, PrincipalKind::kRole, "RoleName", true); }},
      {"DetachRolePolicy", [](Ctx& c) { return Attach(c, PrincipalKind::kRole, "RoleName", false); }},
      {"ListAttachedRolePolicies", [](Ctx& c) { return ListAttached(c, PrincipalKind::kRole, "RoleName"); }},
  };
  return *ops;
}

}  // namespace

bool IamService::Implements(std::string_view operation) { return Ops().contains(operation); }

Result<json> IamService::Call(const Caller& caller, std::string_view operation, const json& input) {
  auto it = Ops().find(operation);
  if (it == Ops().end()) {
    return Status(StatusCode::kInvalidAction, "iamd does not implement " + std::string(operation) + " yet.");
  }
  Ctx ctx{store_, ring_, caller, input};
  return it->second(ctx);
}

std::string UrlEncodePolicy(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size() * 2);
  for (unsigned char ch : s) {
    if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' ||
        ch == '_' || ch == '.' || ch == '~') {
      out.push_back(static_cast<char>(ch));
    } else {
      out.push_back('%');
      out.push_back(kHex[ch >> 4]);
      out.push_back(kHex[ch & 15]);
    }
  }
  return out;
}

}  // namespace iam::service
