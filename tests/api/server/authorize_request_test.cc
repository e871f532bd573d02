// The decision endpoint's body reader: what each member means, the
// endpoint's error messages, and bodies the tape reader refuses (duplicate
// keys, a byte-order mark) read as nlohmann reads them.
#include "api/server/authorize_request.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status_matchers.h"

namespace iam::api {
namespace {

using ::iam::testing::IsOk;
using ::iam::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;

struct Read {
  Status status;
  std::string where;
};

Read ReadBody(AuthorizeBodyReader& reader, std::string_view text, AuthorizeBody& body) {
  std::string_view where;
  Status s = reader.Read(text, body, where);
  return {s, std::string(where)};
}

std::vector<std::string> Keys(const AuthorizeQuestion& q) {
  std::vector<std::string> keys;
  for (const ContextEntry& e : q.context) keys.emplace_back(e.key);
  return keys;
}

TEST(AuthorizeRequestTest, OneQuestionByArn) {
  AuthorizeBodyReader reader;
  AuthorizeBody body;
  Read r = ReadBody(reader, R"({"principal_arn": "arn:aws:iam::123456789012:user/alice",
      "action": "s3:GetObject", "resource": "arn:aws:s3:::photos/a.jpg", "resource_account": "111122223333",
      "context": {"s3:prefix": ["a/", "b\/"], "aws:SourceIp": "10.1.2.3", "AWS:SecureTransport": "true"}})",
                    body);
  ASSERT_THAT(r.status, IsOk());
  EXPECT_FALSE(body.batch);
  EXPECT_TRUE(body.by_arn);
  EXPECT_EQ(body.principal_arn, "arn:aws:iam::123456789012:user/alice");
  ASSERT_EQ(body.questions.size(), 1u);
  const AuthorizeQuestion& q = body.questions[0];
  EXPECT_EQ(q.action, "s3:GetObject");
  EXPECT_EQ(q.resource, "arn:aws:s3:::photos/a.jpg");
  EXPECT_EQ(q.resource_account, "111122223333");
  EXPECT_FALSE(q.resource_policy.has_value());
  // Sorted by key bytes, as nlohmann's objects iterate.
  EXPECT_THAT(Keys(q), ElementsAre("AWS:SecureTransport", "aws:SourceIp", "s3:prefix"));
  EXPECT_TRUE(q.context[2].multi);
  EXPECT_THAT(q.context[2].values, ElementsAre("a/", "b/"));
  EXPECT_EQ(q.ContextString("aws:SourceIp"), "10.1.2.3");
  EXPECT_EQ(q.ContextString("aws:SecureTransport"), "");  // exact spelling only
  EXPECT_EQ(q.ContextString("s3:prefix"), "");             // a list is not a string
}

TEST(AuthorizeRequestTest, BatchTakesTopLevelDefaults) {
  AuthorizeBodyReader reader;
  AuthorizeBody body;
  Read r = ReadBody(reader, R"({"principal_arn": 7, "context": {"k": "top"}, "resource_account": "111122223333",
      "requests": [{"action": "s3:GetObject", "resource": "*"},
                   {"action": "s3:PutObject", "resource": "r", "context": {"k": "own"}, "resource_account": "2"}]})",
                    body);
  ASSERT_THAT(r.status, IsOk());
  EXPECT_TRUE(body.batch);
  EXPECT_TRUE(body.by_arn);
  EXPECT_EQ(body.principal_arn, "");  // not a string: found by no one
  ASSERT_EQ(body.questions.size(), 2u);
  EXPECT_EQ(body.questions[0].ContextString("k"), "top");
  EXPECT_EQ(body.questions[0].resource_account, "111122223333");
  EXPECT_EQ(body.questions[1].ContextString("k"), "own");
  EXPECT_EQ(body.questions[1].resource_account, "2");
}

TEST(AuthorizeRequestTest, ForwardedRequest) {
  AuthorizeBodyReader reader;
  AuthorizeBody body;
  ASSERT_THAT(ReadBody(reader, R"({"action": "s3:GetObject", "resource": "*", "signed_request": {"method": "GET",
      "query": "a=1", "payload_hash": "UNSIGNED-PAYLOAD",
      "headers": [["X-B", "2"], ["x-a", "1"], ["X-B", "3"]]}})", body).status, IsOk());
  EXPECT_FALSE(body.by_arn);
  EXPECT_EQ(body.forwarded.method, "GET");
  EXPECT_EQ(body.forwarded.path, "/");  // absent: the root
  EXPECT_EQ(body.forwarded.query, "a=1");
  EXPECT_EQ(body.forwarded.body, "");
  EXPECT_EQ(body.forwarded.payload_hash, "UNSIGNED-PAYLOAD");
  EXPECT_THAT(body.forwarded.headers, ElementsAre(Pair("X-B", "2"), Pair("x-a", "1"), Pair("X-B", "3")));
  // An object of headers: in nlohmann's order.
  ASSERT_THAT(ReadBody(reader, R"({"action": "s3:GetObject", "resource": "*", "signed_request": {"method": "PUT",
      "path": "/b/k", "body": "x", "headers": {"x-b": "2", "X-A": "1"}}})", body).status, IsOk());
  EXPECT_EQ(body.forwarded.path, "/b/k");
  EXPECT_EQ(body.forwarded.body, "x");
  EXPECT_THAT(body.forwarded.headers, ElementsAre(Pair("X-A", "1"), Pair("x-b", "2")));
}

