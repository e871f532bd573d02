// The STS service over an in-memory store: AssumeRole and its refusals,
// session policies, chaining, cross-account trust, GetSessionToken,
// GetFederationToken, GetCallerIdentity, GetAccessKeyInfo and encoded
// authorization messages; and how the authorizer treats each kind of session.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdio>
#include <string>

#include "auth/session_token.h"
#include "common/status_matchers.h"
#include "service/authz/authorizer.h"
#include "service/iam/iam_service.h"
#include "service/iam/root_keys.h"
#include "service/sts/authorization_message.h"
#include "service/sts/session_issue.h"
#include "service/sts/sts_service.h"
#include "store/open_store.h"

namespace iam::service::sts {
namespace {

using ::iam::testing::IsOk;
using ::iam::testing::StatusIs;
using ::testing::HasSubstr;
using nlohmann::json;

constexpr char kA[] = "111111111111";
constexpr char kB[] = "222222222222";
constexpr int64_t kNow = 1800000000;

std::string Trust(const std::string& principal, const std::string& extra = "") {
  return R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":")" + principal +
         R"("},"Action":"sts:AssumeRole")" + extra + "}]}";
}
std::string Allow(const std::string& action, const std::string& resource = "*") {
  return R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":")" + action + R"(","Resource":")" +
         resource + R"("}]})";
}

class StsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = store::OpenStore({}).value();
    ring_ = store_->LoadKeyRing().value();
    root_keys_ = std::make_unique<RootKeys>(*store_);
    authz_ = std::make_unique<Authorizer>(*store_);
    sts_ = std::make_unique<StsService>(*store_, *authz_, *root_keys_);
    for (const char* a : {kA, kB}) ASSERT_THAT(store_->CreateAccount(a, ""), IsOk());
    ASSERT_THAT(store_->CreateUser(kA, {.name = "pat"}), IsOk());
    ASSERT_THAT(store_->CreateRole(kA, {.name = "chef",
                                        .assume_role_policy_document =
                                            Trust(std::string("arn:aws:iam::") + kA + ":user/pat"),
                                        .max_session_duration = 7200}),
                IsOk());
    ASSERT_THAT(store_->PutInlinePolicy(kA, {store::PrincipalKind::kRole, "chef"}, "kitchen",
                                        R"({"Version":"2012-10-17","Statement":[
                                            {"Effect":"Allow","Action":["iam:ListUsers","iam:GetUser"],"Resource":"*"},
                                            {"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]})"),
                IsOk());
  }

  Caller Root(const std::string& account) {
    Caller c;
    c.account_id = account;
    c.is_root = true;
    c.user_id = account;
    c.arn = RootArn(account);
    return c;
  }
  Caller User(const std::string& account, const std::string& name) {
    store::User u = store_->GetUser(account, name).value();
    Caller c;
    c.account_id = account;
    c.user_name = name;
    c.user_id = u.user_id;
    c.arn = u.arn;
    return c;
  }
  Result<json> Call(const Caller& c, std::string_view op, const json& in) {
    return sts_->Call(c, op, in, ring_, kNow, "us-east-1");
  }
  // The caller that the answer's credentials authenticate as.
  Caller FromCredentials(const json& out) {
    const json& cr = out["Credentials"];
    Result<auth::SessionRecord> r = auth::OpenSessionToken(cr["SessionToken"].get<std::string>(), ring_);
    EXPECT_THAT(r, IsOk());
    EXPECT_EQ(r->access_key_id, cr["AccessKeyId"]);
    EXPECT_EQ(r->secret_access_key, cr["SecretAccessKey"]);
    return CallerFromSession(*r);
  }
  Caller AssumeChef(const json& extra = json::object()) {
    json in = {{"RoleArn", std::string("arn:aws:iam::") + kA + ":role/chef"}, {"RoleSessionName", "shift"}};
    in.update(extra);
    Result<json> out = Call(User(kA, "pat"), "AssumeRole", in);
    EXPECT_THAT(out, IsOk());
    return FromCredentials(*out);
  }

  std::unique_ptr<store::Store> store_;
  crypto::KeyRing ring_;
  std::unique_ptr<RootKeys> root_keys_;
  std::unique_ptr<Authorizer> authz_;
  std::unique_ptr<StsService> sts_;
};

