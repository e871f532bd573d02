// CompiledPolicySet must decide exactly as Evaluate over its PolicySet: the
// same effect and the same statements in the same order, over a grid of
// actions (named exactly, by wildcard, by NotAction, unknown), resources and
// contexts, with statements shared between policies.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "iamd/policy.h"

namespace iam::policy {
namespace {

Policy MustParse(const std::string& json, PolicyType type = PolicyType::kIdentity) {
  auto p = Policy::Parse(json, type);
  EXPECT_TRUE(p.ok()) << p.status().ToString() << "\n" << json;
  return std::move(p).value();
}

// Policy i: statements shared by all (guard, home), by some (team), and its own.
std::string GridPolicy(int i) {
  std::string n = std::to_string(i);
  std::string team = std::to_string(i % 2);
  return R"({"Version":"2012-10-17","Statement":[
    {"Sid":"Home)" + n + R"(","Effect":"Allow","Action":["s3:GetObject","S3:putobject"],
     "Resource":"arn:aws:s3:::bucket/home/${aws:username}/*"},
    {"Sid":"Guard)" + n + R"(","Effect":"Deny","NotAction":["iam:*","sts:GetSessionToken"],"Resource":"*",
     "Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}},
    {"Effect":"Allow","Action":"s3:List*","Resource":"arn:aws:s3:::bucket-)" + n + R"("},
    {"Sid":"Team","Effect":"Allow","Action":["kms:Decrypt","ec2:*Tags","s3:Get*"],"Resource":"*",
     "Condition":{"StringEquals":{"aws:PrincipalTag/team":"team-)" + team + R"("}}},
    {"Effect":"Allow","Action":"*","Resource":"arn:aws:sqs:*:*:q)" + n + R"("},
    {"Effect":"Deny","Action":"s3:DeleteObject","Resource":"arn:aws:s3:::bucket/home/${aws:username}/*"},
    {"Effect":"Allow","Action":["iam:GetUser","iam:getuser"],"NotResource":"arn:aws:iam::*:user/admin"},
    {"Effect":"Allow","Action":"s?s:Send*","Resource":"*"},
    {"Effect":"Allow","Action":"s3:*","Resource":["arn:aws:s3:::bu?ket/home/*"]},
    {"Effect":"Deny","Action":"s3:Get*","Resource":"arn:aws:s3:::${aws:username}-)" + n + R"(/*"}
  ]})";
}

std::string Render(const Decision& d) {
  std::string s(EffectName(d.effect));
  for (const MatchedStatement& m : d.statements) {
    s += " " + std::string(PolicyKindName(m.kind)) + "/" + std::to_string(m.policy_index) + "/" +
         std::to_string(m.statement_index) + (m.deny ? "D" : "A") + std::string(m.sid);
  }
  return s;
}

TEST(PolicySetTest, DecidesAsThePolicySet) {
  PolicySet set;
  for (int i = 0; i < 5; ++i) set.identity.push_back(MustParse(GridPolicy(i)));
  set.identity.push_back(set.identity[0]);  // the same policy attached twice
  PolicySet with_gates = set;
  with_gates.permissions_boundary = MustParse(
      R"({"Version":"2012-10-17","Statement":{"Effect":"Allow","NotAction":"s3:PutObject","Resource":"*"}})",
      PolicyType::kPermissionsBoundary);

  const std::vector<std::string> actions = {
      "s3:GetObject", "S3:GETOBJECT", "s3:PutObject", "s3:DeleteObject", "s3:ListBucket", "s3:GetBucketPolicy",
      "s3:Unknown", "kms:Decrypt", "kms:Encrypt", "ec2:CreateTags", "ec2:DescribeInstances", "iam:GetUser",
      "sts:GetSessionToken", "sqs:SendMessage", "sns:SendThing", "lambda:Invoke", "sts:GetCallerIdentity"};
  const std::vector<std::string> resources = {
      "*", "arn:aws:s3:::bucket/home/alice/a", "arn:aws:s3:::bucket/home/bob/a", "arn:aws:s3:::bucket-3",
      "arn:aws:iam::111122223333:user/admin", "arn:aws:sqs:us-east-1:111122223333:q2", "arn:aws:s3:::b",
      "not-an-arn", "arn:aws:s3:::alice-3/k"};
  int compared = 0;
  for (const PolicySet* policies : {&set, &with_gates}) {
    CompiledPolicySet compiled = CompiledPolicySet::Build(*policies);
    for (int variant = 0; variant < 4; ++variant) {
      for (const std::string& action : actions) {
        for (const std::string& resource : resources) {
          Request r;
          r.principal = "arn:aws:iam::111122223333:user/alice";
          r.action = action;
          r.resource = resource;
          if (variant & 1) r.context.Set("aws:username", "alice");
          r.context.Set("aws:MultiFactorAuthPresent", variant & 2 ? "true" : "false");
          r.context.Set("aws:PrincipalTag/team", variant & 2 ? "team-1" : "team-0");
          EXPECT_EQ(Render(Evaluate(r, compiled)), Render(Evaluate(r, *policies)))
              << action << " on " << resource << " variant " << variant;
          ++compared;
        }
      }
    }
  }
  EXPECT_EQ(compared, 2 * 4 * 17 * 9);
}

TEST(PolicySetTest, EmptySetDeniesImplicitly) {
  CompiledPolicySet compiled = CompiledPolicySet::Build(PolicySet{});
  Request r;
  r.principal = "arn:aws:iam::111122223333:user/alice";
  r.action = "s3:GetObject";
  r.resource = "*";
  EXPECT_EQ(Evaluate(r, compiled).effect, Effect::kImplicitDeny);
}

}  // namespace
}  // namespace iam::policy
