#include "service/authz/authorizer.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <ctime>
#include <set>

#include "auth/sigv4.h"
#include "common/iso8601.h"
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
      "DeleteLoginProfile", "ChangePassword", "PutUserPermissionsBoundary", "DeleteUserPermissionsBoundary",
      "EnableMFADevice", "DeactivateMFADevice", "ResyncMFADevice", "ListMFADevices"};
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
    Result<Identity> u = identities_.User(account, name);
    return u.ok() ? u->arn : store::Arn(account, "user", "/", name);
  }
  if (GroupOps().contains(operation)) {
    std::string name = Str(input, "GroupName");
    if (operation == "CreateGroup") {
      std::string path = Str(input, "Path");
      return store::Arn(account, "group", path.empty() ? "/" : path, name);
    }
    Result<Identity> g = identities_.Group(account, name);
    return g.ok() ? g->arn : store::Arn(account, "group", "/", name);
  }
  if (RoleOps().contains(operation)) {
    std::string name = Str(input, "RoleName");
    if (operation == "CreateRole") {
      std::string path = Str(input, "Path");
      return store::Arn(account, "role", path.empty() ? "/" : path, name);
    }
    Result<Identity> r = identities_.Role(account, name);
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
  // MFA devices and identity providers are named by their ARN in the input.
  if (operation == "CreateVirtualMFADevice") {
    std::string path = Str(input, "Path");
    return store::Arn(account, "mfa", path.empty() ? "/" : path, Str(input, "VirtualMFADeviceName"));
  }
  if (operation == "CreateSAMLProvider") return store::Arn(account, "saml-provider", "/", Str(input, "Name"));
  if (operation == "CreateOpenIDConnectProvider") {
    std::string host = Str(input, "Url");
    if (host.starts_with("https://")) host.erase(0, 8);
    while (!host.empty() && host.back() == '/') host.pop_back();
    return "arn:aws:iam::" + account + ":oidc-provider/" + host;
  }
  for (const char* key : {"SerialNumber", "OpenIDConnectProviderArn", "SAMLProviderArn"}) {
    if (input.contains(key)) return Str(input, key);
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

namespace {

Result<policy::Policy> ParseStored(const std::string& document, policy::PolicyType type, const std::string& what) {
  Result<policy::Policy> p = policy::Policy::Parse(document, type);
  if (!p.ok()) return Internal("stored " + what + " does not parse: " + p.status().message());
  return p;
}

// The statements of each document as one policy: AWS's session policies (an
// inline one and up to ten managed ones) allow what any of them allows.
Result<std::string> MergeStatements(const std::vector<std::string>& documents) {
  json merged = {{"Version", "2012-10-17"}, {"Statement", json::array()}};
  for (const std::string& d : documents) {
    json doc = json::parse(d, nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) return Internal("session policy does not parse");
    auto st = doc.find("Statement");
    if (st == doc.end()) continue;
    if (st->is_array()) {
      for (const json& one : *st) merged["Statement"].push_back(one);
    } else {
      merged["Statement"].push_back(*st);
    }
  }
  return merged.dump();
}

// The cache key: whose policies, and which session policies narrow them.
std::string CacheKey(const Caller& caller) {
  const Session& s = caller.session;
  std::string key = caller.account_id + "/";
  switch (s.kind) {
    case SessionKind::kAssumedRole: key += "role:" + s.role_name; break;
    case SessionKind::kFederatedUser: key += "fed:" + (caller.is_root ? std::string("~root") : caller.user_name); break;
    default: key += "user:" + caller.user_name; break;
  }
  if (s.kind == SessionKind::kAssumedRole || s.kind == SessionKind::kFederatedUser) {
    key += '\x1f';
    key += s.session_policy;
    for (const std::string& arn : s.policy_arns) key += '\x1f' + arn;
  }
  return key;
}

std::string_view KindWording(policy::PolicyKind kind) {
  switch (kind) {
    case policy::PolicyKind::kPermissionsBoundary: return "a permissions boundary";
    case policy::PolicyKind::kSession: return "a session policy";
    case policy::PolicyKind::kResource: return "a resource-based policy";
    default: return "an identity-based policy";
  }
}

std::string_view PrincipalType(const Caller& caller) {
  switch (caller.session.kind) {
    case SessionKind::kAssumedRole: return "AssumedRole";
    case SessionKind::kFederatedUser: return "FederatedUser";
    default: return caller.is_root ? "Account" : "User";
  }
}

}  // namespace

Result<std::shared_ptr<Authorizer::Compiled>> Authorizer::Load(const Caller& caller) {
  const Session& session = caller.session;
  auto compiled = std::make_shared<Compiled>();
  if (caller.is_root) {
    // A federated session of the root: the root may do anything, so only
    // the session policy narrows it.
    IAM_ASSIGN_OR_RETURN(policy::Policy all,
                         ParseStored(R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]})",
                                     policy::PolicyType::kIdentity, "policy"));
    compiled->identity_only.identity.push_back(all);
  } else {
    store::PrincipalRef who{store::PrincipalKind::kUser, caller.user_name};
    if (session.kind == SessionKind::kAssumedRole) who = {store::PrincipalKind::kRole, session.role_name};
    Result<store::PrincipalPolicySet> set = store_.GetPolicySet(caller.account_id, who);
    if (!set.ok()) {
      // A role or user deleted while its sessions live: nothing is allowed.
      if (set.status().code() != StatusCode::kNoSuchEntity) return set.status();
      set = store::PrincipalPolicySet{};
    }
    compiled->principal_tags = set->tags;
    for (const store::SourcedPolicy& sp : set->policies) {
      IAM_ASSIGN_OR_RETURN(policy::Policy p, ParseStored(sp.document, policy::PolicyType::kIdentity, "policy " + sp.name));
      compiled->identity_only.identity.push_back(std::move(p));
    }
    compiled->with_boundary = compiled->identity_only;
    if (set->permissions_boundary) {
      IAM_ASSIGN_OR_RETURN(compiled->with_boundary.permissions_boundary,
                           ParseStored(set->permissions_boundary->document,
                                       policy::PolicyType::kPermissionsBoundary, "boundary"));
    }
  }
  if (caller.is_root) compiled->with_boundary = compiled->identity_only;
  compiled->full = compiled->with_boundary;
  if (session.kind == SessionKind::kAssumedRole || session.kind == SessionKind::kFederatedUser) {
    std::vector<std::string> documents;
    if (!session.session_policy.empty()) documents.push_back(session.session_policy);
    for (const std::string& arn : session.policy_arns) {
      Result<store::ManagedPolicy> mp = store_.GetPolicy(caller.account_id, arn);
      if (!mp.ok()) {
        if (mp.status().code() != StatusCode::kNoSuchEntity) return mp.status();
        continue;  // a deleted managed session policy allows nothing
      }
      Result<store::PolicyVersion> v = store_.GetPolicyVersion(caller.account_id, arn, mp->default_version_id);
      if (!v.ok()) return v.status();
      documents.push_back(v->document);
    }
    // A federated session without session policies has no permissions; a
    // role session without them has the role's.
    if (!documents.empty() || session.kind == SessionKind::kFederatedUser) {
      IAM_ASSIGN_OR_RETURN(std::string merged, MergeStatements(documents));
      IAM_ASSIGN_OR_RETURN(compiled->full.session, ParseStored(merged, policy::PolicyType::kIdentity, "session policy"));
    }
  }
  compiled->prepared = policy::CompiledPolicySet::Build(compiled->full);
  return compiled;
}

