// Authorization of IAM operations: iamd protects itself with its own policy
// engine, as AWS IAM does. For an operation it finds the action
// (iam:<Operation>) and the resource ARN AWS authorizes it against, gathers
// the caller's identity policies (inline, attached, its groups', and its
// permissions boundary) and evaluates them with the request context keys
// aws:username, aws:userid, aws:PrincipalArn, aws:PrincipalAccount,
// aws:CurrentTime, aws:EpochTime, aws:SourceIp and aws:SecureTransport.
// The account root may do everything in its account.
//
//   Authorizer authz(store);
//   IAM_RETURN_IF_ERROR(authz.Authorize(caller, "CreateUser", input));
//
// Compiled policy sets are cached per principal and dropped when the store's
// Generation() moves, so a policy change applies to the next request.
// Thread-safety: safe to share between threads.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "iamd/policy.h"
#include "iamd/status.h"
#include "service/caller.h"
#include "store/store.h"

namespace iam::service {

class Authorizer {
 public:
  explicit Authorizer(store::Store& store) : store_(store) {}

  // OK when the caller may run `operation` with `input`. kAccessDenied with
  // AWS's message otherwise; kServiceFailure/kInternal from the store.
  Status Authorize(const Caller& caller, std::string_view operation, const nlohmann::json& input);

  // The resource ARN AWS authorizes `operation` against ("*" when it has
  // none), with the path of existing users and groups. Exposed for tests.
  std::string ResourceArn(const Caller& caller, std::string_view operation, const nlohmann::json& input);

 private:
  struct Compiled {
    int64_t generation = 0;
    policy::PolicySet with_boundary;
    policy::PolicySet without_boundary;  // to word boundary denials as AWS
  };
  Result<std::shared_ptr<const Compiled>> PoliciesOf(const Caller& caller);

  store::Store& store_;
  std::mutex mu_;
  std::map<std::string, std::shared_ptr<const Compiled>> cache_;  // key: account/user name
};

}  // namespace iam::service
