// Generation across two Store objects on one database: what a second node
// sees of the first one's writes.
#include <chrono>
#include <future>

#include "store_fixture.h"

namespace iam::store::testing {
namespace {

using std::chrono::milliseconds;

TEST_P(StoreTest, WaitForChangeTimesOutWithoutWrites) {
  int64_t seen = store_->Generation();
  auto g = store_->WaitForChange(seen, milliseconds(30));
  ASSERT_THAT(g, IsOk());
  EXPECT_EQ(*g, seen);
}

TEST_P(StoreTest, WaitForChangeSeesAnotherStoresWrite) {
  if (options_.url == "sqlite::memory:") GTEST_SKIP() << "a private database has no second node";
  auto other = OpenStore(options_);
  ASSERT_THAT(other, IsOk());
  ASSERT_THAT((*other)->RefreshGeneration(), IsOk());
  int64_t seen = (*other)->Generation();

  auto waiter = std::async(std::launch::async, [&] { return (*other)->WaitForChange(seen, milliseconds(5000)); });
  ASSERT_THAT(store_->CreateUser(kA, NewUser{.name = "alice"}), IsOk());
  auto g = waiter.get();
  ASSERT_THAT(g, IsOk());
  EXPECT_GT(*g, seen);
  EXPECT_THAT((*other)->GetUser(kA, "alice"), IsOk());
}

}  // namespace
}  // namespace iam::store::testing