Result<std::shared_ptr<const Authorizer::Compiled>> Authorizer::PoliciesOf(const Caller& caller) {
  const std::string key = CacheKey(caller);
  int64_t generation = store_.Generation();
  std::shared_ptr<const Compiled> stale;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = cache_.find(key);
    if (it != cache_.end() && it->second->generation == generation) return it->second;
    if (it != cache_.end()) stale = it->second;
  }
  Result<std::shared_ptr<Compiled>> loaded = Load(caller);
  if (!loaded.ok()) {
    // Static stability: with the database away, the last policies known
    // (the node bounds how old with its max staleness) rather than none.
    if (loaded.status().code() == StatusCode::kServiceFailure && stale) return stale;
    return loaded.status();
  }
  std::shared_ptr<Compiled> compiled = std::move(loaded).value();
  compiled->generation = generation;
  std::shared_ptr<const Compiled> result = std::move(compiled);
  std::lock_guard<std::mutex> lock(mu_);
  if (cache_.size() > 10000) cache_.clear();
  cache_[key] = result;
  return result;
}

namespace {

// Everything of the caller its CallerKeys depend on (with the policies'
// principal tags, which come with the Compiled that holds them). Fields are
// length-prefixed, so no two callers share a key.
std::string IdentityKey(const Caller& c) {
  const Session& s = c.session;
  std::string key;
  key.reserve(c.arn.size() + c.user_id.size() + c.user_name.size() + c.account_id.size() + s.role_arn.size() + 64);
  auto add = [&key](std::string_view v) {
    uint32_t n = static_cast<uint32_t>(v.size());
    key.append(reinterpret_cast<const char*>(&n), sizeof n);
    key.append(v);
  };
  key += static_cast<char>('0' + static_cast<int>(s.kind));
  key += c.is_root ? 'r' : '-';
  add(c.arn);
  add(c.user_id);
  add(c.user_name);
  add(c.account_id);
  add(s.role_arn);
  if (c.temporary()) {
    key += s.mfa_authenticated ? 'm' : '-';
    key.append(reinterpret_cast<const char*>(&s.issued_at), sizeof s.issued_at);
    add(s.source_identity);
    for (const SessionTagValue& t : s.tags) {
      add(t.key);
      add(t.value);
    }
  }
  return key;
}

}  // namespace

