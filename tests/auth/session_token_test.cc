// Session tokens: round trips, tampering, unknown keys, rotation, limits,
// and the account carried by temporary access key ids.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "auth/session_token.h"
#include "common/status_matchers.h"
#include "crypto/aead.h"
#include "crypto/base64.h"

namespace iam::auth {
namespace {

using ::iam::testing::IsOk;
using ::iam::testing::StatusIs;

SessionRecord Sample() {
  SessionRecord r;
  r.kind = SessionKind::kAssumedRole;
  r.account_id = "123456789012";
  r.access_key_id = NewSessionAccessKeyId(r.account_id);
  r.secret_access_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
  r.role_arn = "arn:aws:iam::123456789012:role/chef";
  r.role_id = "AROAEXAMPLEEXAMPLE12";
  r.role_name = "chef";
  r.session_name = "shift-1";
  r.session_policy = R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:Get*","Resource":"*"}]})";
  r.policy_arns = {"arn:aws:iam::aws:policy/IAMReadOnlyAccess"};
  r.tags = {{"team", "kitchen"}, {"shift", "night"}};
  r.transitive_tag_keys = {"team"};
  r.source_identity = "alice";
  r.mfa_authenticated = true;
  r.chained = true;
  r.issued_at = 1700000000;
  r.expires_at = 1700000900;
  return r;
}

crypto::KeyRing Ring(uint32_t id) {
  crypto::KeyRing ring;
  EXPECT_THAT(ring.Add(id, crypto::GenerateAeadKey()), IsOk());
  return ring;
}

TEST(SessionToken, RoundTripsEveryField) {
  crypto::KeyRing ring = Ring(1);
  SessionRecord r = Sample();
  Result<std::string> token = SealSessionToken(r, ring);
  ASSERT_THAT(token, IsOk());
  EXPECT_TRUE(crypto::Base64Decode(*token).has_value());
  Result<SessionRecord> back = OpenSessionToken(*token, ring);
  ASSERT_THAT(back, IsOk());
  EXPECT_EQ(EncodeSessionRecord(*back), EncodeSessionRecord(r));
  EXPECT_EQ(back->session_name, "shift-1");
  EXPECT_EQ(back->tags[1].value, "night");
  EXPECT_TRUE(back->mfa_authenticated);
  EXPECT_EQ(SessionTokenKeyId(*token), 1u);
}

TEST(SessionToken, TamperedTokensAreInvalid) {
  crypto::KeyRing ring = Ring(1);
  std::string token = SealSessionToken(Sample(), ring).value();
  std::string box = *crypto::Base64Decode(token);
  for (size_t i : {size_t{0}, size_t{3}, size_t{10}, box.size() / 2, box.size() - 1}) {
    std::string bad = box;
    bad[i] = static_cast<char>(bad[i] ^ 0x01);
    Result<SessionRecord> r = OpenSessionToken(crypto::Base64Encode(bad), ring);
    EXPECT_FALSE(r.ok()) << i;
  }
  EXPECT_THAT(OpenSessionToken(token.substr(0, token.size() - 4), ring),
              StatusIs(StatusCode::kInvalidClientTokenId, "The security token included in the request is invalid."));
  EXPECT_THAT(OpenSessionToken("not base64!", ring), StatusIs(StatusCode::kInvalidClientTokenId));
  EXPECT_THAT(OpenSessionToken("", ring), StatusIs(StatusCode::kInvalidClientTokenId));
}

TEST(SessionToken, AnotherRingCannotOpenIt) {
  std::string token = SealSessionToken(Sample(), Ring(1)).value();
  // Same key id, different key: does not authenticate.
  EXPECT_THAT(OpenSessionToken(token, Ring(1)), StatusIs(StatusCode::kInvalidClientTokenId));
  // A key id the ring lacks: the caller may reload its ring.
  EXPECT_THAT(OpenSessionToken(token, Ring(7)), StatusIs(StatusCode::kNoSuchEntity));
}

TEST(SessionToken, OlderKeysStillOpenAfterRotation) {
  crypto::KeyRing ring = Ring(1);
  std::string old_token = SealSessionToken(Sample(), ring).value();
  ASSERT_THAT(ring.Add(2, crypto::GenerateAeadKey()), IsOk());
  ASSERT_THAT(ring.SetCurrent(2), IsOk());
  std::string new_token = SealSessionToken(Sample(), ring).value();
  EXPECT_EQ(SessionTokenKeyId(old_token), 1u);
  EXPECT_EQ(SessionTokenKeyId(new_token), 2u);
  EXPECT_THAT(OpenSessionToken(old_token, ring), IsOk());
  EXPECT_THAT(OpenSessionToken(new_token, ring), IsOk());
}

TEST(SessionToken, DecodingRejectsMalformedRecords) {
  std::string good = EncodeSessionRecord(Sample());
  EXPECT_THAT(DecodeSessionRecord(good), IsOk());
  EXPECT_FALSE(DecodeSessionRecord(good + "x").ok());                     // trailing bytes
  for (size_t n = 0; n < good.size(); ++n) EXPECT_FALSE(DecodeSessionRecord(good.substr(0, n)).ok()) << n;
  std::string bad_version = good;
  bad_version[0] = 9;
  EXPECT_FALSE(DecodeSessionRecord(bad_version).ok());
  // The final field (expiry) re-encoded with a redundant zero group: the
  // encoding is canonical, so this is refused (found by the fuzzer).
  std::string padded = good;
  padded.back() = static_cast<char>(padded.back() | 0x80);
  EXPECT_FALSE(DecodeSessionRecord(padded + std::string(1, '\0')).ok());
  std::string bad_kind = good;
  bad_kind[1] = 0;
  EXPECT_FALSE(DecodeSessionRecord(bad_kind).ok());
  SessionRecord many = Sample();
  many.tags.assign(kMaxSessionTags + 1, SessionTag{"k", "v"});
  EXPECT_FALSE(DecodeSessionRecord(EncodeSessionRecord(many)).ok());
  EXPECT_THAT(SealSessionToken(many, Ring(1)), StatusIs(StatusCode::kInvalidInput));
  SessionRecord huge = Sample();
  huge.session_policy.assign(kMaxSessionField + 1, 'x');
  EXPECT_THAT(SealSessionToken(huge, Ring(1)), StatusIs(StatusCode::kInvalidInput));
}

TEST(SessionToken, ExpiryIsInclusiveOfTheEnd) {
  SessionRecord r = Sample();
  EXPECT_FALSE(SessionExpired(r, r.expires_at - 1));
  EXPECT_TRUE(SessionExpired(r, r.expires_at));
}

TEST(SessionAccessKeyId, CarriesTheAccountAsAwsDoes) {
  // A published AWS example: ASIAY34FZKBOKMUTVV7A belongs to 609629065308.
  EXPECT_EQ(AccountOfAccessKeyId("ASIAY34FZKBOKMUTVV7A"), "609629065308");
  for (const char* account : {"123456789012", "999999999999", "100000000000", "000000000001"}) {
    std::string id = NewSessionAccessKeyId(account);
    EXPECT_EQ(id.size(), 20u);
    EXPECT_EQ(id.substr(0, 4), "ASIA");
    EXPECT_EQ(id.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"), std::string::npos) << id;
    EXPECT_EQ(AccountOfAccessKeyId(id), account) << id;
  }
  EXPECT_EQ(AccountOfAccessKeyId("ASIA1"), std::nullopt);
  EXPECT_EQ(AccountOfAccessKeyId("ASIA0000000000000000"), std::nullopt);
}

}  // namespace
}  // namespace iam::auth
