// Conformance: managed policies and versions, AWS managed policies, inline
// policies, attachments, boundaries, tags, and the request-path policy set.
#include "store_fixture.h"

namespace iam::store::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::SizeIs;

std::string Doc(const std::string& action) {
  return R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":")" + action +
         R"(","Resource":"*"}]})";
}

TEST_P(StoreTest, ManagedPolicyVersions) {
  auto p = store_->CreatePolicy(kA, {.name = "S3Read", .path = "/app/", .description = "d", .document = Doc("s3:Get*")});
  ASSERT_THAT(p, IsOk());
  const std::string arn = "arn:aws:iam::111111111111:policy/app/S3Read";
  EXPECT_EQ(p->arn, arn);
  EXPECT_EQ(p->policy_id.substr(0, 4), "ANPA");
  EXPECT_EQ(p->default_version_id, "v1");
  EXPECT_THAT(store_->CreatePolicy(kA, {.name = "s3read", .document = Doc("x")}),
              StatusIs(StatusCode::kEntityAlreadyExists, "A policy called s3read already exists."));
  EXPECT_THAT(store_->GetPolicy(kA, "arn:aws:iam::111111111111:policy/S3Read"), StatusIs(StatusCode::kNoSuchEntity));
  EXPECT_THAT(store_->GetPolicy(kB, arn), StatusIs(StatusCode::kNoSuchEntity));  // Not across accounts.
  EXPECT_THAT(store_->GetPolicy(kA, "not-an-arn"), StatusIs(StatusCode::kValidationError));

  for (int v = 2; v <= 5; ++v) {
    auto ver = store_->CreatePolicyVersion(kA, arn, Doc("s3:v" + std::to_string(v)), v == 3);
    ASSERT_THAT(ver, IsOk());
    EXPECT_EQ(ver->version_id, "v" + std::to_string(v));
  }
  EXPECT_THAT(store_->CreatePolicyVersion(kA, arn, Doc("s3:v6"), false),
              StatusIs(StatusCode::kLimitExceeded, "up to 5 versions"));
  EXPECT_EQ(store_->GetPolicy(kA, arn)->default_version_id, "v3");
  auto versions = store_->ListPolicyVersions(kA, arn);
  ASSERT_THAT(*versions, SizeIs(5));
  EXPECT_EQ((*versions)[0].version_id, "v5");
  EXPECT_TRUE((*versions)[2].is_default);
  EXPECT_EQ(store_->GetPolicyVersion(kA, arn, "v2")->document, Doc("s3:v2"));
  EXPECT_THAT(store_->GetPolicyVersion(kA, arn, "v9"), StatusIs(StatusCode::kNoSuchEntity));
  EXPECT_THAT(store_->DeletePolicyVersion(kA, arn, "v3"),
              StatusIs(StatusCode::kDeleteConflict, "Cannot delete the default version of a policy."));
  ASSERT_THAT(store_->DeletePolicyVersion(kA, arn, "v1"), IsOk());
  // Version ids keep counting; they are never reused.
  EXPECT_EQ(store_->CreatePolicyVersion(kA, arn, Doc("s3:v6"), false)->version_id, "v6");
  ASSERT_THAT(store_->SetDefaultPolicyVersion(kA, arn, "v6"), IsOk());
  EXPECT_THAT(store_->SetDefaultPolicyVersion(kA, arn, "v1"), StatusIs(StatusCode::kNoSuchEntity));
  EXPECT_EQ(store_->GetPolicy(kA, arn)->default_version_id, "v6");

  EXPECT_THAT(store_->DeletePolicy(kA, arn), StatusIs(StatusCode::kDeleteConflict, "more than one version"));
  for (const char* v : {"v2", "v3", "v4", "v5"}) ASSERT_THAT(store_->DeletePolicyVersion(kA, arn, v), IsOk());
  ASSERT_THAT(store_->CreateUser(kA, {.name = "bob"}), IsOk());
  ASSERT_THAT(store_->AttachPolicy(kA, {PrincipalKind::kUser, "bob"}, arn), IsOk());
  EXPECT_EQ(store_->GetPolicy(kA, arn)->attachment_count, 1);
  EXPECT_THAT(store_->DeletePolicy(kA, arn),
              StatusIs(StatusCode::kDeleteConflict, "Cannot delete a policy attached to entities."));
  ASSERT_THAT(store_->DetachPolicy(kA, {PrincipalKind::kUser, "bob"}, arn), IsOk());
  ASSERT_THAT(store_->DeletePolicy(kA, arn), IsOk());
  EXPECT_THAT(store_->GetPolicy(kA, arn), StatusIs(StatusCode::kNoSuchEntity));
}

