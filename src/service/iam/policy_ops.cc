// Customer managed policies and their versions; ListPolicies over AWS managed ones too.
#include "service/iam/op_context.h"

#include "common/status_macros.h"

namespace iam::service {
namespace {

using nlohmann::json;
using store::PrincipalKind;
using store::PrincipalRef;

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

}  // namespace

void AddPolicyOps(OpTable& ops) {
  ops.emplace("CreatePolicy", CreatePolicy);
  ops.emplace("GetPolicy", GetPolicy);
  ops.emplace("DeletePolicy", DeletePolicy);
  ops.emplace("ListPolicies", ListPolicies);
  ops.emplace("CreatePolicyVersion", CreatePolicyVersion);
  ops.emplace("GetPolicyVersion", GetPolicyVersion);
  ops.emplace("ListPolicyVersions", ListPolicyVersions);
  ops.emplace("DeletePolicyVersion", DeletePolicyVersion);
  ops.emplace("SetDefaultPolicyVersion", SetDefaultPolicyVersion);
  ops.emplace("ListEntitiesForPolicy", ListEntitiesForPolicy);
}

}  // namespace iam::service
