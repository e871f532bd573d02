// Generation across two Store objects on one database: what a second node
// sees of the first one's writes.
#include <libpq-fe.h>

#include <chrono>
#include <future>

#include "common/status_macros.h"
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

// Usage records are written on every request; if they moved the generation,
// every server cache would drop everything each time a key is used.
TEST_P(StoreTest, UsageRecordsDoNotMoveTheGeneration) {
  ASSERT_THAT(store_->CreateUser(kA, {.name = "bob"}), IsOk());
  ASSERT_THAT(store_->CreateAccessKey(kA, "bob", {.access_key_id = "AKIAUSAGE00000000001", .sealed_secret = "s"}),
              IsOk());
  ASSERT_THAT(store_->CreateLoginProfile(kA, "bob", "hash", false), IsOk());
  ASSERT_THAT(store_->CreateRole(kA, {.name = "r", .assume_role_policy_document = "{}"}), IsOk());
  auto d = store_->CreateVirtualMfaDevice(kA, {.name = "phone", .sealed_seed = "seed"});
  ASSERT_THAT(d, IsOk());
  ASSERT_THAT(store_->EnableMfaDevice(kA, "bob", d->serial_number, 100), IsOk());
  int64_t before = store_->Generation();

  ASSERT_THAT(store_->RecordAccessKeyUsed("AKIAUSAGE00000000001", 1700000100, "iam", "us-east-1"), IsOk());
  ASSERT_THAT(store_->RecordRoleUsed(kA, "r", 1700000200, "eu-west-1"), IsOk());
  ASSERT_THAT(store_->RecordPasswordUsed(kA, "bob", 1700000300), IsOk());
  EXPECT_TRUE(*store_->AdvanceMfaStep(kA, d->serial_number, 101));
  EXPECT_EQ(store_->Generation(), before);
  auto g = store_->RefreshGeneration();
  ASSERT_THAT(g, IsOk());
  EXPECT_EQ(*g, before);

  // The records themselves were kept, and a step still counts once.
  EXPECT_EQ(store_->GetAccessKey("AKIAUSAGE00000000001")->last_used_date, 1700000100);
  EXPECT_EQ(store_->GetRole(kA, "r")->last_used_region, "eu-west-1");
  EXPECT_EQ(store_->GetUser(kA, "bob")->password_last_used, 1700000300);
  EXPECT_FALSE(*store_->AdvanceMfaStep(kA, d->serial_number, 101));

  // A usage record inside a transaction that also changes something moves it.
  ASSERT_THAT(store_->Transact(TxnMode::kWrite, [&](StoreOps& t) -> Status {
    IAM_RETURN_IF_ERROR(t.RecordPasswordUsed(kA, "bob", 1700000400));
    return t.CreateUser(kA, {.name = "carol"}).status();
  }), IsOk());
  EXPECT_GT(store_->Generation(), before);
}

// Store::GetUser answers from a cache while nothing changed; every change
// a read shows must reach it: writes (which move the generation) and
// last-used dates (which do not).
TEST_P(StoreTest, CachedUserReadsSeeEveryChange) {
  ASSERT_THAT(store_->CreateUser(kA, {.name = "bob"}), IsOk());
  ASSERT_THAT(store_->CreateLoginProfile(kA, "bob", "hash", false), IsOk());
  auto read = [&] { return store_->GetUser(kA, "bob"); };
  ASSERT_THAT(read(), IsOk());
  EXPECT_EQ(read()->password_last_used, std::nullopt);  // cached now

  ASSERT_THAT(store_->RecordPasswordUsed(kA, "bob", 1700000300), IsOk());
  EXPECT_EQ(read()->password_last_used, 1700000300);
  ASSERT_THAT(store_->TagResource(kA, {TaggableKind::kUser, "bob"}, {{"team", "blue"}}), IsOk());
  EXPECT_EQ(read()->tags, (std::vector<Tag>{{"team", "blue"}}));
  ASSERT_THAT(store_->UpdateUser(kA, "bob", {.new_path = "/ops/"}), IsOk());
  EXPECT_EQ(read()->path, "/ops/");
  // A change made in a caller's own transaction counts the same.
  ASSERT_THAT(store_->Transact(TxnMode::kWrite, [&](StoreOps& t) {
    return t.UntagResource(kA, {TaggableKind::kUser, "bob"}, {"team"});
  }), IsOk());
  EXPECT_TRUE(read()->tags.empty());
  ASSERT_THAT(store_->DeleteLoginProfile(kA, "bob"), IsOk());
  ASSERT_THAT(store_->DeleteUser(kA, "bob"), IsOk());
  EXPECT_THAT(read(), StatusIs(StatusCode::kNoSuchEntity));
  // A failed read is not remembered: the user made again is found.
  ASSERT_THAT(store_->CreateUser(kA, {.name = "bob", .path = "/new/"}), IsOk());
  EXPECT_EQ(read()->path, "/new/");
}

