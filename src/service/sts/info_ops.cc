// GetCallerIdentity, GetAccessKeyInfo and DecodeAuthorizationMessage.
#include <string>

#include "auth/session_token.h"
#include "common/status_macros.h"
#include "service/sts/authorization_message.h"
#include "service/sts/sts_ops.h"

namespace iam::service::sts {
namespace {

using nlohmann::json;

// Permission for an STS action on "*", by the caller's identity policies.
Status Allowed(Ctx& c, const std::string& action) {
  if (c.caller.is_root && !c.caller.temporary()) return Status();
  IAM_ASSIGN_OR_RETURN(policy::Decision d,
                       c.authz.Decide(c.caller, action, "*", c.caller.account_id, std::nullopt, nullptr));
  if (d.effect == policy::Effect::kAllow) return Status();
  return AccessDenied("User: " + c.caller.arn + " is not authorized to perform: " + action);
}

// No permission needed, and none can deny it (AWS).
Result<json> GetCallerIdentity(Ctx& c) {
  json out = json::object();  // member by member: a braced list costs several times the allocations
  out["UserId"] = c.caller.user_id;
  out["Account"] = c.caller.account_id;
  out["Arn"] = c.caller.arn;
  return out;
}

Result<json> GetAccessKeyInfo(Ctx& c) {
  IAM_RETURN_IF_ERROR(Allowed(c, "sts:GetAccessKeyInfo"));
  const std::string id = c.in.value("AccessKeyId", "");
  // iamd's long-term keys are random: look them up. Temporary keys carry
  // their account, as AWS's do.
  Result<store::AccessKey> key = c.store.GetAccessKey(id);
  if (key.ok()) return json{{"Account", key->account_id}};
  if (key.status().code() != StatusCode::kNoSuchEntity) return key.status();
  Result<RootKey> root = c.root_keys.Find(id);
  if (root.ok()) return json{{"Account", root->account_id}};
  if (root.status().code() != StatusCode::kNoSuchEntity) return root.status();
  std::optional<std::string> account = auth::AccountOfAccessKeyId(id);
  if (!account) return ValidationError("The access key ID " + id + " is not valid.");
  return json{{"Account", *account}};
}

Result<json> DecodeMessage(Ctx& c) {
  IAM_RETURN_IF_ERROR(Allowed(c, "sts:DecodeAuthorizationMessage"));
  IAM_ASSIGN_OR_RETURN(std::string text,
                       DecodeAuthorizationMessage(c.ring, c.caller.account_id, c.in.value("EncodedMessage", "")));
  return json{{"DecodedMessage", text}};
}

}  // namespace

void AddInfoOps(OpTable& ops) {
  ops["GetCallerIdentity"] = GetCallerIdentity;
  ops["GetAccessKeyInfo"] = GetAccessKeyInfo;
  ops["DecodeAuthorizationMessage"] = DecodeMessage;
}

}  // namespace iam::service::sts
