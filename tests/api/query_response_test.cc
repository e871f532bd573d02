// Response side: iamd's XML, read back by botocore's own QueryParser
// (tests/api/check_responses.py), must give exactly the values rendered.
#include "api/query/response.h"

#include <chrono>
#include <cstdlib>
#include <fstream>
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

const model::Service& ServiceNamed(const std::string& name) {
  return name == "sts" ? model::Sts() : model::Iam();
}

TEST(QueryResponseTest, ShapeOfCreateUser) {
  const model::Operation* op = model::FindOperation(model::Iam(), "CreateUser");
  json out = json::parse(R"({"User": {"UserName": "a&b", "Path": "/", "UserId": "AIDA", "Arn": "arn",
                                      "CreateDate": 0, "Tags": [{"Key": "k", "Value": "<v>"}]}})");
  Result<std::string> xml = RenderResponse(model::Iam(), *op, out, "req-1");
  ASSERT_TRUE(xml.ok()) << xml.status().ToString();
  EXPECT_EQ(*xml,
            "<CreateUserResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\">\n"
            "  <CreateUserResult>\n"
            "    <User>\n"
            "      <Path>/</Path>\n"
            "      <UserName>a&amp;b</UserName>\n"
            "      <UserId>AIDA</UserId>\n"
            "      <Arn>arn</Arn>\n"
            "      <CreateDate>1970-01-01T00:00:00Z</CreateDate>\n"
            "      <Tags>\n"
            "        <member>\n"
            "          <Key>k</Key>\n"
            "          <Value>&lt;v&gt;</Value>\n"
            "        </member>\n"
            "      </Tags>\n"
            "    </User>\n"
            "  </CreateUserResult>\n"
            "  <ResponseMetadata>\n"
            "    <RequestId>req-1</RequestId>\n"
            "  </ResponseMetadata>\n"
            "</CreateUserResponse>\n");
}

TEST(QueryResponseTest, NoOutputAndStsNamespace) {
  Result<std::string> xml =
      RenderResponse(model::Iam(), *model::FindOperation(model::Iam(), "DeleteUser"), json::object(), "r");
  ASSERT_TRUE(xml.ok());
  EXPECT_EQ(*xml,
            "<DeleteUserResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\">\n"
            "  <ResponseMetadata>\n    <RequestId>r</RequestId>\n  </ResponseMetadata>\n"
            "</DeleteUserResponse>\n");
  xml = RenderResponse(model::Sts(), *model::FindOperation(model::Sts(), "GetCallerIdentity"),
                       json::parse(R"({"Account": "123456789012"})"), "r");
  ASSERT_TRUE(xml.ok());
  EXPECT_NE(xml->find("<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"),
            std::string::npos);
  EXPECT_NE(xml->find("<GetCallerIdentityResult>\n    <Account>123456789012</Account>"), std::string::npos);
}

TEST(QueryResponseTest, OutputThatDoesNotFitIsABug) {
  const model::Operation* op = model::FindOperation(model::Iam(), "GetUser");
  EXPECT_EQ(RenderResponse(model::Iam(), *op, json::parse(R"({"Usr": {}})"), "r").status().code(),
            StatusCode::kInternal);
  EXPECT_EQ(RenderResponse(model::Iam(), *op, json::parse(R"({"User": {"UserName": 5}})"), "r").status().code(),
            StatusCode::kInternal);
  EXPECT_EQ(RenderResponse(model::Iam(), *op, json::parse(R"({"User": {"Tags": {}}})"), "r").status().code(),
            StatusCode::kInternal);
  EXPECT_EQ(RenderResponse(model::Iam(), *model::FindOperation(model::Iam(), "DeleteUser"),
                           json::parse(R"({"x": 1})"), "r")
                .status()
                .code(),
            StatusCode::kInternal);
}

TEST(QueryResponseTest, ErrorDocument) {
  AwsError e = AwsErrorFromStatus(NoSuchEntity("The user with name bob cannot be found."));
  EXPECT_EQ(e.code, "NoSuchEntity");
  EXPECT_EQ(e.http_status, 404);
  EXPECT_EQ(RenderError(model::Iam(), e, "rid"),
            "<ErrorResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\">\n"
            "  <Error>\n"
            "    <Type>Sender</Type>\n"
            "    <Code>NoSuchEntity</Code>\n"
            "    <Message>The user with name bob cannot be found.</Message>\n"
            "  </Error>\n"
            "  <RequestId>rid</RequestId>\n"
            "</ErrorResponse>\n");
}

TEST(QueryResponseTest, StatusMapping) {
  struct Case {
    Status status;
    const char* code;
    int http;
    bool sender;
  };
  const Case cases[] = {
      {InvalidInput("x"), "InvalidInput", 400, true},
      {ValidationError("x"), "ValidationError", 400, true},
      {MalformedPolicy("x"), "MalformedPolicyDocument", 400, true},
      {NoSuchEntity("x"), "NoSuchEntity", 404, true},
      {AlreadyExists("x"), "EntityAlreadyExists", 409, true},
      {DeleteConflict("x"), "DeleteConflict", 409, true},
      {LimitExceeded("x"), "LimitExceeded", 409, true},
      {Status(StatusCode::kPasswordPolicyViolation, "x"), "PasswordPolicyViolation", 400, true},
      {Status(StatusCode::kUnmodifiableEntity, "x"), "UnmodifiableEntity", 400, true},
      {Status(StatusCode::kConcurrentModification, "x"), "ConcurrentModification", 409, true},
      {AccessDenied("x"), "AccessDenied", 403, true},
      {Status(StatusCode::kInvalidClientTokenId, "x"), "InvalidClientTokenId", 403, true},
      {Status(StatusCode::kSignatureDoesNotMatch, "x"), "SignatureDoesNotMatch", 403, true},
      {Status(StatusCode::kExpiredToken, "x"), "ExpiredToken", 403, true},
      {Status(StatusCode::kRequestExpired, "x"), "RequestExpired", 400, true},
      {Status(StatusCode::kInvalidAction, "x"), "InvalidAction", 400, true},
      {ServiceFailure("x"), "ServiceFailure", 503, false},
      {Internal("x"), "InternalFailure", 500, false},
  };
  for (const Case& c : cases) {
    AwsError e = AwsErrorFromStatus(c.status);
    EXPECT_EQ(e.code, c.code);
    EXPECT_EQ(e.http_status, c.http) << c.code;
    EXPECT_EQ(e.sender_fault, c.sender) << c.code;
    EXPECT_EQ(e.message, "x");
  }
}