// Each bad body, the error the endpoint has always answered with.
TEST(AuthorizeRequestTest, ErrorsAsTheEndpointWordsThem) {
  const std::string q = R"("action": "s3:GetObject", "resource": "*", "principal_arn": "a")";
  struct Case {
    std::string body;
    StatusCode code;
    std::string message;
    std::string where;
  };
  const std::vector<Case> cases = {
      {"", StatusCode::kInvalidInput, "The request body must be a JSON object.", ""},
      {"[1]", StatusCode::kInvalidInput, "The request body must be a JSON object.", ""},
      {"{\"a\": 1} x", StatusCode::kInvalidInput, "The request body must be a JSON object.", ""},
      {R"({"requests": {}})", StatusCode::kInvalidInput, "requests must be a non-empty list.", ""},
      {R"({"requests": []})", StatusCode::kInvalidInput, "requests must be a non-empty list.", ""},
      {R"({"requests": [{"action": "s3:A", "resource": "*"}, 3]})", StatusCode::kInvalidInput,
       "requests[1] must be an object.", ""},
      {R"({"requests": [{"action": "s3:*", "resource": "*"}]})", StatusCode::kInvalidInput,
       "requests[0].action must be one service:Action without wildcards.", ""},
      {R"({"action": "GetObject", "resource": "*"})", StatusCode::kInvalidInput,
       "action must be one service:Action without wildcards.", ""},
      {R"({"action": "s3:GetObject"})", StatusCode::kInvalidInput,
       "resource is required (\"*\" for actions without resources).", ""},
      {"{" + q + R"(, "resource_account": 1})", StatusCode::kInvalidInput, "resource_account must be a string.", ""},
      {"{" + q + R"(, "context": []})", StatusCode::kInvalidInput, "context must be an object.", ""},
      {"{" + q + R"(, "context": {"z": 1, "b": ["x", 2], "a": "ok"}})", StatusCode::kInvalidInput,
       "context.b must be a string or a list of strings.", ""},
      {"{" + q + R"(, "signed_request": {}})", StatusCode::kInvalidInput,
       "Give exactly one of principal_arn and signed_request.", ""},
      {R"({"action": "s3:GetObject", "resource": "*"})", StatusCode::kInvalidInput,
       "Give exactly one of principal_arn and signed_request.", ""},
      {R"({"action": "s3:A", "resource": "*", "signed_request": "GET /"})", StatusCode::kInvalidInput,
       "signed_request must be an object.", "signed_request"},
      {R"({"action": "s3:A", "resource": "*", "signed_request": {"headers": []}})", StatusCode::kInvalidInput,
       "signed_request.method is required.", "signed_request"},
      {R"({"action": "s3:A", "resource": "*", "signed_request": {"method": "GET"}})", StatusCode::kInvalidInput,
       "signed_request.headers is required.", "signed_request"},
      {R"({"action": "s3:A", "resource": "*", "signed_request": {"method": "GET", "headers": "h"}})",
       StatusCode::kInvalidInput, "signed_request.headers must be an object or a list of [name, value] pairs.",
       "signed_request"},
      {R"({"action": "s3:A", "resource": "*", "signed_request": {"method": "GET", "headers": [["a", "b", "c"]]}})",
       StatusCode::kInvalidInput, "signed_request.headers must be an object or a list of [name, value] pairs.",
       "signed_request"},
      {R"({"action": "s3:A", "resource": "*", "signed_request": {"method": "GET", "headers": [["a", 1]]}})",
       StatusCode::kInvalidInput, "signed_request.headers must be an object or a list of [name, value] pairs.",
       "signed_request"},
      {R"({"action": "s3:A", "resource": "*", "signed_request": {"method": "GET", "headers": {"a": 1}}})",
       StatusCode::kInvalidInput, "signed_request.headers values must be strings.", "signed_request"},
  };
  AuthorizeBodyReader reader;
  AuthorizeBody body;
  for (const Case& c : cases) {
    Read r = ReadBody(reader, c.body, body);
    EXPECT_THAT(r.status, StatusIs(c.code)) << c.body;
    EXPECT_EQ(r.status.message(), c.message) << c.body;
    EXPECT_EQ(r.where, c.where) << c.body;
  }
  std::string batch = R"({"principal_arn": "a", "requests": [)";
  for (size_t i = 0; i <= kMaxAuthorizeBatch; ++i) batch += std::string(i ? "," : "") + R"({"action": "s3:A"})";
  Read r = ReadBody(reader, batch + "]}", body);
  EXPECT_THAT(r.status, StatusIs(StatusCode::kLimitExceeded));
  EXPECT_EQ(r.status.message(), "At most 100 requests in one batch.");
}

