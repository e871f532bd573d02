// IdentityCache: names to ids and ARNs, exact across this store's writes.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "common/status_matchers.h"
#include "service/authz/identity_cache.h"
#include "store/open_store.h"

namespace iam::service {
namespace {

using ::iam::testing::IsOk;
using ::iam::testing::StatusIs;

constexpr char kA[] = "123456789012";
const std::string kTrust =
    R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]})";

class IdentityCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/iamd-idcache-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    options_.url = "sqlite://" + dir_ + "/iamd.db";
    auto s = store::OpenStore(options_);
    ASSERT_THAT(s, IsOk());
    store_ = std::move(s).value();
    ASSERT_THAT(store_->CreateAccount(kA, ""), IsOk());
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::string dir_;
  store::StoreOptions options_;
  std::unique_ptr<store::Store> store_;
};

TEST_F(IdentityCacheTest, EveryWriteIsSeenByTheNextLookup) {
  IdentityCache ids(*store_);
  ASSERT_THAT(store_->CreateUser(kA, {.name = "alice", .path = "/a/"}), IsOk());
  auto u = ids.User(kA, "alice");
  ASSERT_THAT(u, IsOk());
  EXPECT_EQ(u->arn, "arn:aws:iam::123456789012:user/a/alice");
  EXPECT_EQ(u->id.substr(0, 4), "AIDA");
  ASSERT_THAT(store_->UpdateUser(kA, "alice", {.new_path = "/b/"}), IsOk());
  EXPECT_EQ(ids.User(kA, "alice")->arn, "arn:aws:iam::123456789012:user/b/alice");
  ASSERT_THAT(store_->DeleteUser(kA, "alice"), IsOk());
  EXPECT_THAT(ids.User(kA, "alice"), StatusIs(StatusCode::kNoSuchEntity));
  // Recreated under the same name: a new id.
  ASSERT_THAT(store_->CreateUser(kA, {.name = "alice"}), IsOk());
  auto again = ids.User(kA, "alice");
  ASSERT_THAT(again, IsOk());
  EXPECT_NE(again->id, u->id);

  ASSERT_THAT(store_->CreateGroup(kA, {.name = "devs"}), IsOk());
  EXPECT_EQ(ids.Group(kA, "devs")->arn, "arn:aws:iam::123456789012:group/devs");
  ASSERT_THAT(store_->CreateRole(kA, {.name = "app", .assume_role_policy_document = kTrust}), IsOk());
  auto r = ids.Role(kA, "app");
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->arn, "arn:aws:iam::123456789012:role/app");
  ASSERT_THAT(store_->DeleteRole(kA, "app"), IsOk());
  EXPECT_THAT(ids.Role(kA, "app"), StatusIs(StatusCode::kNoSuchEntity));
  EXPECT_EQ(ids.Account(kA)->arn, "arn:aws:iam::123456789012:root");
  EXPECT_THAT(ids.Account("999999999999"), StatusIs(StatusCode::kNoSuchEntity));
  // Same names in another account are other entities.
  EXPECT_THAT(ids.User("999999999999", "alice"), StatusIs(StatusCode::kNoSuchEntity));
}

TEST_F(IdentityCacheTest, HitsNeedNoStoreReadUntilTheGenerationMoves) {
  IdentityCache ids(*store_);
  ASSERT_THAT(store_->CreateUser(kA, {.name = "alice"}), IsOk());
  ASSERT_THAT(ids.User(kA, "alice"), IsOk());
  // Another node (a second store on the same file) deletes alice: this
  // store's generation has not moved, so the cached answer stands (bounded
  // staleness, as for the policy cache) until the generation is refreshed.
  auto other = store::OpenStore(options_);
  ASSERT_THAT(other, IsOk());
  ASSERT_THAT((*other)->DeleteUser(kA, "alice"), IsOk());
  EXPECT_THAT(ids.User(kA, "alice"), IsOk());
  ASSERT_THAT(store_->RefreshGeneration(), IsOk());
  EXPECT_THAT(ids.User(kA, "alice"), StatusIs(StatusCode::kNoSuchEntity));
}

}  // namespace
}  // namespace iam::service
