#include "auth/jwt.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include <algorithm>

#include "crypto/base64.h"

namespace iam::auth {
namespace {

using nlohmann::json;

constexpr size_t kMaxTokenBytes = 20000;  // the model's clientTokenType maximum
constexpr size_t kMaxJwksBytes = 1 << 20;

Status Invalid(std::string m) { return Status(StatusCode::kInvalidIdentityToken, std::move(m)); }

std::string StrOf(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// A NumericDate claim: absent reads as 0, anything but a number as -1.
int64_t TimeOf(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end()) return 0;
  if (!it->is_number()) return -1;
  double v = it->get<double>();
  if (!(v >= 0 && v < 1e15)) return -1;
  return static_cast<int64_t>(v);
}

std::shared_ptr<void> Wrap(EVP_PKEY* k) {
  return std::shared_ptr<void>(k, [](void* p) { EVP_PKEY_free(static_cast<EVP_PKEY*>(p)); });
}

// An EVP_PKEY from OSSL_PARAMs, or null.
EVP_PKEY* FromParams(const char* type, OSSL_PARAM_BLD* bld) {
  OSSL_PARAM* params = OSSL_PARAM_BLD_to_param(bld);
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr);
  EVP_PKEY* key = nullptr;
  if (params != nullptr && ctx != nullptr && EVP_PKEY_fromdata_init(ctx) == 1) {
    if (EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_PUBLIC_KEY, params) != 1) key = nullptr;
  }
  EVP_PKEY_CTX_free(ctx);
  OSSL_PARAM_free(params);
  return key;
}

EVP_PKEY* RsaKey(const std::string& n, const std::string& e) {
  if (n.size() < 256 || n.size() > 1024 || e.empty() || e.size() > 8) return nullptr;  // 2048 to 8192 bits
  BIGNUM* bn_n = BN_bin2bn(reinterpret_cast<const unsigned char*>(n.data()), static_cast<int>(n.size()), nullptr);
  BIGNUM* bn_e = BN_bin2bn(reinterpret_cast<const unsigned char*>(e.data()), static_cast<int>(e.size()), nullptr);
  OSSL_PARAM_BLD* bld = OSSL_PARAM_BLD_new();
  EVP_PKEY* key = nullptr;
  if (bn_n && bn_e && bld && OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, bn_n) == 1 &&
      OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, bn_e) == 1) {
    key = FromParams("RSA", bld);
  }
  OSSL_PARAM_BLD_free(bld);
  BN_free(bn_n);
  BN_free(bn_e);
  return key;
}

EVP_PKEY* EcP256Key(const std::string& x, const std::string& y) {
  if (x.size() != 32 || y.size() != 32) return nullptr;
  std::string point = "\x04" + x + y;  // uncompressed SEC1 point
  OSSL_PARAM_BLD* bld = OSSL_PARAM_BLD_new();
  EVP_PKEY* key = nullptr;
  if (bld && OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) == 1 &&
      OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size()) == 1) {
    key = FromParams("EC", bld);  // fromdata checks that the point is on the curve
  }
  OSSL_PARAM_BLD_free(bld);
  return key;
}

// JWS ES256 signatures are R || S (32 bytes each); OpenSSL verifies DER.
std::string EcdsaDer(std::string_view raw) {
  if (raw.size() != 64) return std::string();
  ECDSA_SIG* sig = ECDSA_SIG_new();
  BIGNUM* r = BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data()), 32, nullptr);
  BIGNUM* s = BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data()) + 32, 32, nullptr);
  std::string der;
  if (sig && r && s && ECDSA_SIG_set0(sig, r, s) == 1) {
    r = s = nullptr;  // owned by sig now
    int len = i2d_ECDSA_SIG(sig, nullptr);
    if (len > 0) {
      der.resize(static_cast<size_t>(len));
      unsigned char* p = reinterpret_cast<unsigned char*>(der.data());
      i2d_ECDSA_SIG(sig, &p);
    }
  }
  BN_free(r);
  BN_free(s);
  ECDSA_SIG_free(sig);
  return der;
}

bool VerifySha256(EVP_PKEY* key, std::string_view data, std::string_view sig) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  bool ok = ctx && EVP_DigestVerifyInit(ctx, nullptr, EVP_sha256(), nullptr, key) == 1 &&
            EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char*>(sig.data()), sig.size(),
                             reinterpret_cast<const unsigned char*>(data.data()), data.size()) == 1;
  EVP_MD_CTX_free(ctx);
  return ok;
}

std::string WithoutScheme(std::string_view url) {
  std::string s(url.starts_with("https://") ? url.substr(8) : url);
  while (!s.empty() && s.back() == '/') s.pop_back();
  return s;
}

}  // namespace

Result<JsonWebKeySet> JsonWebKeySet::Parse(std::string_view text) {
  if (text.size() > kMaxJwksBytes) return InvalidInput("The JWKS document is too large.");
  json doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("keys") || !doc["keys"].is_array()) {
    return InvalidInput("The JWKS document is not a JSON object with a keys array.");
  }
  JsonWebKeySet set;
  for (const json& k : doc["keys"]) {
    if (!k.is_object()) continue;
    std::string use = StrOf(k, "use");
    if (!use.empty() && use != "sig") continue;
    std::string kty = StrOf(k, "kty");
    EVP_PKEY* key = nullptr;
    if (kty == "RSA") {
      auto n = crypto::Base64UrlDecode(StrOf(k, "n"));
      auto e = crypto::Base64UrlDecode(StrOf(k, "e"));
      if (n && e) key = RsaKey(*n, *e);
    } else if (kty == "EC" && StrOf(k, "crv") == "P-256") {
      auto x = crypto::Base64UrlDecode(StrOf(k, "x"));
      auto y = crypto::Base64UrlDecode(StrOf(k, "y"));
      if (x && y) key = EcP256Key(*x, *y);
    }
    if (key == nullptr) continue;
    set.keys_.push_back({StrOf(k, "kid"), kty == "RSA", Wrap(key)});
  }
  if (set.keys_.empty()) return InvalidInput("The JWKS document holds no usable RS256 or ES256 key.");
  return set;
}

