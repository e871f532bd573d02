// The two federated ways to a role session, AssumeRoleWithWebIdentity (an
// OpenID Connect ID token) and AssumeRoleWithSAML (a signed SAML response),
// and what they share once the identity provider's token has verified: the
// role, the session's duration, the session tags and source identity the
// provider passes, the trust decision with the provider as the principal
// (trust policies name it as "Federated"), and the answer. Both requests come
// unsigned, as on AWS: the token is the credential, so c.caller is empty.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "auth/session_token.h"
#include "iamd/status.h"
#include "service/sts/sts_ops.h"

namespace iam::service::sts {

// A verified provider token's request for a role session.
struct FederatedAssume {
  std::string action;        // "sts:AssumeRoleWithWebIdentity" or "sts:AssumeRoleWithSAML"
  std::string provider_arn;  // the principal: arn:aws:iam::ACCOUNT:oidc-provider/... or saml-provider/...
  std::string role_arn;
  std::string session_name;
  std::optional<int64_t> provider_duration;  // SAML's SessionDuration attribute
  std::vector<auth::SessionTag> tags;        // the provider's principal tags
  std::vector<std::string> transitive_tag_keys;
  std::string source_identity;
  // Condition keys the token sets for the trust decision (<provider>:sub,
  // saml:aud, ...), each with its values.
  std::vector<std::pair<std::string, std::vector<std::string>>> context;
};

// Checks the role and the trust policy (f.action, and sts:TagSession and
// sts:SetSourceIdentity when the provider passes tags or a source identity)
// and issues the session: AssumeRole's answer shape, to which the caller adds
// its provider's fields. kAccessDenied ("Not authorized to perform ...") for a
// missing or untrusting role or a provider of another account;
// kValidationError (role ARN, DurationSeconds over the role's maximum, bad
// tags); kMalformedPolicyDocument and kPackedPolicyTooLarge (session policies).
Result<nlohmann::json> AssumeFederatedRole(Ctx& c, const FederatedAssume& f);

// The operations (web_identity_ops.cc, saml_ops.cc).
Result<nlohmann::json> AssumeRoleWithWebIdentity(Ctx& c);
Result<nlohmann::json> AssumeRoleWithSaml(Ctx& c);

}  // namespace iam::service::sts
