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
  auto other = OpenStore(options_);
  ASSERT_THAT(other, IsOk());
  if (options_.url == "sqlite::memory:") {
    // Each in-memory store is a private database: no second node sees it.
    ASSERT_THAT(store_->CreateUser(kA, NewUser{.name = "alice"}), IsOk());
    EXPECT_THAT((*other)->GetUser(kA, "alice"), StatusIs(StatusCode::kNoSuchEntity));
    return;
  }
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
