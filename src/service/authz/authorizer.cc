#include "service/authz/authorizer.h"

#include <chrono>
#include <ctime>
#include <set>

#include "common/status_macros.h"
#include "store/ids.h"

namespace iam::service {
namespace {

using nlohmann::json;

std::string Str(const json& in, const char* key) {
  auto it = in.find(key);
  if (it == in.end() || !it->is_string()) return "";
  return it->get<std::string>();
}

// Operations whose resource is a user, named by UserName (the caller when absent).
const std::set<std::string, std::less<>>& UserOps() {
  static const auto* ops = new std::set<std::string, std::less<>>{
      "CreateUser", "GetUser", "DeleteUser", "CreateAccessKey", "ListAccessKeys", "DeleteAccessKey",
      "UpdateAccessKey", "PutUserPolicy", "GetUserPolicy", "DeleteUserPolicy", "ListUserPolicies",
      "AttachUserPolicy", "DetachUserPolicy", "ListAttachedUserPolicies", "ListGroupsForUser", "UpdateUser",
      "TagUser", "UntagUser", "ListUserTags", "CreateLoginProfile", "GetLoginProfile", "UpdateLoginProfile",
      "DeleteLoginProfile", "ChangePassword", "PutUserPermissionsBoundary", "DeleteUserPermissionsBoundary"};
  return *ops;
}
// Operations whose resource is a group, named by GroupName.
const std::set<std::string, std::less<>>& GroupOps() {
  static const auto* ops = new std::set<std::string, std::less<>>{
      "CreateGroup", "DeleteGroup", "AddUserToGroup", "RemoveUserFromGroup", "PutGroupPolicy", "GetGroupPolicy",
      "DeleteGroupPolicy", "ListGroupPolicies", "AttachGroupPolicy", "DetachGroupPolicy",
      "ListAttachedGroupPolicies", "GetGroup", "UpdateGroup"};
  return *ops;
}
// Operations whose resource is a role, named by RoleName.
const std::set<std::string, std::less<>>& RoleOps() {
  static const auto* ops = new std::set<std::string, std::less<>>{
      "CreateRole", "GetRole", "DeleteRole", "UpdateRole", "UpdateRoleDescription", "UpdateAssumeRolePolicy",
      "PutRolePolicy", "GetRolePolicy", "DeleteRolePolicy", "ListRolePolicies", "AttachRolePolicy",
      "DetachRolePolicy", "ListAttachedRolePolicies", "PutRolePermissionsBoundary", "DeleteRolePermissionsBoundary",
      "TagRole", "UntagRole", "ListRoleTags", "ListInstanceProfilesForRole"};
  return *ops;
}
// Operations whose resource is a managed policy, named by PolicyArn.
const std::set<std::string, std::less<>>& PolicyOps() {
  static const auto* ops = new std::set<std::string, std::less<>>{"GetPolicy", "DeletePolicy", "CreatePolicyVersion", "GetPolicyVersion", "ListPolicyVersions",
      "DeletePolicyVersion", "SetDefaultPolicyVersion", "ListEntitiesForPolicy", "TagPolicy", "UntagPolicy",
      "ListPolicyTags"};
  return *ops;
}

std::string Iso8601(std::chrono::system_clock::time_point t) {
  std::time_t tt = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace

std::string Authorizer::ResourceArn(const Caller& caller, std::string_view operation, const json& input) {
  const std::string& account = caller.account_id;
  if (UserOps().contains(operation)) {
    std::string name = Str(input, "UserName");
    if (name.empty()) return caller.arn;  // the caller itself (root: its own ARN)
    if (operation == "CreateUser") {
      std::string path = Str(input, "Path");
      return store::Arn(account, "user", path.empty() ? "/" : path, name);
    }
    Result<store::User> u = store_.GetUser(account, name);
    return u.ok() ? u->arn : store::Arn(account, "user", "/", name);
  }
  if (GroupOps().contains(operation)) {
    std::string name = Str(input, "GroupName");
    if (operation == "CreateGroup") {
      std::string path = Str(input, "Path");
      return store::Arn(account, "group", path.empty() ? "/" : path, name);
    }
    Result<store::Group> g = store_.GetGroup(account, name);
    return g.ok() ? g->arn : store::Arn(account, "group", "/", name);
  }
  if (RoleOps().contains(operation)) {
    std::string name = Str(input, "RoleName");
    if (operation == "CreateRole") {
      std::string path = Str(input, "Path");
      return store::Arn(account, "role", path.empty() ? "/" : path, name);
    }
    Result<store::Role> r = store_.GetRole(account, name);
    return r.ok() ? r->arn : store::Arn(account, "role", "/", name);
  }
  if (PolicyOps().contains(operation)) return Str(input, "PolicyArn");
  if (operation == "CreateInstanceProfile" || operation == "GetInstanceProfile" ||
      operation == "DeleteInstanceProfile" || operation == "AddRoleToInstanceProfile" ||
      operation == "RemoveRoleFromInstanceProfile" || operation == "TagInstanceProfile" ||
      operation == "UntagInstanceProfile" || operation == "ListInstanceProfileTags") {
    std::string name = Str(input, "InstanceProfileName");
    if (operation == "CreateInstanceProfile") {
      std::string path = Str(input, "Path");
      return store::Arn(account, "instance-profile", path.empty() ? "/" : path, name);
    }
    Result<store::InstanceProfile> p = store_.GetInstanceProfile(account, name);
    return p.ok() ? p->arn : store::Arn(account, "instance-profile", "/", name);
  }
  if (operation == "CreatePolicy") {
    std::string path = Str(input, "Path");
    return store::Arn(account, "policy", path.empty() ? "/" : path, Str(input, "PolicyName"));
  }
  if (operation == "GetAccessKeyLastUsed") {
    Result<store::AccessKey> k = store_.GetAccessKey(Str(input, "AccessKeyId"));
    if (k.ok() && k->account_id == account) {
      Result<store::User> u = store_.GetUser(account, k->user_name);
      if (u.ok()) return u->arn;
    }
    return "*";
  }
  if (operation == "SimulatePrincipalPolicy" || operation == "GetContextKeysForPrincipalPolicy") {
    return Str(input, "PolicySourceArn");
  }
  if (operation == "ListPoliciesGrantingServiceAccess") return Str(input, "Arn");
  return "*";  // ListUsers, ListGroups, GetAccountSummary, SimulateCustomPolicy, ...
}

Result<std::shared_ptr<const Authorizer::Compiled>> Authorizer::PoliciesOf(const Caller& caller) {
  const std::string key = caller.account_id + "/" + caller.user_name;
  int64_t generation = store_.Generation();
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = cache_.find(key);
    if (it != cache_.end() && it->second->generation == generation) return it->second;
  }
  IAM_ASSIGN_OR_RETURN(store::PrincipalPolicySet set,
                       store_.GetPolicySet(caller.account_id, {store::PrincipalKind::kUser, caller.user_name}));
  auto compiled = std::make_shared<Compiled>();
  compiled->generation = generation;
  for (const store::SourcedPolicy& sp : set.policies) {
    Result<policy::Policy> p = policy::Policy::Parse(sp.document, policy::PolicyType::kIdentity);
    if (!p.ok()) return Internal("stored policy " + sp.name + " does not parse: " + p.status().message());
    compiled->with_boundary.identity.push_back(*p);
  }
  compiled->without_boundary = compiled->with_boundary;
  if (set.permissions_boundary) {
    Result<policy::Policy> p =
        policy::Policy::Parse(set.permissions_boundary->document, policy::PolicyType::kPermissionsBoundary);
    if (!p.ok()) return Internal("stored boundary does not parse: " + p.status().message());
    compiled->with_boundary.permissions_boundary = *p;
  }
  std::shared_ptr<const Compiled> result = std::move(compiled);
  std::lock_guard<std::mutex> lock(mu_);
  if (cache_.size() > 10000) cache_.clear();
  cache_[key] = result;
  return result;
}

Status Authorizer::Authorize(const Caller& caller, std::string_view operation, const json& input) {
  if (caller.is_root) return Status();
  std::string action = "iam:" + std::string(operation);
  std::string resource = ResourceArn(caller, operation, input);
  IAM_ASSIGN_OR_RETURN(std::shared_ptr<const Compiled> policies, PoliciesOf(caller));

  policy::Request req;
  req.principal = caller.arn;
  req.action = action;
  req.resource = resource;
  req.resource_account = caller.account_id;
  auto now = std::chrono::system_clock::now();
  req.context.Set("aws:username", caller.user_name);
  req.context.Set("aws:userid", caller.user_id);
  req.context.Set("aws:PrincipalArn", caller.arn);
  req.context.Set("aws:PrincipalAccount", caller.account_id);
  req.context.Set("aws:PrincipalType", "User");
  req.context.Set("aws:CurrentTime", Iso8601(now));
  req.context.Set("aws:EpochTime",
                  std::to_string(std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count()));
  if (!caller.source_ip.empty()) req.context.Set("aws:SourceIp", caller.source_ip);
  req.context.Set("aws:SecureTransport", caller.secure_transport ? "true" : "false");

  policy::Decision d = policy::Evaluate(req, policies->with_boundary);
  if (d.effect == policy::Effect::kAllow) return Status();
  std::string prefix = "User: " + caller.arn + " is not authorized to perform: " + action + " on resource: " +
                       resource + " ";
  if (d.effect == policy::Effect::kExplicitDeny) {
    bool identity_denied = policy::Evaluate(req, policies->without_boundary).effect == policy::Effect::kExplicitDeny;
    return AccessDenied(prefix + (identity_denied ? "with an explicit deny in an identity-based policy"
                                                  : "with an explicit deny in a permissions boundary"));
  }
  if (policies->with_boundary.permissions_boundary &&
      policy::Evaluate(req, policies->without_boundary).effect == policy::Effect::kAllow) {
    return AccessDenied(prefix + "because no permissions boundary allows the " + action + " action");
  }
  return AccessDenied(prefix + "because no identity-based policy allows the " + action + " action");
}

}  // namespace iam::service
