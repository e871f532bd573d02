// AssumeRoleWithWebIdentity: an OpenID Connect ID token, verified with the
// keys of the provider registered in the role's account for the token's
// issuer (oidc_keys.h), for a role whose trust policy names that provider.
#include <algorithm>
#include <string>

#include "auth/jwt.h"
#include "common/status_macros.h"
#include "service/sts/federation.h"
#include "service/sts/oidc_keys.h"
#include "store/ids.h"

namespace iam::service::sts {
namespace {

using nlohmann::json;

// Claims AWS reads for session tags and the source identity.
constexpr char kTagsClaim[] = "https://aws.amazon.com/tags";
constexpr char kSourceIdentityClaim[] = "https://aws.amazon.com/source_identity";

std::string Str(const json& in, const char* key) {
  auto it = in.find(key);
  return it != in.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// A claim that is a string or an array of strings, as a list.
std::vector<std::string> Strings(const json& payload, const char* key) {
  std::vector<std::string> out;
  auto it = payload.find(key);
  if (it == payload.end()) return out;
  if (it->is_string()) out.push_back(it->get<std::string>());
  if (it->is_array()) {
    for (const json& v : *it) {
      if (v.is_string()) out.push_back(v.get<std::string>());
    }
  }
  return out;
}

// The provider registered for `issuer` in `account`: its ARN is the issuer
// without https://, as registered (with or without a trailing slash).
Result<store::OidcProvider> FindProvider(Ctx& c, const std::string& account, const std::string& issuer) {
  std::string url = issuer.starts_with("https://") ? issuer.substr(8) : issuer;
  const std::string prefix = "arn:aws:iam::" + account + ":oidc-provider/";
  std::string other = url.ends_with('/') ? url.substr(0, url.size() - 1) : url + "/";
  for (const std::string& candidate : {url, other}) {
    if (candidate.empty()) continue;
    Result<store::OidcProvider> p = c.store.GetOidcProvider(account, prefix + candidate);
    if (p.ok() || p.status().code() != StatusCode::kNoSuchEntity) return p;
  }
  return Status(StatusCode::kInvalidIdentityToken, "No OpenIDConnect provider found in your account for " + issuer);
}

// The session tags a token carries: {"principal_tags": {"KEY": ["VALUE"]},
// "transitive_tag_keys": ["KEY"]}. kIdpRejectedClaim for another shape.
Status ReadTagsClaim(const json& payload, FederatedAssume& f) {
  auto it = payload.find(kTagsClaim);
  if (it == payload.end()) return Status();
  Status rejected(StatusCode::kIdpRejectedClaim, "The token's " + std::string(kTagsClaim) + " claim is not valid.");
  if (!it->is_object()) return rejected;
  if (auto tags = it->find("principal_tags"); tags != it->end()) {
    if (!tags->is_object()) return rejected;
    for (const auto& [key, value] : tags->items()) {
      std::string v;
      if (value.is_string()) {
        v = value.get<std::string>();
      } else if (value.is_array() && value.size() == 1 && value[0].is_string()) {
        v = value[0].get<std::string>();
      } else {
        return rejected;
      }
      f.tags.push_back({key, v});
    }
  }
  if (auto keys = it->find("transitive_tag_keys"); keys != it->end()) {
    if (!keys->is_array()) return rejected;
    for (const json& k : *keys) {
      if (!k.is_string()) return rejected;
      f.transitive_tag_keys.push_back(k.get<std::string>());
    }
  }
  return Status();
}

}  // namespace

Result<json> AssumeRoleWithWebIdentity(Ctx& c) {
  if (c.in.contains("ProviderId")) {
    return Status(StatusCode::kInvalidIdentityToken,
                  "iamd accepts OpenID Connect ID tokens only; ProviderId names an OAuth 2.0 provider.");
  }
  const std::string token = Str(c.in, "WebIdentityToken");
  const std::string role_arn = Str(c.in, "RoleArn");
  IAM_ASSIGN_OR_RETURN(std::string issuer, auth::UnverifiedJwtIssuer(token));
  Result<store::ParsedArn> role = store::ParseArn(role_arn);
  if (!role.ok() || role->type != "role") return ValidationError(role_arn + " is not a valid role ARN.");
  IAM_ASSIGN_OR_RETURN(store::OidcProvider provider, FindProvider(c, role->account_id, issuer));
  IAM_ASSIGN_OR_RETURN(auth::JsonWebKeySet keys, LoadProviderKeys(c.oidc_jwks_dir, provider.url));
  auth::JwtExpectations expect;
  expect.issuer = provider.url;
  expect.audiences = provider.client_ids;
  expect.now = c.now;
  IAM_ASSIGN_OR_RETURN(auth::JwtClaims claims, auth::VerifyJwt(token, keys, expect));
  if (claims.subject.empty()) return Status(StatusCode::kInvalidIdentityToken, "The web identity token has no sub.");

  // The client id the token was issued to: azp when it names one, else aud.
  auto listed = [&](const std::string& a) {
    return std::find(provider.client_ids.begin(), provider.client_ids.end(), a) != provider.client_ids.end();
  };
  std::string audience = listed(claims.authorized_party) ? claims.authorized_party : std::string();
  for (const std::string& a : claims.audiences) {
    if (audience.empty() && listed(a)) audience = a;
  }

  FederatedAssume f;
  f.action = "sts:AssumeRoleWithWebIdentity";
  f.provider_arn = provider.arn;
  f.role_arn = role_arn;
  f.session_name = Str(c.in, "RoleSessionName");
  f.source_identity = Str(claims.payload, kSourceIdentityClaim);
  IAM_RETURN_IF_ERROR(ReadTagsClaim(claims.payload, f));
  // Condition keys are named after the provider: "<host/path>:aud".
  const std::string key = provider.arn.substr(provider.arn.find(":oidc-provider/") + 15);
  f.context.push_back({key + ":aud", {audience}});
  f.context.push_back({key + ":sub", {claims.subject}});
  if (!claims.authorized_party.empty()) f.context.push_back({key + ":oaud", claims.audiences});
  if (std::vector<std::string> amr = Strings(claims.payload, "amr"); !amr.empty()) {
    f.context.push_back({key + ":amr", std::move(amr)});
  }

  IAM_ASSIGN_OR_RETURN(json out, AssumeFederatedRole(c, f));
  out["SubjectFromWebIdentityToken"] = claims.subject;
  out["Audience"] = audience;
  out["Provider"] = provider.arn;
  return out;
}

}  // namespace iam::service::sts