TEST_F(StsTest, AssumeRoleAnswersAsAws) {
  std::string role_arn = std::string("arn:aws:iam::") + kA + ":role/chef";
  Result<json> out = Call(User(kA, "pat"), "AssumeRole",
                          {{"RoleArn", role_arn}, {"RoleSessionName", "shift"}, {"DurationSeconds", 900}});
  ASSERT_THAT(out, IsOk());
  store::Role role = store_->GetRole(kA, "chef").value();
  EXPECT_EQ((*out)["AssumedRoleUser"]["Arn"], std::string("arn:aws:sts::") + kA + ":assumed-role/chef/shift");
  EXPECT_EQ((*out)["AssumedRoleUser"]["AssumedRoleId"], role.role_id + ":shift");
  EXPECT_EQ((*out)["Credentials"]["Expiration"], kNow + 900);
  std::string key = (*out)["Credentials"]["AccessKeyId"];
  EXPECT_EQ(key.substr(0, 4), "ASIA");
  EXPECT_EQ(auth::AccountOfAccessKeyId(key), kA);
  EXPECT_FALSE(out->contains("PackedPolicySize"));
  EXPECT_EQ(store_->GetRole(kA, "chef")->last_used_date, kNow);

  Caller session = FromCredentials(*out);
  EXPECT_EQ(session.arn, std::string("arn:aws:sts::") + kA + ":assumed-role/chef/shift");
  EXPECT_EQ(session.user_id, role.role_id + ":shift");
  json who = Call(session, "GetCallerIdentity", json::object()).value();
  EXPECT_EQ(who["Arn"], session.arn);
  EXPECT_EQ(who["UserId"], role.role_id + ":shift");
  EXPECT_EQ(who["Account"], kA);
}

TEST_F(StsTest, RoleSessionsAreAuthorizedWithTheRolesPolicies) {
  Caller session = AssumeChef();
  EXPECT_THAT(authz_->Authorize(session, "ListUsers", json::object()), IsOk());
  EXPECT_THAT(authz_->Authorize(session, "GetUser", {{"UserName", "pat"}}), IsOk());
  EXPECT_THAT(authz_->Authorize(session, "CreateUser", {{"UserName", "eve"}}),
              StatusIs(StatusCode::kAccessDenied,
                       std::string("User: arn:aws:sts::") + kA +
                           ":assumed-role/chef/shift is not authorized to perform: iam:CreateUser on resource: "
                           "arn:aws:iam::" + kA + ":user/eve because no identity-based policy allows the "
                           "iam:CreateUser action"));
}

TEST_F(StsTest, SessionPoliciesNarrowTheRole) {
  Result<json> out = Call(User(kA, "pat"), "AssumeRole",
                          {{"RoleArn", std::string("arn:aws:iam::") + kA + ":role/chef"},
                           {"RoleSessionName", "narrow"},
                           {"Policy", Allow("iam:GetUser")}});
  ASSERT_THAT(out, IsOk());
  EXPECT_GT((*out)["PackedPolicySize"].get<int>(), 0);
  Caller session = FromCredentials(*out);
  EXPECT_THAT(authz_->Authorize(session, "GetUser", {{"UserName", "pat"}}), IsOk());
  EXPECT_THAT(authz_->Authorize(session, "ListUsers", json::object()),
              StatusIs(StatusCode::kAccessDenied, "because no session policy allows the iam:ListUsers action"));
  // A session policy cannot grant more than the role has.
  Caller wide = AssumeChef({{"Policy", Allow("iam:*")}});
  EXPECT_THAT(authz_->Authorize(wide, "CreateUser", {{"UserName", "x"}}), StatusIs(StatusCode::kAccessDenied));
  // Managed session policies count too.
  Caller managed = AssumeChef({{"PolicyArns", json::array({{{"arn", "arn:aws:iam::aws:policy/IAMReadOnlyAccess"}}})}});
  EXPECT_THAT(authz_->Authorize(managed, "ListUsers", json::object()), IsOk());
  EXPECT_THAT(Call(User(kA, "pat"), "AssumeRole",
                   {{"RoleArn", std::string("arn:aws:iam::") + kA + ":role/chef"},
                    {"RoleSessionName", "bad"},
                    {"Policy", "{\"Version\":\"2012-10-17\"}"}}),
              StatusIs(StatusCode::kMalformedPolicyDocument));
}