TEST_P(StoreTest, PolicyLimits) {
  Quotas q;
  q.policies_per_account = 2;
  q.attached_policies_per_user = 2;
  q.managed_policy_size = 100;
  Fresh(q);
  std::string big(101, 'x');
  EXPECT_THAT(store_->CreatePolicy(kA, {.name = "big", .document = big}),
              StatusIs(StatusCode::kLimitExceeded, "PolicySize: 100"));
  // White space does not count, as in AWS.
  std::string spaced = std::string(100, 'x') + std::string(50, ' ') + "\n\t";
  ASSERT_THAT(store_->CreatePolicy(kA, {.name = "p0", .document = spaced}), IsOk());
  ASSERT_THAT(store_->CreatePolicy(kA, {.name = "p1", .document = "{}"}), IsOk());
  EXPECT_THAT(store_->CreatePolicy(kA, {.name = "p2", .document = "{}"}),
              StatusIs(StatusCode::kLimitExceeded, "Cannot exceed quota for PoliciesPerAccount: 2."));
  ASSERT_THAT(store_->SeedAwsManagedPolicy({.name = "ReadOnlyAccess", .document = "{}"}), IsOk());
  ASSERT_THAT(store_->CreateUser(kA, {.name = "bob"}), IsOk());
  PrincipalRef bob{PrincipalKind::kUser, "bob"};
  ASSERT_THAT(store_->AttachPolicy(kA, bob, "arn:aws:iam::111111111111:policy/p0"), IsOk());
  ASSERT_THAT(store_->AttachPolicy(kA, bob, "arn:aws:iam::111111111111:policy/p1"), IsOk());
  ASSERT_THAT(store_->AttachPolicy(kA, bob, "arn:aws:iam::111111111111:policy/p1"), IsOk());  // Idempotent.
  EXPECT_THAT(store_->AttachPolicy(kA, bob, "arn:aws:iam::aws:policy/ReadOnlyAccess"),
              StatusIs(StatusCode::kLimitExceeded, "PoliciesPerUser: 2"));
  EXPECT_THAT(store_->CreatePolicyVersion(kA, "arn:aws:iam::111111111111:policy/p1", big, true),
              StatusIs(StatusCode::kLimitExceeded));
}

