// Request side: bodies serialized by real botocore parse back into exactly
// the parameters botocore was given; AWS's validation texts and protocol errors.
#include "api/query/request.h"

#include <fstream>
#include <random>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "api/query/form.h"

namespace iam::api {
namespace {

using nlohmann::json;

json LoadFixture(const std::string& name) {
  std::ifstream in(std::string(IAMD_SOURCE_DIR) + "/tests/api/testdata/" + name);
  std::stringstream ss;
  ss << in.rdbuf();
  return json::parse(ss.str());
}

// Parses a form body for `service` ("iam"/"sts").
ApiResult<ParsedRequest> Parse(std::string_view body, std::string_view service = "iam") {
  ApiResult<QueryParams> params = ParseForm(body);
  if (!params.ok()) return params.error();
  return ParseRequest(*FindService(service), *params);
}

// The error message of parsing `body`, or "OK".
std::string ErrorOf(std::string_view body, std::string_view service = "iam") {
  ApiResult<ParsedRequest> r = Parse(body, service);
  if (r.ok()) return "OK";
  return r.error().code + ": " + r.error().message;
}

TEST(QueryRequestTest, BotocoreBodiesParseBackExactly) {
  json fixture = LoadFixture("requests.json");
  ASSERT_GE(fixture["requests"].size(), 20u);
  for (const json& item : fixture["requests"]) {
    SCOPED_TRACE(item["operation"].get<std::string>() + ": " + item["body"].get<std::string>());
    ApiResult<ParsedRequest> r = Parse(item["body"].get<std::string>(), item["service"].get<std::string>());
    ASSERT_TRUE(r.ok()) << r.error().code << ": " << r.error().message;
    EXPECT_EQ(r->operation->name, item["operation"].get<std::string>());
    EXPECT_EQ(r->input, item["params"]) << r->input.dump(1);
  }
}

TEST(QueryRequestTest, TypedValues) {
  ApiResult<ParsedRequest> r = Parse(
      "Action=UpdateAccountPasswordPolicy&Version=2010-05-08&MinimumPasswordLength=14&RequireSymbols=TRUE"
      "&HardExpiry=false");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->input, json::parse(R"({"MinimumPasswordLength":14,"RequireSymbols":true,"HardExpiry":false})"));
  // Gaps in list indexes keep the order of the indexes.
  r = Parse("Action=UntagUser&Version=2010-05-08&UserName=a&TagKeys.member.3=c&TagKeys.member.1=a"
            "&TagKeys.member.10=d");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->input["TagKeys"], json::parse(R"(["a","c","d"])"));
  // Unknown parameters (and unknown sub-parameters) are ignored.
  r = Parse("Action=GetUser&Version=2010-05-08&Foo=bar&UserName.x=1&X-Amz-Date=20260101T000000Z");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->input, json::object());
  // Invalid UTF-8 is read as U+FFFD (and then fails the pattern).
  EXPECT_EQ(ErrorOf("Action=GetUser&Version=2010-05-08&UserName=%FF"),
            "ValidationError: 1 validation error detected: Value '\xef\xbf\xbd' at 'userName' failed to satisfy "
            "constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+");
}