// Backends where a second Store opens the same database (a second node).
class SharedStoreTest : public StoreTest {};
INSTANTIATE_TEST_SUITE_P(Backends, SharedStoreTest, ::testing::ValuesIn(SharedBackends()), BackendName);

// Session tokens sealed on one node open on another, and a key rotated on
// one node is there for the next that loads the ring (the ring is stored).
TEST_P(SharedStoreTest, KeyRingIsSharedBetweenStores) {
  auto other = OpenStore(options_);
  ASSERT_THAT(other, IsOk());
  auto mine = store_->LoadKeyRing();
  ASSERT_THAT(mine, IsOk());
  auto box = mine->Seal("session", "token");
  ASSERT_THAT(box, IsOk());
  auto theirs = (*other)->LoadKeyRing();
  ASSERT_THAT(theirs, IsOk());
  EXPECT_EQ(*theirs->Open(*box, "token"), "session");

  auto rotated = (*other)->RotateKey();
  ASSERT_THAT(rotated, IsOk());
  auto theirs2 = (*other)->LoadKeyRing();
  auto box2 = theirs2->Seal("session2", "token");
  auto mine2 = store_->LoadKeyRing();
  ASSERT_THAT(mine2, IsOk());
  EXPECT_EQ(mine2->current_id(), *rotated);
  EXPECT_EQ(*mine2->Open(*box2, "token"), "session2");
  EXPECT_EQ(*mine2->Open(*box, "token"), "session");  // old tokens still open
}

// A second node's cached read follows the first node's write once it has
// seen the generation move (its watcher's job in `iamd serve`).
TEST_P(SharedStoreTest, CachedUserReadFollowsAnotherStoresWrite) {
  auto other = OpenStore(options_);
  ASSERT_THAT(other, IsOk());
  ASSERT_THAT(store_->CreateUser(kA, {.name = "bob"}), IsOk());
  ASSERT_THAT((*other)->RefreshGeneration(), IsOk());
  EXPECT_EQ((*other)->GetUser(kA, "bob")->path, "/");
  ASSERT_THAT(store_->UpdateUser(kA, "bob", {.new_path = "/moved/"}), IsOk());
  ASSERT_THAT((*other)->RefreshGeneration(), IsOk());
  EXPECT_EQ((*other)->GetUser(kA, "bob")->path, "/moved/");
}

// PostgreSQL alone: not instantiated at all without a server.
class PostgresStoreTest : public StoreTest {};
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(PostgresStoreTest);
INSTANTIATE_TEST_SUITE_P(Backends, PostgresStoreTest, ::testing::ValuesIn(PostgresBackends()), BackendName);

// Connections the server drops (a restart, a failover, an administrator)
// leave the pool; the next call connects afresh.
TEST_P(PostgresStoreTest, ReconnectsAfterTheServerDropsConnections) {
  ASSERT_THAT(store_->CreateUser(kA, {.name = "bob"}), IsOk());
  PGconn* admin = PQconnectdb(PgTestUrl().c_str());
  ASSERT_EQ(PQstatus(admin), CONNECTION_OK);
  PGresult* r = PQexec(admin, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                              "WHERE pid <> pg_backend_pid() AND datname = current_database()");
  EXPECT_EQ(PQresultStatus(r), PGRES_TUPLES_OK);
  PQclear(r);
  PQfinish(admin);
  EXPECT_THAT(store_->GetUser(kA, "bob"), IsOk());
  EXPECT_THAT(store_->CreateUser(kA, {.name = "carol"}), IsOk());
  int64_t seen = store_->Generation();
  EXPECT_THAT(store_->WaitForChange(seen, milliseconds(20)), IsOk());
}

}  // namespace
}  // namespace iam::store::testing