Result<JwtClaims> VerifyJwt(std::string_view token, const JsonWebKeySet& keys, const JwtExpectations& expect) {
  if (token.size() > kMaxTokenBytes) return Invalid("The web identity token is too long.");
  const size_t dot1 = token.find('.');
  const size_t dot2 = dot1 == std::string_view::npos ? dot1 : token.find('.', dot1 + 1);
  if (dot2 == std::string_view::npos || token.find('.', dot2 + 1) != std::string_view::npos) {
    return Invalid("The web identity token is not a signed JWT (header.payload.signature).");
  }
  auto header_text = crypto::Base64UrlDecode(token.substr(0, dot1));
  auto payload_text = crypto::Base64UrlDecode(token.substr(dot1 + 1, dot2 - dot1 - 1));
  auto signature = crypto::Base64UrlDecode(token.substr(dot2 + 1));
  if (!header_text || !payload_text || !signature) return Invalid("The web identity token is not valid base64url.");
  json header = json::parse(*header_text, nullptr, false);
  json payload = json::parse(*payload_text, nullptr, false);
  if (!header.is_object() || !payload.is_object()) return Invalid("The web identity token is not valid JSON.");

  // The signature first: nothing of an unverified payload is trusted.
  const std::string alg = StrOf(header, "alg");
  if (alg != "RS256" && alg != "ES256") return Invalid("Unsupported token signing algorithm " + alg + ".");
  const bool rsa = alg == "RS256";
  const std::string kid = StrOf(header, "kid");
  const std::string_view signed_part = token.substr(0, dot2);
  const std::string sig = rsa ? *signature : EcdsaDer(*signature);
  bool verified = false, candidate = false;
  for (const JsonWebKeySet::Key& k : keys.keys()) {
    if (k.is_rsa != rsa || (!kid.empty() && k.kid != kid)) continue;
    candidate = true;
    if (!sig.empty() && VerifySha256(static_cast<EVP_PKEY*>(k.pkey.get()), signed_part, sig)) {
      verified = true;
      break;
    }
  }
  if (!candidate) return Invalid("No key of the provider's JWKS matches the token's kid and alg.");
  if (!verified) return Invalid("The web identity token's signature does not verify.");

  JwtClaims c;
  c.issuer = StrOf(payload, "iss");
  c.subject = StrOf(payload, "sub");
  c.authorized_party = StrOf(payload, "azp");
  if (auto it = payload.find("aud"); it != payload.end()) {
    if (it->is_string()) c.audiences.push_back(it->get<std::string>());
    if (it->is_array()) {
      for (const json& a : *it) {
        if (a.is_string()) c.audiences.push_back(a.get<std::string>());
      }
    }
  }
  if (c.issuer.empty() || WithoutScheme(c.issuer) != WithoutScheme(expect.issuer)) {
    return Invalid("The token's issuer " + c.issuer + " is not the provider's URL.");
  }
  c.expires = TimeOf(payload, "exp");
  c.issued_at = TimeOf(payload, "iat");
  const int64_t not_before = TimeOf(payload, "nbf");
  if (c.expires <= 0 || c.issued_at < 0 || not_before < 0) {
    return Invalid("The web identity token needs a numeric exp claim.");
  }
  if (expect.now >= c.expires + expect.leeway_seconds) {
    return Status(StatusCode::kExpiredIdentityToken,
                  "Token expired: current date/time " + std::to_string(expect.now) +
                      " must be before the expiration date/time " + std::to_string(c.expires));
  }
  if (not_before > expect.now + expect.leeway_seconds || c.issued_at > expect.now + expect.leeway_seconds) {
    return Invalid("The web identity token is not valid yet (nbf or iat is in the future).");
  }
  auto listed = [&](const std::string& a) {
    return !a.empty() && std::find(expect.audiences.begin(), expect.audiences.end(), a) != expect.audiences.end();
  };
  if (std::none_of(c.audiences.begin(), c.audiences.end(), listed) && !listed(c.authorized_party)) {
    return Invalid("Incorrect token audience");
  }
  c.payload = std::move(payload);
  return c;
}

Result<std::string> UnverifiedJwtIssuer(std::string_view token) {
  const size_t dot1 = token.find('.');
  const size_t dot2 = dot1 == std::string_view::npos ? dot1 : token.find('.', dot1 + 1);
  if (token.size() > kMaxTokenBytes || dot2 == std::string_view::npos) {
    return Invalid("The web identity token is not a signed JWT (header.payload.signature).");
  }
  auto payload_text = crypto::Base64UrlDecode(token.substr(dot1 + 1, dot2 - dot1 - 1));
  json payload = payload_text ? json::parse(*payload_text, nullptr, false) : json();
  std::string iss = payload.is_object() ? StrOf(payload, "iss") : std::string();
  if (iss.empty()) return Invalid("The web identity token has no iss claim.");
  return iss;
}

}  // namespace iam::auth
