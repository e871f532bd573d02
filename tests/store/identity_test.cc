// Conformance: accounts, users, groups, memberships, roles, instance profiles.
#include "store/ids.h"
#include "store_fixture.h"

namespace iam::store::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::SizeIs;

std::vector<std::string> Names(const auto& items) {
  std::vector<std::string> out;
  for (const auto& i : items) out.push_back(i.name);
  return out;
}

TEST_P(StoreTest, Accounts) {
  auto accounts = store_->ListAccounts();
  ASSERT_THAT(accounts, IsOk());
  ASSERT_THAT(*accounts, SizeIs(2));
  EXPECT_EQ((*accounts)[0].account_id, kA);
  EXPECT_THAT(store_->CreateAccount(kA, ""), StatusIs(StatusCode::kEntityAlreadyExists));
  EXPECT_THAT(store_->CreateAccount("12345", ""), StatusIs(StatusCode::kValidationError));
  auto drawn = store_->CreateAccount("", "my-corp");
  ASSERT_THAT(drawn, IsOk());
  EXPECT_EQ(drawn->account_id.size(), 12u);
  EXPECT_EQ(store_->GetAccount(drawn->account_id)->alias, "my-corp");
  EXPECT_THAT(store_->SetAccountAlias(kA, "my-corp"), StatusIs(StatusCode::kEntityAlreadyExists));
  EXPECT_THAT(store_->SetAccountAlias(kA, "Bad_Alias"), StatusIs(StatusCode::kValidationError));
  EXPECT_THAT(store_->SetAccountAlias(kA, "a-corp"), IsOk());
  EXPECT_EQ(store_->GetAccount(kA)->alias, "a-corp");
  EXPECT_THAT(store_->SetAccountAlias(kA, ""), IsOk());
  EXPECT_EQ(store_->GetAccount(kA)->alias, "");
  EXPECT_THAT(store_->GetAccount("999999999999"), StatusIs(StatusCode::kNoSuchEntity));
  EXPECT_THAT(store_->GetAccount("aws"), StatusIs(StatusCode::kNoSuchEntity));
  EXPECT_THAT(store_->CreateUser("999999999999", {.name = "bob"}), StatusIs(StatusCode::kNoSuchEntity));
}

TEST_P(StoreTest, PasswordPolicy) {
  EXPECT_THAT(store_->GetPasswordPolicy(kA),
              StatusIs(StatusCode::kNoSuchEntity, "The Password Policy with domain name 111111111111"));
  PasswordPolicy p{.minimum_password_length = 14, .require_symbols = true, .max_password_age = 90};
  ASSERT_THAT(store_->PutPasswordPolicy(kA, p), IsOk());
  EXPECT_EQ(*store_->GetPasswordPolicy(kA), p);
  EXPECT_THAT(store_->GetPasswordPolicy(kB), StatusIs(StatusCode::kNoSuchEntity));
  EXPECT_THAT(store_->PutPasswordPolicy(kA, {.minimum_password_length = 5}),
              StatusIs(StatusCode::kValidationError));
  EXPECT_EQ(store_->GetPasswordPolicy(kA)->minimum_password_length, 14);
  ASSERT_THAT(store_->DeletePasswordPolicy(kA), IsOk());
  EXPECT_THAT(store_->DeletePasswordPolicy(kA), StatusIs(StatusCode::kNoSuchEntity));
}

