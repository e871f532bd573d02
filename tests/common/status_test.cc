#include "iamd/status.h"

#include <gtest/gtest.h>

#include "common/status_macros.h"
#include "common/status_matchers.h"

namespace iam {
namespace {

using ::iam::testing::IsOk;
using ::iam::testing::StatusIs;

TEST(StatusTest, DefaultIsOk) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kOk);
  EXPECT_EQ(s.ToString(), "OK");
}

TEST(StatusTest, ErrorKeepsCodeAndMessage) {
  Status s = NoSuchEntity("The user with name bob cannot be found.");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.ToString(), "NoSuchEntity: The user with name bob cannot be found.");
}

TEST(StatusTest, EveryCodeHasAName) {
  for (int c = 0; c <= static_cast<int>(StatusCode::kInternal); ++c) {
    EXPECT_NE(StatusCodeName(static_cast<StatusCode>(c)), "Unknown") << c;
  }
}

Result<int> Half(int x) {
  if (x % 2) return InvalidInput("odd");
  return x / 2;
}

Result<int> Quarter(int x) {
  IAM_ASSIGN_OR_RETURN(int h, Half(x));
  IAM_ASSIGN_OR_RETURN(int q, Half(h));
  return q;
}

Status CheckEven(int x) {
  IAM_RETURN_IF_ERROR(Half(x).status());
  return Status::Ok();
}

TEST(ResultTest, MacrosPropagate) {
  EXPECT_THAT(Quarter(8), IsOk());
  EXPECT_EQ(*Quarter(8), 2);
  EXPECT_THAT(Quarter(6), StatusIs(StatusCode::kInvalidInput, "odd"));
  EXPECT_THAT(CheckEven(3), StatusIs(StatusCode::kInvalidInput));
  EXPECT_THAT(CheckEven(4), IsOk());
}

}  // namespace
}  // namespace iam
