// application/x-www-form-urlencoded decoding and policy-document encoding.
#include "api/query/form.h"

#include <gtest/gtest.h>

namespace iam::api {
namespace {

TEST(FormTest, PercentDecode) {
  EXPECT_EQ(PercentDecode("a+b%20c%2Bd%3d"), "a b c+d=");
  EXPECT_EQ(PercentDecode("a+b", false), "a+b");
  EXPECT_EQ(PercentDecode("%C3%A9"), "\xc3\xa9");
  EXPECT_EQ(PercentDecode(""), "");
  EXPECT_EQ(PercentDecode("%00"), std::string(1, '\0'));
  EXPECT_FALSE(PercentDecode("%").has_value());
  EXPECT_FALSE(PercentDecode("%4").has_value());
  EXPECT_FALSE(PercentDecode("abc%G1").has_value());
  EXPECT_FALSE(PercentDecode("%%41").has_value());
}

TEST(FormTest, ParseForm) {
  ApiResult<QueryParams> p = ParseForm("Action=CreateUser&Version=2010-05-08&UserName=a%2Bb+c&&Flag&Empty=");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->size(), 5u);
  EXPECT_EQ(p->at("Action"), "CreateUser");
  EXPECT_EQ(p->at("UserName"), "a+b c");
  EXPECT_EQ(p->at("Flag"), "");
  EXPECT_EQ(p->at("Empty"), "");
  EXPECT_TRUE(ParseForm("")->empty());
  EXPECT_EQ(ParseForm("a=b=c")->at("a"), "b=c");
  EXPECT_EQ(ParseForm("T%61gs.member.1=x")->count("Tags.member.1"), 1u);
}

TEST(FormTest, RejectsBadEscapesAndDuplicates) {
  ApiResult<QueryParams> bad = ParseForm("Action=GetUser&UserName=%ZZ");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, "MalformedQueryString");
  EXPECT_EQ(bad.error().http_status, 404);
  EXPECT_FALSE(ParseForm("Us%erName=x").ok());
  ApiResult<QueryParams> dup = ParseForm("UserName=a&Action=GetUser&UserName=b");
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code, "InvalidQueryParameter");
  EXPECT_NE(dup.error().message.find("UserName"), std::string::npos);
  // The same name once encoded and once not is still the same parameter.
  EXPECT_FALSE(ParseForm("UserName=a&User%4eame=b").ok());
  // Across the query string and the body.
  QueryParams params;
  EXPECT_FALSE(ParseFormInto("Action=GetUser", &params).has_value());
  std::optional<AwsError> across = ParseFormInto("Action=ListUsers", &params);
  ASSERT_TRUE(across.has_value());
  EXPECT_EQ(across->code, "InvalidQueryParameter");
}

TEST(FormTest, TooManyParameters) {
  std::string body;
  for (std::size_t i = 0; i <= kMaxQueryParams; ++i) body += "p" + std::to_string(i) + "=x&";
  EXPECT_FALSE(ParseForm(body).ok());
}

TEST(FormTest, UrlEncode) {
  EXPECT_EQ(UrlEncode("{\"Version\":\"2012-10-17\",\"Action\":\"s3:*\"} a+b~_.-"),
            "%7B%22Version%22%3A%222012-10-17%22%2C%22Action%22%3A%22s3%3A%2A%22%7D%20a%2Bb~_.-");
  EXPECT_EQ(UrlEncode("caf\xc3\xa9"), "caf%C3%A9");
  EXPECT_EQ(PercentDecode(UrlEncode("any \x01 bytes \xff"), false), "any \x01 bytes \xff");
}

}  // namespace
}  // namespace iam::api