std::shared_ptr<const Authorizer::CallerKeys> Authorizer::BuildKeys(const Caller& caller, const Compiled& policies,
                                                                    int64_t second) {
  const Session& session = caller.session;
  auto keys = std::make_shared<CallerKeys>();
  keys->second = second;
  policy::RequestContext& context = keys->context;
  context.Reserve(16);
  if (!caller.user_name.empty() && session.kind != SessionKind::kFederatedUser) {
    context.SetLazy("aws:username", caller.user_name);
  }
  context.SetLazy("aws:userid", caller.user_id);
  context.SetLazy("aws:PrincipalArn", session.kind == SessionKind::kAssumedRole ? session.role_arn : caller.arn);
  context.SetLazy("aws:PrincipalAccount", caller.account_id);
  context.SetLazy("aws:PrincipalType", std::string(PrincipalType(caller)));
  // Principal tags: the user's or role's, session tags winning (keys compare
  // case-insensitively, as tag keys do).
  std::map<std::string, std::pair<std::string, std::string>> tags;
  auto lower = [](std::string k) {
    for (char& c : k) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return k;
  };
  for (const store::Tag& t : policies.principal_tags) tags[lower(t.key)] = {t.key, t.value};
  for (const SessionTagValue& t : session.tags) tags[lower(t.key)] = {t.key, t.value};
  for (const auto& [k, kv] : tags) context.SetLazy("aws:PrincipalTag/" + kv.first, kv.second);
  context.SetLazy("aws:CurrentTime", Iso8601(std::chrono::system_clock::time_point(std::chrono::seconds(second))));
  context.SetLazy("aws:EpochTime", std::to_string(second));
  if (caller.temporary()) {
    context.SetLazy("aws:MultiFactorAuthPresent", session.mfa_authenticated ? "true" : "false");
    if (session.mfa_authenticated) {
      context.SetLazy("aws:MultiFactorAuthAge", std::to_string(std::max<int64_t>(0, second - session.issued_at)));
    }
    context.SetLazy("aws:TokenIssueTime",
                    Iso8601(std::chrono::system_clock::time_point(std::chrono::seconds(session.issued_at))));
    if (!session.source_identity.empty()) context.SetLazy("aws:SourceIdentity", session.source_identity);
  }
  return keys;
}

std::shared_ptr<const Authorizer::CallerKeys> Authorizer::KeysOf(const Caller& caller, const Compiled& policies,
                                                                 int64_t second) {
  std::string identity = IdentityKey(caller);
  {
    std::lock_guard<std::mutex> lock(policies.keys_mu);
    auto it = policies.keys.find(identity);
    if (it != policies.keys.end() && it->second->second == second) return it->second;
  }
  std::shared_ptr<const CallerKeys> keys = BuildKeys(caller, policies, second);
  std::lock_guard<std::mutex> lock(policies.keys_mu);
  if (policies.keys.size() >= 256) policies.keys.clear();  // many sessions of one role
  policies.keys[std::move(identity)] = keys;
  return keys;
}

