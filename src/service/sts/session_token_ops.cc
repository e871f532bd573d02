// GetSessionToken and GetFederationToken: sessions of an IAM user (or the
// root) from its long-term credentials.
#include <algorithm>
#include <string>

#include "common/status_macros.h"
#include "service/sts/mfa.h"
#include "service/sts/session_issue.h"
#include "service/sts/sts_ops.h"

namespace iam::service::sts {
namespace {

using nlohmann::json;

// AWS: 12 hours by default for users (900 s to 36 h); the root is held to one hour.
int64_t Duration(const Ctx& c) {
  int64_t d = c.in.contains("DurationSeconds") ? c.in["DurationSeconds"].get<int64_t>() : 43200;
  if (c.caller.is_root) d = std::min<int64_t>(d, 3600);
  return d;
}

// Fills the record's principal from the long-term caller.
void FromCaller(const Caller& caller, auth::SessionRecord& r) {
  r.account_id = caller.account_id;
  r.is_root = caller.is_root;
  r.user_name = caller.user_name;
  r.user_id = caller.user_id;
  r.user_arn = caller.arn;
}

Result<json> GetSessionToken(Ctx& c) {
  if (c.caller.temporary()) return AccessDenied("Cannot call GetSessionToken with session credentials");
  bool mfa = false;
  IAM_RETURN_IF_ERROR(CheckRequestMfa(c, &mfa));
  auth::SessionRecord r;
  r.kind = auth::SessionKind::kUserSession;
  FromCaller(c.caller, r);
  r.mfa_authenticated = mfa;
  IAM_ASSIGN_OR_RETURN(json credentials, IssueCredentials(c, r, Duration(c)));
  return json{{"Credentials", std::move(credentials)}};
}

Result<json> GetFederationToken(Ctx& c) {
  const Caller& caller = c.caller;
  if (caller.temporary()) return AccessDenied("Cannot call GetFederationToken with session credentials");
  const std::string name = c.in.value("Name", "");
  const std::string federated_arn = FederatedUserArn(caller.account_id, name);
  IAM_ASSIGN_OR_RETURN(SessionInputs inputs, ReadSessionInputs(c.in));
  if (!caller.is_root) {
    std::vector<std::string> actions = {"sts:GetFederationToken"};
    if (!inputs.tags.empty()) actions.push_back("sts:TagSession");
    for (const std::string& action : actions) {
      IAM_ASSIGN_OR_RETURN(policy::Decision d,
                           c.authz.Decide(caller, action, federated_arn, caller.account_id, std::nullopt,
                                          [&](policy::RequestContext& ctx) {
                                            for (const auth::SessionTag& t : inputs.tags) {
                                              ctx.Set("aws:RequestTag/" + t.key, t.value);
                                            }
                                          }));
      if (d.effect != policy::Effect::kAllow) {
        return AccessDenied("User: " + caller.arn + " is not authorized to perform: " + action +
                            " on resource: " + federated_arn);
      }
    }
  }
  auth::SessionRecord r;
  r.kind = auth::SessionKind::kFederatedUser;
  FromCaller(caller, r);
  r.session_name = name;
  r.session_policy = inputs.policy;
  r.policy_arns = inputs.policy_arns;
  r.tags = inputs.tags;
  IAM_ASSIGN_OR_RETURN(json credentials, IssueCredentials(c, r, Duration(c)));
  json out = {{"Credentials", std::move(credentials)},
              {"FederatedUser", {{"FederatedUserId", caller.account_id + ":" + name}, {"Arn", federated_arn}}}};
  if (inputs.any) out["PackedPolicySize"] = inputs.packed_percent;
  return out;
}

}  // namespace

void AddSessionTokenOps(OpTable& ops) {
  ops["GetSessionToken"] = GetSessionToken;
  ops["GetFederationToken"] = GetFederationToken;
}

}  // namespace iam::service::sts
