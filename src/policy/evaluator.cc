// AWS's policy evaluation logic across policy types. The combining rule of
// each policy is Ceph's ten lines: a Deny is remembered and wins, an Allow
// is remembered, anything else passes. The gates between policy types then
// follow AWS's documented flow chart.
#include <array>

#include "iamd/policy.h"
#include "policy/arn.h"
#include "policy/compiled.h"
#include "policy/matcher.h"
#include "policy/policy_set.h"
#include "policy/wildcard.h"

namespace iam::policy {
namespace {

struct PolicyOutcome {
  bool allow = false;
  bool deny = false;
  PrincipalMatch best_principal = PrincipalMatch::kNone;  // resource policies
};

// Walks the candidate statements of one policy; appends deciding statements.
PolicyOutcome EvaluatePolicy(const Policy& policy, PolicyKind kind, uint32_t index,
                             const PreparedRequest& req, std::vector<MatchedStatement>& allows,
                             std::vector<MatchedStatement>& denies, bool has_boundary = false) {
  PolicyOutcome out;
  const Policy::Compiled& c = policy.compiled();
  bool principal_side = kind == PolicyKind::kResource || kind == PolicyKind::kResourceControl;
  for (uint32_t i : c.Candidates(req.lower_service, req.service_hash)) {
    if (!c.ActionApplies(i, req.lower_action)) continue;
    const CompiledStatement& st = c.statements[i];
    PrincipalMatch pm = PrincipalMatch::kWildcard;
    if (principal_side && st.has_principal) {
      pm = MatchPrincipal(st, req.caller, has_boundary);
      if (pm == PrincipalMatch::kNone) continue;
    }
    if (!ResourceAndConditionsApply(st, req)) continue;
    MatchedStatement m{kind, index, i, st.deny, st.sid};
    if (st.deny) {
      out.deny = true;
      denies.push_back(m);
    } else {
      out.allow = true;
      if (static_cast<int>(pm) > static_cast<int>(out.best_principal)) out.best_principal = pm;
      allows.push_back(m);
    }
  }
  return out;
}

// Evaluates organization levels (SCPs or RCPs): every level must allow.
bool EvaluateLevels(const std::vector<std::vector<Policy>>& levels, PolicyKind kind,
                    const PreparedRequest& req, std::vector<MatchedStatement>& allows,
                    std::vector<MatchedStatement>& denies) {
  bool all_levels_allow = true;
  for (size_t level = 0; level < levels.size(); ++level) {
    bool level_allows = false;
    for (size_t i = 0; i < levels[level].size(); ++i) {
      auto o = EvaluatePolicy(levels[level][i], kind, static_cast<uint32_t>(level * 1000 + i), req,
                              allows, denies);
      level_allows |= o.allow;
    }
    all_levels_allow &= level_allows;
  }
  return all_levels_allow;
}

// ParseCaller, remembering the last principal of this thread: requests of
// one caller tend to follow one another. The remembered Caller's views are
// kept as offsets and re-pointed into `principal`, whose text is the same.
Caller CallerOf(std::string_view principal) {
  thread_local std::string last_principal, lower_service_principal;
  thread_local Caller last;
  thread_local bool known = false;
  auto rebase = [](std::string_view v, std::string_view from, std::string_view to) {
    return v.data() == nullptr ? v : to.substr(static_cast<size_t>(v.data() - from.data()), v.size());
  };
  if (!known || !BytesEqual(principal, last_principal)) {
    last_principal.assign(principal);
    last = ParseCaller(last_principal, lower_service_principal);
    known = true;
  }
  Caller c = last;
  c.arn = principal;
  c.account = rebase(last.account, last_principal, principal);
  c.role_name = rebase(last.role_name, last_principal, principal);
  return c;
}

// Trust policies and KMS key policies are the only gate to their resource:
// identity policies alone never grant access to them.
bool ResourcePolicyRequired(const PolicySet& set, const PreparedRequest& req) {
  if (!set.resource) return false;
  if (set.resource->type() == PolicyType::kTrust) return IsTrustAction(req.lower_action);
  return req.lower_service == "kms";
}

}  // namespace

bool IsTrustAction(std::string_view action) {
  // Most actions are not STS's: one compare settles them.
  if (action.size() < 14 || !EqualsIgnoreCase(action.substr(0, 4), "sts:")) return false;
  for (std::string_view a : {"sts:AssumeRole", "sts:AssumeRoleWithSAML", "sts:AssumeRoleWithWebIdentity",
                             "sts:TagSession", "sts:SetSourceIdentity", "sts:SetContext"}) {
    if (EqualsIgnoreCase(action, a)) return true;
  }
  return false;
}

namespace {

// The evaluation logic; `identity_policies(req, allows, denies)` evaluates
// the identity policies (one by one, or through a CompiledPolicySet) and
// returns whether any allows.
template <typename IdentityFn>
void EvaluateWith(const Request& request, const PolicySet& set, IdentityFn identity_policies, Decision& out) {
  out.effect = Effect::kImplicitDeny;
  out.statements.clear();

  // Lower-case the action once; most actions fit the thread-local buffer's
  // existing capacity, so steady state allocates nothing.
  thread_local std::string lower_action;
  lower_action.assign(request.action);
  for (char& ch : lower_action) ch = AsciiLower(ch);
  std::string_view lower_service = std::string_view(lower_action).substr(0, lower_action.find(':'));
  PreparedRequest req{&request, lower_action, lower_service, RequestContext::KeyHash(lower_service),
                      ArnView(request.resource), CallerOf(request.principal)};
  const Caller& caller = req.caller;
  bool anonymous = caller.kind == Caller::Kind::kAnonymous;
  bool service = caller.kind == Caller::Kind::kService;

  // AWS needs no permission for GetCallerIdentity; even a Deny cannot block it.
  if (req.lower_action == "sts:getcalleridentity" && !anonymous) {
    out.effect = Effect::kAllow;
    return;
  }

  thread_local std::vector<MatchedStatement> identity_allows, resource_allows, gate_allows, denies;
  identity_allows.clear();
  resource_allows.clear();
  gate_allows.clear();
  denies.clear();

  // Principal-side policies apply only to an authenticated IAM principal.
  bool principal_side = !anonymous && !service;
  bool identity_allow = false;
  if (principal_side) identity_allow = identity_policies(req, identity_allows, denies);
  PolicyOutcome resource;
  if (set.resource) {
    resource = EvaluatePolicy(*set.resource, PolicyKind::kResource, 0, req, resource_allows, denies,
                              principal_side && set.permissions_boundary.has_value());
  }
  bool boundary_allow = true;
  if (principal_side && set.permissions_boundary) {
    boundary_allow = EvaluatePolicy(*set.permissions_boundary, PolicyKind::kPermissionsBoundary, 0, req,
                                    gate_allows, denies)
                         .allow;
  }
  bool session_allow = true;
  if (principal_side && set.session) {
    session_allow = EvaluatePolicy(*set.session, PolicyKind::kSession, 0, req, gate_allows, denies).allow;
  }
  bool scp_allow = true;
  if (principal_side && !set.service_control.empty()) {
    scp_allow = EvaluateLevels(set.service_control, PolicyKind::kServiceControl, req, gate_allows, denies);
  }
  bool rcp_allow = true;
  if (!service && !set.resource_control.empty()) {
    rcp_allow = EvaluateLevels(set.resource_control, PolicyKind::kResourceControl, req, gate_allows, denies);
  }

  if (!denies.empty()) {
    out.effect = Effect::kExplicitDeny;
    out.statements.assign(denies.begin(), denies.end());
    return;
  }
  if (!scp_allow || !rcp_allow) return;

  // Whose account owns the resource: given, else the ARN's, else the caller's.
  std::string_view resource_account = request.resource_account;
  if (resource_account.empty() && req.resource.split && IsAccountId(req.resource.parts[4])) {
    resource_account = req.resource.parts[4];  // ArnAccount(), from the split made once
  }
  if (resource_account.empty()) resource_account = caller.account;
  bool same_account = !caller.account.empty() && caller.account == resource_account;

  // The identity path: an identity Allow within the boundary and session policy.
  bool identity_path = identity_allow && boundary_allow && session_allow;
  bool resource_allow = resource.allow;
  PrincipalMatch how = resource.best_principal;

  // What a same-account resource policy grants on its own. One that names
  // the user or the session directly is limited neither by the boundary nor
  // by the session policy: AWS applies those to the identity before the
  // resource policy's grant is added. One that names the role (not the
  // session) is limited by both.
  // A grant to everyone ("*") passes the boundary but, not naming the
  // session, is still limited by a session policy.
  bool resource_grant = resource_allow && how != PrincipalMatch::kAccount &&
                        (how == PrincipalMatch::kDirect ||
                         ((how == PrincipalMatch::kWildcard || boundary_allow) && session_allow));
  bool allowed = false;
  bool used_identity = false, used_resource = false;
  if (!principal_side) {
    allowed = resource_allow;  // anonymous and service callers: only the resource policy
    used_resource = allowed;
  } else if (ResourcePolicyRequired(set, req)) {
    // A role's trust policy, and a KMS key policy, must always allow. Naming
    // the caller suffices in the same account; trusting only the account
    // (or a caller of another account) also needs the caller's own
    // identity policies.
    if (resource_allow) {
      allowed = same_account && how != PrincipalMatch::kAccount ? (resource_grant || identity_path) : identity_path;
      used_resource = allowed;
      used_identity = allowed && identity_path;
    }
  } else if (same_account) {
    // Either side may grant. A resource policy that names only the account
    // delegates to identity policies and grants nothing by itself.
    allowed = identity_path || resource_grant;
    used_identity = identity_path;
    used_resource = resource_grant;
  } else {
    // Cross-account: both the caller's side and the resource's side must allow.
    allowed = identity_path && resource_allow;
    used_identity = used_resource = allowed;
  }
  if (!allowed) return;
  out.effect = Effect::kAllow;
  if (used_identity) out.statements.insert(out.statements.end(), identity_allows.begin(), identity_allows.end());
  if (used_resource) out.statements.insert(out.statements.end(), resource_allows.begin(), resource_allows.end());
  out.statements.insert(out.statements.end(), gate_allows.begin(), gate_allows.end());
}

}  // namespace

void Evaluate(const Request& request, const PolicySet& set, Decision& out) {
  auto each_policy = [&set](const PreparedRequest& req, std::vector<MatchedStatement>& allows,
                            std::vector<MatchedStatement>& denies) {
    bool allow = false;
    for (size_t i = 0; i < set.identity.size(); ++i) {
      allow |= EvaluatePolicy(set.identity[i], PolicyKind::kIdentity, static_cast<uint32_t>(i), req, allows, denies)
                   .allow;
    }
    return allow;
  };
  EvaluateWith(request, set, each_policy, out);
}

void Evaluate(const Request& request, const CompiledPolicySet& set, Decision& out) {
  auto indexed = [&set](const PreparedRequest& req, std::vector<MatchedStatement>& allows,
                        std::vector<MatchedStatement>& denies) {
    return EvaluateIdentityIndex(set.index(), req, allows, denies);
  };
  EvaluateWith(request, set.policies(), indexed, out);
}

Decision Evaluate(const Request& request, const CompiledPolicySet& policies) {
  Decision d;
  Evaluate(request, policies, d);
  return d;
}

Decision Evaluate(const Request& request, const PolicySet& policies) {
  Decision d;
  Evaluate(request, policies, d);
  return d;
}

std::string_view EffectName(Effect e) {
  switch (e) {
    case Effect::kAllow: return "Allow";
    case Effect::kExplicitDeny: return "ExplicitDeny";
    case Effect::kImplicitDeny: return "ImplicitDeny";
  }
  return "ImplicitDeny";
}

std::string_view PolicyKindName(PolicyKind k) {
  switch (k) {
    case PolicyKind::kIdentity: return "identity";
    case PolicyKind::kResource: return "resource";
    case PolicyKind::kPermissionsBoundary: return "permissions_boundary";
    case PolicyKind::kSession: return "session";
    case PolicyKind::kServiceControl: return "scp";
    case PolicyKind::kResourceControl: return "rcp";
  }
  return "unknown";
}

}  // namespace iam::policy
