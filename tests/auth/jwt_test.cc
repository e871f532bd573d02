// VerifyJwt with keys made here by OpenSSL: RS256 and ES256 tokens, kid
// selection, and every refusal (signature, alg, issuer, audience, times).
#include "auth/jwt.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/status_matchers.h"
#include "crypto/base64.h"

namespace iam::auth {
namespace {

using ::iam::testing::IsOk;
using ::iam::testing::StatusIs;
using nlohmann::json;

constexpr int64_t kNow = 1700000000;
constexpr char kIssuer[] = "https://idp.example.test/realm";

std::string B64Url(std::string_view bytes) {
  std::string s = crypto::Base64Encode(bytes);
  for (char& ch : s) ch = ch == '+' ? '-' : ch == '/' ? '_' : ch;
  while (!s.empty() && s.back() == '=') s.pop_back();
  return s;
}

std::string Bn(EVP_PKEY* k, const char* name, int pad = 0) {
  BIGNUM* bn = nullptr;
  EVP_PKEY_get_bn_param(k, name, &bn);
  std::string out(static_cast<size_t>(std::max(BN_num_bytes(bn), pad)), '\0');
  BN_bn2binpad(bn, reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(out.size()));
  BN_free(bn);
  return out;
}

struct TestKey {
  std::shared_ptr<EVP_PKEY> pkey;
  bool rsa;
  std::string kid;

  json Jwk() const {
    if (rsa) {
      return {{"kty", "RSA"}, {"kid", kid}, {"use", "sig"}, {"alg", "RS256"},
              {"n", B64Url(Bn(pkey.get(), OSSL_PKEY_PARAM_RSA_N))}, {"e", B64Url(Bn(pkey.get(), OSSL_PKEY_PARAM_RSA_E))}};
    }
    return {{"kty", "EC"}, {"kid", kid}, {"crv", "P-256"},
            {"x", B64Url(Bn(pkey.get(), OSSL_PKEY_PARAM_EC_PUB_X, 32))},
            {"y", B64Url(Bn(pkey.get(), OSSL_PKEY_PARAM_EC_PUB_Y, 32))}};
  }

  std::string Sign(std::string_view data) const {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    size_t len = 0;
    EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, pkey.get());
    EVP_DigestSign(ctx, nullptr, &len, reinterpret_cast<const unsigned char*>(data.data()), data.size());
    std::string sig(len, '\0');
    EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(sig.data()), &len,
                   reinterpret_cast<const unsigned char*>(data.data()), data.size());
    EVP_MD_CTX_free(ctx);
    sig.resize(len);
    if (rsa) return sig;
    const unsigned char* p = reinterpret_cast<const unsigned char*>(sig.data());
    ECDSA_SIG* es = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(sig.size()));
    std::string raw(64, '\0');
    BN_bn2binpad(ECDSA_SIG_get0_r(es), reinterpret_cast<unsigned char*>(raw.data()), 32);
    BN_bn2binpad(ECDSA_SIG_get0_s(es), reinterpret_cast<unsigned char*>(raw.data()) + 32, 32);
    ECDSA_SIG_free(es);
    return raw;
  }

  std::string Token(const json& claims, json header = json::object()) const {
    if (!header.contains("alg")) header["alg"] = rsa ? "RS256" : "ES256";
    if (!header.contains("kid")) header["kid"] = kid;
    std::string signed_part = B64Url(header.dump()) + "." + B64Url(claims.dump());
    return signed_part + "." + B64Url(Sign(signed_part));
  }
};

TestKey NewRsa(std::string kid) {
  return {std::shared_ptr<EVP_PKEY>(EVP_RSA_gen(2048), EVP_PKEY_free), true, std::move(kid)};
}
TestKey NewEc(std::string kid) {
  return {std::shared_ptr<EVP_PKEY>(EVP_EC_gen("P-256"), EVP_PKEY_free), false, std::move(kid)};
}

class JwtTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    rsa_ = new TestKey(NewRsa("rsa-1"));
    ec_ = new TestKey(NewEc("ec-1"));
    other_ = new TestKey(NewRsa("rsa-1"));  // same kid, different key: a forger's
  }
  JsonWebKeySet Keys() {
    auto set = JsonWebKeySet::Parse(json{{"keys", {rsa_->Jwk(), ec_->Jwk()}}}.dump());
    EXPECT_THAT(set, IsOk());
    return *set;
  }
  static json Claims() {
    return {{"iss", kIssuer}, {"sub", "user-42"}, {"aud", "app-1"}, {"exp", kNow + 600}, {"iat", kNow - 10},
            {"amr", {"pwd", "mfa"}}};
  }
  Result<JwtClaims> Verify(const std::string& token, int64_t now = kNow) {
    return VerifyJwt(token, Keys(), {.issuer = kIssuer, .audiences = {"app-0", "app-1"}, .now = now});
  }
  static TestKey* rsa_;
  static TestKey* ec_;
  static TestKey* other_;
};
TestKey* JwtTest::rsa_ = nullptr;
TestKey* JwtTest::ec_ = nullptr;
TestKey* JwtTest::other_ = nullptr;

