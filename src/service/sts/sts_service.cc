#include "service/sts/sts_service.h"

namespace iam::service::sts {

StsService::StsService(store::Store& store, Authorizer& authz, RootKeys& root_keys)
    : store_(store), authz_(authz), root_keys_(root_keys) {
  AddAssumeRoleOps(ops_);
  AddSessionTokenOps(ops_);
  AddInfoOps(ops_);
  AddFederationOps(ops_);
}

Result<nlohmann::json> StsService::Call(const Caller& caller, std::string_view operation, const nlohmann::json& input,
                                        const crypto::KeyRing& ring, int64_t now, std::string_view region) {
  auto it = ops_.find(operation);
  if (it == ops_.end()) {
    return Status(StatusCode::kInvalidAction, "iamd does not implement the sts operation " + std::string(operation));
  }
  // AWS: GetSessionToken credentials call only AssumeRole and
  // GetCallerIdentity in STS; GetFederationToken credentials only the latter.
  SessionKind kind = caller.session.kind;
  bool limited = (kind == SessionKind::kUserSession && operation != "AssumeRole") ||
                 kind == SessionKind::kFederatedUser;
  if (limited && operation != "GetCallerIdentity" && operation != "GetSessionToken" &&
      operation != "GetFederationToken") {
    return AccessDenied("User: " + caller.arn + " is not authorized to perform: sts:" + std::string(operation) +
                        " with credentials from " +
                        (kind == SessionKind::kUserSession ? "GetSessionToken" : "GetFederationToken"));
  }
  Ctx ctx{store_, ring, authz_, root_keys_, caller, input, now, region, oidc_jwks_dir_};
  return it->second(ctx);
}

}  // namespace iam::service::sts
