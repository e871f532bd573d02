// AssumeRoleWithWebIdentity and AssumeRoleWithSAML register here; the part
// they share after verifying the provider's token (federation.h).
#include <algorithm>
#include <string>

#include "common/status_macros.h"
#include "iamd/policy.h"
#include "service/sts/federation.h"
#include "service/sts/session_issue.h"
#include "service/sts/sts_ops.h"
#include "store/ids.h"

namespace iam::service::sts {
namespace {

using nlohmann::json;

// AWS's refusal, the same whether the role is missing or untrusting.
Status NotAuthorized(const std::string& action) { return AccessDenied("Not authorized to perform " + action); }

int64_t DurationOf(const Ctx& c, const FederatedAssume& f, const store::Role& role, bool* too_long) {
  *too_long = false;
  if (auto it = c.in.find("DurationSeconds"); it != c.in.end() && it->is_number_integer()) {
    int64_t d = it->get<int64_t>();
    *too_long = d > role.max_session_duration;
    return d;
  }
  // The provider's SessionDuration is a wish, held to the role's bounds.
  if (f.provider_duration) return std::clamp<int64_t>(*f.provider_duration, 900, role.max_session_duration);
  return std::min<int64_t>(3600, role.max_session_duration);
}

// The session policies of the request with the provider's tags, checked by
// the rules AssumeRole applies to tags passed as parameters.
Result<SessionInputs> InputsOf(const Ctx& c, const FederatedAssume& f) {
  json in = c.in;
  in.erase("Tags");
  in.erase("TransitiveTagKeys");
  if (!f.tags.empty()) {
    json tags = json::array();
    for (const auth::SessionTag& t : f.tags) tags.push_back({{"Key", t.key}, {"Value", t.value}});
    in["Tags"] = std::move(tags);
  }
  if (!f.transitive_tag_keys.empty()) in["TransitiveTagKeys"] = f.transitive_tag_keys;
  if (f.tags.size() > auth::kMaxSessionTags) {
    return Status(StatusCode::kIdpRejectedClaim, "The identity provider passed more than 50 session tags.");
  }
  return ReadSessionInputs(in);
}

}  // namespace

Result<json> AssumeFederatedRole(Ctx& c, const FederatedAssume& f) {
  Result<store::ParsedArn> parsed = store::ParseArn(f.role_arn);
  if (!parsed.ok() || parsed->type != "role") return ValidationError(f.role_arn + " is not a valid role ARN.");
  Result<store::ParsedArn> provider = store::ParseArn(f.provider_arn);
  if (!provider.ok() || provider->account_id != parsed->account_id) return NotAuthorized(f.action);
  Result<store::Role> role = c.store.GetRole(parsed->account_id, parsed->name);
  if (!role.ok()) {
    if (role.status().code() == StatusCode::kNoSuchEntity) return NotAuthorized(f.action);
    return role.status();
  }
  if (role->arn != f.role_arn) return NotAuthorized(f.action);  // another path

  bool too_long = false;
  int64_t duration = DurationOf(c, f, *role, &too_long);
  if (too_long) {
    return ValidationError("The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
  }
  IAM_ASSIGN_OR_RETURN(SessionInputs inputs, InputsOf(c, f));

  Result<policy::Policy> trust = policy::Policy::Parse(role->assume_role_policy_document, policy::PolicyType::kTrust);
  if (!trust.ok()) return Internal("stored trust policy does not parse: " + trust.status().message());
  policy::PolicySet set;
  set.resource = std::move(trust).value();
  policy::Request req;
  req.principal = f.provider_arn;
  req.resource = role->arn;
  req.resource_account = role->account_id;
  req.context.Set("aws:FederatedProvider", f.provider_arn);
  req.context.Set("sts:RoleSessionName", f.session_name);
  if (!c.caller.source_ip.empty()) req.context.Set("aws:SourceIp", c.caller.source_ip);
  if (!f.source_identity.empty()) req.context.Set("sts:SourceIdentity", f.source_identity);
  for (const auto& [key, values] : f.context) req.context.SetMulti(key, values);
  AddSessionTagContext(req.context, inputs);
  std::vector<std::string> actions = {f.action};
  if (!inputs.tags.empty()) actions.push_back("sts:TagSession");
  if (!f.source_identity.empty()) actions.push_back("sts:SetSourceIdentity");
  for (const std::string& action : actions) {
    req.action = action;
    if (policy::Evaluate(req, set).effect != policy::Effect::kAllow) return NotAuthorized(action);
  }

  RoleSessionRequest r;
  r.role = std::move(role).value();
  r.session_name = f.session_name;
  r.duration_seconds = duration;
  r.inputs = std::move(inputs);
  r.source_identity = f.source_identity;
  return IssueRoleSession(c, r);
}

void AddFederationOps(OpTable& ops) {
  ops["AssumeRoleWithWebIdentity"] = AssumeRoleWithWebIdentity;
  ops["AssumeRoleWithSAML"] = AssumeRoleWithSaml;
}

}  // namespace iam::service::sts