TEST(QueryResponseTest, ModelErrorsByCode) {
  AwsError e = AwsErrorForCode(model::Iam(), "ReportInProgress", "Report is being generated.");
  EXPECT_EQ(e.http_status, 404);
  EXPECT_TRUE(e.sender_fault);
  EXPECT_EQ(AwsErrorForCode(model::Iam(), "ReportExpired", "x").http_status, 410);
  EXPECT_EQ(AwsErrorForCode(model::Sts(), "IDPRejectedClaim", "x").http_status, 403);
  EXPECT_EQ(AwsErrorForCode(model::Sts(), "ExpiredTokenException", "x").http_status, 400);
  AwsError pe = AwsErrorForCode(model::Iam(), "PolicyEvaluation", "x");
  EXPECT_EQ(pe.http_status, 500);
  EXPECT_FALSE(pe.sender_fault);
  EXPECT_EQ(AwsErrorForCode(model::Iam(), "Whatever", "x").http_status, 400);
}

TEST(QueryResponseTest, Timestamps) {
  using namespace std::chrono;
  EXPECT_EQ(FormatTimestamp(system_clock::time_point(seconds(1795827723))), "2026-11-28T01:02:03Z");
  EXPECT_EQ(FormatTimestamp(system_clock::time_point(seconds(0))), "1970-01-01T00:00:00Z");
}

// Renders every fixture response and a set of errors, then asks botocore to
// read them back (see check_responses.py).
TEST(QueryResponseTest, BotocoreReadsBackExactly) {
  json items = json::array();
  int n = 0;
  const json fixture = LoadFixture("responses.json");
  ASSERT_GE(fixture["responses"].size(), 15u);
  for (const json& r : fixture["responses"]) {
    const model::Service& service = ServiceNamed(r["service"]);
    const model::Operation* op = model::FindOperation(service, r["operation"].get<std::string>());
    ASSERT_NE(op, nullptr) << r["operation"];
    std::string request_id = "req-" + std::to_string(++n);
    Result<std::string> xml = RenderResponse(service, *op, r["output"], request_id);
    ASSERT_TRUE(xml.ok()) << r["operation"] << ": " << xml.status().ToString();
    items.push_back({{"kind", "response"}, {"service", r["service"]}, {"operation", r["operation"]},
                     {"request_id", request_id}, {"xml", *xml}, {"expected", r["output"]}});
  }
  struct ErrorCase {
    const char* service;
    const char* operation;
    AwsError error;
  };
  const ErrorCase errors[] = {
      {"iam", "GetUser", AwsErrorFromStatus(NoSuchEntity("The user with name bob cannot be found."))},
      {"iam", "CreateUser", AwsErrorFromStatus(AlreadyExists("User with name alice already exists."))},
      {"iam", "CreateUser", AwsError{"ValidationError",
                                     "1 validation error detected: Value 'a b' at 'userName' failed to satisfy "
                                     "constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+",
                                     400, true}},
      {"iam", "ListUsers", AwsErrorFromStatus(AccessDenied(
                               "User: arn:aws:iam::123456789012:user/bob is not authorized to perform: "
                               "iam:ListUsers on resource: arn:aws:iam::123456789012:user/ because no "
                               "identity-based policy allows the iam:ListUsers action"))},
      {"iam", "DeleteUser", AwsErrorFromStatus(ServiceFailure("<&> \"quoted\" \xc3\xa9"))},
      {"sts", "AssumeRole", AwsErrorFromStatus(MalformedPolicy("Syntax errors in policy."))},
      {"sts", "GetCallerIdentity", InvalidAction("Nope", "2011-06-15")},
  };
  for (const ErrorCase& c : errors) {
    std::string request_id = "err-" + std::to_string(++n);
    std::string xml = RenderError(ServiceNamed(c.service), c.error, request_id);
    items.push_back({{"kind", "error"},
                     {"service", c.service},
                     {"operation", c.operation},
                     {"request_id", request_id},
                     {"xml", xml},
                     {"http_status", c.error.http_status},
                     {"expected",
                      {{"Code", c.error.code},
                       {"Message", c.error.message},
                       {"Type", c.error.sender_fault ? "Sender" : "Receiver"}}}});
  }
  std::string path = ::testing::TempDir() + "/iamd_api_rendered_" + std::to_string(::getpid()) + ".json";
  {
    std::ofstream out(path);
    out << items.dump(1);
  }
  std::string cmd = std::string(IAMD_PYTHON) + " " + IAMD_SOURCE_DIR + "/tests/api/check_responses.py " + path;
  int rc = std::system(cmd.c_str());
  EXPECT_EQ(rc, 0) << "botocore did not read back what iamd rendered; see the output above (" << path << ")";
  if (rc == 0) std::remove(path.c_str());
}

}  // namespace
}  // namespace iam::api
