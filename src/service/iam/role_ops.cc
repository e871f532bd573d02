// Roles and instance profiles.
#include "service/iam/op_context.h"

#include "common/status_macros.h"

namespace iam::service {
namespace {

using nlohmann::json;
using store::PrincipalKind;
using store::PrincipalRef;

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
  IAM_ASSIGN_OR_RETURN(store::ListOptions o, ListOpts(c));
  IAM_ASSIGN_OR_RETURN(store::Page<store::Role> page, c.store.ListRoles(c.account(), o));
  json roles = json::array();
  for (const store::Role& r : page.items) roles.push_back(RoleJson(r, false));
  json out = {{"Roles", roles}};
  PutPage(c, out, page);
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

Result<json> ProfilesPage(Ctx& c, const store::Page<store::InstanceProfile>& page) {
  json arr = json::array();
  for (const store::InstanceProfile& p : page.items) arr.push_back(InstanceProfileJson(p));
  json out = {{"InstanceProfiles", arr}};
  PutPage(c, out, page);
  return out;
}

Result<json> ListInstanceProfiles(Ctx& c) {
  IAM_ASSIGN_OR_RETURN(store::ListOptions o, ListOpts(c));
  IAM_ASSIGN_OR_RETURN(store::Page<store::InstanceProfile> page,
                       c.store.ListInstanceProfiles(c.account(), o));
  return ProfilesPage(c, page);
}

Result<json> ListInstanceProfilesForRole(Ctx& c) {
  IAM_ASSIGN_OR_RETURN(store::ListOptions o, ListOpts(c));
  IAM_ASSIGN_OR_RETURN(store::Page<store::InstanceProfile> page,
                       c.store.ListInstanceProfilesForRole(c.account(), Str(c.in, "RoleName"), o));
  return ProfilesPage(c, page);
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

}  // namespace

void AddRoleOps(OpTable& ops) {
  ops.emplace("CreateRole", CreateRole);
  ops.emplace("CreateInstanceProfile", CreateInstanceProfile);
  ops.emplace("GetInstanceProfile", GetInstanceProfile);
  ops.emplace("DeleteInstanceProfile", DeleteInstanceProfile);
  ops.emplace("ListInstanceProfiles", ListInstanceProfiles);
  ops.emplace("ListInstanceProfilesForRole", ListInstanceProfilesForRole);
  ops.emplace("AddRoleToInstanceProfile", AddRoleToInstanceProfile);
  ops.emplace("RemoveRoleFromInstanceProfile", RemoveRoleFromInstanceProfile);
  ops.emplace("GetRole", GetRole);
  ops.emplace("ListRoles", ListRoles);
  ops.emplace("DeleteRole", DeleteRole);
  ops.emplace("UpdateRole", UpdateRole);
  ops.emplace("UpdateRoleDescription", UpdateRoleDescription);
  ops.emplace("UpdateAssumeRolePolicy", UpdateAssumeRolePolicy);
}

}  // namespace iam::service
