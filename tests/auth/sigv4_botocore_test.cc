// Requests signed by real botocore (header and presigned forms, IAM and STS,
// long-term and temporary keys; testdata/gen_botocore_fixtures.py) must
// verify, and every one-byte change to what they sign must be refused.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "auth/canonical.h"
#include "auth/sigv4.h"
#include "common/status_matchers.h"
#include "sigv4_test_util.h"

namespace iam::auth {
namespace {

using ::iam::auth::testing::At;
using ::iam::auth::testing::OwnedRequest;
using ::iam::auth::testing::TableLookup;
using ::iam::testing::IsOk;
using ::iam::testing::StatusIs;

std::string ToLowerForTest(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

struct Fixture {
  std::string name;
  std::string form;
  std::string service;
  std::string region;
  std::string access_key_id;
  std::string secret;
  std::string token;
  std::string expect;
  OwnedRequest request;
};

struct Fixtures {
  std::string now;
  std::vector<Fixture> cases;
};

const Fixtures& LoadFixtures() {
  static const Fixtures* fixtures = [] {
    std::ifstream in(std::string(IAMD_SOURCE_DIR) + "/tests/auth/testdata/botocore_fixtures.json");
    std::stringstream text;
    text << in.rdbuf();
    nlohmann::json j = nlohmann::json::parse(text.str());
    auto* f = new Fixtures;
    f->now = j["now"];
    for (const auto& c : j["cases"]) {
      Fixture x;
      x.name = c["name"];
      x.form = c["form"];
      x.service = c["service"];
      x.region = c["region"];
      x.access_key_id = c["access_key_id"];
      x.secret = c["secret_access_key"];
      x.token = c["session_token"];
      x.expect = c["expect"];
      x.request.method = c["method"];
      x.request.path = c["path"];
      x.request.query = c["query"];
      x.request.body = c["body"];
      for (const auto& h : c["headers"]) x.request.headers.emplace_back(h[0], h[1]);
      f->cases.push_back(std::move(x));
    }
    return f;
  }();
  return *fixtures;
}

// The fixtures' clock, plus `seconds`.
std::chrono::system_clock::time_point Now(int seconds = 0) {
  return At(LoadFixtures().now) + std::chrono::seconds(seconds);
}

Result<SigV4Auth> VerifyFixture(const SigV4Verifier& verifier, Fixture& f,
                                std::chrono::system_clock::time_point now) {
  return verifier.Verify(f.request.View(), now, TableLookup({{f.access_key_id, f.secret}}));
}

std::vector<Fixture> GoodFixtures() {
  std::vector<Fixture> out;
  for (const Fixture& f : LoadFixtures().cases) {
    if (f.expect == "OK") out.push_back(f);
  }
  return out;
}

TEST(SigV4Botocore, FixturesAreThere) {
  const Fixtures& f = LoadFixtures();
  ASSERT_GE(f.cases.size(), 15u);
  int presigned = 0, temporary = 0, sts = 0;
  for (const Fixture& c : f.cases) {
    presigned += c.form == "presigned";
    temporary += !c.token.empty();
    sts += c.service == "sts";
  }
  EXPECT_GE(presigned, 4);
  EXPECT_GE(temporary, 3);
  EXPECT_GE(sts, 4);
}

TEST(SigV4Botocore, EveryFixtureVerifies) {
  SigV4Verifier verifier;
  for (Fixture f : LoadFixtures().cases) {
    SCOPED_TRACE(f.name);
    Result<SigV4Auth> auth = VerifyFixture(verifier, f, Now());
    if (f.expect != "OK") {
      EXPECT_EQ(StatusCodeName(auth.status().code()), f.expect) << auth.status().ToString();
      continue;
    }
    ASSERT_THAT(auth, IsOk());
    EXPECT_EQ(auth->access_key_id, f.access_key_id);
    EXPECT_EQ(auth->security_token, f.token);
    EXPECT_EQ(auth->service, f.service);
    EXPECT_EQ(auth->region, f.region);
    EXPECT_EQ(auth->form == SigV4Form::kPresignedQuery, f.form == "presigned");
    // Twice: the second time the signing key comes from the cache.
    EXPECT_THAT(VerifyFixture(verifier, f, Now()), IsOk());
  }
  EXPECT_GT(verifier.cache()->hits(), 0u);
}

TEST(SigV4Botocore, EveryFixtureVerifiesWithoutTheCache) {
  SigV4Options options;
  options.signing_key_cache_capacity = 0;
  SigV4Verifier verifier(options);
  for (Fixture f : GoodFixtures()) {
    SCOPED_TRACE(f.name);
    EXPECT_THAT(VerifyFixture(verifier, f, Now()), IsOk());
  }
}

// Flips the lowest bit of each byte of `field` in turn and checks the
// verifier's answer: `expect` when given, any refusal otherwise.
void ExpectEveryFlipRefused(const SigV4Verifier& verifier, Fixture& f, std::string& field,
                            const char* what, std::optional<StatusCode> expect) {
  for (size_t i = 0; i < field.size(); ++i) {
    field[i] ^= 1;
    Result<SigV4Auth> auth = VerifyFixture(verifier, f, Now());
    if (expect.has_value()) {
      EXPECT_EQ(auth.status().code(), *expect)
          << what << " byte " << i << " -> '" << field << "': " << auth.status().ToString();
    } else {
      EXPECT_FALSE(auth.ok()) << what << " byte " << i << " -> '" << field << "' was accepted";
    }
    field[i] ^= 1;
  }
}

TEST(SigV4Botocore, EveryOneByteChangeIsRefused) {
  SigV4Verifier verifier;
  for (Fixture f : GoodFixtures()) {
    SCOPED_TRACE(f.name);
    ASSERT_THAT(VerifyFixture(verifier, f, Now()), IsOk());
    ExpectEveryFlipRefused(verifier, f, f.request.method, "method",
                           StatusCode::kSignatureDoesNotMatch);
    ExpectEveryFlipRefused(verifier, f, f.request.body, "body", StatusCode::kSignatureDoesNotMatch);
    ExpectEveryFlipRefused(verifier, f, f.request.query, "query", std::nullopt);

    // The path is compared after AWS's normalisation ("/a/./b" is "/a/b"),
    // so a change that normalises to the same path is the same request.
    std::string original_uri = CanonicalUri(f.request.path);
    for (size_t i = 1; i < f.request.path.size(); ++i) {
      f.request.path[i] ^= 1;
      Result<SigV4Auth> auth = VerifyFixture(verifier, f, Now());
      if (CanonicalUri(f.request.path) == original_uri) {
        EXPECT_THAT(auth, IsOk()) << f.request.path;
      } else {
        EXPECT_THAT(auth, StatusIs(StatusCode::kSignatureDoesNotMatch)) << f.request.path;
      }
      f.request.path[i] ^= 1;
    }

    Result<SigV4Auth> auth = VerifyFixture(verifier, f, Now());
    for (auto& [name, value] : f.request.headers) {
      std::string lower = ToLowerForTest(name);
      bool is_signed = std::find(auth->signed_headers.begin(), auth->signed_headers.end(),
                                 lower) != auth->signed_headers.end();
      if (lower == "authorization") {
        ExpectEveryFlipRefused(verifier, f, value, "Authorization", std::nullopt);
      } else if (lower == "x-amz-date" || lower == "date") {
        ExpectEveryFlipRefused(verifier, f, value, "date header", std::nullopt);
      } else if (is_signed) {
        ExpectEveryFlipRefused(verifier, f, value, name.c_str(),
                               StatusCode::kSignatureDoesNotMatch);
        // The name too: the signed header then goes missing.
        ExpectEveryFlipRefused(verifier, f, name, "header name", std::nullopt);
      }
    }
  }
}

TEST(SigV4Botocore, ExtraCopyOfASignedHeaderIsRefused) {
  SigV4Verifier verifier;
  for (Fixture f : GoodFixtures()) {
    SCOPED_TRACE(f.name);
    f.request.headers.emplace_back("host", "evil.example");
    EXPECT_THAT(VerifyFixture(verifier, f, Now()), StatusIs(StatusCode::kSignatureDoesNotMatch));
    f.request.headers.pop_back();
    // Unsigned headers may come and go.
    f.request.headers.emplace_back("X-Forwarded-For", "10.0.0.1");
    EXPECT_THAT(VerifyFixture(verifier, f, Now()), IsOk());
  }
}

// Replaces the first `from` with `to` in the request's credential, wherever
// it lives (Authorization header or X-Amz-Credential).
void EditCredential(Fixture& f, const std::string& from, const std::string& to) {
  std::string* target = nullptr;
  for (auto& [name, value] : f.request.headers) {
    if (name == "Authorization") target = &value;
  }
  std::string encoded_from = from, encoded_to = to;
  if (target == nullptr) {
    target = &f.request.query;
    encoded_from = UriEncode(from, false);
    encoded_to = UriEncode(to, false);
  }
  size_t pos = target->find(encoded_from);
  ASSERT_NE(pos, std::string::npos) << encoded_from << " in " << *target;
  target->replace(pos, encoded_from.size(), encoded_to);
}

TEST(SigV4Botocore, ScopeChangesAreRefusedWithAwsMessages) {
  SigV4Verifier verifier;
  for (Fixture f : GoodFixtures()) {
    SCOPED_TRACE(f.name);
    std::string date = LoadFixtures().now.substr(0, 8);
    {
      Fixture g = f;
      EditCredential(g, "/" + g.region + "/", "/ap-south-2/");  // any region is fine...
      EXPECT_THAT(VerifyFixture(verifier, g, Now()),
                  StatusIs(StatusCode::kSignatureDoesNotMatch, "The request signature we calculated"));
    }
    {
      Fixture g = f;
      EditCredential(g, "/" + g.service + "/", "/ec2/");
      EXPECT_THAT(VerifyFixture(verifier, g, Now()),
                  StatusIs(StatusCode::kSignatureDoesNotMatch,
                           "Credential should be scoped to correct service: 'iam' or 'sts'."));
    }
    {
      Fixture g = f;
      EditCredential(g, date + "/", "20261127/");
      EXPECT_THAT(VerifyFixture(verifier, g, Now()),
                  StatusIs(StatusCode::kSignatureDoesNotMatch,
                           "Date in Credential scope does not match YYYYMMDD from ISO-8601 version "
                           "of date from HTTP: '20261127' != '20261128'"));
    }
    {
      Fixture g = f;
      EditCredential(g, "/aws4_request", "/aws5_request");
      EXPECT_THAT(VerifyFixture(verifier, g, Now()),
                  StatusIs(StatusCode::kSignatureDoesNotMatch,
                           "Credential should be scoped with a valid terminator: 'aws4_request', "
                           "not 'aws5_request'."));
    }
    {
      Fixture g = f;
      EditCredential(g, g.access_key_id, "AKIAI44QH8DHBEXAMPLE");
      EXPECT_THAT(VerifyFixture(verifier, g, Now()),
                  StatusIs(StatusCode::kInvalidClientTokenId,
                           "The security token included in the request is invalid."));
    }
    {
      Fixture g = f;
      g.secret.back() ^= 1;
      EXPECT_THAT(VerifyFixture(verifier, g, Now()), StatusIs(StatusCode::kSignatureDoesNotMatch));
    }
  }
}

TEST(SigV4Botocore, ClockSkewBothWays) {
  SigV4Verifier verifier;
  for (Fixture f : GoodFixtures()) {
    SCOPED_TRACE(f.name);
    Result<SigV4Auth> auth = VerifyFixture(verifier, f, Now());
    ASSERT_THAT(auth, IsOk());
    int signed_offset = static_cast<int>(
        (auth->request_time_point - std::chrono::floor<std::chrono::seconds>(Now()))
            .count());
    // Up to 15 minutes early is fine; one second more is not.
    EXPECT_THAT(VerifyFixture(verifier, f, Now(signed_offset - 900)), IsOk());
    EXPECT_THAT(VerifyFixture(verifier, f, Now(signed_offset - 901)),
                StatusIs(StatusCode::kSignatureDoesNotMatch, "Signature not yet current: "));
    if (!auth->expires_seconds.has_value()) {
      EXPECT_THAT(VerifyFixture(verifier, f, Now(signed_offset + 900)), IsOk());
      EXPECT_THAT(VerifyFixture(verifier, f, Now(signed_offset + 901)),
                  StatusIs(StatusCode::kSignatureDoesNotMatch, "Signature expired: "));
    } else {
      int expires = static_cast<int>(*auth->expires_seconds);
      EXPECT_THAT(VerifyFixture(verifier, f, Now(signed_offset + expires)), IsOk());
      EXPECT_THAT(VerifyFixture(verifier, f, Now(signed_offset + expires + 1)),
                  StatusIs(StatusCode::kRequestExpired));
    }
  }
}

}  // namespace
}  // namespace iam::auth