TEST_P(StoreTest, UserLifecycle) {
  auto u = store_->CreateUser(kA, {.name = "Bob", .path = "/dev/", .tags = {{"team", "db"}}});
  ASSERT_THAT(u, IsOk());
  EXPECT_EQ(u->arn, "arn:aws:iam::111111111111:user/dev/Bob");
  EXPECT_EQ(u->user_id.size(), 21u);
  EXPECT_EQ(u->user_id.substr(0, 4), "AIDA");
  EXPECT_EQ(u->create_date, 1700000000);
  EXPECT_EQ(u->tags, (std::vector<Tag>{{"team", "db"}}));

  // Names are unique case-insensitively, per account.
  EXPECT_THAT(store_->CreateUser(kA, {.name = "bob"}),
              StatusIs(StatusCode::kEntityAlreadyExists, "User with name bob already exists."));
  EXPECT_THAT(store_->CreateUser(kB, {.name = "bob"}), IsOk());
  auto got = store_->GetUser(kA, "BOB");
  ASSERT_THAT(got, IsOk());
  EXPECT_EQ(got->name, "Bob");
  EXPECT_EQ(got->user_id, u->user_id);
  EXPECT_THAT(store_->GetUser(kA, "alice"),
              StatusIs(StatusCode::kNoSuchEntity, "The user with name alice cannot be found."));

  // Bad names and paths.
  EXPECT_THAT(store_->CreateUser(kA, {.name = "a b"}), StatusIs(StatusCode::kValidationError, "[\\w+=,.@-]+"));
  EXPECT_THAT(store_->CreateUser(kA, {.name = ""}), StatusIs(StatusCode::kValidationError));
  EXPECT_THAT(store_->CreateUser(kA, {.name = std::string(65, 'x')}), StatusIs(StatusCode::kValidationError));
  EXPECT_THAT(store_->CreateUser(kA, {.name = std::string(64, 'x')}), IsOk());
  EXPECT_THAT(store_->CreateUser(kA, {.name = "p", .path = "dev/"}), StatusIs(StatusCode::kValidationError));
  EXPECT_THAT(store_->CreateUser(kA, {.name = "p", .path = "/dev"}), StatusIs(StatusCode::kValidationError));
  EXPECT_THAT(store_->CreateUser(kA, {.name = "p", .tags = {{"aws:x", "1"}}}), StatusIs(StatusCode::kInvalidInput));
  EXPECT_THAT(store_->GetUser(kA, "p"), StatusIs(StatusCode::kNoSuchEntity));  // Store unchanged.

  // Rename and move.
  ASSERT_THAT(store_->CreateUser(kA, {.name = "carol"}), IsOk());
  EXPECT_THAT(store_->UpdateUser(kA, "bob", {.new_name = "CAROL"}), StatusIs(StatusCode::kEntityAlreadyExists));
  ASSERT_THAT(store_->UpdateUser(kA, "bob", {.new_name = "BOBBY", .new_path = "/ops/"}), IsOk());
  EXPECT_THAT(store_->GetUser(kA, "bob"), StatusIs(StatusCode::kNoSuchEntity));
  EXPECT_EQ(store_->GetUser(kA, "bobby")->arn, "arn:aws:iam::111111111111:user/ops/BOBBY");
  EXPECT_EQ(store_->GetUser(kA, "bobby")->tags.size(), 1u);

  ASSERT_THAT(store_->DeleteUser(kA, "bobby"), IsOk());
  EXPECT_THAT(store_->DeleteUser(kA, "bobby"), StatusIs(StatusCode::kNoSuchEntity));
  EXPECT_THAT(store_->GetUser(kB, "bob"), IsOk());
}

TEST_P(StoreTest, ListUsersOrderPrefixAndPagination) {
  for (const char* n : {"delta", "Alpha", "charlie", "bravo", "echo"}) {
    ASSERT_THAT(store_->CreateUser(kA, {.name = n, .path = n[0] == 'e' ? "/x/y/" : "/x/"}), IsOk());
  }
  ASSERT_THAT(store_->CreateUser(kA, {.name = "zulu"}), IsOk());
  auto all = store_->ListUsers(kA, {});
  ASSERT_THAT(all, IsOk());
  EXPECT_THAT(Names(all->items), ElementsAre("Alpha", "bravo", "charlie", "delta", "echo", "zulu"));
  EXPECT_FALSE(all->is_truncated);

  auto x = store_->ListUsers(kA, {.path_prefix = "/x/y"});
  EXPECT_THAT(Names(x->items), ElementsAre("echo"));

  std::vector<std::string> seen;
  ListOptions o{.path_prefix = "/x/", .max_items = 2};
  for (int pages = 0;; ++pages) {
    ASSERT_LT(pages, 10);
    auto page = store_->ListUsers(kA, o);
    ASSERT_THAT(page, IsOk());
    EXPECT_LE(page->items.size(), 2u);
    for (auto& u : page->items) seen.push_back(u.name);
    if (!page->is_truncated) break;
    o.marker = page->marker;
  }
  EXPECT_THAT(seen, ElementsAre("Alpha", "bravo", "charlie", "delta", "echo"));
  EXPECT_THAT(store_->ListUsers(kA, {.max_items = 0}), StatusIs(StatusCode::kValidationError));
  EXPECT_THAT(store_->ListUsers(kA, {.max_items = 1001}), StatusIs(StatusCode::kValidationError));
  EXPECT_THAT(store_->ListUsers(kA, {.path_prefix = "x"}), StatusIs(StatusCode::kValidationError));
  EXPECT_THAT(store_->ListUsers(kB, {})->items, SizeIs(0));
}

