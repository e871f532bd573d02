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

store::PolicyUsage UsageIn(const json& in) {
  std::string usage = Str(in, "PolicyUsageFilter");
  return usage == "PermissionsPolicy"     ? store::PolicyUsage::kPermissionsPolicy
         : usage == "PermissionsBoundary" ? store::PolicyUsage::kPermissionsBoundary
                                          : store::PolicyUsage::kAny;
}

Result<json> ListPolicies(Ctx& c) {
  store::PolicyListOptions o;
  IAM_ASSIGN_OR_RETURN(static_cast<store::ListOptions&>(o), ListOpts(c));
  std::string scope = Str(c.in, "Scope", "All");
  o.scope = scope == "AWS" ? store::PolicyScope::kAws : scope == "Local" ? store::PolicyScope::kLocal : store::PolicyScope::kAll;
  o.only_attached = BoolIn(c.in, "OnlyAttached");
  o.usage = UsageIn(c.in);
  IAM_ASSIGN_OR_RETURN(store::Page<store::ManagedPolicy> page, c.store.ListPolicies(c.account(), o));
  json arr = json::array();
  for (const store::ManagedPolicy& p : page.items) {
    json j = PolicyJson(p);
    j.erase("Description");  // ListPolicies does not return descriptions, as AWS
    j.erase("Tags");
    arr.push_back(std::move(j));
  }
  json out = {{"Policies", arr}};
  PutPage(c, out, page);
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
  IAM_ASSIGN_OR_RETURN(store::ListOptions o, ListOpts(c));
  IAM_ASSIGN_OR_RETURN(std::vector<store::PolicyVersion> versions,
                       c.store.ListPolicyVersions(c.account(), Str(c.in, "PolicyArn")));
  IAM_ASSIGN_OR_RETURN(store::Page<store::PolicyVersion> page,
                       PageOf(std::move(versions), o, [](const store::PolicyVersion& v) { return v.version_id; }));
  json arr = json::array();
  for (const store::PolicyVersion& v : page.items) arr.push_back(VersionJson(v, false));
  json out = {{"Versions", arr}};
  PutPage(c, out, page);
  return out;
}

Result<json> DeletePolicyVersion(Ctx& c) {
  IAM_RETURN_IF_ERROR(c.store.DeletePolicyVersion(c.account(), Str(c.in, "PolicyArn"), Str(c.in, "VersionId")));
  return json::object();
}

Result<json> SetDefaultPolicyVersion(Ctx& c) {
  IAM_RETURN_IF_ERROR(c.store.SetDefaultPolicyVersion(c.account(), Str(c.in, "PolicyArn"), Str(c.in, "VersionId")));
  return json::object();
}

// One entity of ListEntitiesForPolicy: 'G'roup, 'U'ser or 'R'ole.
struct PolicyEntity {
  char kind;
  store::PolicyEntities::Entity e;
};

// Merges two name-ordered lists, once per name (a user may both have the
// policy attached and use it as its boundary).
std::vector<store::PolicyEntities::Entity> Union(std::vector<store::PolicyEntities::Entity> a,
                                                 const std::vector<store::PolicyEntities::Entity>& b) {
  for (const auto& x : b) {
    if (std::none_of(a.begin(), a.end(), [&](const auto& y) { return y.id == x.id; })) a.push_back(x);
  }
  std::sort(a.begin(), a.end(), [](const auto& x, const auto& y) { return x.name < y.name; });
  return a;
}

Result<json> ListEntitiesForPolicy(Ctx& c) {
  IAM_ASSIGN_OR_RETURN(store::ListOptions o, ListOpts(c));
  IAM_ASSIGN_OR_RETURN(store::PolicyEntities e, c.store.ListEntitiesForPolicy(c.account(), Str(c.in, "PolicyArn")));
  store::PolicyUsage usage = UsageIn(c.in);
  std::vector<store::PolicyEntities::Entity> none;
  const auto& boundary_users = usage == store::PolicyUsage::kPermissionsPolicy ? none : e.boundary_users;
  const auto& boundary_roles = usage == store::PolicyUsage::kPermissionsPolicy ? none : e.boundary_roles;
  bool attached = usage != store::PolicyUsage::kPermissionsBoundary;
  std::string filter = Str(c.in, "EntityFilter");
  std::vector<PolicyEntity> all;
  auto add = [&](char kind, const char* name, const std::vector<store::PolicyEntities::Entity>& list) {
    if (!filter.empty() && filter != name) return;
    for (const auto& x : list) {
      if (x.path.starts_with(o.path_prefix)) all.push_back({kind, x});
    }
  };
  add('G', "Group", attached ? e.groups : none);
  add('U', "User", Union(attached ? e.users : none, boundary_users));
  add('R', "Role", Union(attached ? e.roles : none, boundary_roles));
  IAM_ASSIGN_OR_RETURN(store::Page<PolicyEntity> page,
                       PageOf(std::move(all), o, [](const PolicyEntity& x) { return x.kind + (":" + x.e.name); }));
  json users = json::array(), groups = json::array(), roles = json::array();
  for (const PolicyEntity& x : page.items) {
    if (x.kind == 'G') groups.push_back({{"GroupName", x.e.name}, {"GroupId", x.e.id}});
    if (x.kind == 'U') users.push_back({{"UserName", x.e.name}, {"UserId", x.e.id}});
    if (x.kind == 'R') roles.push_back({{"RoleName", x.e.name}, {"RoleId", x.e.id}});
  }
  json out = {{"PolicyGroups", groups}, {"PolicyUsers", users}, {"PolicyRoles", roles}};
  PutPage(c, out, page);
  return out;
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
