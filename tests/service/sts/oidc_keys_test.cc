// Where AssumeRoleWithWebIdentity finds a provider's JWKS: the path under
// --oidc-jwks-dir, which must stay inside it, and the errors when the keys
// cannot be had (AWS's IDPCommunicationError).
#include "service/sts/oidc_keys.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "common/status_matchers.h"

namespace iam::service::sts {
namespace {

using ::iam::testing::IsOk;
using ::iam::testing::StatusIs;

TEST(JwksPathTest, MirrorsTheProviderUrl) {
  EXPECT_EQ(JwksPath("/keys", "https://idp.example.test/realms/kitchen").value(),
            "/keys/idp.example.test/realms/kitchen/jwks.json");
  EXPECT_EQ(JwksPath("/keys", "idp.example.test/").value(), "/keys/idp.example.test/jwks.json");
}

TEST(JwksPathTest, NeverLeavesTheFolder) {
  for (const char* url : {"https://idp.example.test/../../etc", "https://..", "https://a//b", "https://a/./b",
                          "https://", "https://a\\..\\b"}) {
    EXPECT_THAT(JwksPath("/keys", url), StatusIs(StatusCode::kIdpCommunicationError)) << url;
  }
  EXPECT_THAT(JwksPath("", "https://idp.example.test"), StatusIs(StatusCode::kIdpCommunicationError));
}

TEST(LoadProviderKeysTest, MissingOrBadFilesAreCommunicationErrors) {
  std::string dir = ::testing::TempDir() + "/oidc_keys_" + std::to_string(::getpid());
  std::filesystem::create_directories(dir + "/idp.example.test");
  EXPECT_THAT(LoadProviderKeys(dir, "https://nobody.example.test"), StatusIs(StatusCode::kIdpCommunicationError));
  std::ofstream(dir + "/idp.example.test/jwks.json") << R"({"keys":[]})";
  EXPECT_THAT(LoadProviderKeys(dir, "https://idp.example.test"), StatusIs(StatusCode::kIdpCommunicationError));
  // A P-256 key (the RFC 7517 example).
  std::ofstream(dir + "/idp.example.test/jwks.json")
      << R"({"keys":[{"kty":"EC","crv":"P-256","kid":"1","x":"MKBCTNIcKUSDii11ySs3526iDZ8AiTo7Tu6KPAqv7D4",)"
         R"("y":"4Etl6SRW2YiLUrN5vfvVHuhp7x8PxltmWWlbbM4IFyM"}]})";
  Result<auth::JsonWebKeySet> keys = LoadProviderKeys(dir, "https://idp.example.test/");
  ASSERT_THAT(keys.status(), IsOk());
  EXPECT_EQ(keys->size(), 1u);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace iam::service::sts