TEST_F(StsTest, RefusalsUseAwsWording) {
  std::string role_arn = std::string("arn:aws:iam::") + kA + ":role/chef";
  ASSERT_THAT(store_->CreateUser(kA, {.name = "eve"}), IsOk());
  EXPECT_THAT(Call(User(kA, "eve"), "AssumeRole", {{"RoleArn", role_arn}, {"RoleSessionName", "s"}}),
              StatusIs(StatusCode::kAccessDenied, std::string("User: arn:aws:iam::") + kA +
                                                      ":user/eve is not authorized to perform: sts:AssumeRole on "
                                                      "resource: " + role_arn));
  // A missing role reads the same as an untrusting one.
  EXPECT_THAT(Call(User(kA, "pat"), "AssumeRole",
                   {{"RoleArn", std::string("arn:aws:iam::") + kA + ":role/nope"}, {"RoleSessionName", "s"}}),
              StatusIs(StatusCode::kAccessDenied, "is not authorized to perform: sts:AssumeRole"));
  EXPECT_THAT(Call(Root(kA), "AssumeRole", {{"RoleArn", role_arn}, {"RoleSessionName", "s"}}),
              StatusIs(StatusCode::kAccessDenied, "Roles may not be assumed by root accounts."));
  EXPECT_THAT(Call(User(kA, "pat"), "AssumeRole",
                   {{"RoleArn", role_arn}, {"RoleSessionName", "s"}, {"DurationSeconds", 7201}}),
              StatusIs(StatusCode::kValidationError,
                       "The requested DurationSeconds exceeds the MaxSessionDuration set for this role."));
  EXPECT_THAT(Call(User(kA, "pat"), "AssumeRole", {{"RoleArn", "arn:aws:iam::111111111111:user/pat"},
                                                  {"RoleSessionName", "s"}}),
              StatusIs(StatusCode::kValidationError));
}

TEST_F(StsTest, ExternalIdIsRequiredWhenTheTrustSaysSo) {
  ASSERT_THAT(store_->UpdateAssumeRolePolicy(
                  kA, "chef",
                  Trust(std::string("arn:aws:iam::") + kA + ":user/pat",
                        R"(,"Condition":{"StringEquals":{"sts:ExternalId":"open-sesame"}})")),
              IsOk());
  json in = {{"RoleArn", std::string("arn:aws:iam::") + kA + ":role/chef"}, {"RoleSessionName", "s"}};
  EXPECT_THAT(Call(User(kA, "pat"), "AssumeRole", in), StatusIs(StatusCode::kAccessDenied));
  in["ExternalId"] = "wrong-id";
  EXPECT_THAT(Call(User(kA, "pat"), "AssumeRole", in), StatusIs(StatusCode::kAccessDenied));
  in["ExternalId"] = "open-sesame";
  EXPECT_THAT(Call(User(kA, "pat"), "AssumeRole", in), IsOk());
}

TEST_F(StsTest, ChainingIsCappedAtOneHour) {
  Caller session = AssumeChef();
  json in = {{"RoleArn", std::string("arn:aws:iam::") + kA + ":role/chef"}, {"RoleSessionName", "again"}};
  // The chef role does not trust its own sessions yet.
  EXPECT_THAT(Call(session, "AssumeRole", in), StatusIs(StatusCode::kAccessDenied));
  ASSERT_THAT(store_->UpdateAssumeRolePolicy(
                  kA, "chef",
                  R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::)" +
                      std::string(kA) + R"(:user/pat","arn:aws:iam::)" + kA +
                      R"(:role/chef"]},"Action":"sts:AssumeRole"}]})"),
              IsOk());
  in["DurationSeconds"] = 3601;
  EXPECT_THAT(Call(session, "AssumeRole", in),
              StatusIs(StatusCode::kValidationError, "1 hour session limit for roles assumed by role chaining"));
  in["DurationSeconds"] = 3600;
  Result<json> out = Call(session, "AssumeRole", in);
  ASSERT_THAT(out, IsOk());
  Caller chained = FromCredentials(*out);
  EXPECT_TRUE(chained.session.chained);
  EXPECT_EQ(chained.arn, std::string("arn:aws:sts::") + kA + ":assumed-role/chef/again");
}