TEST_P(StoreTest, AwsManagedPoliciesAreSharedAndUnmodifiable) {
  auto admin = store_->SeedAwsManagedPolicy({.name = "AdministratorAccess", .document = Doc("*")});
  ASSERT_THAT(admin, IsOk());
  EXPECT_EQ(admin->arn, "arn:aws:iam::aws:policy/AdministratorAccess");
  ASSERT_THAT(store_->SeedAwsManagedPolicy({.name = "AdministratorAccess", .document = Doc("*")}), IsOk());
  EXPECT_EQ(store_->GetPolicy(kA, admin->arn)->default_version_id, "v1");  // Re-seeding the same is a no-op.
  ASSERT_THAT(store_->SeedAwsManagedPolicy({.name = "AdministratorAccess", .document = Doc("iam:*")}), IsOk());
  EXPECT_EQ(store_->GetPolicy(kB, admin->arn)->default_version_id, "v2");

  ASSERT_THAT(store_->CreateUser(kA, {.name = "a"}), IsOk());
  ASSERT_THAT(store_->CreateUser(kB, {.name = "b"}), IsOk());
  ASSERT_THAT(store_->AttachPolicy(kA, {PrincipalKind::kUser, "a"}, admin->arn), IsOk());
  ASSERT_THAT(store_->AttachPolicy(kB, {PrincipalKind::kUser, "b"}, admin->arn), IsOk());
  auto ents = store_->ListEntitiesForPolicy(kA, admin->arn);
  ASSERT_THAT(ents, IsOk());
  ASSERT_THAT(ents->users, SizeIs(1));  // Only the caller's account.
  EXPECT_EQ(ents->users[0].name, "a");
  EXPECT_THAT(store_->DeletePolicy(kA, admin->arn), StatusIs(StatusCode::kUnmodifiableEntity));
  EXPECT_THAT(store_->CreatePolicyVersion(kA, admin->arn, "{}", true), StatusIs(StatusCode::kUnmodifiableEntity));
  // A customer policy of another account is not attachable.
  ASSERT_THAT(store_->CreatePolicy(kB, {.name = "mine", .document = "{}"}), IsOk());
  EXPECT_THAT(store_->AttachPolicy(kA, {PrincipalKind::kUser, "a"}, "arn:aws:iam::222222222222:policy/mine"),
              StatusIs(StatusCode::kNoSuchEntity, "does not exist or is not attachable"));

  ASSERT_THAT(store_->CreatePolicy(kA, {.name = "AdministratorAccess", .document = "{}"}), IsOk());
  ASSERT_THAT(store_->CreatePolicy(kA, {.name = "Zeta", .document = "{}"}), IsOk());
  auto names = [&](PolicyListOptions o) {
    std::vector<std::string> out;
    for (;;) {
      auto page = store_->ListPolicies(kA, o);
      EXPECT_THAT(page, IsOk());
      if (!page.ok()) return out;
      for (auto& p : page->items) out.push_back(p.arn);
      if (!page->is_truncated) return out;
      o.marker = page->marker;
    }
  };
  EXPECT_THAT(names({}), ElementsAre("arn:aws:iam::111111111111:policy/AdministratorAccess",
                                     "arn:aws:iam::aws:policy/AdministratorAccess",
                                     "arn:aws:iam::111111111111:policy/Zeta"));
  PolicyListOptions one;
  one.max_items = 1;
  EXPECT_THAT(names(one), SizeIs(3));
  PolicyListOptions aws;
  aws.scope = PolicyScope::kAws;
  EXPECT_THAT(names(aws), ElementsAre("arn:aws:iam::aws:policy/AdministratorAccess"));
  PolicyListOptions local;
  local.scope = PolicyScope::kLocal;
  local.only_attached = true;
  EXPECT_THAT(names(local), SizeIs(0));
}

