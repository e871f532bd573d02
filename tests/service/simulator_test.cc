// The simulator's parts that the integration test cannot pin exactly:
// statement positions, context keys, and the evaluation results' shape.
#include "service/authz/simulator.h"

#include <gtest/gtest.h>

#include "service/authz/context_keys.h"
#include "service/authz/statement_positions.h"

namespace iam::service {
namespace {

TEST(StatementSpans, ArrayOfStatementsAcrossLines) {
  std::string doc = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\"Effect\": \"Allow\"},\n"
                    "    {\n      \"Effect\": \"Deny\", \"Sid\": \"a}b\"\n    }\n  ]\n}";
  std::vector<StatementSpan> spans = StatementSpans(doc);
  ASSERT_EQ(spans.size(), 2u);
  EXPECT_EQ(spans[0].start.line, 4);
  EXPECT_EQ(spans[0].start.column, 5);
  EXPECT_EQ(spans[0].end.line, 4);
  EXPECT_EQ(spans[0].end.column, 23);
  EXPECT_EQ(spans[1].start.line, 5);
  EXPECT_EQ(spans[1].end.line, 7);  // the brace inside "a}b" is not the end
  EXPECT_EQ(spans[1].end.column, 5);
}

TEST(StatementSpans, SingleObjectAndOtherMembersFirst) {
  std::string doc = R"({"Id":"x","Version":"2012-10-17","Statement":{"Effect":"Allow","Action":["a:b"]}})";
  std::vector<StatementSpan> spans = StatementSpans(doc);
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].start.column, 46);
  EXPECT_EQ(spans[0].end.column, static_cast<int>(doc.size()) - 1);
}

TEST(StatementSpans, TruncatedTextYieldsWhatItCan) {
  EXPECT_TRUE(StatementSpans("").empty());
  EXPECT_TRUE(StatementSpans("{\"Statement\": [{\"Effect\"").size() <= 1);
  EXPECT_TRUE(StatementSpans("[1,2]").empty());
}

TEST(ContextKeys, VariablesAndConditionKeysInOrderOnce) {
  std::string doc = R"({"Version":"2012-10-17","Statement":[
    {"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/${aws:username}/${aws:PrincipalTag/team, 'none'}/${*}",
     "Condition":{"StringEquals":{"s3:prefix":"${AWS:USERNAME}/"},"Bool":{"aws:SecureTransport":"true"}}},
    {"Effect":"Deny","NotAction":"iam:*","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}]})";
  Result<std::vector<std::string>> keys = ContextKeysOf({doc});
  ASSERT_TRUE(keys.ok());
  EXPECT_EQ(*keys, (std::vector<std::string>{"aws:username", "aws:PrincipalTag/team", "s3:prefix",
                                              "aws:SecureTransport", "aws:SourceIp"}));
  EXPECT_FALSE(ContextKeysOf({"not json"}).ok());
}

TEST(ContextKeys, MayApplyTo) {
  Result<std::vector<StatementKeys>> st = StatementKeysOf(
      R"({"Statement":[{"Effect":"Allow","Action":["S3:Get*","ec2:?escribe*"]},{"Effect":"Deny","NotAction":"iam:*"}]})");
  ASSERT_TRUE(st.ok());
  ASSERT_EQ(st->size(), 2u);
  EXPECT_TRUE((*st)[0].allow);
  EXPECT_TRUE((*st)[0].MayApplyTo("s3:GetObject"));
  EXPECT_TRUE((*st)[0].MayApplyTo("ec2:DescribeInstances"));
  EXPECT_FALSE((*st)[0].MayApplyTo("s3:PutObject"));
  EXPECT_FALSE((*st)[1].allow);
  EXPECT_TRUE((*st)[1].MayApplyTo("s3:PutObject"));
  EXPECT_FALSE((*st)[1].MayApplyTo("iam:CreateUser"));
  EXPECT_TRUE(WildcardMatch("a*b*c", "aXXbYYc"));
  EXPECT_FALSE(WildcardMatch("a*b*c", "aXXbYY"));
}

TEST(Simulate, CrossAccountResourcePolicyDetails) {
  SimulationRequest r;
  r.identity.push_back({"PolicyInputList.1", "none",
                        R"({"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}})"});
  r.resource_policy = SimPolicy{"ResourcePolicy", "resource",
                                R"({"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/bob"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}})"};
  r.actions = {"s3:GetObject"};
  r.resources = {"arn:aws:s3:::b/k"};
  r.resource_owner = "444455556666";
  r.caller_arn = "arn:aws:iam::111122223333:user/bob";
  Result<nlohmann::json> out = Simulate(r);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  const nlohmann::json& res = (*out)[0];
  EXPECT_EQ(res["EvalDecision"], "allowed");
  EXPECT_EQ(res["EvalDecisionDetails"]["IAM Policy"], "allowed");
  EXPECT_EQ(res["EvalDecisionDetails"]["Resource Policy"], "allowed");
  EXPECT_EQ(res["MatchedStatements"].size(), 2u);  // both gates had to allow

  r.identity.clear();  // cross-account: the identity side must allow too
  out = Simulate(r);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ((*out)[0]["EvalDecision"], "implicitDeny");
}

TEST(Simulate, RefusesMalformedPolicies) {
  SimulationRequest r;
  r.identity.push_back({"PolicyInputList.1", "none", R"({"Version":"2012-10-17","Statement":{"Effect":"Maybe"}})"});
  r.actions = {"s3:GetObject"};
  Result<nlohmann::json> out = Simulate(r);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), StatusCode::kInvalidInput);
  EXPECT_NE(out.status().message().find("PolicyInputList.1"), std::string::npos);
}

}  // namespace
}  // namespace iam::service
