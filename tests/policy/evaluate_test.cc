// The public API of the engine (include/iamd/policy.h), table-driven with
// one helper per case, as envoy's checkEngine: the decision and the
// statements that made it.
#include <gtest/gtest.h>

#include <string>
#include <atomic>
#include <thread>
#include <vector>

#include "common/status_matchers.h"
#include "iamd/policy.h"

namespace iam::policy {
namespace {

Policy MustParse(const std::string& json, PolicyType type = PolicyType::kIdentity) {
  auto p = Policy::Parse(json, type);
  EXPECT_TRUE(p.ok()) << p.status().ToString();
  return std::move(p).value();
}

Request Alice(const std::string& action, const std::string& resource) {
  Request r;
  r.principal = "arn:aws:iam::111122223333:user/alice";
  r.action = action;
  r.resource = resource;
  r.context.Set("aws:username", "alice");
  return r;
}

void CheckEngine(const Request& req, const PolicySet& set, Effect want, const std::string& want_sids) {
  Decision d = Evaluate(req, set);
  EXPECT_EQ(EffectName(d.effect), EffectName(want)) << req.action << " on " << req.resource;
  std::string sids;
  for (const MatchedStatement& m : d.statements) {
    sids += std::string(PolicyKindName(m.kind)) + ":" + std::string(m.sid) + " ";
  }
  EXPECT_EQ(sids, want_sids) << req.action << " on " << req.resource;
}

const char* kSelfService = R"({"Version":"2012-10-17","Statement":[
  {"Sid":"Home","Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::home/${aws:username}/*"},
  {"Sid":"NoDelete","Effect":"Deny","Action":"s3:Delete*","Resource":"*"},
  {"Sid":"OwnKeys","Effect":"Allow","Action":"iam:*AccessKey*","Resource":"arn:aws:iam::*:user/${aws:username}"}]})";

TEST(EvaluateTest, SelfServiceTable) {
  PolicySet set;
  set.identity.push_back(MustParse(kSelfService));
  struct Case {
    const char* action;
    const char* resource;
    Effect want;
    const char* sids;
  } cases[] = {
      {"s3:GetObject", "arn:aws:s3:::home/alice/notes", Effect::kAllow, "identity:Home "},
      {"S3:getobject", "arn:aws:s3:::home/alice/notes", Effect::kAllow, "identity:Home "},
      {"s3:GetObject", "arn:aws:s3:::home/bob/notes", Effect::kImplicitDeny, ""},
      {"s3:GetObject", "arn:aws:s3:::HOME/alice/notes", Effect::kImplicitDeny, ""},
      {"s3:DeleteObject", "arn:aws:s3:::home/alice/notes", Effect::kExplicitDeny, "identity:NoDelete "},
      {"iam:CreateAccessKey", "arn:aws:iam::111122223333:user/alice", Effect::kAllow, "identity:OwnKeys "},
      {"iam:CreateAccessKey", "arn:aws:iam::111122223333:user/bob", Effect::kImplicitDeny, ""},
      {"iam:CreateUser", "arn:aws:iam::111122223333:user/alice", Effect::kImplicitDeny, ""},
  };
  for (const Case& c : cases) CheckEngine(Alice(c.action, c.resource), set, c.want, c.sids);
}

TEST(EvaluateTest, BoundaryAndSessionPoliciesIntersect) {
  PolicySet set;
  set.identity.push_back(MustParse(R"({"Version":"2012-10-17","Statement":{"Sid":"All","Effect":"Allow","Action":"*","Resource":"*"}})"));
  set.permissions_boundary = MustParse(
      R"({"Version":"2012-10-17","Statement":{"Sid":"S3Only","Effect":"Allow","Action":"s3:*","Resource":"*"}})",
      PolicyType::kPermissionsBoundary);
  CheckEngine(Alice("s3:GetObject", "arn:aws:s3:::b/k"), set, Effect::kAllow, "identity:All permissions_boundary:S3Only ");
  CheckEngine(Alice("ec2:RunInstances", "*"), set, Effect::kImplicitDeny, "");
}

TEST(EvaluateTest, CrossAccountNeedsBothSides) {
  PolicySet set;
  set.identity.push_back(MustParse(R"({"Version":"2012-10-17","Statement":{"Sid":"Id","Effect":"Allow","Action":"s3:GetObject","Resource":"*"}})"));
  Request req = Alice("s3:GetObject", "arn:aws:s3:::their-bucket/k");
  req.resource_account = "444455556666";
  CheckEngine(req, set, Effect::kImplicitDeny, "");
  set.resource = MustParse(R"({"Version":"2012-10-17","Statement":{"Sid":"Grant","Effect":"Allow",
      "Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::their-bucket/*"}})",
                           PolicyType::kResource);
  CheckEngine(req, set, Effect::kAllow, "identity:Id resource:Grant ");
  set.identity.clear();
  CheckEngine(req, set, Effect::kImplicitDeny, "");
}

TEST(EvaluateTest, AnonymousCallersOnlyMeetResourcePolicies) {
  PolicySet set;
  set.identity.push_back(MustParse(R"({"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}})"));
  Request req = Alice("s3:GetObject", "arn:aws:s3:::public/k");
  req.principal.clear();
  req.resource_account = "111122223333";
  CheckEngine(req, set, Effect::kImplicitDeny, "");
  set.resource = MustParse(R"({"Version":"2012-10-17","Statement":{"Sid":"Public","Effect":"Allow","Principal":"*",
      "Action":"s3:GetObject","Resource":"arn:aws:s3:::public/*"}})",
                           PolicyType::kResource);
  CheckEngine(req, set, Effect::kAllow, "resource:Public ");
}

