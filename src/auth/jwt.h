// Verification of OpenID Connect ID tokens (JWS compact form) against an
// issuer's JSON Web Key Set, for AssumeRoleWithWebIdentity. Algorithms:
// RS256 (RSA n/e keys) and ES256 (EC P-256 x/y keys); any other "alg" in a
// token header, "none" included, is refused, and a key is used only with the
// algorithm of its type, so a token cannot pick how it is checked.
//
//   Result<JsonWebKeySet> keys = JsonWebKeySet::Parse(jwks_text);
//   Result<JwtClaims> claims = VerifyJwt(token, *keys, {.issuer = url,
//                                        .audiences = client_ids, .now = now});
//
// Thread-safety: a parsed JsonWebKeySet is immutable and may be shared.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "iamd/status.h"

namespace iam::auth {

class JsonWebKeySet {
 public:
  // Parse reads {"keys": [...]}. RSA keys need n and e, EC keys crv "P-256"
  // with x and y; keys of other types or curves, and keys whose "use" is not
  // "sig", are skipped. kInvalidInput if the text is not such a document or
  // holds no usable key.
  static Result<JsonWebKeySet> Parse(std::string_view text);
  size_t size() const { return keys_.size(); }

  struct Key {
    std::string kid;
    bool is_rsa = false;  // else EC P-256
    std::shared_ptr<void> pkey;  // EVP_PKEY, kept opaque so OpenSSL stays out of this header
  };
  const std::vector<Key>& keys() const { return keys_; }

 private:
  std::vector<Key> keys_;
};

struct JwtClaims {
  std::string issuer;    // iss
  std::string subject;   // sub
  std::vector<std::string> audiences;  // aud (a string or an array)
  std::string authorized_party;        // azp
  int64_t expires = 0;      // exp
  int64_t issued_at = 0;    // iat (0 when absent)
  nlohmann::json payload;   // every claim, for condition keys such as amr
};

struct JwtExpectations {
  // The provider URL as registered in IAM (https://host/path). The token's
  // iss must equal it, with or without the https:// scheme.
  std::string issuer;
  // The provider's client ids: aud (or azp) must name one of them.
  std::vector<std::string> audiences;
  int64_t now = 0;
  // Clock skew tolerated on exp, nbf and iat.
  int64_t leeway_seconds = 60;
};

// VerifyJwt checks the signature with a key of `keys` (the one named by the
// header's kid, or any key of the right type when there is no kid), then the
// issuer, exp (required), nbf and iat, then the audience. Returns the claims or:
//   kInvalidIdentityToken   malformed token, unsupported alg, no matching key,
//                           bad signature, wrong issuer, nbf or iat in the
//                           future, audience not among the client ids
//   kExpiredIdentityToken   exp is past (beyond the leeway)
Result<JwtClaims> VerifyJwt(std::string_view token, const JsonWebKeySet& keys, const JwtExpectations& expect);

// UnverifiedJwtIssuer reads the iss claim without checking anything, only to
// find the provider whose keys then verify the token (VerifyJwt checks iss
// again). kInvalidIdentityToken when the token has no readable iss.
Result<std::string> UnverifiedJwtIssuer(std::string_view token);

}  // namespace iam::auth
