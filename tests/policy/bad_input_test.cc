// Hostile and broken input the JSON-lines tables cannot carry: invalid
// UTF-8, NUL bytes, deep nesting, huge documents and numbers. Each must be
// a clear MalformedPolicyDocument (or LimitExceeded), never a crash, never
// a decision.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "common/status_matchers.h"
#include "iamd/policy.h"
#include "policy/eval_case.h"

namespace iam::policy {
namespace {

using ::iam::testing::IsOk;
using ::iam::testing::StatusIs;

std::string WithAction(const std::string& action) {
  return R"({"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":")" + action +
         R"(","Resource":"*"}})";
}

TEST(BadInputTest, InvalidUtf8IsSyntaxError) {
  for (std::string bytes : {std::string("\x80"), std::string("\xC0\xAF"), std::string("\xED\xA0\x80"),
                            std::string("\xE2\x82"), std::string("\xFF\xFE")}) {
    EXPECT_THAT(Policy::Parse(WithAction("s3:Get" + bytes), PolicyType::kIdentity),
                StatusIs(StatusCode::kMalformedPolicyDocument, "Syntax errors in policy."))
        << "bytes of length " << bytes.size();
  }
  std::string key_with_bad_byte = R"({"Version":"2012-10-17","Statement":{"Eff)" + std::string("\x80") +
                                  R"(ect":"Allow","Action":"s3:*","Resource":"*"}})";
  EXPECT_THAT(Policy::Parse(key_with_bad_byte, PolicyType::kIdentity),
              StatusIs(StatusCode::kMalformedPolicyDocument));
}

TEST(BadInputTest, NulByteIsRefused) {
  std::string doc = WithAction("s3:Get");
  doc.insert(doc.find("Get"), 1, '\0');
  EXPECT_THAT(Policy::Parse(doc, PolicyType::kIdentity), StatusIs(StatusCode::kMalformedPolicyDocument));
}

TEST(BadInputTest, DeepNestingIsRefusedWithoutRecursion) {
  for (size_t depth : {100u, 100000u, 5000000u}) {
    std::string doc = R"({"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":)";
    doc += std::string(depth, '[') + std::string(depth, ']') + "}}";
    // The size quota may trip first for the largest; either way: refused.
    auto r = Policy::Parse(doc, PolicyType::kResource);
    EXPECT_FALSE(r.ok()) << depth;
  }
  std::string doc(200, '[');
  EXPECT_THAT(Policy::Parse(doc + std::string(200, ']'), PolicyType::kIdentity),
              StatusIs(StatusCode::kMalformedPolicyDocument, "nesting deeper than"));
}

TEST(BadInputTest, HugeDocumentsAreOverQuota) {
  std::string doc = R"({"Version":"2012-10-17","Statement":[)";
  for (int i = 0; i < 100000; ++i) {
    doc += R"({"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/)" + std::to_string(i) + R"("},)";
  }
  doc.back() = ']';
  doc += "}";
  ASSERT_GT(doc.size(), 5u << 20);
  EXPECT_THAT(Policy::Parse(doc, PolicyType::kIdentity),
              StatusIs(StatusCode::kLimitExceeded, "Cannot exceed quota for PolicySize: 10240"));
}

TEST(BadInputTest, WhiteSpaceDoesNotCountTowardsTheQuota) {
  std::string doc = WithAction("s3:GetObject");
  std::string padded;
  for (char c : doc) {
    padded += c;
    if (c == ',' || c == '{') padded += std::string(400, ' ') + "\n\t" + std::string(400, ' ');
  }
  ASSERT_GT(padded.size(), MaxPolicySize(PolicyType::kSession));
  EXPECT_THAT(Policy::Parse(padded, PolicyType::kSession), IsOk());
  EXPECT_EQ(PolicySize(padded), PolicySize(doc));
}

