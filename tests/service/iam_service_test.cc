// The IAM service layer and the authorizer over an in-memory store.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdio>
#include <string>

#include "auth/totp.h"
#include "common/status_matchers.h"
#include "service/authz/authorizer.h"
#include "service/iam/aws_managed.h"
#include "service/iam/iam_service.h"
#include "service/iam/mfa_check.h"
#include "service/iam/root_keys.h"
#include "store/ids.h"
#include "store/open_store.h"

namespace iam::service {
namespace {

using ::iam::testing::IsOk;
using ::iam::testing::StatusIs;
using ::testing::HasSubstr;
using nlohmann::json;

class ServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = store::OpenStore({});
    ASSERT_THAT(s, IsOk());
    store_ = std::move(s).value();
    auto ring = store_->LoadKeyRing();
    ASSERT_THAT(ring, IsOk());
    ring_ = std::move(ring).value();
    auto account = store_->CreateAccount("123456789012", "");
    ASSERT_THAT(account, IsOk());
    root_.account_id = "123456789012";
    root_.is_root = true;
    root_.user_id = root_.account_id;
    root_.arn = RootArn(root_.account_id);
    iam_ = std::make_unique<IamService>(*store_, ring_);
  }

  json Ok(std::string_view op, const json& in, const Caller* caller = nullptr) {
    Result<json> r = iam_->Call(caller ? *caller : root_, op, in);
    EXPECT_THAT(r, IsOk()) << op;
    return r.ok() ? *r : json();
  }

  Caller UserCaller(const std::string& name) {
    auto u = store_->GetUser(root_.account_id, name);
    EXPECT_THAT(u, IsOk());
    Caller c;
    c.account_id = root_.account_id;
    c.user_name = name;
    c.user_id = u->user_id;
    c.arn = u->arn;
    return c;
  }

  std::unique_ptr<store::Store> store_;
  crypto::KeyRing ring_;
  Caller root_;
  std::unique_ptr<IamService> iam_;
};

TEST_F(ServiceTest, UsersAndPagination) {
  json u = Ok("CreateUser", {{"UserName", "alice"}, {"Path", "/team/"}});
  EXPECT_EQ(u["User"]["Arn"], "arn:aws:iam::123456789012:user/team/alice");
  for (const char* n : {"b", "c", "d"}) Ok("CreateUser", {{"UserName", n}});
  json page = Ok("ListUsers", {{"MaxItems", 2}});
  ASSERT_EQ(page["Users"].size(), 2u);
  EXPECT_EQ(page["IsTruncated"], true);
  json rest = Ok("ListUsers", {{"Marker", page["Marker"]}});
  EXPECT_EQ(rest["Users"].size(), 2u);
  EXPECT_EQ(rest["IsTruncated"], false);
  EXPECT_THAT(iam_->Call(root_, "CreateUser", {{"UserName", "ALICE"}}), StatusIs(StatusCode::kEntityAlreadyExists));
  EXPECT_THAT(iam_->Call(root_, "GetUser", {{"UserName", "zed"}}), StatusIs(StatusCode::kNoSuchEntity));
  EXPECT_THAT(iam_->Call(root_, "Frobnicate", json::object()), StatusIs(StatusCode::kInvalidAction));
}

TEST_F(ServiceTest, AccessKeysAreSealedAndShownOnce) {
  Ok("CreateUser", {{"UserName", "bob"}});
  json k = Ok("CreateAccessKey", {{"UserName", "bob"}})["AccessKey"];
  std::string id = k["AccessKeyId"], secret = k["SecretAccessKey"];
  EXPECT_EQ(id.size(), 20u);
  EXPECT_EQ(secret.size(), 40u);
  auto stored = store_->GetAccessKey(id);
  ASSERT_THAT(stored, IsOk());
  EXPECT_EQ(stored->sealed_secret.find(secret), std::string::npos);
  auto opened = ring_.Open(stored->sealed_secret, id);
  ASSERT_THAT(opened, IsOk());
  EXPECT_EQ(*opened, secret);
  json list = Ok("ListAccessKeys", {{"UserName", "bob"}});
  EXPECT_FALSE(list["AccessKeyMetadata"][0].contains("SecretAccessKey"));
  EXPECT_THAT(iam_->Call(root_, "DeleteUser", {{"UserName", "bob"}}), StatusIs(StatusCode::kDeleteConflict));
}