// AWS managed policies are shared, but their use is counted and filtered per
// account; PolicyUsageFilter tells attachments from boundary uses.
TEST_P(StoreTest, PolicyUseIsPerAccount) {
  const std::string aws = "arn:aws:iam::aws:policy/ReadOnlyAccess";
  const std::string bound = "arn:aws:iam::111111111111:policy/team/bound";
  ASSERT_THAT(store_->SeedAwsManagedPolicy({.name = "ReadOnlyAccess", .document = Doc("s3:Get*")}), IsOk());
  ASSERT_THAT(store_->CreatePolicy(kA, {.name = "bound", .path = "/team/", .document = Doc("s3:*")}), IsOk());
  ASSERT_THAT(store_->CreateUser(kA, {.name = "ann", .path = "/dev/", .permissions_boundary_arn = bound}), IsOk());
  ASSERT_THAT(store_->CreateUser(kA, {.name = "bob"}), IsOk());
  ASSERT_THAT(store_->CreateGroup(kA, {.name = "g"}), IsOk());
  ASSERT_THAT(store_->AttachPolicy(kA, {PrincipalKind::kUser, "bob"}, aws), IsOk());
  ASSERT_THAT(store_->AttachPolicy(kA, {PrincipalKind::kGroup, "g"}, aws), IsOk());
  ASSERT_THAT(store_->AttachPolicy(kA, {PrincipalKind::kUser, "ann"}, bound), IsOk());
  ASSERT_THAT(store_->CreateUser(kB, {.name = "carl"}), IsOk());
  ASSERT_THAT(store_->AttachPolicy(kB, {PrincipalKind::kUser, "carl"}, aws), IsOk());

  EXPECT_EQ(store_->GetPolicy(kA, aws)->attachment_count, 2);
  EXPECT_EQ(store_->GetPolicy(kB, aws)->attachment_count, 1);
  EXPECT_EQ(store_->GetPolicy(kA, bound)->attachment_count, 1);
  EXPECT_EQ(store_->GetPolicy(kA, bound)->permissions_boundary_usage_count, 1);
  auto arns = [this](const std::string& account, PolicyListOptions o) {
    std::vector<std::string> out;
    auto page = store_->ListPolicies(account, o);
    EXPECT_THAT(page, IsOk());
    if (page.ok()) {
      for (auto& p : page->items) out.push_back(p.arn);
    }
    return out;
  };
  PolicyListOptions attached;
  attached.only_attached = true;
  EXPECT_THAT(arns(kA, attached), ElementsAre(bound, aws));
  EXPECT_THAT(arns(kB, attached), ElementsAre(aws));
  ASSERT_THAT(store_->DetachPolicy(kB, {PrincipalKind::kUser, "carl"}, aws), IsOk());
  EXPECT_THAT(arns(kB, attached), SizeIs(0));  // Account A's attachments do not count in B.
  PolicyListOptions boundaries;
  boundaries.usage = PolicyUsage::kPermissionsBoundary;
  EXPECT_THAT(arns(kA, boundaries), ElementsAre(bound));
  ASSERT_THAT(store_->DetachPolicy(kA, {PrincipalKind::kUser, "ann"}, bound), IsOk());
  PolicyListOptions permissions;
  permissions.usage = PolicyUsage::kPermissionsPolicy;
  EXPECT_THAT(arns(kA, permissions), ElementsAre(aws));
  EXPECT_THAT(arns(kA, boundaries), ElementsAre(bound));

  auto entities = store_->ListEntitiesForPolicy(kA, bound);
  ASSERT_THAT(entities, IsOk());
  EXPECT_THAT(entities->users, SizeIs(0));
  ASSERT_THAT(entities->boundary_users, SizeIs(1));
  EXPECT_EQ(entities->boundary_users[0].name, "ann");
  EXPECT_EQ(entities->boundary_users[0].path, "/dev/");
  entities = store_->ListEntitiesForPolicy(kA, aws);
  ASSERT_THAT(entities, IsOk());
  ASSERT_THAT(entities->users, SizeIs(1));
  EXPECT_EQ(entities->users[0].name, "bob");
  EXPECT_EQ(entities->users[0].path, "/");
  EXPECT_THAT(entities->groups, SizeIs(1));
  EXPECT_THAT(entities->boundary_users, SizeIs(0));
}