TEST(QueryRequestTest, ValidationTexts) {
  const std::string base = "Action=CreateUser&Version=2010-05-08&UserName=";
  std::string long_name(65, 'a');
  EXPECT_EQ(ErrorOf(base + long_name),
            "ValidationError: 1 validation error detected: Value '" + long_name +
                "' at 'userName' failed to satisfy constraint: Member must have length less than or equal to 64");
  EXPECT_EQ(ErrorOf(base + "a+b"),
            "ValidationError: 1 validation error detected: Value 'a b' at 'userName' failed to satisfy constraint: "
            "Member must satisfy regular expression pattern: [\\w+=,.@-]+");
  EXPECT_EQ(ErrorOf(base),
            "ValidationError: 2 validation errors detected: Value '' at 'userName' failed to satisfy constraint: "
            "Member must satisfy regular expression pattern: [\\w+=,.@-]+; Value '' at 'userName' failed to "
            "satisfy constraint: Member must have length greater than or equal to 1");
  EXPECT_EQ(ErrorOf("Action=CreateUser&Version=2010-05-08"),
            "ValidationError: 1 validation error detected: Value null at 'userName' failed to satisfy constraint: "
            "Member must not be null");
  EXPECT_EQ(ErrorOf(base + "ok&Path=no-slash"),
            "ValidationError: 1 validation error detected: Value 'no-slash' at 'path' failed to satisfy "
            "constraint: Member must satisfy regular expression pattern: (\\u002F)|(\\u002F[\\u0021-\\u007F]+"
            "\\u002F)");
  EXPECT_EQ(ErrorOf(base + "ok&Tags.member.1.Key=" + std::string(129, 'k') + "&Tags.member.1.Value=v"),
            "ValidationError: 1 validation error detected: Value '" + std::string(129, 'k') +
                "' at 'tags.1.member.key' failed to satisfy constraint: Member must have length less than or "
                "equal to 128");
  EXPECT_EQ(ErrorOf(base + "ok&Tags.member.1.Value=v"),
            "ValidationError: 1 validation error detected: Value null at 'tags.1.member.key' failed to satisfy "
            "constraint: Member must not be null");
  EXPECT_EQ(ErrorOf("Action=UpdateAccessKey&Version=2010-05-08&AccessKeyId=AKIAIOSFODNN7EXAMPLE&Status=On"),
            "ValidationError: 1 validation error detected: Value 'On' at 'status' failed to satisfy constraint: "
            "Member must satisfy enum value set: [Active, Inactive]");
  EXPECT_EQ(ErrorOf("Action=ListUsers&Version=2010-05-08&MaxItems=0"),
            "ValidationError: 1 validation error detected: Value '0' at 'maxItems' failed to satisfy constraint: "
            "Member must have value greater than or equal to 1");
  EXPECT_EQ(ErrorOf("Action=ListUsers&Version=2010-05-08&MaxItems=1001"),
            "ValidationError: 1 validation error detected: Value '1001' at 'maxItems' failed to satisfy "
            "constraint: Member must have value less than or equal to 1000");
  EXPECT_EQ(ErrorOf("Action=ListUsers&Version=2010-05-08&MaxItems=ten"),
            "ValidationError: 1 validation error detected: Value 'ten' at 'maxItems' failed to satisfy "
            "constraint: Member must be an integer");
  // Two members, in model order.
  EXPECT_EQ(ErrorOf("Action=AttachUserPolicy&Version=2010-05-08&PolicyArn=x"),
            "ValidationError: 2 validation errors detected: Value null at 'userName' failed to satisfy "
            "constraint: Member must not be null; Value 'x' at 'policyArn' failed to satisfy constraint: Member "
            "must have length greater than or equal to 20");
  // Sensitive values are never echoed.
  EXPECT_EQ(ErrorOf("Action=ChangePassword&Version=2010-05-08&OldPassword=secret&NewPassword="),
            "ValidationError: 2 validation errors detected: Value at 'newPassword' failed to satisfy constraint: "
            "Member must satisfy regular expression pattern: [\\u0009\\u000A\\u000D\\u0020-\\u00FF]+; Value at "
            "'newPassword' failed to satisfy constraint: Member must have length greater than or equal to 1");
  // STS, lists of structures.
  EXPECT_EQ(ErrorOf("Action=AssumeRole&Version=2011-06-15&RoleArn=arn:aws:iam::123456789012:role/r"
                    "&RoleSessionName=s1&PolicyArns.member.1.arn=short",
                    "sts"),
            "ValidationError: 1 validation error detected: Value 'short' at 'policyArns.1.member.arn' failed to "
            "satisfy constraint: Member must have length greater than or equal to 20");
}

TEST(QueryRequestTest, ListLengths) {
  std::string body = "Action=CreateUser&Version=2010-05-08&UserName=u";
  for (int i = 1; i <= 51; ++i) {
    body += "&Tags.member." + std::to_string(i) + ".Key=k" + std::to_string(i) + "&Tags.member." +
            std::to_string(i) + ".Value=v";
  }
  std::string err = ErrorOf(body);
  EXPECT_EQ(err.rfind("ValidationError: 1 validation error detected: Value '[", 0), 0u) << err;
  EXPECT_NE(err.find("' at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50"),
            std::string::npos)
      << err;
}