TEST_F(ServiceTest, InlinePoliciesAreCheckedAndUrlEncoded) {
  Ok("CreateUser", {{"UserName", "bob"}});
  EXPECT_THAT(iam_->Call(root_, "PutUserPolicy",
                         {{"UserName", "bob"}, {"PolicyName", "p"}, {"PolicyDocument", "{\"Statement\":[]"}}),
              StatusIs(StatusCode::kMalformedPolicyDocument));
  std::string doc = R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:GetUser","Resource":"*"}]})";
  Ok("PutUserPolicy", {{"UserName", "bob"}, {"PolicyName", "p"}, {"PolicyDocument", doc}});
  json got = Ok("GetUserPolicy", {{"UserName", "bob"}, {"PolicyName", "p"}});
  EXPECT_EQ(got["PolicyDocument"], UrlEncodePolicy(doc));
  EXPECT_THAT(std::string(got["PolicyDocument"]), HasSubstr("%7B%22Version%22%3A%222012-10-17%22"));
}

TEST_F(ServiceTest, AuthorizerImplicitDenyThenGroupSelfService) {
  Ok("CreateUser", {{"UserName", "bob"}});
  Ok("CreateUser", {{"UserName", "alice"}, {"Path", "/team/"}});
  Authorizer authz(*store_);
  Caller bob = UserCaller("bob");
  EXPECT_THAT(authz.Authorize(root_, "CreateUser", {{"UserName", "carol"}}), IsOk());
  EXPECT_THAT(authz.Authorize(bob, "CreateUser", {{"UserName", "carol"}}),
              StatusIs(StatusCode::kAccessDenied,
                       "User: arn:aws:iam::123456789012:user/bob is not authorized to perform: iam:CreateUser on "
                       "resource: arn:aws:iam::123456789012:user/carol because no identity-based policy allows "
                       "the iam:CreateUser action"));
  Ok("CreateGroup", {{"GroupName", "devs"}});
  Ok("AddUserToGroup", {{"GroupName", "devs"}, {"UserName", "bob"}});
  Ok("PutGroupPolicy", {{"GroupName", "devs"},
                        {"PolicyName", "self"},
                        {"PolicyDocument", R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow",)"
                                           R"("Action":"iam:GetUser","Resource":"arn:aws:iam::*:user/${aws:username}"}]})"}});
  EXPECT_THAT(authz.Authorize(bob, "GetUser", json::object()), IsOk());
  EXPECT_THAT(authz.Authorize(bob, "GetUser", {{"UserName", "bob"}}), IsOk());
  EXPECT_THAT(authz.Authorize(bob, "GetUser", {{"UserName", "alice"}}),
              StatusIs(StatusCode::kAccessDenied, "on resource: arn:aws:iam::123456789012:user/team/alice"));
  Ok("PutUserPolicy", {{"UserName", "bob"},
                       {"PolicyName", "deny"},
                       {"PolicyDocument", R"({"Version":"2012-10-17","Statement":[{"Effect":"Deny",)"
                                          R"("Action":"iam:*","Resource":"*"}]})"}});
  EXPECT_THAT(authz.Authorize(bob, "GetUser", json::object()),
              StatusIs(StatusCode::kAccessDenied, "with an explicit deny in an identity-based policy"));
}

TEST_F(ServiceTest, MarkersAreOpaqueAndBoundToTheirList) {
  for (const char* n : {"ann", "bob", "cat"}) Ok("CreateUser", {{"UserName", n}});
  json page = Ok("ListUsers", {{"MaxItems", 1}});
  std::string marker = page["Marker"];
  EXPECT_EQ(marker.find("bob"), std::string::npos);
  EXPECT_EQ(Ok("ListUsers", {{"Marker", marker}})["Users"][0]["UserName"], "bob");
  EXPECT_THAT(iam_->Call(root_, "ListGroups", {{"Marker", marker}}),
              StatusIs(StatusCode::kValidationError, "Invalid Marker."));
  EXPECT_THAT(iam_->Call(root_, "ListUsers", {{"Marker", "not a marker!"}}),
              StatusIs(StatusCode::kValidationError, "Invalid Marker."));
  // Lists the store returns whole are paged by the service.
  Ok("CreateAccessKey", {{"UserName", "ann"}});
  Ok("CreateAccessKey", {{"UserName", "ann"}});
  json keys = Ok("ListAccessKeys", {{"UserName", "ann"}, {"MaxItems", 1}});
  ASSERT_EQ(keys["IsTruncated"], true);
  json rest = Ok("ListAccessKeys", {{"UserName", "ann"}, {"Marker", keys["Marker"]}});
  EXPECT_EQ(rest["IsTruncated"], false);
  ASSERT_EQ(rest["AccessKeyMetadata"].size(), 1u);
  EXPECT_NE(rest["AccessKeyMetadata"][0]["AccessKeyId"], keys["AccessKeyMetadata"][0]["AccessKeyId"]);
  Ok("TagUser", {{"UserName", "bob"}, {"Tags", {{{"Key", "a"}, {"Value", "1"}}, {{"Key", "B"}, {"Value", "2"}}}}});
  json tags = Ok("ListUserTags", {{"UserName", "bob"}, {"MaxItems", 1}});
  EXPECT_EQ(tags["Tags"][0]["Key"], "a");
  EXPECT_EQ(Ok("ListUserTags", {{"UserName", "bob"}, {"Marker", tags["Marker"]}})["Tags"][0]["Key"], "B");
}