TEST_P(StoreTest, GroupsAndMembership) {
  auto g = store_->CreateGroup(kA, {.name = "Admins", .path = "/ops/"});
  ASSERT_THAT(g, IsOk());
  EXPECT_EQ(g->arn, "arn:aws:iam::111111111111:group/ops/Admins");
  EXPECT_EQ(g->group_id.substr(0, 4), "AGPA");
  EXPECT_THAT(store_->CreateGroup(kA, {.name = "admins"}),
              StatusIs(StatusCode::kEntityAlreadyExists, "Group with name admins already exists."));
  EXPECT_THAT(store_->GetGroup(kA, "devs"),
              StatusIs(StatusCode::kNoSuchEntity, "The group with name devs cannot be found."));
  ASSERT_THAT(store_->CreateGroup(kA, {.name = "devs"}), IsOk());
  ASSERT_THAT(store_->CreateUser(kA, {.name = "bob"}), IsOk());
  ASSERT_THAT(store_->CreateUser(kA, {.name = "alice"}), IsOk());

  ASSERT_THAT(store_->AddUserToGroup(kA, "admins", "bob"), IsOk());
  ASSERT_THAT(store_->AddUserToGroup(kA, "admins", "bob"), IsOk());  // Idempotent.
  ASSERT_THAT(store_->AddUserToGroup(kA, "admins", "alice"), IsOk());
  ASSERT_THAT(store_->AddUserToGroup(kA, "devs", "bob"), IsOk());
  EXPECT_THAT(store_->AddUserToGroup(kA, "nope", "bob"), StatusIs(StatusCode::kNoSuchEntity));
  EXPECT_THAT(store_->AddUserToGroup(kA, "devs", "nope"), StatusIs(StatusCode::kNoSuchEntity));
  EXPECT_THAT(store_->AddUserToGroup(kB, "devs", "bob"), StatusIs(StatusCode::kNoSuchEntity));

  EXPECT_THAT(Names(store_->ListGroupMembers(kA, "admins", {})->items), ElementsAre("alice", "bob"));
  EXPECT_THAT(Names(store_->ListGroupsForUser(kA, "bob", {})->items), ElementsAre("Admins", "devs"));
  auto page = store_->ListGroupsForUser(kA, "bob", {.max_items = 1});
  EXPECT_TRUE(page->is_truncated);
  EXPECT_THAT(Names(store_->ListGroups(kA, {.path_prefix = "/ops/"})->items), ElementsAre("Admins"));

  EXPECT_THAT(store_->DeleteGroup(kA, "admins"),
              StatusIs(StatusCode::kDeleteConflict, "must remove users from group first"));
  EXPECT_THAT(store_->DeleteUser(kA, "bob"), StatusIs(StatusCode::kDeleteConflict));
  ASSERT_THAT(store_->RemoveUserFromGroup(kA, "admins", "bob"), IsOk());
  EXPECT_THAT(store_->RemoveUserFromGroup(kA, "admins", "bob"), StatusIs(StatusCode::kNoSuchEntity));
  ASSERT_THAT(store_->RemoveUserFromGroup(kA, "admins", "alice"), IsOk());
  ASSERT_THAT(store_->UpdateGroup(kA, "admins", {.new_name = "root-ish"}), IsOk());
  EXPECT_THAT(store_->UpdateGroup(kA, "root-ish", {.new_name = "DEVS"}), StatusIs(StatusCode::kEntityAlreadyExists));
  ASSERT_THAT(store_->DeleteGroup(kA, "root-ish"), IsOk());
  EXPECT_THAT(Names(store_->ListGroups(kA, {})->items), ElementsAre("devs"));
}