TEST_P(StoreTest, InlinePoliciesAndSizes) {
  Quotas q;
  q.user_inline_policy_size = 100;
  Fresh(q);
  ASSERT_THAT(store_->CreateUser(kA, {.name = "bob"}), IsOk());
  ASSERT_THAT(store_->CreateGroup(kA, {.name = "g"}), IsOk());
  ASSERT_THAT(store_->CreateRole(kA, {.name = "r", .assume_role_policy_document = "{}"}), IsOk());
  PrincipalRef bob{PrincipalKind::kUser, "bob"};
  ASSERT_THAT(store_->PutInlinePolicy(kA, bob, "one", std::string(60, 'a')), IsOk());
  EXPECT_THAT(store_->PutInlinePolicy(kA, bob, "two", std::string(41, 'b')),
              StatusIs(StatusCode::kLimitExceeded, "Maximum policy size of 100 bytes exceeded for user bob"));
  ASSERT_THAT(store_->PutInlinePolicy(kA, bob, "two", std::string(40, 'b')), IsOk());
  // Replacing counts the new text, not old + new.
  ASSERT_THAT(store_->PutInlinePolicy(kA, bob, "ONE", std::string(60, 'c')), IsOk());
  auto one = store_->GetInlinePolicy(kA, bob, "one");
  ASSERT_THAT(one, IsOk());
  EXPECT_EQ(one->document, std::string(60, 'c'));
  auto names = store_->ListInlinePolicies(kA, bob, {});
  ASSERT_THAT(names->items, SizeIs(2));
  EXPECT_THAT(store_->GetInlinePolicy(kA, bob, "three"),
              StatusIs(StatusCode::kNoSuchEntity, "The user policy with name three cannot be found."));
  ASSERT_THAT(store_->PutInlinePolicy(kA, {PrincipalKind::kRole, "r"}, "p", std::string(5000, 'r')), IsOk());
  ASSERT_THAT(store_->PutInlinePolicy(kA, {PrincipalKind::kGroup, "g"}, "p", "{}"), IsOk());
  EXPECT_THAT(store_->PutInlinePolicy(kA, bob, "bad name", "{}"), StatusIs(StatusCode::kValidationError));
  EXPECT_THAT(store_->PutInlinePolicy(kA, {PrincipalKind::kRole, "nope"}, "p", "{}"), StatusIs(StatusCode::kNoSuchEntity));

  EXPECT_THAT(store_->DeleteUser(kA, "bob"), StatusIs(StatusCode::kDeleteConflict, "must delete policies first"));
  EXPECT_THAT(store_->DeleteRole(kA, "r"), StatusIs(StatusCode::kDeleteConflict, "must delete policies first"));
  EXPECT_THAT(store_->DeleteGroup(kA, "g"), StatusIs(StatusCode::kDeleteConflict, "must delete policies first"));
  ASSERT_THAT(store_->DeleteInlinePolicy(kA, bob, "one"), IsOk());
  ASSERT_THAT(store_->DeleteInlinePolicy(kA, bob, "two"), IsOk());
  EXPECT_THAT(store_->DeleteInlinePolicy(kA, bob, "two"), StatusIs(StatusCode::kNoSuchEntity));
  ASSERT_THAT(store_->DeleteUser(kA, "bob"), IsOk());
}