TEST_F(ServiceTest, AccountAuthorizationDetails) {
  ASSERT_THAT(SeedAwsManagedPolicies(*store_, root_.account_id), IsOk());
  ASSERT_THAT(SeedAwsManagedPolicies(*store_, root_.account_id), IsOk());  // Idempotent.
  std::string doc = R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]})";
  std::string trust = R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":)"
                      R"({"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]})";
  Ok("CreateUser", {{"UserName", "ann"}, {"Tags", {{{"Key", "team"}, {"Value", "x"}}}}});
  Ok("PutUserPolicy", {{"UserName", "ann"}, {"PolicyName", "s3"}, {"PolicyDocument", doc}});
  Ok("CreateGroup", {{"GroupName", "devs"}});
  Ok("AddUserToGroup", {{"GroupName", "devs"}, {"UserName", "ann"}});
  Ok("AttachGroupPolicy", {{"GroupName", "devs"}, {"PolicyArn", "arn:aws:iam::aws:policy/ReadOnlyAccess"}});
  Ok("CreateRole", {{"RoleName", "app"}, {"AssumeRolePolicyDocument", trust}});
  Ok("CreateInstanceProfile", {{"InstanceProfileName", "web"}});
  Ok("AddRoleToInstanceProfile", {{"InstanceProfileName", "web"}, {"RoleName", "app"}});
  std::string local = Ok("CreatePolicy", {{"PolicyName", "mine"}, {"PolicyDocument", doc}})["Policy"]["Arn"];
  Ok("CreatePolicyVersion", {{"PolicyArn", local}, {"PolicyDocument", doc}, {"SetAsDefault", true}});
  Ok("AttachRolePolicy", {{"RoleName", "app"}, {"PolicyArn", local}});

  json all = Ok("GetAccountAuthorizationDetails", json::object());
  ASSERT_EQ(all["UserDetailList"].size(), 1u);
  const json& ann = all["UserDetailList"][0];
  EXPECT_EQ(ann["UserPolicyList"][0]["PolicyDocument"], UrlEncodePolicy(doc));
  EXPECT_EQ(ann["GroupList"], json::array({"devs"}));
  EXPECT_EQ(ann["Tags"][0]["Key"], "team");
  EXPECT_EQ(all["GroupDetailList"][0]["AttachedManagedPolicies"][0]["PolicyName"], "ReadOnlyAccess");
  EXPECT_EQ(all["RoleDetailList"][0]["InstanceProfileList"][0]["InstanceProfileName"], "web");
  EXPECT_EQ(all["RoleDetailList"][0]["AttachedManagedPolicies"][0]["PolicyArn"], local);
  // The local policy and the one AWS managed policy the account uses.
  ASSERT_EQ(all["Policies"].size(), 2u);
  EXPECT_EQ(all["Policies"][0]["PolicyName"], "mine");
  EXPECT_EQ(all["Policies"][0]["PolicyVersionList"].size(), 2u);
  EXPECT_EQ(all["Policies"][0]["PolicyVersionList"][0]["IsDefaultVersion"], true);
  EXPECT_EQ(all["Policies"][1]["PolicyName"], "ReadOnlyAccess");

  json users = Ok("GetAccountAuthorizationDetails", {{"Filter", {"User", "AWSManagedPolicy"}}});
  EXPECT_EQ(users["UserDetailList"].size(), 1u);
  EXPECT_EQ(users["RoleDetailList"].size(), 0u);
  EXPECT_EQ(users["Policies"].size(), 1u);

  size_t seen = 0, pages = 0;
  json in = {{"MaxItems", 2}};
  for (;;) {
    json page = Ok("GetAccountAuthorizationDetails", in);
    ++pages;
    for (const char* list : {"UserDetailList", "GroupDetailList", "RoleDetailList", "Policies"}) seen += page[list].size();
    if (!page["IsTruncated"].get<bool>()) break;
    in["Marker"] = page["Marker"];
  }
  EXPECT_EQ(seen, 5u);
  EXPECT_EQ(pages, 3u);
}