TEST(BadInputTest, AbsurdNumbersDatesAndCidrsAreNamed) {
  auto cond = [](const std::string& op, const std::string& key, const std::string& value) {
    return R"({"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{")" +
           op + R"(":{")" + key + R"(":)" + value + "}}}}";
  };
  EXPECT_THAT(Policy::Parse(cond("NumericLessThan", "s3:max-keys", "\"1e999\""), PolicyType::kIdentity),
              StatusIs(StatusCode::kMalformedPolicyDocument, "\"1e999\" is not a number"));
  EXPECT_THAT(Policy::Parse(cond("NumericLessThan", "s3:max-keys", std::string(5000, '9')), PolicyType::kIdentity),
              StatusIs(StatusCode::kMalformedPolicyDocument));
  EXPECT_THAT(Policy::Parse(cond("DateLessThan", "aws:CurrentTime", "\"2024-13-01T00:00:00Z\""), PolicyType::kIdentity),
              StatusIs(StatusCode::kMalformedPolicyDocument, "is not a date"));
  EXPECT_THAT(Policy::Parse(cond("DateLessThan", "aws:CurrentTime", "\"99999999999999999999\""), PolicyType::kIdentity),
              StatusIs(StatusCode::kMalformedPolicyDocument, "is not a date"));
  EXPECT_THAT(Policy::Parse(cond("IpAddress", "aws:SourceIp", "\"1.2.3.4/99\""), PolicyType::kIdentity),
              StatusIs(StatusCode::kMalformedPolicyDocument, "\"1.2.3.4/99\" is not an IP address or CIDR range"));
  EXPECT_THAT(Policy::Parse(cond("IpAddress", "aws:SourceIp", "\"2001:db8::/129\""), PolicyType::kIdentity),
              StatusIs(StatusCode::kMalformedPolicyDocument));
  EXPECT_THAT(Policy::Parse(cond("StringLikee", "aws:SourceIp", "\"x\""), PolicyType::kIdentity),
              StatusIs(StatusCode::kMalformedPolicyDocument, "unknown condition operator \"StringLikee\""));
}

TEST(BadInputTest, DuplicateKeysAreRefused) {
  std::string doc = R"({"Version":"2012-10-17","Statement":{"Effect":"Deny","Effect":"Allow","Action":"s3:*","Resource":"*"}})";
  EXPECT_THAT(Policy::Parse(doc, PolicyType::kIdentity),
              StatusIs(StatusCode::kMalformedPolicyDocument, "duplicate key \"Effect\""));
}

TEST(BadInputTest, WrongTypesAreSyntaxErrors) {
  for (const char* doc : {R"([])", R"("policy")", R"(42)", R"({"Statement":7})",
                          R"({"Statement":{"Effect":true,"Action":"s3:*","Resource":"*"}})",
                          R"({"Statement":{"Effect":"Allow","Action":{"a":1},"Resource":"*"}})",
                          R"({"Statement":{"Effect":"Allow","Action":"s3:*","Resource":[1]}})",
                          R"({"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":[]}})"}) {
    EXPECT_THAT(Policy::Parse(doc, PolicyType::kIdentity),
                StatusIs(StatusCode::kMalformedPolicyDocument, "Syntax errors in policy."))
        << doc;
  }
}

// `iamd eval` keeps going after any bad line and never answers one with a decision.
TEST(BadInputTest, EvalAnswersEveryBrokenLineWithAnError) {
  const std::string lines[] = {
      "",
      "{",
      "\x80\x81",
      "[1,2]",
      R"({"id":"a"})",
      R"({"id":"b","principal":7,"action":"s3:GetObject","resource":"*"})",
      R"({"id":"c","principal":null,"action":"s3:*","resource":"*"})",
      R"({"id":"d","principal":null,"action":"s3:GetObject","resource":"*","identity_policies":{}})",
      R"({"id":"e","principal":null,"action":"s3:GetObject","resource":"*","resource_policy":"{not json"})",
      R"({"id":"f","principal":null,"action":"s3:GetObject","resource":"*","scps":[{}]})",
      std::string(R"({"id":"g","x":)") + std::string(100000, '[') + std::string(100000, ']') + "}",
  };
  for (const std::string& line : lines) {
    std::string answer = EvaluateCaseLine(line);
    auto j = nlohmann::json::parse(answer);
    EXPECT_TRUE(j.contains("id")) << answer;
    EXPECT_TRUE(j["decision"].is_null()) << answer;
    EXPECT_FALSE(j.value("error", "").empty()) << answer;
  }
}

}  // namespace
}  // namespace iam::policy