TEST_F(StsTest, TransitiveTagsAndSourceIdentityCarryOver) {
  ASSERT_THAT(store_->UpdateAssumeRolePolicy(
                  kA, "chef",
                  R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::)" +
                      std::string(kA) + R"(:user/pat","arn:aws:iam::)" + kA +
                      R"(:role/chef"]},"Action":["sts:AssumeRole","sts:TagSession","sts:SetSourceIdentity"]}]})"),
              IsOk());
  Caller first = AssumeChef({{"Tags", json::array({{{"Key", "team"}, {"Value", "pastry"}}, {{"Key", "x"}, {"Value", "1"}}})},
                             {"TransitiveTagKeys", json::array({"team"})},
                             {"SourceIdentity", "pat"}});
  EXPECT_EQ(first.session.source_identity, "pat");
  json in = {{"RoleArn", std::string("arn:aws:iam::") + kA + ":role/chef"}, {"RoleSessionName", "next"}};
  Caller next = FromCredentials(Call(first, "AssumeRole", in).value());
  ASSERT_EQ(next.session.tags.size(), 1u);
  EXPECT_EQ(next.session.tags[0].key, "team");
  EXPECT_EQ(next.session.source_identity, "pat");
  in["Tags"] = json::array({{{"Key", "TEAM"}, {"Value", "grill"}}});
  EXPECT_THAT(Call(first, "AssumeRole", in), StatusIs(StatusCode::kValidationError, "cannot be overridden"));
}

TEST_F(StsTest, TagsNeedTagSessionInTheTrustPolicy) {
  json in = {{"RoleArn", std::string("arn:aws:iam::") + kA + ":role/chef"},
             {"RoleSessionName", "s"},
             {"Tags", json::array({{{"Key", "team"}, {"Value", "pastry"}}})}};
  EXPECT_THAT(Call(User(kA, "pat"), "AssumeRole", in),
              StatusIs(StatusCode::kAccessDenied, "sts:TagSession"));
  in["Tags"] = json::array({{{"Key", "a"}, {"Value", "1"}}, {{"Key", "A"}, {"Value", "2"}}});
  EXPECT_THAT(Call(User(kA, "pat"), "AssumeRole", in), StatusIs(StatusCode::kValidationError, "Duplicate tag keys"));
}

TEST_F(StsTest, CrossAccountNeedsBothSides) {
  ASSERT_THAT(store_->CreateRole(kA, {.name = "partner",
                                      .assume_role_policy_document = Trust(std::string("arn:aws:iam::") + kB + ":root")}),
              IsOk());
  ASSERT_THAT(store_->CreateUser(kB, {.name = "vendor"}), IsOk());
  json in = {{"RoleArn", std::string("arn:aws:iam::") + kA + ":role/partner"}, {"RoleSessionName", "delivery"}};
  EXPECT_THAT(Call(User(kB, "vendor"), "AssumeRole", in), StatusIs(StatusCode::kAccessDenied));
  ASSERT_THAT(store_->PutInlinePolicy(kB, {store::PrincipalKind::kUser, "vendor"}, "assume",
                                      Allow("sts:AssumeRole", std::string("arn:aws:iam::") + kA + ":role/partner")),
              IsOk());
  Result<json> out = Call(User(kB, "vendor"), "AssumeRole", in);
  ASSERT_THAT(out, IsOk());
  Caller session = FromCredentials(*out);
  EXPECT_EQ(session.account_id, kA);
  EXPECT_EQ(session.arn, std::string("arn:aws:sts::") + kA + ":assumed-role/partner/delivery");
}