// ---- VerifyMfaCode: the check STS runs on SerialNumber + TokenCode ----

class MfaCheckTest : public ServiceTest {
 protected:
  void SetUp() override {
    ServiceTest::SetUp();
    ASSERT_THAT(store_->CreateUser(kAccount, {.name = "alice"}), IsOk());
    ASSERT_THAT(store_->CreateUser(kAccount, {.name = "bob"}), IsOk());
    serial_ = store::Arn(kAccount, "mfa", "/", "alice");
    store::NewMfaDevice d;
    d.name = "alice";
    d.sealed_seed = ring_.Seal(seed_, serial_).value();
    ASSERT_THAT(store_->CreateVirtualMfaDevice(kAccount, d), IsOk());
  }

  Status Verify(std::string_view user, std::string_view code, int64_t now = kNow) {
    return VerifyMfaCode(*store_, ring_, kAccount, user, serial_, code, now);
  }
  std::string Code(int64_t step) { return auth::TotpCode(seed_, step); }

  static constexpr char kAccount[] = "123456789012";
  static constexpr int64_t kNow = 1700000000;
  std::string seed_ = "0123456789abcdefghij0123456789abcdefghij";
  std::string serial_;
};

TEST_F(MfaCheckTest, DeviceNotEnabledForTheUserIsRefused) {
  const int64_t step = auth::TotpStep(kNow);
  EXPECT_THAT(Verify("alice", Code(step)),
              StatusIs(StatusCode::kAccessDenied, "associated with this user"));
  ASSERT_THAT(store_->EnableMfaDevice(kAccount, "alice", serial_, step - 5), IsOk());
  EXPECT_THAT(Verify("bob", Code(step)), StatusIs(StatusCode::kAccessDenied, "associated with this user"));
  EXPECT_THAT(VerifyMfaCode(*store_, ring_, kAccount, "alice", "arn:aws:iam::123456789012:mfa/nobody", Code(step),
                            kNow),
              StatusIs(StatusCode::kAccessDenied));
}

TEST_F(MfaCheckTest, ACodeWorksOnceAndOlderStepsNeverAgain) {
  const int64_t step = auth::TotpStep(kNow);
  ASSERT_THAT(store_->EnableMfaDevice(kAccount, "alice", serial_, step - 5), IsOk());
  EXPECT_THAT(Verify("alice", "000000x"), StatusIs(StatusCode::kAccessDenied,
                                                   "MultiFactorAuthentication failed with invalid MFA one time pass code."));
  EXPECT_THAT(Verify("alice", Code(step)), IsOk());
  EXPECT_EQ(store_->GetMfaDevice(kAccount, serial_)->last_totp_step, step);
  EXPECT_THAT(Verify("alice", Code(step)), StatusIs(StatusCode::kAccessDenied));      // replay
  EXPECT_THAT(Verify("alice", Code(step - 1)), StatusIs(StatusCode::kAccessDenied));  // older, within drift
  EXPECT_THAT(Verify("alice", Code(step + 1)), IsOk());                               // next step, within drift
  EXPECT_THAT(Verify("alice", Code(step + 3), kNow), StatusIs(StatusCode::kAccessDenied));  // outside drift
  EXPECT_EQ(store_->GetMfaDevice(kAccount, serial_)->last_totp_step, step + 1);             // failures change nothing
}

TEST(RootKeysTest, AddedKeysAreFoundByOtherInstances) {
  char dir[] = "/tmp/iamd-rootkeys-XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  std::string path = std::string(dir) + "/root_keys";
  RootKeys writer(path), reader(path);
  EXPECT_THAT(reader.Find("AKIAAAAAAAAAAAAAAAAA"), StatusIs(StatusCode::kNoSuchEntity));
  ASSERT_THAT(writer.Add({"AKIAAAAAAAAAAAAAAAAA", "123456789012", true, 5, std::string("\x01\x00\xff", 3)}), IsOk());
  auto k = reader.Find("AKIAAAAAAAAAAAAAAAAA");
  ASSERT_THAT(k, IsOk());
  EXPECT_EQ(k->account_id, "123456789012");
  EXPECT_EQ(k->sealed_secret, std::string("\x01\x00\xff", 3));
  std::remove(path.c_str());
  rmdir(dir);
}

}  // namespace
}  // namespace iam::service