TEST_P(StoreTest, RolesAndInstanceProfiles) {
  const std::string trust = R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow",)"
                            R"("Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]})";
  auto r = store_->CreateRole(kA, {.name = "chef", .path = "/kitchen/", .assume_role_policy_document = trust,
                                   .description = "cooks", .max_session_duration = 7200});
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->arn, "arn:aws:iam::111111111111:role/kitchen/chef");
  EXPECT_EQ(r->role_id.substr(0, 4), "AROA");
  EXPECT_EQ(r->assume_role_policy_document, trust);
  EXPECT_EQ(r->max_session_duration, 7200);
  EXPECT_THAT(store_->CreateRole(kA, {.name = "CHEF", .assume_role_policy_document = trust}),
              StatusIs(StatusCode::kEntityAlreadyExists));
  EXPECT_THAT(store_->CreateRole(kA, {.name = "x", .assume_role_policy_document = trust, .max_session_duration = 3599}),
              StatusIs(StatusCode::kValidationError));
  EXPECT_THAT(store_->CreateRole(kA, {.name = "x", .assume_role_policy_document = trust, .max_session_duration = 43201}),
              StatusIs(StatusCode::kValidationError));
  EXPECT_THAT(store_->CreateRole(kA, {.name = "x", .assume_role_policy_document = ""}),
              StatusIs(StatusCode::kValidationError));
  EXPECT_THAT(store_->CreateRole(kA, {.name = "x", .assume_role_policy_document = trust,
                                      .description = std::string(1001, 'd')}),
              StatusIs(StatusCode::kValidationError));
  EXPECT_THAT(store_->GetRole(kA, "waiter"), StatusIs(StatusCode::kNoSuchEntity, "The role with name waiter cannot be found."));

  ASSERT_THAT(store_->UpdateRole(kA, "chef", {.max_session_duration = 43200}), IsOk());
  EXPECT_EQ(store_->GetRole(kA, "chef")->max_session_duration, 43200);
  EXPECT_EQ(store_->GetRole(kA, "chef")->description, "cooks");
  ASSERT_THAT(store_->UpdateRole(kA, "chef", {.description = ""}), IsOk());
  EXPECT_EQ(store_->GetRole(kA, "chef")->description, "");
  ASSERT_THAT(store_->UpdateAssumeRolePolicy(kA, "chef", "{}"), IsOk());
  EXPECT_EQ(store_->GetRole(kA, "chef")->assume_role_policy_document, "{}");
  ASSERT_THAT(store_->RecordRoleUsed(kA, "chef", 1700000500, "eu-west-1"), IsOk());
  EXPECT_EQ(store_->GetRole(kA, "chef")->last_used_date, 1700000500);
  EXPECT_EQ(store_->GetRole(kA, "chef")->last_used_region, "eu-west-1");

  auto p = store_->CreateInstanceProfile(kA, {.name = "web", .path = "/p/"});
  ASSERT_THAT(p, IsOk());
  EXPECT_EQ(p->arn, "arn:aws:iam::111111111111:instance-profile/p/web");
  EXPECT_EQ(p->instance_profile_id.substr(0, 4), "AIPA");
  EXPECT_THAT(store_->CreateInstanceProfile(kA, {.name = "WEB"}), StatusIs(StatusCode::kEntityAlreadyExists));
  ASSERT_THAT(store_->AddRoleToInstanceProfile(kA, "web", "chef"), IsOk());
  ASSERT_THAT(store_->CreateRole(kA, {.name = "waiter", .assume_role_policy_document = trust}), IsOk());
  EXPECT_THAT(store_->AddRoleToInstanceProfile(kA, "web", "waiter"),
              StatusIs(StatusCode::kLimitExceeded, "InstanceSessionsPerInstanceProfile: 1"));
  auto got = store_->GetInstanceProfile(kA, "web");
  ASSERT_THAT(got->roles, SizeIs(1));
  EXPECT_EQ(got->roles[0].name, "chef");
  EXPECT_THAT(Names(store_->ListInstanceProfilesForRole(kA, "chef", {})->items), ElementsAre("web"));
  EXPECT_THAT(store_->DeleteRole(kA, "chef"),
              StatusIs(StatusCode::kDeleteConflict, "must remove roles from instance profile first"));
  EXPECT_THAT(store_->DeleteInstanceProfile(kA, "web"), StatusIs(StatusCode::kDeleteConflict));
  ASSERT_THAT(store_->RemoveRoleFromInstanceProfile(kA, "web", "chef"), IsOk());
  EXPECT_THAT(store_->RemoveRoleFromInstanceProfile(kA, "web", "chef"), StatusIs(StatusCode::kNoSuchEntity));
  ASSERT_THAT(store_->DeleteInstanceProfile(kA, "web"), IsOk());
  EXPECT_THAT(Names(store_->ListRoles(kA, {})->items), ElementsAre("chef", "waiter"));
  ASSERT_THAT(store_->DeleteRole(kA, "chef"), IsOk());
  EXPECT_THAT(store_->GetRole(kA, "chef"), StatusIs(StatusCode::kNoSuchEntity));
}