TEST(AuthorizeRequestTest, ResourcePolicyAsTextOrObject) {
  AuthorizeBodyReader reader;
  AuthorizeBody body;
  const std::string policy = R"({"Version": "2012-10-17", "Statement": [{"Sid": "A\u00e9", "Effect": "Allow",
      "Principal": "*", "Action": "s3:GetObject", "Resource": "*"}, {"Effect": "Deny", "Principal": "*",
      "Action": "s3:PutObject", "Resource": "*"}]})";
  ASSERT_THAT(ReadBody(reader, R"({"principal_arn": "a", "action": "s3:GetObject", "resource": "*",
      "resource_policy": )" + policy + "}", body).status, IsOk());
  ASSERT_TRUE(body.questions[0].resource_policy.has_value());
  EXPECT_EQ(body.questions[0].resource_policy->statement_count(), 2u);
  EXPECT_EQ(body.questions[0].resource_policy->statement_sid(0), "A\xc3\xa9");
  ASSERT_THAT(ReadBody(reader, R"({"principal_arn": "a", "action": "s3:GetObject", "resource": "*",
      "resource_policy": )" + nlohmann::json(policy).dump() + "}", body).status, IsOk());
  EXPECT_EQ(body.questions[0].resource_policy->statement_count(), 2u);
  ASSERT_THAT(ReadBody(reader, R"({"principal_arn": "a", "action": "s3:GetObject", "resource": "*",
      "resource_policy": null})", body).status, IsOk());
  EXPECT_FALSE(body.questions[0].resource_policy.has_value());
  // Not a policy: the engine's words for what the endpoint has always rendered.
  for (std::string value : {"12.50", "true", "[1, {\"b\": 2, \"a\": 1}]"}) {
    Read r = ReadBody(reader, R"({"principal_arn": "a", "action": "s3:GetObject", "resource": "*",
        "resource_policy": )" + value + "}", body);
    Result<policy::Policy> direct =
        policy::Policy::Parse(nlohmann::json::parse(value).dump(), policy::PolicyType::kResource);
    ASSERT_FALSE(direct.ok());
    EXPECT_THAT(r.status, StatusIs(direct.status().code())) << value;
    EXPECT_EQ(r.status.message(), "resource_policy: " + direct.status().message()) << value;
  }
}

// Bodies the tape reader refuses but nlohmann accepts mean what they meant.
TEST(AuthorizeRequestTest, RefusedBodiesReadAsNlohmannReadsThem) {
  AuthorizeBodyReader reader;
  AuthorizeBody body;
  // Duplicate keys: the last one wins.
  ASSERT_THAT(ReadBody(reader, R"({"principal_arn": "x", "action": "s3:PutObject", "action": "s3:GetObject",
      "resource": "*", "principal_arn": "arn:aws:iam::123456789012:root",
      "context": {"k": "1", "k": ["2"]}})", body).status, IsOk());
  EXPECT_EQ(body.principal_arn, "arn:aws:iam::123456789012:root");
  EXPECT_EQ(body.questions[0].action, "s3:GetObject");
  ASSERT_EQ(body.questions[0].context.size(), 1u);
  EXPECT_TRUE(body.questions[0].context[0].multi);
  // A byte-order mark, which nlohmann skips.
  ASSERT_THAT(ReadBody(reader, "\xEF\xBB\xBF{\"principal_arn\": \"a\", \"action\": \"s3:A\", \"resource\": \"*\"}",
                       body).status, IsOk());
  EXPECT_EQ(body.questions[0].action, "s3:A");
  // Invalid UTF-8 and raw control characters: refused by both.
  for (const std::string& bad : {std::string("{\"principal_arn\": \"a\xff\"}"), std::string("{\"a\": \"\x01\"}"),
                                std::string("{\"a\": \"\\ud800\"}")}) {
    Read r = ReadBody(reader, bad, body);
    EXPECT_EQ(r.status.message(), "The request body must be a JSON object.");
  }
  // And a body the tape reader accepts is still fine after a refused one.
  ASSERT_THAT(ReadBody(reader, R"({"principal_arn": "b", "action": "s3:B", "resource": "*"})", body).status, IsOk());
  EXPECT_EQ(body.principal_arn, "b");
}

}  // namespace
}  // namespace iam::api
