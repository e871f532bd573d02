// The authorizer's request context: kept per caller and second (see
// Authorizer::CallerKeys), so each caller must still see its own keys, the
// request's own address, the current second and the store's latest tags.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>

#include "common/status_matchers.h"
#include "service/authz/authorizer.h"
#include "service/service_fixture.h"

namespace iam::service {
namespace {

using ::iam::testing::IsOk;
using nlohmann::json;

class AuthorizerTest : public ServiceTest {
 protected:
  Caller RoleSession(const std::string& session, const std::string& team) {
    auto role = store_->GetRole(root_.account_id, "worker");
    EXPECT_THAT(role, IsOk());
    Caller c;
    c.account_id = root_.account_id;
    c.arn = AssumedRoleArn(c.account_id, "worker", session);
    c.user_id = role->role_id + ":" + session;
    c.session.kind = SessionKind::kAssumedRole;
    c.session.role_name = "worker";
    c.session.role_id = role->role_id;
    c.session.role_arn = role->arn;
    c.session.session_name = session;
    c.session.tags = {{"team", team}};
    c.session.issued_at = 1700000000;
    c.session.expires_at = 4000000000;
    return c;
  }

  policy::Effect Decide(Authorizer& authz, const Caller& c, const std::string& action) {
    Result<policy::Decision> d = authz.Decide(c, action, "*", c.account_id, std::nullopt, nullptr);
    EXPECT_THAT(d, IsOk());
    return d.ok() ? d->effect : policy::Effect::kExplicitDeny;
  }

  static std::string Policy(const std::string& statements) {
    return R"({"Version":"2012-10-17","Statement":[)" + statements + "]}";
  }
  void PutPolicy(const std::string& kind, const std::string& name, const std::string& statements) {
    Ok("Put" + kind + "Policy", {{kind + "Name", name}, {"PolicyName", "p"}, {"PolicyDocument", Policy(statements)}});
  }
};

TEST_F(AuthorizerTest, EachCallerSeesItsOwnKeys) {
  Ok("CreateRole", {{"RoleName", "worker"},
                    {"AssumeRolePolicyDocument",
                     Policy(R"({"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"})")}});
  PutPolicy("Role", "worker",
            R"({"Effect":"Allow","Action":"s3:GetObject","Resource":"*",)"
            R"("Condition":{"StringEquals":{"aws:PrincipalTag/team":"a"}}},)"
            R"({"Effect":"Allow","Action":"s3:PutObject","Resource":"*",)"
            R"("Condition":{"StringLike":{"aws:userid":"*:one"}}},)"
            R"({"Effect":"Allow","Action":"s3:ListBucket","Resource":"*",)"
            R"("Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"},"Bool":{"aws:SecureTransport":"true"}}},)"
            R"({"Effect":"Allow","Action":"s3:DeleteObject","Resource":"arn:aws:s3:::b/*"})");
  Authorizer authz(*store_);
  Caller one = RoleSession("one", "a");
  Caller two = RoleSession("two", "b");
  // Two sessions of one role, one set of policies: each its own tags and id,
  // asked alternately.
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(Decide(authz, one, "s3:GetObject"), policy::Effect::kAllow);
    EXPECT_EQ(Decide(authz, two, "s3:GetObject"), policy::Effect::kImplicitDeny);
    EXPECT_EQ(Decide(authz, one, "s3:PutObject"), policy::Effect::kAllow);
    EXPECT_EQ(Decide(authz, two, "s3:PutObject"), policy::Effect::kImplicitDeny);
  }
  // The same session name with other tags: another caller.
  Caller one_b = RoleSession("one", "b");
  EXPECT_EQ(Decide(authz, one_b, "s3:GetObject"), policy::Effect::kImplicitDeny);
  EXPECT_EQ(Decide(authz, one, "s3:GetObject"), policy::Effect::kAllow);
  // The request's address and transport, whatever the last request had.
  one.source_ip = "10.1.2.3";
  one.secure_transport = true;
  EXPECT_EQ(Decide(authz, one, "s3:ListBucket"), policy::Effect::kAllow);
  one.source_ip = "192.0.2.1";
  EXPECT_EQ(Decide(authz, one, "s3:ListBucket"), policy::Effect::kImplicitDeny);
  one.source_ip = "10.1.2.3";
  one.secure_transport = false;
  EXPECT_EQ(Decide(authz, one, "s3:ListBucket"), policy::Effect::kImplicitDeny);
  one.source_ip.clear();
  one.secure_transport = true;
  EXPECT_EQ(Decide(authz, one, "s3:ListBucket"), policy::Effect::kImplicitDeny);
  // Decisions remembered within the second are told apart by resource too.
  for (int i = 0; i < 2; ++i) {
    for (const char* resource : {"arn:aws:s3:::b/k", "arn:aws:s3:::c/k"}) {
      Result<policy::Decision> d = authz.Decide(one, "s3:DeleteObject", resource, one.account_id, std::nullopt, nullptr);
      ASSERT_THAT(d, IsOk());
      EXPECT_EQ(d->effect, resource[13] == 'b' ? policy::Effect::kAllow : policy::Effect::kImplicitDeny) << resource;
    }
  }
  // A caller's extra keys do not stay for the next request.
  Result<policy::Decision> d = authz.Decide(two, "s3:GetObject", "*", two.account_id, std::nullopt,
                                            [](policy::RequestContext& ctx) { ctx.SetLazy("aws:PrincipalTag/team", "a"); });
  ASSERT_THAT(d, IsOk());
  EXPECT_EQ(d->effect, policy::Effect::kAllow);  // a caller-supplied key, as Decide's `extend` may set
  EXPECT_EQ(Decide(authz, two, "s3:GetObject"), policy::Effect::kImplicitDeny);
}

TEST_F(AuthorizerTest, TagsFollowTheStoreAndTimeTheClock) {
  Ok("CreateUser", {{"UserName", "bob"}, {"Tags", json::array({{{"Key", "team"}, {"Value", "a"}}})}});
  const int64_t next = std::chrono::duration_cast<std::chrono::seconds>(
                           std::chrono::system_clock::now().time_since_epoch()).count() + 1;
  PutPolicy("User", "bob",
            R"({"Effect":"Allow","Action":"s3:GetObject","Resource":"*",)"
            R"("Condition":{"StringEquals":{"aws:PrincipalTag/team":"a"}}},)"
            R"({"Effect":"Allow","Action":"s3:PutObject","Resource":"*",)"
            R"("Condition":{"NumericGreaterThanEquals":{"aws:EpochTime":")" + std::to_string(next) + R"("}}})");
  Caller bob = UserCaller("bob");
  Authorizer authz(*store_);
  EXPECT_EQ(Decide(authz, bob, "s3:GetObject"), policy::Effect::kAllow);
  Ok("TagUser", {{"UserName", "bob"}, {"Tags", json::array({{{"Key", "team"}, {"Value", "b"}}})}});
  EXPECT_EQ(Decide(authz, bob, "s3:GetObject"), policy::Effect::kImplicitDeny);
  // aws:EpochTime moves with the clock, not with the keys kept.
  auto now = [] {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  };
  policy::Effect before = Decide(authz, bob, "s3:PutObject");
  if (now() < next) {
    EXPECT_EQ(before, policy::Effect::kImplicitDeny);  // decided before `next`
  }
  while (now() < next) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_EQ(Decide(authz, bob, "s3:PutObject"), policy::Effect::kAllow);
}

}  // namespace
}  // namespace iam::service