TEST(QueryRequestTest, ActionAndVersion) {
  EXPECT_EQ(ErrorOf("Action=Nope&Version=2010-05-08"),
            "InvalidAction: Could not find operation Nope for version 2010-05-08");
  EXPECT_EQ(ErrorOf("Action=CreateUser&Version=2011-06-15&UserName=a"),
            "InvalidAction: Could not find operation CreateUser for version 2011-06-15");
  EXPECT_EQ(ErrorOf("Action=AssumeRole&Version=2010-05-08", "sts"),
            "InvalidAction: Could not find operation AssumeRole for version 2010-05-08");
  EXPECT_EQ(ErrorOf("Action=AssumeRole&Version=2011-06-15"),
            "InvalidAction: Could not find operation AssumeRole for version 2011-06-15");
  EXPECT_EQ(ErrorOf("Action=GetUser"), "InvalidAction: Could not find operation GetUser for version NO_VERSION_SPECIFIED");
  EXPECT_EQ(ErrorOf("Version=2010-05-08&UserName=a"), "MissingAction: Missing Action");
  EXPECT_EQ(ErrorOf("Action=&Version=2010-05-08"), "MissingAction: Missing Action");
  ApiResult<ParsedRequest> r = Parse("Action=GetCallerIdentity&Version=2011-06-15", "sts");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->service, &model::Sts());
  EXPECT_EQ(ErrorOf("Action=GetUser&Version=2010-05-08&Action=GetUser").substr(0, 21), "InvalidQueryParameter");
  EXPECT_EQ(ErrorOf("Action=GetUser&Version=2010-05-08&UserName=%G0").substr(0, 20), "MalformedQueryString");
  EXPECT_EQ(FindService("s3"), nullptr);
}

TEST(QueryRequestTest, HugeAndGarbageInputs) {
  // A value far past every limit: one clean ValidationError.
  std::string huge(1 << 20, 'x');
  EXPECT_EQ(ErrorOf("Action=GetUser&Version=2010-05-08&UserName=" + huge).substr(0, 60),
            "ValidationError: 1 validation error detected: Value 'xxxxxxx");
  // Very deep parameter names are ignored without recursion.
  std::string deep = "Action=CreateUser&Version=2010-05-08&UserName=u&Tags";
  for (int i = 0; i < 200000; ++i) deep += ".member";
  deep += "=x";
  EXPECT_EQ(ErrorOf(deep), "OK");
  // Many list elements with sparse huge indexes.
  EXPECT_EQ(ErrorOf("Action=UntagUser&Version=2010-05-08&UserName=u&TagKeys.member.999999999=a"
                    "&TagKeys.member.0=b&TagKeys.member.01=c&TagKeys.member.-1=d&TagKeys.member.1x=e"),
            "OK");
  // Random bytes: never a crash, always an answer.
  std::mt19937 rng(42);
  const std::string alphabet = "=&%+.AaZz019-_\x00\xff\xc3\xa9 ";
  for (int round = 0; round < 2000; ++round) {
    std::string body = round % 2 ? "Action=CreateRole&Version=2010-05-08&" : "Action=AssumeRole&Version=2011-06-15&";
    int n = static_cast<int>(rng() % 200);
    for (int i = 0; i < n; ++i) body.push_back(alphabet[rng() % alphabet.size()]);
    ApiResult<ParsedRequest> r = Parse(body, round % 2 ? "iam" : "sts");
    if (r.ok()) {
      EXPECT_TRUE(r->input.is_object());
    }
  }
}

TEST(QueryRequestTest, ValidateForServices) {
  // Services can validate values they build with the same texts.
  const model::Service& iam = model::Iam();
  std::vector<std::string> violations;
  Validate(iam, *model::FindShape(iam, "userNameType"), json("bad name"), "userName", &violations);
  Validate(iam, *model::FindShape(iam, "userNameType"), json(5), "userName", &violations);
  ASSERT_EQ(violations.size(), 2u);
  EXPECT_EQ(ValidationMessage(violations),
            "2 validation errors detected: Value 'bad name' at 'userName' failed to satisfy constraint: Member "
            "must satisfy regular expression pattern: [\\w+=,.@-]+; Value '5' at 'userName' failed to satisfy "
            "constraint: Member must be a string");
}

}  // namespace
}  // namespace iam::api
