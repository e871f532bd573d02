// The IAM operations over the store: each takes the operation's input as
// parsed by the Query layer (a JSON object keyed by the botocore model's
// member names) and returns the output shaped like the model's output shape,
// or a Status the API layer maps to AWS's error. Policy documents are checked
// with the policy engine (kMalformedPolicyDocument) before they are stored,
// and returned URL-encoded as AWS returns them. Access key secrets are
// generated here, sealed with the key ring, and appear in plaintext only in
// CreateAccessKey's answer.
//
//   IamService iam(store, ring);
//   Result<nlohmann::json> out = iam.Call(caller, "CreateUser", {{"UserName", "alice"}});
//
// Authorization is not done here (authz/authorizer.h): callers authorize first.
// Thread-safety: as thread-safe as the Store (which is).
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "crypto/key_ring.h"
#include "iamd/status.h"
#include "service/caller.h"
#include "store/store.h"

namespace iam::service {

class IamService {
 public:
  IamService(store::Store& store, const crypto::KeyRing& ring) : store_(store), ring_(ring) {}

  // True for the operations Call() implements.
  static bool Implements(std::string_view operation);

  // Runs `operation`. kInvalidAction if it is not implemented; otherwise the
  // store's and the policy engine's codes (kNoSuchEntity, kEntityAlreadyExists,
  // kDeleteConflict, kLimitExceeded, kMalformedPolicyDocument, kValidationError).
  Result<nlohmann::json> Call(const Caller& caller, std::string_view operation, const nlohmann::json& input);

 private:
  store::Store& store_;
  const crypto::KeyRing& ring_;
};

// Percent-encodes all but RFC 3986 unreserved characters, as IAM returns
// policy documents.
std::string UrlEncodePolicy(std::string_view s);

}  // namespace iam::service