TEST_P(StoreTest, AttachmentsAndConflicts) {
  ASSERT_THAT(store_->CreatePolicy(kA, {.name = "p", .path = "/x/", .document = "{}"}), IsOk());
  const std::string arn = "arn:aws:iam::111111111111:policy/x/p";
  ASSERT_THAT(store_->CreateGroup(kA, {.name = "g"}), IsOk());
  ASSERT_THAT(store_->CreateRole(kA, {.name = "r", .assume_role_policy_document = "{}"}), IsOk());
  ASSERT_THAT(store_->AttachPolicy(kA, {PrincipalKind::kGroup, "g"}, arn), IsOk());
  ASSERT_THAT(store_->AttachPolicy(kA, {PrincipalKind::kRole, "r"}, arn), IsOk());
  auto listed = store_->ListAttachedPolicies(kA, {PrincipalKind::kGroup, "g"}, {});
  ASSERT_THAT(listed->items, SizeIs(1));
  EXPECT_EQ(listed->items[0].arn, arn);
  EXPECT_THAT(store_->ListAttachedPolicies(kA, {PrincipalKind::kGroup, "g"}, {.path_prefix = "/y/"})->items, SizeIs(0));
  auto ents = store_->ListEntitiesForPolicy(kA, arn);
  EXPECT_THAT(ents->groups, SizeIs(1));
  EXPECT_THAT(ents->roles, SizeIs(1));
  EXPECT_THAT(store_->DeleteGroup(kA, "g"), StatusIs(StatusCode::kDeleteConflict, "must detach all policies first"));
  EXPECT_THAT(store_->DeleteRole(kA, "r"), StatusIs(StatusCode::kDeleteConflict, "must detach all policies first"));
  EXPECT_THAT(store_->AttachPolicy(kA, {PrincipalKind::kRole, "r"}, "arn:aws:iam::111111111111:policy/p"),
              StatusIs(StatusCode::kNoSuchEntity));  // Path is part of the ARN.
  EXPECT_THAT(store_->DetachPolicy(kA, {PrincipalKind::kUser, "nobody"}, arn), StatusIs(StatusCode::kNoSuchEntity));
  ASSERT_THAT(store_->DetachPolicy(kA, {PrincipalKind::kGroup, "g"}, arn), IsOk());
  EXPECT_THAT(store_->DetachPolicy(kA, {PrincipalKind::kGroup, "g"}, arn), StatusIs(StatusCode::kNoSuchEntity));
  ASSERT_THAT(store_->DeleteGroup(kA, "g"), IsOk());
}

TEST_P(StoreTest, PermissionsBoundaries) {
  ASSERT_THAT(store_->CreatePolicy(kA, {.name = "bound", .document = Doc("s3:*")}), IsOk());
  const std::string arn = "arn:aws:iam::111111111111:policy/bound";
  auto u = store_->CreateUser(kA, {.name = "bob", .permissions_boundary_arn = arn});
  ASSERT_THAT(u, IsOk());
  EXPECT_EQ(u->permissions_boundary_arn, arn);
  EXPECT_THAT(store_->CreateUser(kA, {.name = "x", .permissions_boundary_arn = "arn:aws:iam::111111111111:policy/none"}),
              StatusIs(StatusCode::kNoSuchEntity));
  ASSERT_THAT(store_->CreateRole(kA, {.name = "r", .assume_role_policy_document = "{}"}), IsOk());
  ASSERT_THAT(store_->PutPermissionsBoundary(kA, {PrincipalKind::kRole, "r"}, arn), IsOk());
  EXPECT_EQ(store_->GetRole(kA, "r")->permissions_boundary_arn, arn);
  EXPECT_EQ(store_->GetPolicy(kA, arn)->permissions_boundary_usage_count, 2);
  EXPECT_THAT(store_->PutPermissionsBoundary(kA, {PrincipalKind::kGroup, "g"}, arn), StatusIs(StatusCode::kInvalidInput));
  EXPECT_THAT(store_->DeletePolicy(kA, arn), StatusIs(StatusCode::kDeleteConflict));
  ASSERT_THAT(store_->DeletePermissionsBoundary(kA, {PrincipalKind::kUser, "bob"}), IsOk());
  ASSERT_THAT(store_->DeletePermissionsBoundary(kA, {PrincipalKind::kRole, "r"}), IsOk());
  EXPECT_EQ(store_->GetUser(kA, "bob")->permissions_boundary_arn, "");
  ASSERT_THAT(store_->DeletePolicy(kA, arn), IsOk());
}