TEST_F(JwtTest, Rs256AndEs256TokensVerify) {
  for (const TestKey* k : {rsa_, ec_}) {
    Result<JwtClaims> c = Verify(k->Token(Claims()));
    ASSERT_THAT(c, IsOk()) << k->kid;
    EXPECT_EQ(c->subject, "user-42");
    EXPECT_EQ(c->issuer, kIssuer);
    EXPECT_THAT(c->audiences, ::testing::ElementsAre("app-1"));
    EXPECT_EQ(c->payload["amr"][1], "mfa");
  }
  // No kid: every key of the right type is tried. Audience as an array; issuer without scheme.
  json claims = Claims();
  claims["aud"] = {"other", "app-0"};
  claims["iss"] = "idp.example.test/realm";
  std::string token = ec_->Token(claims, {{"alg", "ES256"}, {"kid", ""}});
  EXPECT_THAT(Verify(token), IsOk());
}

TEST_F(JwtTest, ForgedOrTamperedTokensAreRefused) {
  EXPECT_THAT(Verify(other_->Token(Claims())), StatusIs(StatusCode::kInvalidIdentityToken, "signature"));
  std::string token = rsa_->Token(Claims());
  json evil = Claims();
  evil["sub"] = "admin";
  std::string tampered = token.substr(0, token.find('.') + 1) + B64Url(evil.dump()) + token.substr(token.rfind('.'));
  EXPECT_THAT(Verify(tampered), StatusIs(StatusCode::kInvalidIdentityToken));
  // alg confusion: none, HS256, and an RSA key used for ES256.
  std::string unsigned_token = B64Url(R"({"alg":"none"})") + "." + B64Url(Claims().dump()) + ".";
  EXPECT_THAT(Verify(unsigned_token), StatusIs(StatusCode::kInvalidIdentityToken, "algorithm"));
  EXPECT_THAT(Verify(rsa_->Token(Claims(), {{"alg", "HS256"}})), StatusIs(StatusCode::kInvalidIdentityToken));
  EXPECT_THAT(Verify(rsa_->Token(Claims(), {{"alg", "ES256"}})), StatusIs(StatusCode::kInvalidIdentityToken));
  EXPECT_THAT(Verify(rsa_->Token(Claims(), {{"kid", "unknown"}})),
              StatusIs(StatusCode::kInvalidIdentityToken, "kid"));
  for (const char* junk : {"", "a.b", "a.b.c.d", "!!.??.**", "e30.e30.e30"}) {
    EXPECT_THAT(Verify(junk), StatusIs(StatusCode::kInvalidIdentityToken)) << junk;
  }
}

TEST_F(JwtTest, IssuerAudienceAndTimesAreChecked) {
  json c = Claims();
  c["iss"] = "https://evil.example.test/realm";
  EXPECT_THAT(Verify(rsa_->Token(c)), StatusIs(StatusCode::kInvalidIdentityToken, "issuer"));
  c = Claims();
  c["aud"] = "app-2";
  EXPECT_THAT(Verify(rsa_->Token(c)), StatusIs(StatusCode::kInvalidIdentityToken, "Incorrect token audience"));
  c["azp"] = "app-0";  // an authorized party among the client ids is enough
  EXPECT_THAT(Verify(rsa_->Token(c)), IsOk());
  c = Claims();
  c.erase("exp");
  EXPECT_THAT(Verify(rsa_->Token(c)), StatusIs(StatusCode::kInvalidIdentityToken));
  EXPECT_THAT(Verify(rsa_->Token(Claims()), kNow + 600 + 59), IsOk());  // within the leeway
  EXPECT_THAT(Verify(rsa_->Token(Claims()), kNow + 600 + 60), StatusIs(StatusCode::kExpiredIdentityToken));
  c = Claims();
  c["nbf"] = kNow + 3600;
  EXPECT_THAT(Verify(rsa_->Token(c)), StatusIs(StatusCode::kInvalidIdentityToken, "not valid yet"));
  c = Claims();
  c["exp"] = "tomorrow";
  EXPECT_THAT(Verify(rsa_->Token(c)), StatusIs(StatusCode::kInvalidIdentityToken));
}

TEST_F(JwtTest, JwksParsingSkipsUnusableKeys) {
  EXPECT_THAT(JsonWebKeySet::Parse("not json"), StatusIs(StatusCode::kInvalidInput));
  EXPECT_THAT(JsonWebKeySet::Parse(R"({"keys":[]})"), StatusIs(StatusCode::kInvalidInput));
  json ec = ec_->Jwk();
  json off_curve = ec;
  off_curve["y"] = off_curve["x"];
  json enc = rsa_->Jwk();
  enc["use"] = "enc";
  json keys = {{"keys", {{{"kty", "oct"}, {"k", "c2VjcmV0"}}, off_curve, enc, {{"kty", "RSA"}, {"n", "AQAB"}}, ec}}};
  Result<JsonWebKeySet> set = JsonWebKeySet::Parse(keys.dump());
  ASSERT_THAT(set, IsOk());
  EXPECT_EQ(set->size(), 1u);
}

}  // namespace
}  // namespace iam::auth
