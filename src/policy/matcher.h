// Matching one compiled statement against one prepared request: action,
// resource, principal and conditions. Used by the evaluator.
#pragma once

#include <string>
#include <string_view>

#include "iamd/policy.h"
#include "policy/arn.h"
#include "policy/compiled.h"

namespace iam::policy {

// Who is asking, derived once per request from Request::principal.
struct Caller {
  enum class Kind { kAnonymous, kUser, kRole, kAssumedRole, kFederatedUser, kRoot, kService, kOther };
  Kind kind = Kind::kAnonymous;
  std::string_view arn;        // as given
  std::string_view account;    // 12 digits, or empty
  std::string_view role_name;  // kAssumedRole: the role's name
  std::string_view lower_service_principal;  // unused unless kService
};
Caller ParseCaller(std::string_view principal, std::string& lower_buffer);

// The request with its action lower-cased and split, ready for matching.
struct PreparedRequest {
  const Request* request;
  std::string_view lower_action;
  std::string_view lower_service;
  uint32_t service_hash;  // RequestContext::KeyHash(lower_service)
  ArnView resource;       // request->resource, split once
  Caller caller;
};

// How a resource-policy statement's Principal named the caller; the
// evaluator needs it for AWS's account rules. Higher is more specific.
enum class PrincipalMatch { kNone, kAccount, kWildcard, kRole, kDirect };

// True if the statement's Resource/NotResource and Condition all match.
// Action (Compiled::ActionApplies) and Principal are not looked at here.
bool ResourceAndConditionsApply(const CompiledStatement& st, const PreparedRequest& req);
// How Principal/NotPrincipal names the caller (kNone: not at all).
// `has_boundary`: the caller has a permissions boundary (AWS quirk of
// Deny + NotPrincipal).
PrincipalMatch MatchPrincipal(const CompiledStatement& st, const Caller& caller, bool has_boundary);

}  // namespace iam::policy
