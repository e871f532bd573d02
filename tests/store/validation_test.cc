#include <gtest/gtest.h>

#include "common/status_matchers.h"
#include "store/ids.h"
#include "store/validation.h"

namespace iam::store {
namespace {

using ::iam::testing::IsOk;
using ::iam::testing::StatusIs;

TEST(StoreValidation, NamesAndPaths) {
  EXPECT_THAT(ValidateName("a+b=c,d.e@f-g_h", "userName", 64), IsOk());
  EXPECT_THAT(ValidateName("a/b", "userName", 64),
              StatusIs(StatusCode::kValidationError,
                       "Value 'a/b' at 'userName' failed to satisfy constraint: Member must satisfy "
                       "regular expression pattern: [\\w+=,.@-]+"));
  EXPECT_THAT(ValidateName("corp.idp_1-x", "name", 128, NamePattern::kSaml), IsOk());
  EXPECT_THAT(ValidateName("a@b", "name", 128, NamePattern::kSaml), StatusIs(StatusCode::kValidationError));
  EXPECT_THAT(ValidatePath("/"), IsOk());
  EXPECT_THAT(ValidatePath("/a/b-c/"), IsOk());
  for (const char* bad : {"", "a/", "/a", "//", "/a b/", "/a//b/"}) {
    EXPECT_THAT(ValidatePath(bad), StatusIs(StatusCode::kValidationError)) << bad;
  }
  EXPECT_THAT(ValidatePath("/" + std::string(510, 'a') + "/"), IsOk());  // 512 characters.
  EXPECT_THAT(ValidatePath("/" + std::string(511, 'a') + "/"), StatusIs(StatusCode::kValidationError));
  EXPECT_THAT(ValidateAccountAlias("my-corp-1"), IsOk());
  for (const char* bad : {"ab", "-ab", "ab-", "a--b", "aB1"}) {
    EXPECT_THAT(ValidateAccountAlias(bad), StatusIs(StatusCode::kValidationError)) << bad;
  }
  EXPECT_THAT(ValidateAccessKeyId("AKIAIOSFODNN7EXAMPLE"), IsOk());
  EXPECT_THAT(ValidateAccessKeyId("ASIAIOSFODNN7EXAMPLE"), StatusIs(StatusCode::kValidationError));
  EXPECT_EQ(PolicySize("{ \"a\" :\n\t1 }"), 7u);
}

TEST(StoreValidation, Ids) {
  std::string id = NewUniqueId(kRoleIdPrefix);
  ASSERT_EQ(id.size(), 21u);
  EXPECT_EQ(id.substr(0, 4), "AROA");
  for (char c : id.substr(4)) EXPECT_TRUE((c >= 'A' && c <= 'Z') || (c >= '2' && c <= '7')) << id;
  EXPECT_NE(NewUniqueId("AIDA"), NewUniqueId("AIDA"));
  EXPECT_THAT(ValidateAccessKeyId(NewAccessKeyId()), IsOk());
  EXPECT_EQ(NewSecretAccessKey().size(), 40u);
  EXPECT_EQ(NewAccountId().size(), 12u);
  auto arn = ParseArn("arn:aws:iam::aws:policy/service-role/AWSLambdaRole");
  ASSERT_THAT(arn, IsOk());
  EXPECT_EQ(arn->account_id, "aws");
  EXPECT_EQ(arn->type, "policy");
  EXPECT_EQ(arn->path, "/service-role/");
  EXPECT_EQ(arn->name, "AWSLambdaRole");
  EXPECT_EQ(Arn("123456789012", "user", "/", "bob"), "arn:aws:iam::123456789012:user/bob");
  EXPECT_THAT(ParseArn("arn:aws:s3:::bucket"), StatusIs(StatusCode::kValidationError));
  EXPECT_THAT(ParseArn("arn:aws:iam::1:policy/"), StatusIs(StatusCode::kValidationError));
}

}  // namespace
}  // namespace iam::store
