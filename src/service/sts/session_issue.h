// Issuing temporary credentials, shared by every STS operation that makes a
// session: reading the session policies and tags a request passes, sealing a
// session record into a token, and (for AssumeRole and the federated
// AssumeRoleWith... operations) issuing a role session once the trust
// decision has allowed it. Also the reverse: the Caller a token stands for.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "auth/session_token.h"
#include "iamd/policy.h"
#include "iamd/status.h"
#include "service/caller.h"
#include "service/sts/sts_ops.h"
#include "store/model.h"

namespace iam::service::sts {

// Session policies and tags as a request passes them (Policy, PolicyArns,
// Tags, TransitiveTagKeys), checked.
struct SessionInputs {
  std::string policy;                    // inline session policy
  std::vector<std::string> policy_arns;  // managed session policies
  std::vector<auth::SessionTag> tags;
  std::vector<std::string> transitive_tag_keys;
  // AWS's PackedPolicySize: percent of the packed room the policies and
  // tags use; only reported when some were passed.
  int packed_percent = 0;
  bool any = false;
};

// Reads and checks them. kMalformedPolicyDocument (inline policy), kValidationError
// (a policy ARN that is not one, duplicate or reserved tag keys, transitive
// keys not among the tags), kPackedPolicyTooLarge.
Result<SessionInputs> ReadSessionInputs(const nlohmann::json& in);

// The request's session tags as the trust decision sees them:
// aws:RequestTag/KEY, aws:TagKeys and sts:TransitiveTagKeys.
void AddSessionTagContext(policy::RequestContext& ctx, const SessionInputs& inputs);

// The packed size as a percent of the room: the inline policy's characters
// (white space outside strings not counted), the ARNs and the tags, over
// 2,048. Exposed for tests.
int PackedPercent(const std::string& policy, const std::vector<std::string>& policy_arns,
                  const std::vector<auth::SessionTag>& tags);

// Fills the record's access key id, secret, issue and expiry times, seals it
// and returns the model's Credentials shape. kInternal on sealing failures.
Result<nlohmann::json> IssueCredentials(Ctx& c, auth::SessionRecord& record, int64_t duration_seconds);

// A role session to issue, after the trust policy allowed it.
struct RoleSessionRequest {
  store::Role role;
  std::string session_name;
  int64_t duration_seconds = 3600;
  SessionInputs inputs;
  std::string source_identity;
  bool mfa_authenticated = false;
  // The caller is a role session (role chaining): its transitive tags and
  // source identity carry over.
  bool chained = false;
};

// Issues credentials for the role session: AssumeRole's answer shape
// (Credentials, AssumedRoleUser, PackedPolicySize, SourceIdentity) and the
// role's last use. kValidationError when a request tag overrides a
// transitive tag of the calling session.
Result<nlohmann::json> IssueRoleSession(Ctx& c, const RoleSessionRequest& r);

// The caller a session record stands for.
Caller CallerFromSession(const auth::SessionRecord& r);

}  // namespace iam::service::sts