TEST_P(StoreTest, Tags) {
  ASSERT_THAT(store_->CreateRole(kA, {.name = "r", .assume_role_policy_document = "{}", .tags = {{"a", "1"}}}), IsOk());
  TagTarget role{TaggableKind::kRole, "r"};
  ASSERT_THAT(store_->TagResource(kA, role, {{"B", "2"}, {"A", "one"}}), IsOk());
  // Keys compare case-insensitively; the latest spelling and value win.
  EXPECT_EQ(*store_->ListTags(kA, role), (std::vector<Tag>{{"A", "one"}, {"B", "2"}}));
  ASSERT_THAT(store_->UntagResource(kA, role, {"a", "missing"}), IsOk());
  EXPECT_EQ(*store_->ListTags(kA, role), (std::vector<Tag>{{"B", "2"}}));
  EXPECT_THAT(store_->TagResource(kA, {TaggableKind::kUser, "nobody"}, {{"k", "v"}}), StatusIs(StatusCode::kNoSuchEntity));
  EXPECT_THAT(store_->TagResource(kA, role, {{"", "v"}}), StatusIs(StatusCode::kValidationError));
  EXPECT_THAT(store_->TagResource(kA, role, {{"k", std::string(257, 'v')}}), StatusIs(StatusCode::kValidationError));
  EXPECT_THAT(store_->TagResource(kA, role, {{"k!", "v"}}), StatusIs(StatusCode::kValidationError));
  EXPECT_THAT(store_->TagResource(kA, role, {{"k", "1"}, {"K", "2"}}), StatusIs(StatusCode::kInvalidInput));

  std::vector<Tag> many;
  for (int i = 0; i < 49; ++i) many.push_back({"k" + std::to_string(i), ""});
  ASSERT_THAT(store_->TagResource(kA, role, many), IsOk());  // 50 with B.
  EXPECT_THAT(store_->TagResource(kA, role, {{"one-more", "x"}}), StatusIs(StatusCode::kLimitExceeded));
  EXPECT_THAT(*store_->ListTags(kA, role), SizeIs(50));  // Unchanged by the failed call.
  ASSERT_THAT(store_->TagResource(kA, role, {{"K1", "overwrite"}}), IsOk());  // Overwrites are fine at 50.

  ASSERT_THAT(store_->CreatePolicy(kA, {.name = "p", .document = "{}", .tags = {{"x", "y"}}}), IsOk());
  EXPECT_THAT(*store_->ListTags(kA, {TaggableKind::kPolicy, "arn:aws:iam::111111111111:policy/p"}), SizeIs(1));
  ASSERT_THAT(store_->CreateInstanceProfile(kA, {.name = "ip", .tags = {{"x", "y"}}}), IsOk());
  EXPECT_THAT(*store_->ListTags(kA, {TaggableKind::kInstanceProfile, "ip"}), SizeIs(1));
  // Keys compare case-insensitively: a write in another case overwrites
  // (keeping the new case), and an untag in any case removes.
  TagTarget ip{TaggableKind::kInstanceProfile, "ip"};
  ASSERT_THAT(store_->TagResource(kA, ip, {{"Env", "prod"}}), IsOk());
  ASSERT_THAT(store_->TagResource(kA, ip, {{"ENV", "test"}}), IsOk());
  EXPECT_EQ(*store_->ListTags(kA, ip), (std::vector<Tag>{{"ENV", "test"}, {"x", "y"}}));
  ASSERT_THAT(store_->UntagResource(kA, ip, {"env", "X"}), IsOk());
  EXPECT_THAT(*store_->ListTags(kA, ip), SizeIs(0));
  EXPECT_THAT(store_->TagResource(kA, {TaggableKind::kInstanceProfile, "nope"}, {{"k", "v"}}),
              StatusIs(StatusCode::kNoSuchEntity));
  // Tags go with their entity.
  ASSERT_THAT(store_->DeleteRole(kA, "r"), IsOk());
  ASSERT_THAT(store_->CreateRole(kA, {.name = "r", .assume_role_policy_document = "{}"}), IsOk());
  EXPECT_THAT(*store_->ListTags(kA, role), SizeIs(0));
}

