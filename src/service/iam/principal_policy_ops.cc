// Policies of users, groups and roles: inline policies, attached managed policies, and
// permissions boundaries.
#include "service/iam/op_context.h"

#include "common/status_macros.h"

namespace iam::service {
namespace {

using nlohmann::json;
using store::PrincipalKind;
using store::PrincipalRef;

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
  IAM_ASSIGN_OR_RETURN(store::ListOptions o, ListOpts(c));
  IAM_ASSIGN_OR_RETURN(store::Page<std::string> page, c.store.ListInlinePolicies(c.account(), p, o));
  json out = {{"PolicyNames", page.items}};
  PutPage(c, out, page);
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
  IAM_ASSIGN_OR_RETURN(store::ListOptions o, ListOpts(c));
  IAM_ASSIGN_OR_RETURN(store::Page<store::AttachedPolicy> page,
                       c.store.ListAttachedPolicies(c.account(), p, o));
  json arr = json::array();
  for (const store::AttachedPolicy& a : page.items) arr.push_back({{"PolicyName", a.name}, {"PolicyArn", a.arn}});
  json out = {{"AttachedPolicies", arr}};
  PutPage(c, out, page);
  return out;
}

Result<json> PutBoundary(Ctx& c, PrincipalKind kind, const char* name_key) {
  IAM_RETURN_IF_ERROR(c.store.PutPermissionsBoundary(c.account(), {kind, Str(c.in, name_key)},
                                                     Str(c.in, "PermissionsBoundary")));
  return json::object();
}

Result<json> DeleteBoundary(Ctx& c, PrincipalKind kind, const char* name_key) {
  IAM_RETURN_IF_ERROR(c.store.DeletePermissionsBoundary(c.account(), {kind, Str(c.in, name_key)}));
  return json::object();
}

}  // namespace

void AddPrincipalPolicyOps(OpTable& ops) {
  ops.emplace("PutUserPolicy", [](Ctx& c) { return PutInline(c, PrincipalKind::kUser, "UserName"); });
  ops.emplace("GetUserPolicy", [](Ctx& c) { return GetInline(c, PrincipalKind::kUser, "UserName"); });
  ops.emplace("DeleteUserPolicy", [](Ctx& c) { return DeleteInline(c, PrincipalKind::kUser, "UserName"); });
  ops.emplace("ListUserPolicies", [](Ctx& c) { return ListInline(c, PrincipalKind::kUser, "UserName"); });
  ops.emplace("PutGroupPolicy", [](Ctx& c) { return PutInline(c, PrincipalKind::kGroup, "GroupName"); });
  ops.emplace("GetGroupPolicy", [](Ctx& c) { return GetInline(c, PrincipalKind::kGroup, "GroupName"); });
  ops.emplace("DeleteGroupPolicy", [](Ctx& c) { return DeleteInline(c, PrincipalKind::kGroup, "GroupName"); });
  ops.emplace("ListGroupPolicies", [](Ctx& c) { return ListInline(c, PrincipalKind::kGroup, "GroupName"); });
  ops.emplace("AttachUserPolicy", [](Ctx& c) { return Attach(c, PrincipalKind::kUser, "UserName", true); });
  ops.emplace("DetachUserPolicy", [](Ctx& c) { return Attach(c, PrincipalKind::kUser, "UserName", false); });
  ops.emplace("ListAttachedUserPolicies", [](Ctx& c) { return ListAttached(c, PrincipalKind::kUser, "UserName"); });
  ops.emplace("AttachGroupPolicy", [](Ctx& c) { return Attach(c, PrincipalKind::kGroup, "GroupName", true); });
  ops.emplace("DetachGroupPolicy", [](Ctx& c) { return Attach(c, PrincipalKind::kGroup, "GroupName", false); });
  ops.emplace("ListAttachedGroupPolicies", [](Ctx& c) { return ListAttached(c, PrincipalKind::kGroup, "GroupName"); });
  ops.emplace("PutUserPermissionsBoundary", [](Ctx& c) { return PutBoundary(c, PrincipalKind::kUser, "UserName"); });
  ops.emplace("DeleteUserPermissionsBoundary", [](Ctx& c) { return DeleteBoundary(c, PrincipalKind::kUser, "UserName"); });
  ops.emplace("PutRolePermissionsBoundary", [](Ctx& c) { return PutBoundary(c, PrincipalKind::kRole, "RoleName"); });
  ops.emplace("DeleteRolePermissionsBoundary", [](Ctx& c) { return DeleteBoundary(c, PrincipalKind::kRole, "RoleName"); });
  ops.emplace("PutRolePolicy", [](Ctx& c) { return PutInline(c, PrincipalKind::kRole, "RoleName"); });
  ops.emplace("GetRolePolicy", [](Ctx& c) { return GetInline(c, PrincipalKind::kRole, "RoleName"); });
  ops.emplace("DeleteRolePolicy", [](Ctx& c) { return DeleteInline(c, PrincipalKind::kRole, "RoleName"); });
  ops.emplace("ListRolePolicies", [](Ctx& c) { return ListInline(c, PrincipalKind::kRole, "RoleName"); });
  ops.emplace("AttachRolePolicy", [](Ctx& c) { return Attach(c, PrincipalKind::kRole, "RoleName", true); });
  ops.emplace("DetachRolePolicy", [](Ctx& c) { return Attach(c, PrincipalKind::kRole, "RoleName", false); });
  ops.emplace("ListAttachedRolePolicies", [](Ctx& c) { return ListAttached(c, PrincipalKind::kRole, "RoleName"); });
}

}  // namespace iam::service