TEST_F(StsTest, GetSessionTokenSessions) {
  Result<json> out = Call(User(kA, "pat"), "GetSessionToken", {{"DurationSeconds", 900}});
  ASSERT_THAT(out, IsOk());
  EXPECT_EQ((*out)["Credentials"]["Expiration"], kNow + 900);
  Caller session = FromCredentials(*out);
  EXPECT_EQ(session.arn, User(kA, "pat").arn);
  EXPECT_EQ(Call(session, "GetCallerIdentity", json::object())->at("Arn"), session.arn);
  // No MFA: IAM refuses the token; STS only AssumeRole and GetCallerIdentity.
  EXPECT_THAT(authz_->Authorize(session, "ListUsers", json::object()), StatusIs(StatusCode::kInvalidClientTokenId));
  EXPECT_THAT(Call(session, "GetSessionToken", json::object()),
              StatusIs(StatusCode::kAccessDenied, "Cannot call GetSessionToken with session credentials"));
  EXPECT_THAT(Call(session, "GetAccessKeyInfo", {{"AccessKeyId", "AKIAEXAMPLEEXAMPLE12"}}),
              StatusIs(StatusCode::kAccessDenied));
  EXPECT_THAT(Call(session, "AssumeRole",
                   {{"RoleArn", std::string("arn:aws:iam::") + kA + ":role/chef"}, {"RoleSessionName", "s"}}),
              IsOk());
  // The root: one hour at most.
  Result<json> root = Call(Root(kA), "GetSessionToken", {{"DurationSeconds", 7200}});
  ASSERT_THAT(root, IsOk());
  EXPECT_EQ((*root)["Credentials"]["Expiration"], kNow + 3600);
  EXPECT_EQ(FromCredentials(*root).arn, RootArn(kA));
  // Codes without a device: refused.
  EXPECT_THAT(Call(User(kA, "pat"), "GetSessionToken", {{"TokenCode", "123456"}}),
              StatusIs(StatusCode::kValidationError));
  EXPECT_THAT(Call(User(kA, "pat"), "GetSessionToken",
                   {{"SerialNumber", std::string("arn:aws:iam::") + kA + ":mfa/pat"}, {"TokenCode", "123456"}}),
              StatusIs(StatusCode::kAccessDenied));
}

TEST_F(StsTest, FederationTokens) {
  json in = {{"Name", "guest"}, {"Policy", Allow("iam:ListUsers")}};
  EXPECT_THAT(Call(User(kA, "pat"), "GetFederationToken", in),
              StatusIs(StatusCode::kAccessDenied, "sts:GetFederationToken"));
  ASSERT_THAT(store_->PutInlinePolicy(kA, {store::PrincipalKind::kUser, "pat"}, "fed",
                                      R"({"Version":"2012-10-17","Statement":[
                                          {"Effect":"Allow","Action":["sts:GetFederationToken","iam:ListUsers"],"Resource":"*"}]})"),
              IsOk());
  Result<json> out = Call(User(kA, "pat"), "GetFederationToken", in);
  ASSERT_THAT(out, IsOk());
  EXPECT_EQ((*out)["FederatedUser"]["Arn"], std::string("arn:aws:sts::") + kA + ":federated-user/guest");
  EXPECT_EQ((*out)["FederatedUser"]["FederatedUserId"], std::string(kA) + ":guest");
  Caller fed = FromCredentials(*out);
  json who = Call(fed, "GetCallerIdentity", json::object()).value();
  EXPECT_EQ(who["Arn"], std::string("arn:aws:sts::") + kA + ":federated-user/guest");
  EXPECT_EQ(who["UserId"], std::string(kA) + ":guest");
  EXPECT_THAT(authz_->Authorize(fed, "ListUsers", json::object()), StatusIs(StatusCode::kInvalidClientTokenId));
  EXPECT_THAT(Call(fed, "AssumeRole",
                   {{"RoleArn", std::string("arn:aws:iam::") + kA + ":role/chef"}, {"RoleSessionName", "s"}}),
              StatusIs(StatusCode::kAccessDenied));
  // The session policy intersects with the user's: listing is within both.
  Result<policy::Decision> d = authz_->Decide(fed, "iam:ListUsers", "*", kA, std::nullopt, nullptr);
  ASSERT_THAT(d, IsOk());
  EXPECT_EQ(d->effect, policy::Effect::kAllow);
  d = authz_->Decide(fed, "sts:GetFederationToken", "*", kA, std::nullopt, nullptr);
  EXPECT_EQ(d->effect, policy::Effect::kImplicitDeny);
}

