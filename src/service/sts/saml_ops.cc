// AssumeRoleWithSAML: a SAML response signed by the provider registered in
// IAM (PrincipalArn), naming the role (RoleArn) among its Role attribute's
// role/provider pairs, for a role whose trust policy names that provider.
#include <string>

#include "auth/saml.h"
#include "common/status_macros.h"
#include "crypto/base64.h"
#include "crypto/hash.h"
#include "service/sts/federation.h"
#include "store/ids.h"
#include "store/validation.h"

namespace iam::service::sts {
namespace {

using nlohmann::json;

constexpr char kPrincipalTagPrefix[] = "https://aws.amazon.com/SAML/Attributes/PrincipalTag:";
constexpr char kTransitiveTagKeysAttribute[] = "https://aws.amazon.com/SAML/Attributes/TransitiveTagKeys";
constexpr char kSourceIdentityAttribute[] = "https://aws.amazon.com/SAML/Attributes/SourceIdentity";

std::string Str(const json& in, const char* key) {
  auto it = in.find(key);
  return it != in.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// The first value of an attribute, or "".
std::string First(const auth::SamlAssertion& a, const char* name) {
  auto it = a.attributes.find(name);
  return it == a.attributes.end() || it->second.empty() ? std::string() : it->second.front();
}

}  // namespace

Result<json> AssumeRoleWithSaml(Ctx& c) {
  const std::string role_arn = Str(c.in, "RoleArn");
  const std::string provider_arn = Str(c.in, "PrincipalArn");
  Result<store::ParsedArn> parsed = store::ParseArn(provider_arn);
  if (!parsed.ok() || parsed->type != "saml-provider") {
    return ValidationError(provider_arn + " is not a valid SAML provider ARN.");
  }
  Result<store::SamlProvider> provider = c.store.GetSamlProvider(parsed->account_id, provider_arn);
  if (!provider.ok()) {
    if (provider.status().code() != StatusCode::kNoSuchEntity) return provider.status();
    return Status(StatusCode::kInvalidIdentityToken, "Specified provider doesn't exist.");
  }
  Result<auth::SamlMetadata> metadata = auth::ParseSamlMetadata(provider->metadata_document);
  if (!metadata.ok()) return Internal("stored SAML metadata does not parse: " + metadata.status().message());
  auth::SamlExpectations expect;
  expect.metadata = &*metadata;
  expect.now = c.now;
  IAM_ASSIGN_OR_RETURN(auth::SamlAssertion a, auth::VerifySamlResponse(Str(c.in, "SAMLAssertion"), expect));

  // The IdP must have granted this role through this provider.
  bool granted = false;
  for (const auto& [role, principal] : a.roles) granted |= role == role_arn && principal == provider_arn;
  if (!granted) return AccessDenied("Not authorized to perform sts:AssumeRoleWithSAML");
  // [\w+=,.@-]{2,64}: the identity name pattern, at least two characters.
  if (a.role_session_name.size() < 2 || !store::ValidateName(a.role_session_name, "roleSessionName", 64).ok()) {
    return Status(StatusCode::kIdpRejectedClaim,
                  "The RoleSessionName attribute must be 2 to 64 characters of [\\w+=,.@-].");
  }

  // AWS: NameQualifier = Base64(SHA1(Issuer + account id + "/" + provider name)).
  const std::string name_qualifier =
      crypto::Base64Encode(crypto::Sha1(a.issuer + provider->account_id + "/" + provider->name));
  FederatedAssume f;
  f.action = "sts:AssumeRoleWithSAML";
  f.provider_arn = provider_arn;
  f.role_arn = role_arn;
  f.session_name = a.role_session_name;
  f.provider_duration = a.session_duration;
  f.source_identity = First(a, kSourceIdentityAttribute);
  const std::string prefix = kPrincipalTagPrefix;
  for (const auto& [name, values] : a.attributes) {
    if (name.starts_with(prefix) && !values.empty()) f.tags.push_back({name.substr(prefix.size()), values.front()});
  }
  if (auto it = a.attributes.find(kTransitiveTagKeysAttribute); it != a.attributes.end()) {
    f.transitive_tag_keys = it->second;
  }
  f.context = {{"saml:aud", {a.recipient}},
               {"saml:sub", {a.subject}},
               {"saml:sub_type", {a.subject_type}},
               {"saml:iss", {a.issuer}},
               {"saml:namequalifier", {name_qualifier}},
               {"saml:doc", {provider->account_id + "/" + provider->name}}};

  IAM_ASSIGN_OR_RETURN(json out, AssumeFederatedRole(c, f));
  out["Subject"] = a.subject;
  out["SubjectType"] = a.subject_type;
  out["Issuer"] = a.issuer;
  out["Audience"] = a.recipient;
  out["NameQualifier"] = name_qualifier;
  return out;
}

}  // namespace iam::service::sts