TEST_P(StoreTest, CountQuotas) {
  Quotas q;
  q.users_per_account = 3;
  q.groups_per_account = 2;
  q.groups_per_user = 1;
  q.roles_per_account = 1;
  q.instance_profiles_per_account = 1;
  Fresh(q);
  for (int i = 0; i < 3; ++i) ASSERT_THAT(store_->CreateUser(kA, {.name = "u" + std::to_string(i)}), IsOk());
  EXPECT_THAT(store_->CreateUser(kA, {.name = "u3"}),
              StatusIs(StatusCode::kLimitExceeded, "Cannot exceed quota for UsersPerAccount: 3."));
  EXPECT_THAT(store_->CreateUser(kB, {.name = "u3"}), IsOk());  // Quotas are per account.
  ASSERT_THAT(store_->CreateGroup(kA, {.name = "g0"}), IsOk());
  ASSERT_THAT(store_->CreateGroup(kA, {.name = "g1"}), IsOk());
  EXPECT_THAT(store_->CreateGroup(kA, {.name = "g2"}), StatusIs(StatusCode::kLimitExceeded, "GroupsPerAccount: 2"));
  ASSERT_THAT(store_->AddUserToGroup(kA, "g0", "u0"), IsOk());
  EXPECT_THAT(store_->AddUserToGroup(kA, "g1", "u0"), StatusIs(StatusCode::kLimitExceeded, "GroupsPerUser: 1"));
  ASSERT_THAT(store_->CreateRole(kA, {.name = "r0", .assume_role_policy_document = "{}"}), IsOk());
  EXPECT_THAT(store_->CreateRole(kA, {.name = "r1", .assume_role_policy_document = "{}"}),
              StatusIs(StatusCode::kLimitExceeded, "RolesPerAccount: 1"));
  ASSERT_THAT(store_->CreateInstanceProfile(kA, {.name = "p0"}), IsOk());
  EXPECT_THAT(store_->CreateInstanceProfile(kA, {.name = "p1"}), StatusIs(StatusCode::kLimitExceeded));
  // Deleting frees the quota.
  ASSERT_THAT(store_->DeleteUser(kA, "u2"), IsOk());
  EXPECT_THAT(store_->CreateUser(kA, {.name = "u3"}), IsOk());
}

TEST_P(StoreTest, DefaultQuotasAreAwsDefaults) {
  Quotas q;
  EXPECT_EQ(q.users_per_account, 5000);
  EXPECT_EQ(q.groups_per_account, 300);
  EXPECT_EQ(q.groups_per_user, 10);
  EXPECT_EQ(q.roles_per_account, 1000);
  EXPECT_EQ(q.policies_per_account, 1500);
  EXPECT_EQ(q.attached_policies_per_user, 10);
  EXPECT_EQ(q.access_keys_per_user, 2);
  EXPECT_EQ(q.versions_per_policy, 5);
  EXPECT_EQ(q.user_inline_policy_size, 2048);
  EXPECT_EQ(q.role_inline_policy_size, 10240);
  EXPECT_EQ(q.group_inline_policy_size, 5120);
  EXPECT_EQ(q.managed_policy_size, 6144);
}

TEST_P(StoreTest, AccountSummary) {
  ASSERT_THAT(store_->CreateUser(kA, {.name = "u"}), IsOk());
  ASSERT_THAT(store_->CreateGroup(kA, {.name = "g"}), IsOk());
  ASSERT_THAT(store_->CreateRole(kA, {.name = "r", .assume_role_policy_document = "{}"}), IsOk());
  auto s = store_->GetAccountSummary(kA);
  ASSERT_THAT(s, IsOk());
  EXPECT_EQ(s->users, 1);
  EXPECT_EQ(s->groups, 1);
  EXPECT_EQ(s->roles, 1);
  EXPECT_EQ(store_->GetAccountSummary(kB)->users, 0);
}

}  // namespace
}  // namespace iam::store::testing
