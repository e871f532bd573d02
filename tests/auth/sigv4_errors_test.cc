// Malformed, stale and mis-scoped signatures: AWS's error code and message
// for each, in AWS's order of checks.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

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

constexpr char kNow[] = "20261128T010000Z";

OwnedRequest ListUsers() {
  OwnedRequest r;
  r.method = "POST";
  r.headers = {{"Host", "iam.example:8080"},
               {"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}};
  r.body = "Action=ListUsers&Version=2010-05-08";
  return r;
}

class SigV4ErrorsTest : public ::testing::Test {
 protected:
  Result<SigV4Auth> Verify(OwnedRequest& r, const std::string& now = kNow) {
    return verifier_.Verify(r.View(), At(now), TableLookup({{signer_.access_key_id, signer_.secret}}));
  }
  // A request whose only authentication is `authorization` (with X-Amz-Date).
  Result<SigV4Auth> WithAuthorization(const std::string& authorization, bool with_date = true) {
    OwnedRequest r = ListUsers();
    if (with_date) r.headers.emplace_back("X-Amz-Date", kNow);
    r.headers.emplace_back("Authorization", authorization);
    return Verify(r);
  }

  Signer signer_;
  SigV4Verifier verifier_;
};

TEST_F(SigV4ErrorsTest, SignedRequestVerifies) {
  OwnedRequest r = ListUsers();
  signer_.SignHeader(r);
  Result<SigV4Auth> auth = Verify(r);
  ASSERT_THAT(auth, IsOk());
  EXPECT_EQ(auth->access_key_id, "AKIAIOSFODNN7EXAMPLE");
  EXPECT_EQ(auth->credential, "AKIAIOSFODNN7EXAMPLE/20261128/us-east-1/iam/aws4_request");
  EXPECT_EQ(auth->scope_date, "20261128");
  EXPECT_EQ(auth->region, "us-east-1");
  EXPECT_EQ(auth->service, "iam");
  EXPECT_EQ(auth->request_time, kNow);
  EXPECT_THAT(auth->signed_headers, ::testing::ElementsAre("content-type", "host", "x-amz-date"));
  EXPECT_EQ(auth->security_token, "");
}

TEST_F(SigV4ErrorsTest, NothingSigned) {
  OwnedRequest r = ListUsers();
  EXPECT_THAT(Verify(r), StatusIs(StatusCode::kMissingAuthenticationToken,
                                  "Request is missing Authentication Token"));
  EXPECT_THAT(WithAuthorization("Basic dXNlcjpwYXNz"),
              StatusIs(StatusCode::kMissingAuthenticationToken));
  EXPECT_THAT(WithAuthorization("AWS AKIAIOSFODNN7EXAMPLE:frJIUN8DYpKDtOLCwo//yllqDzg="),
              StatusIs(StatusCode::kMissingAuthenticationToken));
  EXPECT_THAT(WithAuthorization("   "), StatusIs(StatusCode::kMissingAuthenticationToken));
}

TEST_F(SigV4ErrorsTest, UnsupportedAlgorithm) {
  EXPECT_THAT(WithAuthorization("AWS4-HMAC-SHA512 Credential=a/b/c/d/e"),
              StatusIs(StatusCode::kIncompleteSignature,
                       "Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA512'"));
}

TEST_F(SigV4ErrorsTest, ParameterWithoutEqualSign) {
  EXPECT_THAT(WithAuthorization("AWS4-HMAC-SHA256 FooBar, BazBurp"),
              StatusIs(StatusCode::kIncompleteSignature,
                       "'FooBar' not a valid key=value pair (missing equal-sign) in Authorization "
                       "header: 'AWS4-HMAC-SHA256 FooBar, BazBurp'"));
}

TEST_F(SigV4ErrorsTest, MissingParametersAreAllNamed) {
  Result<SigV4Auth> r = WithAuthorization("AWS4-HMAC-SHA256 Foo=Bar, Baz=Burp", false);
  EXPECT_THAT(r, StatusIs(StatusCode::kIncompleteSignature));
  EXPECT_EQ(r.status().message(),
            "Authorization header requires 'Credential' parameter. Authorization header requires "
            "'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. "
            "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' "
            "header. Authorization=AWS4-HMAC-SHA256 Foo=Bar, Baz=Burp");
  r = WithAuthorization("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE");
  EXPECT_EQ(r.status().message(),
            "Authorization header requires 'Signature' parameter. Authorization header requires "
            "'SignedHeaders' parameter. Authorization=AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE");
}

TEST_F(SigV4ErrorsTest, HostMustBeSigned) {
  EXPECT_THAT(WithAuthorization("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20261128/"
                                "us-east-1/iam/aws4_request, SignedHeaders=x-amz-date, "
                                "Signature=abcdef"),
              StatusIs(StatusCode::kSignatureDoesNotMatch,
                       "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization."));
  // Also when everything else is right.
  signer_.signed_headers = {"content-type", "x-amz-date"};
  OwnedRequest r = ListUsers();
  signer_.SignHeader(r);
  EXPECT_THAT(Verify(r), StatusIs(StatusCode::kSignatureDoesNotMatch, "'Host'"));
}

TEST_F(SigV4ErrorsTest, DateMustBeIsoBasic) {
  OwnedRequest r = ListUsers();
  r.headers.emplace_back("X-Amz-Date", "2015/08/30T12/36/00Z");
  r.headers.emplace_back("Authorization",
                         "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/"
                         "aws4_request, SignedHeaders=host;x-amz-date, Signature=abcdef");
  EXPECT_THAT(Verify(r), StatusIs(StatusCode::kIncompleteSignature,
                                  "Date must be in ISO-8601 'basic format'. Got "
                                  "'2015/08/30T12/36/00Z'. See http://en.wikipedia.org/wiki/ISO_8601"));
  for (const char* bad : {"20261128T250000Z", "20260230T010000Z", "20261128T010000", "x"}) {
    r.headers[2].second = bad;
    EXPECT_THAT(Verify(r), StatusIs(StatusCode::kIncompleteSignature, "Date must be")) << bad;
  }
}

TEST_F(SigV4ErrorsTest, CredentialNeedsFiveParts) {
  EXPECT_THAT(WithAuthorization("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261128/us-east-1/iam, "
                                "SignedHeaders=host;x-amz-date, Signature=abcdef"),
              StatusIs(StatusCode::kIncompleteSignature,
                       "Credential must have exactly 5 slash-delimited elements, e.g. "
                       "keyid/date/region/service/term, got 'AKIDEXAMPLE/20261128/us-east-1/iam'"));
  EXPECT_THAT(WithAuthorization("AWS4-HMAC-SHA256 Credential=A/B/20261128/us-east-1/iam/"
                                "aws4_request, SignedHeaders=host;x-amz-date, Signature=abcdef"),
              StatusIs(StatusCode::kIncompleteSignature, "exactly 5"));
}

TEST_F(SigV4ErrorsTest, ClockIsCheckedBeforeTheCredentialAsAwsDoes) {
  OwnedRequest r = ListUsers();
  r.headers.emplace_back("X-Amz-Date", "20261127T010000Z");
  r.headers.emplace_back("Authorization",
                         "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE, SignedHeaders=host;x-amz-date, "
                         "Signature=abcdef");
  EXPECT_THAT(Verify(r), StatusIs(StatusCode::kSignatureDoesNotMatch, "Signature expired"));
  EXPECT_THAT(ParseSigV4(r.View()), StatusIs(StatusCode::kIncompleteSignature, "exactly 5"));
}

TEST_F(SigV4ErrorsTest, EveryScopeProblemIsListed) {
  SigV4Options options;
  options.regions = {"us-east-1"};
  SigV4Verifier verifier(options);
  OwnedRequest r = ListUsers();
  r.headers.emplace_back("X-Amz-Date", kNow);
  r.headers.emplace_back("Authorization",
                         "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/foobar/wrong-region/"
                         "wrong-service/aws5_request, SignedHeaders=host;x-amz-date, "
                         "Signature=abcdef");
  Result<SigV4Auth> auth = verifier.Verify(r.View(), At(kNow), TableLookup({}));
  EXPECT_THAT(auth, StatusIs(StatusCode::kSignatureDoesNotMatch));
  EXPECT_EQ(auth.status().message(),
            "Credential should be scoped to a valid region, not 'wrong-region'. Credential should "
            "be scoped to correct service: 'iam' or 'sts'. Credential should be scoped with a "
            "valid terminator: 'aws4_request', not 'aws5_request'. Date in Credential scope does "
            "not match YYYYMMDD from ISO-8601 version of date from HTTP: 'foobar' != '20261128', "
            "from '20261128T010000Z'.");
}

TEST_F(SigV4ErrorsTest, AnyRegionByDefaultAndConfigurableServices) {
  signer_.region = "mars-north-7";
  OwnedRequest r = ListUsers();
  signer_.SignHeader(r);
  EXPECT_THAT(Verify(r), IsOk());

  SigV4Options options;
  options.services = {"execute-api"};
  SigV4Verifier verifier(options);
  EXPECT_THAT(verifier.Verify(r.View(), At(kNow), TableLookup({})),
              StatusIs(StatusCode::kSignatureDoesNotMatch,
                       "Credential should be scoped to correct service: 'execute-api'."));
}

TEST_F(SigV4ErrorsTest, ClockSkewMessages) {
  OwnedRequest r = ListUsers();
  signer_.SignHeader(r);  // signed at 01:00:00
  EXPECT_THAT(Verify(r, "20261128T011500Z"), IsOk());
  Result<SigV4Auth> late = Verify(r, "20261128T011501Z");
  EXPECT_THAT(late, StatusIs(StatusCode::kSignatureDoesNotMatch));
  EXPECT_EQ(late.status().message(),
            "Signature expired: 20261128T010000Z is now earlier than 20261128T010001Z "
            "(20261128T011501Z - 15 min.)");
  EXPECT_THAT(Verify(r, "20261128T004500Z"), IsOk());
  Result<SigV4Auth> early = Verify(r, "20261128T004459Z");
  EXPECT_EQ(early.status().message(),
            "Signature not yet current: 20261128T010000Z is still later than 20261128T005959Z "
            "(20261128T004459Z + 15 min.)");
  // A replay a day later.
  EXPECT_THAT(Verify(r, "20261129T010000Z"),
              StatusIs(StatusCode::kSignatureDoesNotMatch, "Signature expired"));
}

TEST_F(SigV4ErrorsTest, UnknownKeyAndLookupFailures) {
  OwnedRequest r = ListUsers();
  signer_.SignHeader(r);
  auto verify_with = [&](SecretLookup lookup) { return verifier_.Verify(r.View(), At(kNow), lookup); };
  EXPECT_THAT(verify_with(TableLookup({})),
              StatusIs(StatusCode::kInvalidClientTokenId,
                       "The security token included in the request is invalid."));
  EXPECT_THAT(verify_with([](const SigV4Auth&) -> Result<SecretKey> {
                return Status(StatusCode::kInvalidClientTokenId, "inactive key AKIA...");
              }),
              StatusIs(StatusCode::kInvalidClientTokenId,
                       "The security token included in the request is invalid."));
  EXPECT_THAT(verify_with([](const SigV4Auth&) -> Result<SecretKey> {
                return Status(StatusCode::kExpiredToken,
                              "The security token included in the request is expired");
              }),
              StatusIs(StatusCode::kExpiredToken, "is expired"));
  EXPECT_THAT(verify_with([](const SigV4Auth&) -> Result<SecretKey> { return SecretKey(); }),
              StatusIs(StatusCode::kInvalidClientTokenId));
  // The lookup sees the session token.
  r.headers.emplace_back("X-Amz-Security-Token", "  token+/=  ");
  std::string seen;
  (void)verify_with([&seen](const SigV4Auth& a) -> Result<SecretKey> {
    seen = a.security_token;
    return Status(StatusCode::kNoSuchEntity, "");
  });
  EXPECT_EQ(seen, "token+/=");
}

TEST_F(SigV4ErrorsTest, SignedHeaderMissingFromRequest) {
  signer_.signed_headers = {"content-type", "host", "x-amz-date", "x-amz-target"};
  OwnedRequest r = ListUsers();
  r.headers.emplace_back("X-Amz-Target", "x");
  signer_.SignHeader(r);
  EXPECT_THAT(Verify(r), IsOk());
  r.headers.erase(r.headers.begin() + 2);  // X-Amz-Target
  EXPECT_THAT(Verify(r), StatusIs(StatusCode::kSignatureDoesNotMatch, "'x-amz-target'"));
}

TEST_F(SigV4ErrorsTest, DuplicatedHeaders) {
  signer_.signed_headers = {"content-type", "host", "x-amz-date", "x-dup"};
  OwnedRequest r = ListUsers();
  r.headers.emplace_back("X-Dup", "b");
  r.headers.emplace_back("x-dup", " a ");
  signer_.SignHeader(r);
  EXPECT_THAT(Verify(r), IsOk());
  // Order matters, as the values are joined in order: "b,a" is not "a,b".
  std::swap(r.headers[2].second, r.headers[3].second);
  EXPECT_THAT(Verify(r), StatusIs(StatusCode::kSignatureDoesNotMatch));
  std::swap(r.headers[2].second, r.headers[3].second);
  // A second Authorization header is ignored (the first one counts).
  r.headers.emplace_back("Authorization", "AWS4-HMAC-SHA256 garbage");
  EXPECT_THAT(Verify(r), IsOk());
}

TEST_F(SigV4ErrorsTest, BothFormsAtOnce) {
  OwnedRequest r = ListUsers();
  r.query = "X-Amz-Algorithm=AWS4-HMAC-SHA256";
  signer_.SignHeader(r);
  EXPECT_THAT(Verify(r), StatusIs(StatusCode::kSignatureDoesNotMatch,
                                  "Found both 'X-Amz-Algorithm' as a query-string param and "
                                  "'Authorization' as HTTP header."));
}

TEST_F(SigV4ErrorsTest, PresignedHappyPathAndExpiry) {
  signer_.service = "sts";
  signer_.signed_headers = {"host"};
  OwnedRequest r;
  r.headers = {{"Host", "sts.example"}};
  r.query = "Action=GetCallerIdentity&Version=2011-06-15";
  signer_.Presign(r, 60);
  Result<SigV4Auth> auth = Verify(r);
  ASSERT_THAT(auth, IsOk());
  EXPECT_EQ(auth->form, SigV4Form::kPresignedQuery);
  EXPECT_EQ(auth->expires_seconds, 60);
  EXPECT_THAT(Verify(r, "20261128T010100Z"), IsOk());
  EXPECT_THAT(Verify(r, "20261128T010101Z"),
              StatusIs(StatusCode::kRequestExpired, "Request has expired."));
  EXPECT_THAT(Verify(r, "20261128T004459Z"),
              StatusIs(StatusCode::kSignatureDoesNotMatch, "Signature not yet current"));
}

TEST_F(SigV4ErrorsTest, PresignedMissingParameters) {
  OwnedRequest r = ListUsers();
  r.query = "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=20261128T010000Z";
  EXPECT_THAT(Verify(r),
              StatusIs(StatusCode::kIncompleteSignature,
                       "AWS query-string parameters must include 'X-Amz-Credential'. AWS "
                       "query-string parameters must include 'X-Amz-Signature'. AWS query-string "
                       "parameters must include 'X-Amz-SignedHeaders'. Re-examine the "
                       "query-string parameters."));
  r.query = "X-Amz-Algorithm=AWS4-HMAC-SHA1&X-Amz-Date=20261128T010000Z";
  EXPECT_THAT(Verify(r), StatusIs(StatusCode::kMissingAuthenticationToken));
}

TEST_F(SigV4ErrorsTest, PresignedExpiresBounds) {
  signer_.signed_headers = {"host"};
  for (int expires : {1, 604800}) {
    OwnedRequest r;
    r.headers = {{"Host", "iam.example"}};
    signer_.Presign(r, expires);
    EXPECT_THAT(Verify(r), IsOk()) << expires;
  }
  for (const char* bad : {"0", "604801", "-5", "abc", "", "99999999999999999999"}) {
    OwnedRequest r;
    r.headers = {{"Host", "iam.example"}};
    r.query = "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20261128"
              "%2Fus-east-1%2Fiam%2Faws4_request&X-Amz-Date=20261128T010000Z&X-Amz-SignedHeaders="
              "host&X-Amz-Signature=00&X-Amz-Expires=" +
              std::string(bad);
    EXPECT_THAT(Verify(r), StatusIs(StatusCode::kIncompleteSignature, "X-Amz-Expires")) << bad;
  }
}

TEST_F(SigV4ErrorsTest, PresignedWithoutExpiresUsesTheSkewWindow) {
  signer_.signed_headers = {"host"};
  OwnedRequest r;
  r.headers = {{"Host", "iam.example"}};
  // No X-Amz-Expires: the 15-minute rule applies, as to the header form.
  const Signer& s = signer_;
  r.query = "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=" +
            UriEncode(s.access_key_id + "/" + s.Scope(), false) +
            "&X-Amz-Date=" + s.amz_date + "&X-Amz-SignedHeaders=host";
  r.query += "&X-Amz-Signature=" + s.Signature(r, CanonicalQuery(ParseQuery(r.query), ""));
  EXPECT_THAT(Verify(r, "20261128T011500Z"), IsOk());
  EXPECT_THAT(Verify(r, "20261128T011501Z"),
              StatusIs(StatusCode::kSignatureDoesNotMatch, "Signature expired"));
}

TEST_F(SigV4ErrorsTest, PayloadHashSources) {
  OwnedRequest r = ListUsers();
  signer_.SignHeader(r);
  std::string hash = crypto::HexEncode(crypto::Sha256(r.body));
  // The caller may pass the hash instead of the body.
  HttpRequestView view = r.View();
  view.body = "";
  view.payload_hash = hash;
  EXPECT_THAT(verifier_.Verify(view, At(kNow), TableLookup({{signer_.access_key_id, signer_.secret}})),
              IsOk());
  // A hash that is not the body's fails.
  std::string other = crypto::HexEncode(crypto::Sha256("Action=DeleteUser"));
  view.payload_hash = other;
  EXPECT_THAT(verifier_.Verify(view, At(kNow), TableLookup({{signer_.access_key_id, signer_.secret}})),
              StatusIs(StatusCode::kSignatureDoesNotMatch));
}

TEST_F(SigV4ErrorsTest, ContentSha256Header) {
  signer_.signed_headers = {"content-type", "host", "x-amz-content-sha256", "x-amz-date"};
  // botocore signs the header's value in place of the body's hash.
  OwnedRequest r = ListUsers();
  r.headers.emplace_back("X-Amz-Content-Sha256", crypto::HexEncode(crypto::Sha256(r.body)));
  signer_.SignHeader(r);
  EXPECT_THAT(Verify(r), IsOk());
  r.body = "Action=DeleteUser&Version=2010-05-08&UserName=bob";
  EXPECT_THAT(Verify(r), StatusIs(StatusCode::kSignatureDoesNotMatch,
                                  "The provided 'x-amz-content-sha256' header does not match"));
}

TEST_F(SigV4ErrorsTest, UnsignedPayloadOnlyWhenAllowed) {
  signer_.signed_headers = {"host", "x-amz-content-sha256", "x-amz-date"};
  OwnedRequest r = ListUsers();
  r.headers.emplace_back("X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD");
  r.headers.emplace_back("X-Amz-Date", kNow);
  // Sign by hand: the canonical request ends with UNSIGNED-PAYLOAD.
  HttpRequestView view = r.View();
  std::string creq = CanonicalRequest(
      "POST", "/", "", CanonicalHeaders(view.headers, signer_.signed_headers).value(),
      signer_.signed_headers, "UNSIGNED-PAYLOAD");
  std::string sig = SignatureHex(DeriveSigningKey(signer_.secret, "20261128", "us-east-1", "iam"),
                                 StringToSign(kNow, signer_.Scope(), creq));
  r.headers.emplace_back("Authorization",
                         "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/" + signer_.Scope() +
                             ", SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=" + sig);
  EXPECT_THAT(Verify(r), StatusIs(StatusCode::kSignatureDoesNotMatch, "UNSIGNED-PAYLOAD"));
  SigV4Options options;
  options.allow_unsigned_payload = true;
  SigV4Verifier lenient(options);
  EXPECT_THAT(lenient.Verify(r.View(), At(kNow), TableLookup({{signer_.access_key_id, signer_.secret}})),
              IsOk());
}

TEST_F(SigV4ErrorsTest, MismatchMessageShowsCanonicalRequestUnlessDisabled) {
  OwnedRequest r = ListUsers();
  signer_.SignHeader(r);
  r.body += "&UserName=eve";
  Result<SigV4Auth> detailed = Verify(r);
  EXPECT_THAT(detailed, StatusIs(StatusCode::kSignatureDoesNotMatch,
                                 "\n\nThe Canonical String for this request should have been\n'POST\n/\n\n"
                                 "content-type:application/x-www-form-urlencoded; charset=utf-8\n"
                                 "host:iam.example:8080\nx-amz-date:20261128T010000Z\n\n"
                                 "content-type;host;x-amz-date\n"));
  EXPECT_THAT(detailed, StatusIs(StatusCode::kSignatureDoesNotMatch,
                                 "The String-to-Sign should have been\n'AWS4-HMAC-SHA256\n"
                                 "20261128T010000Z\n20261128/us-east-1/iam/aws4_request\n"));
  SigV4Options options;
  options.detailed_mismatch_message = false;
  SigV4Verifier terse(options);
  Result<SigV4Auth> short_message =
      terse.Verify(r.View(), At(kNow), TableLookup({{signer_.access_key_id, signer_.secret}}));
  EXPECT_EQ(short_message.status().message(),
            "The request signature we calculated does not match the signature you provided. "
            "Check your AWS Secret Access Key and signing method. Consult the service "
            "documentation for details.");
}

TEST_F(SigV4ErrorsTest, SignatureHexIsCaseInsensitive) {
  OwnedRequest r = ListUsers();
  signer_.SignHeader(r);
  std::string& authorization = r.headers.back().second;
  size_t at = authorization.find("Signature=") + 10;
  for (size_t i = at; i < authorization.size(); ++i) {
    authorization[i] = static_cast<char>(std::toupper(static_cast<unsigned char>(authorization[i])));
  }
  EXPECT_THAT(Verify(r), IsOk());
  authorization.pop_back();  // a truncated signature
  EXPECT_THAT(Verify(r), StatusIs(StatusCode::kSignatureDoesNotMatch));
}

}  // namespace
}  // namespace iam::auth
