// AssumeRole: the role's trust policy, with the caller's identity policies
// by AWS's account rules, decides; then IssueRoleSession answers.
#include <string>

#include "common/status_macros.h"
#include "service/sts/mfa.h"
#include "service/sts/session_issue.h"
#include "service/sts/sts_ops.h"
#include "store/ids.h"

namespace iam::service::sts {
namespace {

using nlohmann::json;

// AWS's refusal, the same whether the role is missing or untrusting, so that
// callers cannot probe other accounts' roles.
Status NotAuthorized(const Caller& caller, std::string_view action, const std::string& resource) {
  return AccessDenied("User: " + caller.arn + " is not authorized to perform: " + std::string(action) +
                      " on resource: " + resource);
}

std::string Str(const json& in, const char* key) {
  auto it = in.find(key);
  return it != in.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// Context keys of an AssumeRole request for its trust decision.
void AddRequestContext(policy::RequestContext& ctx, const json& in, const SessionInputs& inputs, bool mfa) {
  if (std::string id = Str(in, "ExternalId"); !id.empty()) ctx.Set("sts:ExternalId", id);
  ctx.Set("sts:RoleSessionName", Str(in, "RoleSessionName"));
  if (std::string si = Str(in, "SourceIdentity"); !si.empty()) ctx.Set("sts:SourceIdentity", si);
  if (mfa) ctx.Set("aws:MultiFactorAuthPresent", "true");
  AddSessionTagContext(ctx, inputs);
}

Result<json> AssumeRole(Ctx& c) {
  const Caller& caller = c.caller;
  const std::string role_arn = Str(c.in, "RoleArn");
  const Session& from = caller.session;
  if (caller.is_root && from.kind != SessionKind::kFederatedUser) {
    return AccessDenied("Roles may not be assumed by root accounts.");
  }
  if (from.kind == SessionKind::kFederatedUser) return NotAuthorized(caller, "sts:AssumeRole", role_arn);

  Result<store::ParsedArn> parsed = store::ParseArn(role_arn);
  if (!parsed.ok() || parsed->type != "role") {
    return ValidationError(role_arn + " is not a valid role ARN.");
  }
  Result<store::Role> role = c.store.GetRole(parsed->account_id, parsed->name);
  if (!role.ok()) {
    if (role.status().code() == StatusCode::kNoSuchEntity) return NotAuthorized(caller, "sts:AssumeRole", role_arn);
    return role.status();
  }
  if (role->arn != role_arn) return NotAuthorized(caller, "sts:AssumeRole", role_arn);  // another path

  bool chained = from.kind == SessionKind::kAssumedRole;
  int64_t duration = c.in.contains("DurationSeconds") ? c.in["DurationSeconds"].get<int64_t>() : 3600;
  if (chained && duration > 3600) {
    return ValidationError("The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by "
                           "role chaining.");
  }
  if (duration > role->max_session_duration) {
    return ValidationError("The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
  }
  IAM_ASSIGN_OR_RETURN(SessionInputs inputs, ReadSessionInputs(c.in));
  bool request_mfa = false;
  IAM_RETURN_IF_ERROR(CheckRequestMfa(c, &request_mfa));
  bool mfa = request_mfa || from.mfa_authenticated;

  std::string source_identity = Str(c.in, "SourceIdentity");
  if (chained && !from.source_identity.empty()) {
    if (!source_identity.empty() && source_identity != from.source_identity) {
      return AccessDenied("The source identity of a role session cannot be changed: it is " + from.source_identity +
                          ".");
    }
    source_identity = from.source_identity;
  }

  Result<policy::Policy> trust = policy::Policy::Parse(role->assume_role_policy_document, policy::PolicyType::kTrust);
  if (!trust.ok()) return Internal("stored trust policy does not parse: " + trust.status().message());
  std::optional<policy::Policy> trust_policy = *trust;
  auto extend = [&](policy::RequestContext& ctx) { AddRequestContext(ctx, c.in, inputs, mfa); };
  // Every action the request implies must be allowed by the trust policy
  // (and the caller's policies, by AWS's account rules).
  std::vector<std::string> actions = {"sts:AssumeRole"};
  if (!inputs.tags.empty()) actions.push_back("sts:TagSession");
  if (!Str(c.in, "SourceIdentity").empty()) actions.push_back("sts:SetSourceIdentity");
  for (const std::string& action : actions) {
    IAM_ASSIGN_OR_RETURN(policy::Decision d,
                         c.authz.Decide(caller, action, role->arn, role->account_id, trust_policy, extend));
    if (d.effect != policy::Effect::kAllow) return NotAuthorized(caller, action, role->arn);
  }

  RoleSessionRequest r;
  r.role = std::move(role).value();
  r.session_name = Str(c.in, "RoleSessionName");
  r.duration_seconds = duration;
  r.inputs = std::move(inputs);
  r.source_identity = source_identity;
  r.mfa_authenticated = mfa;
  r.chained = chained;
  return IssueRoleSession(c, r);
}

}  // namespace

void AddAssumeRoleOps(OpTable& ops) { ops["AssumeRole"] = AssumeRole; }

}  // namespace iam::service::sts
