// The IAM service layer and the authorizer over an in-memory store.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdio>
#include <ctime>
#include <fstream>
#include <optional>
#include <string>

#include "auth/totp.h"
#include "common/status_matchers.h"
#include "crypto/base64.h"
#include "service/authz/authorizer.h"
#include "service/iam/aws_managed.h"
#include "service/iam/iam_service.h"
#include "service/iam/mfa_check.h"
#include "service/iam/root_keys.h"
#include "service/service_fixture.h"
#include "store/ids.h"
#include "store/open_store.h"

namespace iam::service {
namespace {

using ::iam::testing::IsOk;
using ::iam::testing::StatusIs;
using ::testing::HasSubstr;
using nlohmann::json;

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

// ---- MFA devices and identity providers (mfa_ops.cc, provider_ops.cc, saml_provider_ops.cc) ----

std::string SeedOf(const json& device) {
  std::optional<std::string> base32 = crypto::Base64Decode(device["Base32StringSeed"].get<std::string>());
  std::optional<std::string> seed = base32 ? auth::Base32Decode(*base32) : std::nullopt;
  return seed.value_or("");
}

int64_t StepNow() { return auth::TotpStep(std::time(nullptr)); }

TEST_F(ServiceTest, VirtualMfaDeviceLifecycle) {
  Ok("CreateUser", {{"UserName", "alice"}});
  json d = Ok("CreateVirtualMFADevice", {{"VirtualMFADeviceName", "alice"}, {"Path", "/staff/"}})["VirtualMFADevice"];
  const std::string serial = "arn:aws:iam::123456789012:mfa/staff/alice";
  EXPECT_EQ(d["SerialNumber"], serial);
  const std::string seed = SeedOf(d);
  ASSERT_EQ(seed.size(), 20u);
  std::optional<std::string> png = crypto::Base64Decode(d["QRCodePNG"].get<std::string>());
  ASSERT_TRUE(png.has_value());
  EXPECT_EQ(png->substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  // The seed is sealed at rest: the store holds no copy of it.
  auto stored = store_->GetMfaDevice("123456789012", serial);
  ASSERT_THAT(stored, IsOk());
  EXPECT_EQ(stored->sealed_seed.find(seed), std::string::npos);

  const int64_t s = StepNow();
  auto enable = [&](int64_t a, int64_t b) {
    return iam_->Call(root_, "EnableMFADevice",
                      {{"UserName", "alice"}, {"SerialNumber", serial},
                       {"AuthenticationCode1", auth::TotpCode(seed, a)}, {"AuthenticationCode2", auth::TotpCode(seed, b)}});
  };
  EXPECT_THAT(enable(s, s), StatusIs(StatusCode::kInvalidAuthenticationCode, "Authentication code for device is not valid."));
  EXPECT_THAT(enable(s - 30, s - 29), StatusIs(StatusCode::kInvalidAuthenticationCode));  // far outside the window
  EXPECT_THAT(enable(s - 1, s), IsOk());
  EXPECT_THAT(enable(s + 1, s + 2), StatusIs(StatusCode::kEntityAlreadyExists));
  json listed = Ok("ListMFADevices", {{"UserName", "alice"}});
  ASSERT_EQ(listed["MFADevices"].size(), 1u);
  EXPECT_EQ(listed["MFADevices"][0]["SerialNumber"], serial);
  json assigned = Ok("ListVirtualMFADevices", {{"AssignmentStatus", "Assigned"}});
  ASSERT_EQ(assigned["VirtualMFADevices"].size(), 1u);
  EXPECT_EQ(assigned["VirtualMFADevices"][0]["User"]["UserName"], "alice");
  EXPECT_EQ(Ok("ListVirtualMFADevices", {{"AssignmentStatus", "Unassigned"}})["VirtualMFADevices"].size(), 0u);

  auto resync = [&](int64_t a, int64_t b) {
    return iam_->Call(root_, "ResyncMFADevice",
                      {{"UserName", "alice"}, {"SerialNumber", serial},
                       {"AuthenticationCode1", auth::TotpCode(seed, a)}, {"AuthenticationCode2", auth::TotpCode(seed, b)}});
  };
  EXPECT_THAT(resync(s - 1, s), StatusIs(StatusCode::kInvalidAuthenticationCode));  // spent by enabling
  EXPECT_THAT(resync(s + 3, s + 4), IsOk());
  EXPECT_THAT(resync(s + 3, s + 4), StatusIs(StatusCode::kInvalidAuthenticationCode));
  EXPECT_EQ(store_->GetMfaDevice("123456789012", serial)->last_totp_step, s + 4);

  EXPECT_THAT(iam_->Call(root_, "DeleteVirtualMFADevice", {{"SerialNumber", serial}}),
              StatusIs(StatusCode::kDeleteConflict));
  Ok("DeactivateMFADevice", {{"UserName", "alice"}, {"SerialNumber", serial}});
  EXPECT_THAT(iam_->Call(root_, "DeactivateMFADevice", {{"UserName", "alice"}, {"SerialNumber", serial}}),
              StatusIs(StatusCode::kNoSuchEntity));
  Ok("DeleteVirtualMFADevice", {{"SerialNumber", serial}});
  EXPECT_THAT(iam_->Call(root_, "DeleteVirtualMFADevice", {{"SerialNumber", serial}}),
              StatusIs(StatusCode::kNoSuchEntity));
}

TEST_F(ServiceTest, VirtualMfaDevicesPageByMarker) {
  for (const char* n : {"a", "b", "c", "d", "e"}) Ok("CreateVirtualMFADevice", {{"VirtualMFADeviceName", n}});
  std::vector<std::string> seen;
  json page = Ok("ListVirtualMFADevices", {{"MaxItems", 2}});
  for (;;) {
    for (const json& d : page["VirtualMFADevices"]) seen.push_back(d["SerialNumber"]);
    if (!page["IsTruncated"].get<bool>()) break;
    EXPECT_EQ(page["VirtualMFADevices"].size(), 2u);
    page = Ok("ListVirtualMFADevices", {{"MaxItems", 2}, {"Marker", page["Marker"]}});
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"arn:aws:iam::123456789012:mfa/a", "arn:aws:iam::123456789012:mfa/b",
                                            "arn:aws:iam::123456789012:mfa/c", "arn:aws:iam::123456789012:mfa/d",
                                            "arn:aws:iam::123456789012:mfa/e"}));
}

TEST_F(ServiceTest, MfaAndProviderOperationsAreAuthorizedOnTheirArns) {
  Ok("CreateUser", {{"UserName", "bob"}});
  Ok("PutUserPolicy", {{"UserName", "bob"},
                       {"PolicyName", "own-mfa"},
                       {"PolicyDocument", R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow",)"
                                          R"("Action":["iam:CreateVirtualMFADevice","iam:EnableMFADevice"],)"
                                          R"("Resource":["arn:aws:iam::*:mfa/${aws:username}",)"
                                          R"("arn:aws:iam::*:user/${aws:username}"]}]})"}});
  Authorizer authz(*store_);
  Caller bob = UserCaller("bob");
  EXPECT_THAT(authz.Authorize(bob, "CreateVirtualMFADevice", {{"VirtualMFADeviceName", "bob"}}), IsOk());
  EXPECT_THAT(authz.Authorize(bob, "CreateVirtualMFADevice", {{"VirtualMFADeviceName", "carol"}}),
              StatusIs(StatusCode::kAccessDenied, "on resource: arn:aws:iam::123456789012:mfa/carol"));
  EXPECT_THAT(authz.Authorize(bob, "EnableMFADevice", {{"UserName", "bob"}, {"SerialNumber", "x"}}), IsOk());
  EXPECT_THAT(authz.Authorize(bob, "EnableMFADevice", {{"UserName", "alice"}, {"SerialNumber", "x"}}),
              StatusIs(StatusCode::kAccessDenied, "on resource: arn:aws:iam::123456789012:user/alice"));
  EXPECT_THAT(authz.Authorize(bob, "DeleteOpenIDConnectProvider",
                              {{"OpenIDConnectProviderArn", "arn:aws:iam::123456789012:oidc-provider/idp.test"}}),
              StatusIs(StatusCode::kAccessDenied, "resource: arn:aws:iam::123456789012:oidc-provider/idp.test"));
  EXPECT_THAT(authz.Authorize(bob, "CreateOpenIDConnectProvider", {{"Url", "https://idp.test/x/"}}),
              StatusIs(StatusCode::kAccessDenied, "resource: arn:aws:iam::123456789012:oidc-provider/idp.test/x"));
  EXPECT_THAT(authz.Authorize(bob, "CreateSAMLProvider", {{"Name", "corp"}}),
              StatusIs(StatusCode::kAccessDenied, "resource: arn:aws:iam::123456789012:saml-provider/corp"));
}

TEST_F(ServiceTest, OpenIdConnectProviders) {
  json created = Ok("CreateOpenIDConnectProvider", {{"Url", "https://idp.test/realm"},
                                                    {"ClientIDList", {"app-1"}},
                                                    {"ThumbprintList", {std::string(40, 'a')}}});
  const std::string arn = "arn:aws:iam::123456789012:oidc-provider/idp.test/realm";
  EXPECT_EQ(created["OpenIDConnectProviderArn"], arn);
  Ok("AddClientIDToOpenIDConnectProvider", {{"OpenIDConnectProviderArn", arn}, {"ClientID", "app-2"}});
  Ok("AddClientIDToOpenIDConnectProvider", {{"OpenIDConnectProviderArn", arn}, {"ClientID", "app-2"}});
  Ok("RemoveClientIDFromOpenIDConnectProvider", {{"OpenIDConnectProviderArn", arn}, {"ClientID", "app-1"}});
  Ok("RemoveClientIDFromOpenIDConnectProvider", {{"OpenIDConnectProviderArn", arn}, {"ClientID", "absent"}});
  Ok("UpdateOpenIDConnectProviderThumbprint", {{"OpenIDConnectProviderArn", arn},
                                               {"ThumbprintList", {std::string(40, 'b')}}});
  json got = Ok("GetOpenIDConnectProvider", {{"OpenIDConnectProviderArn", arn}});
  EXPECT_EQ(got["Url"], "idp.test/realm");
  EXPECT_EQ(got["ClientIDList"], json({"app-2"}));
  EXPECT_EQ(got["ThumbprintList"], json({std::string(40, 'b')}));
  EXPECT_EQ(Ok("ListOpenIDConnectProviders", json::object())["OpenIDConnectProviderList"], json({{{"Arn", arn}}}));
  Ok("DeleteOpenIDConnectProvider", {{"OpenIDConnectProviderArn", arn}});
  EXPECT_THAT(iam_->Call(root_, "GetOpenIDConnectProvider", {{"OpenIDConnectProviderArn", arn}}),
              StatusIs(StatusCode::kNoSuchEntity));
}

TEST(RootKeysTest, AddedKeysAreFoundByOtherInstances) {
  auto store = store::OpenStore({}).value();
  ASSERT_THAT(store->CreateAccount("123456789012", ""), IsOk());
  RootKeys writer(*store), reader(*store);
  EXPECT_THAT(reader.Find("AKIAAAAAAAAAAAAAAAAA"), StatusIs(StatusCode::kNoSuchEntity));
  ASSERT_THAT(writer.Add({"AKIAAAAAAAAAAAAAAAAA", "123456789012", true, 5, std::string("\x01\x00\xff", 3)}), IsOk());
  EXPECT_THAT(writer.Add({"AKIAAAAAAAAAAAAAAAAA", "123456789012", true, 5, "x"}),
              StatusIs(StatusCode::kEntityAlreadyExists));
  auto k = reader.Find("AKIAAAAAAAAAAAAAAAAA");
  ASSERT_THAT(k, IsOk());
  EXPECT_EQ(k->account_id, "123456789012");
  EXPECT_EQ(k->create_date, 5);
  EXPECT_TRUE(k->active);
  EXPECT_EQ(k->sealed_secret, std::string("\x01\x00\xff", 3));
}

// An older iamd's DIR/root_keys file moves into the store once.
TEST(RootKeysTest, ImportsALegacyFileOnce) {
  char dir[] = "/tmp/iamd-rootkeys-XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  std::string path = std::string(dir) + "/root_keys";
  {
    std::ofstream out(path);
    out << "AKIABBBBBBBBBBBBBBBB 123456789012 Active 7 01ff00\n"
        << "AKIACCCCCCCCCCCCCCCC 123456789012 Inactive 8 02\n";
  }
  auto store = store::OpenStore({}).value();
  ASSERT_THAT(store->CreateAccount("123456789012", ""), IsOk());
  ASSERT_THAT(ImportRootKeysFile(*store, path), IsOk());
  RootKeys keys(*store);
  auto b = keys.Find("AKIABBBBBBBBBBBBBBBB");
  ASSERT_THAT(b, IsOk());
  EXPECT_EQ(b->sealed_secret, std::string("\x01\xff\x00", 3));
  EXPECT_EQ(b->create_date, 7);
  auto c = keys.Find("AKIACCCCCCCCCCCCCCCC");
  ASSERT_THAT(c, IsOk());
  EXPECT_FALSE(c->active);
  EXPECT_NE(::access(path.c_str(), F_OK), 0);  // renamed: not read again
  EXPECT_EQ(::access((path + ".imported").c_str(), F_OK), 0);
  EXPECT_THAT(ImportRootKeysFile(*store, path), IsOk());  // no file: nothing to do
  std::remove((path + ".imported").c_str());
  rmdir(dir);
}

}  // namespace
}  // namespace iam::service
