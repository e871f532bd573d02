// The STS operations: AssumeRole, AssumeRoleWithWebIdentity,
// AssumeRoleWithSAML, GetSessionToken, GetFederationToken,
// GetCallerIdentity, GetAccessKeyInfo and DecodeAuthorizationMessage. Each
// takes its input as the Query layer parsed it (keyed by the botocore sts
// model's member names) and returns the output shape, or a Status the API
// layer maps to AWS's error. Unlike IAM operations, STS operations authorize
// themselves: who may assume a role is the role's trust policy's decision,
// together with the caller's identity policies (AWS's same-account and
// cross-account rules), so the operation needs the role first.
//
//   StsService sts(store, authz, root_keys);
//   Result<nlohmann::json> out = sts.Call(caller, "AssumeRole", input, ring, now, "us-east-1");
//
// `now` is the session clock in seconds (issue and expiry of sessions).
// Thread-safety: as thread-safe as the Store and the Authorizer (both are).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "crypto/key_ring.h"
#include "iamd/status.h"
#include "service/authz/authorizer.h"
#include "service/caller.h"
#include "service/iam/root_keys.h"
#include "service/sts/sts_ops.h"
#include "store/store.h"

namespace iam::service::sts {

class StsService {
 public:
  StsService(store::Store& store, Authorizer& authz, RootKeys& root_keys);

  // Where AssumeRoleWithWebIdentity finds providers' keys (oidc_keys.h).
  // Set before serving; empty (the default) refuses web identities with
  // IDPCommunicationError.
  void SetOidcJwksDir(std::string dir) { oidc_jwks_dir_ = std::move(dir); }

  // True for the operations Call() implements.
  bool Implements(std::string_view operation) const { return ops_.contains(operation); }

  // Runs `operation`. kInvalidAction if it is not implemented; otherwise
  // kAccessDenied (AWS's wording), kValidationError, kMalformedPolicyDocument,
  // kPackedPolicyTooLarge, kInvalidAuthorizationMessage, and the store's codes.
  Result<nlohmann::json> Call(const Caller& caller, std::string_view operation, const nlohmann::json& input,
                              const crypto::KeyRing& ring, int64_t now, std::string_view region);

 private:
  store::Store& store_;
  Authorizer& authz_;
  RootKeys& root_keys_;
  OpTable ops_;
  std::string oidc_jwks_dir_;
};

}  // namespace iam::service::sts
