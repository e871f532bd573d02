// What every STS operation handler shares: its context and the table the
// handlers register in (one file per family). Other families (web identity,
// SAML) add themselves through AddFederationOps. Internal to service/sts:
// sts_service.h is the public face.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "crypto/key_ring.h"
#include "iamd/status.h"
#include "service/authz/authorizer.h"
#include "service/caller.h"
#include "service/iam/root_keys.h"
#include "store/store.h"

namespace iam::service::sts {

struct Ctx {
  store::Store& store;
  const crypto::KeyRing& ring;
  Authorizer& authz;
  RootKeys& root_keys;
  const Caller& caller;
  const nlohmann::json& in;
  int64_t now;              // session clock, seconds since the epoch
  std::string_view region;  // of the request's credential scope
  std::string_view oidc_jwks_dir = {};  // where OIDC providers' keys are (oidc_keys.h)
};

using Op = std::function<Result<nlohmann::json>(Ctx&)>;
using OpTable = std::map<std::string, Op, std::less<>>;

void AddAssumeRoleOps(OpTable& ops);     // AssumeRole
void AddSessionTokenOps(OpTable& ops);   // GetSessionToken, GetFederationToken
void AddInfoOps(OpTable& ops);           // GetCallerIdentity, GetAccessKeyInfo, DecodeAuthorizationMessage
void AddFederationOps(OpTable& ops);     // AssumeRoleWithWebIdentity, AssumeRoleWithSAML

}  // namespace iam::service::sts