void Authorizer::FillRequest(const Caller& caller, const CallerKeys& keys, policy::Request& req) {
  req.principal = caller.arn;
  req.resource_account = caller.account_id;
  req.context = keys.context;  // copy-assigned: `req`'s strings and vectors keep their storage
  if (!caller.source_ip.empty()) req.context.SetLazy("aws:SourceIp", caller.source_ip);
  req.context.SetLazy("aws:SecureTransport", caller.secure_transport ? "true" : "false");
}

namespace {

// A thread's request, refilled by each decision so that its storage is reused.
policy::Request& ThreadRequest() {
  thread_local policy::Request req;
  return req;
}

int64_t EpochSecond() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace

Result<policy::Decision> Authorizer::Decide(const Caller& caller, std::string_view action, const std::string& resource,
                                            const std::string& resource_account,
                                            const std::optional<policy::Policy>& resource_policy,
                                            const std::function<void(policy::RequestContext&)>& extend) {
  IAM_ASSIGN_OR_RETURN(std::shared_ptr<const Compiled> policies, PoliciesOf(caller));
  std::shared_ptr<const CallerKeys> keys = KeysOf(caller, *policies, EpochSecond());
  const bool memo = !extend && !resource_policy;
  auto same = [&](const CallerKeys::Remembered& r) {
    return r.secure_transport == caller.secure_transport && r.action == action && r.resource == resource &&
           r.resource_account == resource_account && r.source_ip == caller.source_ip;
  };
  if (memo) {
    std::lock_guard<std::mutex> lock(keys->memo_mu);
    for (const CallerKeys::Remembered& r : keys->memo) {
      if (same(r)) return r.decision;
    }
  }
  policy::Request& req = ThreadRequest();
  FillRequest(caller, *keys, req);
  req.action.assign(action);
  req.resource = resource;
  req.resource_account = resource_account;
  if (extend) extend(req.context);
  if (!resource_policy) {
    policy::Decision d = policy::Evaluate(req, *policies->prepared);
    if (memo) {
      std::lock_guard<std::mutex> lock(keys->memo_mu);
      if (keys->memo.size() >= 8) keys->memo.clear();
      keys->memo.push_back({std::string(action), resource, resource_account, caller.source_ip,
                            caller.secure_transport, d});
    }
    return d;
  }
  policy::PolicySet set = policies->full;
  set.resource = resource_policy;
  return policy::Evaluate(req, set);
}

Status Authorizer::Authorize(const Caller& caller, std::string_view operation, const json& input) {
  const Session& session = caller.session;
  // AWS: federation tokens never reach IAM; GetSessionToken credentials only
  // with MFA. Both read as an invalid token.
  if (session.kind == SessionKind::kFederatedUser ||
      (session.kind == SessionKind::kUserSession && !session.mfa_authenticated)) {
    return Status(StatusCode::kInvalidClientTokenId, std::string(auth::kInvalidClientTokenIdMessage));
  }
  if (caller.is_root) return Status();
  std::string action = "iam:" + std::string(operation);
  std::string resource = ResourceArn(caller, operation, input);
  IAM_ASSIGN_OR_RETURN(std::shared_ptr<const Compiled> policies, PoliciesOf(caller));

  policy::Request& req = ThreadRequest();
  FillRequest(caller, *KeysOf(caller, *policies, EpochSecond()), req);
  req.action = action;
  req.resource = resource;

  policy::Decision d = policy::Evaluate(req, *policies->prepared);
  if (d.effect == policy::Effect::kAllow) return Status();
  std::string prefix = "User: " + caller.arn + " is not authorized to perform: " + action + " on resource: " +
                       resource + " ";
  if (d.effect == policy::Effect::kExplicitDeny) {
    policy::PolicyKind kind = d.statements.empty() ? policy::PolicyKind::kIdentity : d.statements.front().kind;
    return AccessDenied(prefix + "with an explicit deny in " + std::string(KindWording(kind)));
  }
  if (policy::Evaluate(req, policies->identity_only).effect != policy::Effect::kAllow) {
    return AccessDenied(prefix + "because no identity-based policy allows the " + action + " action");
  }
  if (policies->with_boundary.permissions_boundary &&
      policy::Evaluate(req, policies->with_boundary).effect != policy::Effect::kAllow) {
    return AccessDenied(prefix + "because no permissions boundary allows the " + action + " action");
  }
  return AccessDenied(prefix + "because no session policy allows the " + action + " action");
}

}  // namespace iam::service