TEST_P(StoreTest, PolicySetOfUserAndRole) {
  ASSERT_THAT(store_->SeedAwsManagedPolicy({.name = "ReadOnlyAccess", .document = Doc("*:Get*")}), IsOk());
  ASSERT_THAT(store_->CreatePolicy(kA, {.name = "m1", .document = Doc("m1:v1")}), IsOk());
  ASSERT_THAT(store_->CreatePolicyVersion(kA, "arn:aws:iam::111111111111:policy/m1", Doc("m1:v2"), true), IsOk());
  ASSERT_THAT(store_->CreatePolicy(kA, {.name = "gm", .document = Doc("gm")}), IsOk());
  ASSERT_THAT(store_->CreatePolicy(kA, {.name = "bound", .document = Doc("bound")}), IsOk());
  ASSERT_THAT(store_->CreateUser(kA, {.name = "bob", .permissions_boundary_arn = "arn:aws:iam::111111111111:policy/bound",
                                      .tags = {{"team", "red"}}}), IsOk());
  PrincipalRef bob{PrincipalKind::kUser, "bob"};
  ASSERT_THAT(store_->PutInlinePolicy(kA, bob, "inl", Doc("inl")), IsOk());
  ASSERT_THAT(store_->AttachPolicy(kA, bob, "arn:aws:iam::111111111111:policy/m1"), IsOk());
  ASSERT_THAT(store_->AttachPolicy(kA, bob, "arn:aws:iam::aws:policy/ReadOnlyAccess"), IsOk());
  ASSERT_THAT(store_->CreateGroup(kA, {.name = "devs"}), IsOk());
  ASSERT_THAT(store_->AddUserToGroup(kA, "devs", "bob"), IsOk());
  ASSERT_THAT(store_->PutInlinePolicy(kA, {PrincipalKind::kGroup, "devs"}, "ginl", Doc("ginl")), IsOk());
  ASSERT_THAT(store_->AttachPolicy(kA, {PrincipalKind::kGroup, "devs"}, "arn:aws:iam::111111111111:policy/gm"), IsOk());

  auto set = store_->GetPolicySet(kA, bob);
  ASSERT_THAT(set, IsOk());
  EXPECT_EQ(set->principal_arn, "arn:aws:iam::111111111111:user/bob");
  EXPECT_EQ(set->tags, (std::vector<Tag>{{"team", "red"}}));
  std::vector<std::string> docs;
  for (auto& p : set->policies) docs.push_back(p.document);
  EXPECT_THAT(docs, ElementsAre(Doc("inl"), Doc("m1:v2"), Doc("*:Get*"), Doc("ginl"), Doc("gm")));
  EXPECT_EQ(set->policies[2].arn, "arn:aws:iam::aws:policy/ReadOnlyAccess");
  EXPECT_EQ(set->policies[3].via_group, "devs");
  EXPECT_EQ(set->policies[4].source, SourcedPolicy::Source::kGroupManaged);
  ASSERT_TRUE(set->permissions_boundary.has_value());
  EXPECT_EQ(set->permissions_boundary->document, Doc("bound"));

  ASSERT_THAT(store_->CreateRole(kA, {.name = "r", .assume_role_policy_document = "{}"}), IsOk());
  ASSERT_THAT(store_->PutInlinePolicy(kA, {PrincipalKind::kRole, "r"}, "ri", Doc("ri")), IsOk());
  auto rset = store_->GetPolicySet(kA, {PrincipalKind::kRole, "r"});
  ASSERT_THAT(rset, IsOk());
  ASSERT_THAT(rset->policies, SizeIs(1));
  EXPECT_FALSE(rset->permissions_boundary.has_value());
  EXPECT_THAT(store_->GetPolicySet(kA, {PrincipalKind::kGroup, "devs"}), StatusIs(StatusCode::kInvalidInput));
  EXPECT_THAT(store_->GetPolicySet(kA, {PrincipalKind::kUser, "nobody"}), StatusIs(StatusCode::kNoSuchEntity));
}

}  // namespace
}  // namespace iam::store::testing