TEST(EvaluateTest, GetCallerIdentityNeedsNoPermission) {
  PolicySet set;
  set.identity.push_back(MustParse(R"({"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"*","Resource":"*"}})"));
  CheckEngine(Alice("sts:GetCallerIdentity", "*"), set, Effect::kAllow, "");
}

// Compiled policies are shared, immutable, and safe to evaluate from many threads.
TEST(EvaluateTest, ConcurrentEvaluationAgrees) {
  PolicySet set;
  set.identity.push_back(MustParse(kSelfService));
  std::vector<std::thread> threads;
  std::atomic<int> wrong{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      Request allow = Alice("s3:GetObject", "arn:aws:s3:::home/alice/x");
      Request deny = Alice("s3:DeleteObject", "arn:aws:s3:::home/alice/x");
      for (int i = 0; i < 20000; ++i) {
        if (Evaluate(allow, set).effect != Effect::kAllow) ++wrong;
        if (Evaluate(deny, set).effect != Effect::kExplicitDeny) ++wrong;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(wrong.load(), 0);
}

TEST(EvaluateTest, PolicyExposesItsStatements) {
  Policy p = MustParse(kSelfService);
  EXPECT_EQ(p.type(), PolicyType::kIdentity);
  ASSERT_EQ(p.statement_count(), 3u);
  EXPECT_EQ(p.statement_sid(1), "NoDelete");
  EXPECT_GT(p.MemoryUsage(), 0u);
}

}  // namespace
}  // namespace iam::policy

namespace iam::policy {
namespace {

// Values set lazily are typed by the conditions that need them: the same
// decisions as eagerly typed ones, on both evaluation paths.
TEST(EvaluateTest, LazyContextValuesDecideAsTypedOnes) {
  PolicySet set;
  set.identity.push_back(MustParse(R"({"Version":"2012-10-17","Statement":[
    {"Sid":"Net","Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{
      "IpAddress":{"aws:SourceIp":"10.0.0.0/8"},"DateGreaterThan":{"aws:CurrentTime":"2020-01-01T00:00:00Z"},
      "NumericLessThan":{"s3:max-keys":"10"},"Bool":{"aws:SecureTransport":"true"},
      "ForAnyValue:StringLike":{"aws:TagKeys":["team*"]}}}]})"));
  CompiledPolicySet compiled = CompiledPolicySet::Build(set);
  struct Case {
    const char *ip, *time, *max_keys, *secure;
    Effect want;
  } cases[] = {
      {"10.1.2.3", "2026-01-01T00:00:00Z", "5", "true", Effect::kAllow},
      {"11.1.2.3", "2026-01-01T00:00:00Z", "5", "true", Effect::kImplicitDeny},
      {"10.1.2.3", "2019-01-01T00:00:00Z", "5", "true", Effect::kImplicitDeny},
      {"10.1.2.3", "2026-01-01T00:00:00Z", "50", "true", Effect::kImplicitDeny},
      {"10.1.2.3", "2026-01-01T00:00:00Z", "5", "false", Effect::kImplicitDeny},
      {"not-an-ip", "not-a-date", "x", "maybe", Effect::kImplicitDeny},
  };
  for (const Case& c : cases) {
    Request eager = Alice("s3:GetObject", "arn:aws:s3:::b/k");
    Request lazy = Alice("s3:GetObject", "arn:aws:s3:::b/k");
    eager.context.Set("aws:SourceIp", c.ip);
    lazy.context.SetLazy("aws:SourceIp", c.ip);
    eager.context.Set("aws:CurrentTime", c.time);
    lazy.context.SetLazy("aws:CurrentTime", c.time);
    eager.context.Set("s3:max-keys", c.max_keys);
    lazy.context.SetLazy("s3:max-keys", c.max_keys);
    eager.context.Set("aws:SecureTransport", c.secure);
    lazy.context.SetLazy("aws:SecureTransport", c.secure);
    eager.context.SetMulti("aws:TagKeys", {"x", "team-a"});
    lazy.context.SetMultiLazy("aws:TagKeys", {"x", "team-a"});
    EXPECT_EQ(EffectName(Evaluate(eager, set).effect), EffectName(c.want)) << c.ip << " " << c.max_keys;
    EXPECT_EQ(EffectName(Evaluate(lazy, set).effect), EffectName(c.want)) << c.ip << " " << c.max_keys;
    EXPECT_EQ(EffectName(Evaluate(lazy, compiled).effect), EffectName(c.want)) << c.ip << " " << c.max_keys;
  }
  // A lazy value replaces an earlier one under the same key, any case.
  Request r = Alice("s3:GetObject", "arn:aws:s3:::b/k");
  r.context.Set("AWS:SourceIp", "11.0.0.1");
  r.context.SetLazy("aws:sourceip", "10.0.0.1");
  ASSERT_NE(r.context.Find("aws:sourceip"), nullptr);
  EXPECT_EQ(r.context.Find("aws:sourceip")->values, std::vector<std::string>{"10.0.0.1"});
}

}  // namespace
}  // namespace iam::policy
