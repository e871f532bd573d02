// Authorization of IAM operations: iamd protects itself with its own policy
// engine, as AWS IAM does. For an operation it finds the action
// (iam:<Operation>) and the resource ARN AWS authorizes it against, gathers
// the caller's identity policies (inline, attached, its groups', and its
// permissions boundary; for a role session the role's, intersected with the
// session policies) and evaluates them with the request context keys
// aws:username, aws:userid, aws:PrincipalArn, aws:PrincipalAccount,
// aws:PrincipalType, aws:PrincipalTag/..., aws:CurrentTime, aws:EpochTime,
// aws:SourceIp, aws:SecureTransport and, for temporary credentials,
// aws:MultiFactorAuthPresent, aws:MultiFactorAuthAge, aws:TokenIssueTime and
// aws:SourceIdentity. The account root may do everything in its account.
// Sessions follow AWS's rules: GetSessionToken credentials reach IAM only
// with MFA, GetFederationToken credentials never.
//
//   Authorizer authz(store);
//   IAM_RETURN_IF_ERROR(authz.Authorize(caller, "CreateUser", input));
//
// Compiled policy sets are cached per principal and dropped when the store's
// Generation() moves, so a policy change applies to the next request; when
// the reload fails with kServiceFailure (database unreachable) the last set
// is used, so decisions go on from cache (static stability).
// Thread-safety: safe to share between threads.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "iamd/policy.h"
#include "iamd/status.h"
#include "service/authz/identity_cache.h"
#include "service/caller.h"
#include "store/store.h"

namespace iam::service {

class Authorizer {
 public:
  explicit Authorizer(store::Store& store) : store_(store), identities_(store) {}

  // OK when the caller may run `operation` with `input`. kAccessDenied with
  // AWS's message otherwise; kServiceFailure/kInternal from the store.
  Status Authorize(const Caller& caller, std::string_view operation, const nlohmann::json& input);

  // Decide evaluates `action` on `resource` for the caller's identity side
  // together with `resource_policy` (a role's trust policy, for instance),
  // `extend` adding request-specific context keys. kServiceFailure/kInternal
  // from the store.
  Result<policy::Decision> Decide(const Caller& caller, std::string_view action, const std::string& resource,
                                  const std::string& resource_account,
                                  const std::optional<policy::Policy>& resource_policy,
                                  const std::function<void(policy::RequestContext&)>& extend);

  // The resource ARN AWS authorizes `operation` against ("*" when it has
  // none), with the path of existing users and groups. Exposed for tests.
  std::string ResourceArn(const Caller& caller, std::string_view operation, const nlohmann::json& input);

  // Names to ids and ARNs, cached by store generation (shared with the
  // decision endpoint, which names principals by ARN).
  IdentityCache& identities() { return identities_; }

 private:
  // A caller's context keys that do not change within a second: all but
  // aws:SourceIp and aws:SecureTransport (immutable once built).
  struct CallerKeys {
    int64_t second = 0;  // the epoch second of aws:CurrentTime and aws:EpochTime
    policy::RequestContext context;
    // Decisions taken with these keys and nothing else (no `extend`, no
    // resource policy), by the rest of the request. Evaluate is a pure
    // function: the same question in the same second, store generation and
    // caller decides the same (a resource server's iamd:Authorize on every
    // call, for instance).
    struct Remembered {
      std::string action, resource, resource_account, source_ip;
      bool secure_transport = false;
      policy::Decision decision;
    };
    mutable std::mutex memo_mu;
    mutable std::vector<Remembered> memo;  // a few entries
  };
  struct Compiled {
    int64_t generation = 0;
    policy::PolicySet full;           // identity, boundary and session policy
    std::optional<policy::CompiledPolicySet> prepared;  // `full`, indexed by action (the fast path)
    policy::PolicySet identity_only;  // to word denials as AWS
    policy::PolicySet with_boundary;  // identity and boundary, no session policy
    std::vector<store::Tag> principal_tags;  // the user's or role's tags
    // CallerKeys by IdentityKey(caller), rebuilt when the second moves: a
    // request copies them instead of building and lower-casing each key.
    mutable std::mutex keys_mu;
    mutable std::unordered_map<std::string, std::shared_ptr<const CallerKeys>> keys;
  };
  Result<std::shared_ptr<const Compiled>> PoliciesOf(const Caller& caller);
  Result<std::shared_ptr<Compiled>> Load(const Caller& caller);
  // The caller's context keys at `second`, kept in `policies` (see CallerKeys).
  static std::shared_ptr<const CallerKeys> KeysOf(const Caller& caller, const Compiled& policies, int64_t second);
  // Fills `req` (a thread's reused request: its storage is kept) with the
  // caller's principal and context keys.
  static void FillRequest(const Caller& caller, const CallerKeys& keys, policy::Request& req);
  // The caller's context keys at `second` (see CallerKeys), built anew.
  static std::shared_ptr<const CallerKeys> BuildKeys(const Caller& caller, const Compiled& policies, int64_t second);

  store::Store& store_;
  IdentityCache identities_;
  std::mutex mu_;
  // Key: account, principal and session policies (see CacheKey).
  std::map<std::string, std::shared_ptr<const Compiled>> cache_;
};

}  // namespace iam::service