TEST_F(StsTest, GetAccessKeyInfoAndAuthorizationMessages) {
  Caller session = AssumeChef();
  EXPECT_EQ(Call(Root(kB), "GetAccessKeyInfo", {{"AccessKeyId", session.access_key_id}})->at("Account"), kA);
  json details = {{"allowed", false}, {"context", {{"action", "iam:CreateUser"}}}};
  std::string encoded = EncodeAuthorizationMessage(ring_, kA, details).value();
  json decoded = Call(Root(kA), "DecodeAuthorizationMessage", {{"EncodedMessage", encoded}}).value();
  EXPECT_EQ(json::parse(decoded["DecodedMessage"].get<std::string>()), details);
  EXPECT_THAT(Call(Root(kB), "DecodeAuthorizationMessage", {{"EncodedMessage", encoded}}),
              StatusIs(StatusCode::kInvalidAuthorizationMessage));
  EXPECT_THAT(Call(Root(kA), "DecodeAuthorizationMessage", {{"EncodedMessage", "AAAA"}}),
              StatusIs(StatusCode::kInvalidAuthorizationMessage));
  // The chef role lacks sts:DecodeAuthorizationMessage.
  EXPECT_THAT(Call(session, "DecodeAuthorizationMessage", {{"EncodedMessage", encoded}}),
              StatusIs(StatusCode::kAccessDenied, "sts:DecodeAuthorizationMessage"));
}

TEST_F(StsTest, SessionContextKeys) {
  ASSERT_THAT(store_->TagResource(kA, {store::TaggableKind::kRole, "chef"}, {{"team", "grill"}, {"floor", "1"}}),
              IsOk());
  ASSERT_THAT(store_->UpdateAssumeRolePolicy(
                  kA, "chef",
                  R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::)" +
                      std::string(kA) + R"(:user/pat"},"Action":["sts:AssumeRole","sts:TagSession"]}]})"),
              IsOk());
  Caller session = AssumeChef({{"Tags", json::array({{{"Key", "Team"}, {"Value", "pastry"}}})}});
  auto decide = [&](const std::string& condition) {
    std::string doc = R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":)" +
                      condition + "}]}";
    std::optional<policy::Policy> resource;
    EXPECT_THAT(store_->PutInlinePolicy(kA, {store::PrincipalKind::kRole, "chef"}, "probe", doc), IsOk());
    return authz_->Decide(session, "s3:GetObject", "arn:aws:s3:::bucket/key", kA, resource, nullptr)->effect;
  };
  using policy::Effect;
  EXPECT_EQ(decide(R"({"StringEquals":{"aws:PrincipalTag/team":"pastry"}})"), Effect::kAllow);
  EXPECT_EQ(decide(R"({"StringEquals":{"aws:PrincipalTag/floor":"1"}})"), Effect::kAllow);
  EXPECT_EQ(decide(R"({"StringEquals":{"aws:PrincipalArn":"arn:aws:iam::111111111111:role/chef"}})"), Effect::kAllow);
  EXPECT_EQ(decide(R"({"StringLike":{"aws:userid":"AROA*:shift"}})"), Effect::kAllow);
  EXPECT_EQ(decide(R"({"Null":{"aws:username":"true"}})"), Effect::kAllow);
  EXPECT_EQ(decide(R"({"StringEquals":{"aws:PrincipalType":"AssumedRole"}})"), Effect::kAllow);
  EXPECT_EQ(decide(R"({"Bool":{"aws:MultiFactorAuthPresent":"false"}})"), Effect::kAllow);
  EXPECT_EQ(decide(R"({"Bool":{"aws:MultiFactorAuthPresent":"true"}})"), Effect::kImplicitDeny);
  EXPECT_EQ(decide(R"({"DateEquals":{"aws:TokenIssueTime":"2027-01-15T08:00:00Z"}})"), Effect::kAllow);
}

TEST(PackedPercent, CountsPoliciesArnsAndTags) {
  EXPECT_EQ(PackedPercent("", {}, {}), 0);
  EXPECT_EQ(PackedPercent("", {std::string(2048, 'a')}, {}), 100);
  EXPECT_EQ(PackedPercent("", {std::string(2049, 'a')}, {}), 101);
  EXPECT_EQ(PackedPercent("", {}, {{"k", "v"}}), 1);
}

}  // namespace
}  // namespace iam::service::sts
