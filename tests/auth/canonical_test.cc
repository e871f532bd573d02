// The canonical pieces, the time formats, SecretKey and the signing-key cache.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <thread>

#include "auth/amz_time.h"
#include "auth/canonical.h"
#include "auth/secret_key.h"
#include "auth/signing_key_cache.h"
#include "auth/sigv4.h"
#include "common/status_matchers.h"
#include "crypto/hash.h"
#include "sigv4_test_util.h"

namespace iam::auth {
namespace {

using ::iam::auth::testing::At;
using ::iam::auth::testing::OwnedRequest;
using ::iam::auth::testing::Signer;
using ::iam::auth::testing::TableLookup;
using ::iam::testing::IsOk;
using ::iam::testing::StatusIs;

TEST(Canonical, UriEncodeKeepsOnlyUnreserved) {
  EXPECT_EQ(UriEncode("aZ09-_.~", false), "aZ09-_.~");
  EXPECT_EQ(UriEncode("a b+c*d/e%f", false), "a%20b%2Bc%2Ad%2Fe%25f");
  EXPECT_EQ(UriEncode("a/b", true), "a/b");
  EXPECT_EQ(UriEncode("\xE2\x98\x83", false), "%E2%98%83");
}

TEST(Canonical, UriDecodeIsLenient) {
  EXPECT_EQ(UriDecode("a%20b%2fc"), "a b/c");
  EXPECT_EQ(UriDecode("a+b"), "a+b");
  EXPECT_EQ(UriDecode("%zz%2"), "%zz%2");
  EXPECT_EQ(UriDecode("%"), "%");
}

TEST(Canonical, UriIsNormalisedThenEncodedAgain) {
  EXPECT_EQ(CanonicalUri(""), "/");
  EXPECT_EQ(CanonicalUri("/"), "/");
  EXPECT_EQ(CanonicalUri("//"), "/");
  EXPECT_EQ(CanonicalUri("/a/./b/../c/"), "/a/c/");
  EXPECT_EQ(CanonicalUri("/../.."), "/");
  EXPECT_EQ(CanonicalUri("/a%20b"), "/a%2520b");  // IAM is not S3: encoded twice
  EXPECT_EQ(CanonicalUri("/a b"), "/a%20b");
  EXPECT_EQ(CanonicalUri("/a/."), "/a");
}

TEST(Canonical, QueryIsDecodedReEncodedAndSorted) {
  std::vector<QueryParam> p = ParseQuery("b=2&a=%2f&&c&a=%41&X-Amz-Signature=ff&d=x+y");
  ASSERT_EQ(p.size(), 6u);
  EXPECT_EQ(p[1].value, "/");
  EXPECT_EQ(p[2].name, "c");
  EXPECT_EQ(p[2].value, "");
  EXPECT_EQ(CanonicalQuery(p, ""), "X-Amz-Signature=ff&a=%2F&a=A&b=2&c=&d=x%2By");
  EXPECT_EQ(CanonicalQuery(p, "X-Amz-Signature"), "a=%2F&a=A&b=2&c=&d=x%2By");
}

TEST(Canonical, TrimAllFoldsWhitespace) {
  EXPECT_EQ(TrimAll("  a   b\t\tc  "), "a b c");
  EXPECT_EQ(TrimAll(""), "");
  EXPECT_EQ(TrimAll(" \t "), "");
  EXPECT_EQ(TrimAll("\"a   b\""), "\"a b\"");
}

TEST(AmzTime, ParsesAndFormats) {
  auto t = ParseAmzDate("20150830T123600Z");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(FormatAmzDate(*t), "20150830T123600Z");
  EXPECT_EQ(ParseHttpDate("Sun, 30 Aug 2015 12:36:00 GMT"), t);
  EXPECT_EQ(ParseHttpDate("Sun, 30 Aug 2015 12:36:00 -0000"), t);
  EXPECT_FALSE(ParseHttpDate("Sun, 30 Aug 2015 12:36:00 +0200").has_value());
  EXPECT_FALSE(ParseAmzDate("20150230T123600Z").has_value());
  EXPECT_FALSE(ParseAmzDate("20150830T123660Z").has_value());
  EXPECT_FALSE(ParseAmzDate("2015083OT123600Z").has_value());
  EXPECT_EQ(FormatAmzDate(*ParseAmzDate("20241231T235959Z") + std::chrono::seconds(1)),
            "20250101T000000Z");
}

TEST(SecretKey, MovesLeaveNothingBehind) {
  SecretKey a(std::string("short"));
  SecretKey b(std::move(a));
  EXPECT_TRUE(a.empty());  // NOLINT(bugprone-use-after-move): that is the point
  EXPECT_EQ(b.view(), "short");
  SecretKey c;
  c = std::move(b);
  EXPECT_TRUE(b.empty());  // NOLINT(bugprone-use-after-move)
  EXPECT_EQ(c.view(), "short");
  std::string s = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  WipeString(s);
  EXPECT_TRUE(s.empty());
}

TEST(SigningKeyCache, LeastRecentlyUsedIsEvicted) {
  SigningKeyCache cache(2);
  cache.Insert("a", "A");
  cache.Insert("b", "B");
  EXPECT_EQ(cache.Find("a"), "A");  // a is now the most recent
  cache.Insert("c", "C");           // evicts b
  EXPECT_EQ(cache.Find("b"), std::nullopt);
  EXPECT_EQ(cache.Find("a"), "A");
  EXPECT_EQ(cache.Find("c"), "C");
  cache.Insert("c", "C2");
  EXPECT_EQ(cache.Find("c"), "C2");
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_EQ(cache.hits(), 4u);
  EXPECT_EQ(cache.misses(), 1u);
  cache.Clear();
  EXPECT_EQ(cache.size(), 0u);
}

TEST(SigningKeyCache, KeyNamesEveryScopePart) {
  EXPECT_NE(SigningKeyCache::CacheKey("f", "20261128", "us-east-1", "iam"),
            SigningKeyCache::CacheKey("f", "20261128", "us-east-1", "sts"));
  EXPECT_NE(SigningKeyCache::CacheKey("f", "20261128", "us-east-1", "iam"),
            SigningKeyCache::CacheKey("f", "20261129", "us-east-1", "iam"));
}

// A POST of `body` to IAM, signed in the header form by `signer`.
OwnedRequest SignedPost(Signer& signer, std::string body) {
  OwnedRequest r;
  r.method = "POST";
  r.headers = {{"Host", "iam.example"}, {"Content-Type", "application/x-www-form-urlencoded"}};
  r.body = std::move(body);
  signer.SignHeader(r);
  return r;
}

TEST(SigV4Cache, HitsForTheSameKeyAndScopeOnly) {
  SigV4Verifier verifier;
  Signer signer;
  OwnedRequest r = SignedPost(signer, "Action=ListUsers&Version=2010-05-08");
  auto lookup = TableLookup({{signer.access_key_id, signer.secret}});
  ASSERT_THAT(verifier.Verify(r.View(), At(signer.amz_date), lookup), IsOk());
  ASSERT_THAT(verifier.Verify(r.View(), At(signer.amz_date), lookup), IsOk());
  EXPECT_EQ(verifier.cache()->misses(), 1u);
  EXPECT_EQ(verifier.cache()->hits(), 1u);
  // The key was rotated: same id, new secret. The old signature must fail,
  // not meet the cached key of the old secret.
  EXPECT_THAT(verifier.Verify(r.View(), At(signer.amz_date),
                              TableLookup({{signer.access_key_id, "another secret"}})),
              StatusIs(StatusCode::kSignatureDoesNotMatch));
  EXPECT_EQ(verifier.cache()->misses(), 2u);
}

TEST(SigningKeyCache, KeyPartsCannotRunTogether) {
  // Parts carry their lengths: moving bytes from one part to the next
  // makes another key.
  EXPECT_NE(SigningKeyCache::CacheKey("f", "20261128", "a\nb", "c"),
            SigningKeyCache::CacheKey("f", "20261128", "a", "b\nc"));
  EXPECT_NE(SigningKeyCache::CacheKey("f1", "20261128", "r", "s"),
            SigningKeyCache::CacheKey("f", "120261128", "r", "s"));
}

// A named secret: the verifier opens it only when it has no signing key for
// that name and scope; a new name (a rotated, newly sealed secret) is opened
// and a wrong secret behind it still fails.
TEST(SigV4Cache, NamedSecretIsOpenedOnlyOnAMiss) {
  SigV4Verifier verifier;
  Signer signer;
  OwnedRequest r = SignedPost(signer, "Action=GetUser&Version=2010-05-08");
  int opened = 0;
  auto named = [&](std::string name, std::string secret) -> SecretRefLookup {
    return [&opened, name, secret](const SigV4Auth&) -> Result<SecretRef> {
      return SecretRef(name, [&opened, secret]() -> Result<SecretKey> {
        ++opened;
        return SecretKey(secret);
      });
    };
  };
  ASSERT_THAT(verifier.Verify(r.View(), At(signer.amz_date), named("seal-1", signer.secret)), IsOk());
  ASSERT_THAT(verifier.Verify(r.View(), At(signer.amz_date), named("seal-1", signer.secret)), IsOk());
  EXPECT_EQ(opened, 1);
  EXPECT_EQ(verifier.cache()->hits(), 1u);
  EXPECT_THAT(verifier.Verify(r.View(), At(signer.amz_date), named("seal-2", "another secret")),
              StatusIs(StatusCode::kSignatureDoesNotMatch));
  EXPECT_EQ(opened, 2);
  // An unnamed secret equal to a named one shares nothing with it.
  ASSERT_THAT(verifier.Verify(r.View(), At(signer.amz_date), TableLookup({{signer.access_key_id, signer.secret}})),
              IsOk());
  EXPECT_EQ(verifier.cache()->misses(), 3u);
}

TEST(SigV4Cache, NamedSecretThatWillNotOpenFailsTheCall) {
  SigV4Verifier verifier;
  Signer signer;
  OwnedRequest r = SignedPost(signer, "Action=GetUser&Version=2010-05-08");
  SecretRefLookup broken = [](const SigV4Auth&) -> Result<SecretRef> {
    return SecretRef("seal", []() -> Result<SecretKey> { return Status(StatusCode::kInternal, "does not unseal"); });
  };
  EXPECT_THAT(verifier.Verify(r.View(), At(signer.amz_date), broken), StatusIs(StatusCode::kInternal));
  SecretRefLookup empty = [](const SigV4Auth&) -> Result<SecretRef> {
    return SecretRef("seal", []() -> Result<SecretKey> { return SecretKey(); });
  };
  EXPECT_THAT(verifier.Verify(r.View(), At(signer.amz_date), empty), StatusIs(StatusCode::kInvalidClientTokenId));
  EXPECT_EQ(verifier.cache()->size(), 0u);  // nothing cached for either
}

TEST(SigV4Cache, ManyThreadsShareOneVerifier) {
  SigV4Options options;
  options.signing_key_cache_capacity = 3;  // force evictions under contention
  SigV4Verifier verifier(options);
  std::vector<OwnedRequest> requests;
  std::map<std::string, std::string> secrets;
  for (int i = 0; i < 6; ++i) {
    Signer signer;
    signer.access_key_id = "AKIA000000000000000" + std::to_string(i);
    signer.secret = "secret-" + std::to_string(i);
    signer.region = i % 2 ? "us-east-1" : "eu-west-1";
    OwnedRequest r;
    r.method = "POST";
    r.headers = {{"Host", "iam.example"}, {"Content-Type", "application/x-www-form-urlencoded"}};
    r.body = "Action=GetUser&Version=2010-05-08";
    signer.SignHeader(r);
    requests.push_back(r);
    secrets[signer.access_key_id] = signer.secret;
  }
  auto lookup = TableLookup(secrets);
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      std::vector<OwnedRequest> mine = requests;
      for (int i = 0; i < 300; ++i) {
        OwnedRequest& r = mine[(i + t) % mine.size()];
        if (!verifier.Verify(r.View(), At("20261128T010000Z"), lookup).ok()) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_LE(verifier.cache()->size(), 3u);
}

}  // namespace
}  // namespace iam::auth
