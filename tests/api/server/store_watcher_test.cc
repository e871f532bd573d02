// The StoreWatcher: a node's view follows another node's writes on the same
// database, key rotations included; while the database is unreachable the
// node keeps its view until max_stale, then refuses, and recovers by itself.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <thread>

#include "api/http/http_server.h"
#include "api/http/test_client.h"
#include "api/server/store_watcher.h"
#include "common/status_matchers.h"
#include "service/authz/authorizer.h"
#include "store/open_store.h"

namespace iam::api {
namespace {

using ::iam::testing::IsOk;
using ::iam::testing::StatusIs;
using std::chrono::milliseconds;

// Polls `cond` for up to 5 s.
template <typename F>
bool Eventually(F cond) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (std::chrono::steady_clock::now() < deadline) {
    if (cond()) return true;
    std::this_thread::sleep_for(milliseconds(5));
  }
  return cond();
}

// A store whose database can be made unreachable: every transaction then
// fails with kServiceFailure, as a backend's would.
class Unplugged final : public store::Store {
 public:
  explicit Unplugged(store::Store& real) : Store(std::string(32, 'k')), real_(real) {}
  Status Transact(store::TxnMode mode, const std::function<Status(store::StoreOps&)>& fn) override {
    if (down) return ServiceFailure("connection refused");
    return real_.Transact(mode, fn);
  }
  int64_t Generation() const override { return real_.Generation(); }
  Result<int64_t> RefreshGeneration() override {
    if (down) return ServiceFailure("connection refused");
    return real_.RefreshGeneration();
  }
  Status CheckIntegrity() override { return real_.CheckIntegrity(); }
  std::atomic<bool> down{false};

 private:
  store::Store& real_;
};

class StoreWatcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) / ("watcher_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    const std::string url = "sqlite://" + (dir_ / "iamd.db").string();
    node_a_ = store::OpenStore({.url = url}).value();
    node_b_ = store::OpenStore({.url = url}).value();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::filesystem::path dir_;
  std::unique_ptr<store::Store> node_a_, node_b_;
};

TEST_F(StoreWatcherTest, FollowsAnotherNodesWritesAndRotations) {
  LiveKeyRing ring_b(*node_b_, node_b_->LoadKeyRing().value());
  StoreWatcher watcher(*node_b_, ring_b, {.poll_interval = milliseconds(50)});
  const int64_t before = node_b_->Generation();
  ASSERT_THAT(node_a_->CreateAccount("111122223333", ""), IsOk());
  EXPECT_TRUE(Eventually([&] { return node_b_->Generation() > before; }));

  // A rotation on node A: node B seals with the new key soon after.
  Result<uint32_t> rotated = node_a_->RotateKey();
  ASSERT_THAT(rotated, IsOk());
  EXPECT_TRUE(Eventually([&] { return ring_b.Get()->current_id() == *rotated; }));
  EXPECT_THAT(watcher.Fresh(), IsOk());
  EXPECT_TRUE(watcher.Reachable());
}

TEST_F(StoreWatcherTest, ServesUntilMaxStaleThenRefusesAndRecovers) {
  Unplugged node(*node_b_);
  LiveKeyRing ring(node, node_b_->LoadKeyRing().value());
  StoreWatcher watcher(node, ring, {.poll_interval = milliseconds(20), .max_stale = milliseconds(300)});
  ASSERT_TRUE(Eventually([&] { return watcher.Reachable(); }));
  const int64_t generation = node.Generation();

  node.down = true;
  EXPECT_TRUE(Eventually([&] { return !watcher.Reachable(); }));
  // Within max_stale: still fresh enough to decide; the generation (and so
  // every cache keyed by it) does not move.
  EXPECT_THAT(watcher.Fresh(), IsOk());
  EXPECT_EQ(node.Generation(), generation);
  EXPECT_EQ(ring.Get()->current_id(), node_b_->LoadKeyRing().value().current_id());
  std::this_thread::sleep_for(milliseconds(400));
  EXPECT_THAT(watcher.Fresh(), StatusIs(StatusCode::kServiceFailure));
  EXPECT_EQ(node.Generation(), generation);

  // Writes made elsewhere meanwhile are seen once the database is back.
  ASSERT_THAT(node_a_->CreateAccount("111122223333", ""), IsOk());
  node.down = false;
  EXPECT_TRUE(Eventually([&] { return watcher.Reachable() && watcher.Fresh().ok(); }));
  EXPECT_TRUE(Eventually([&] { return node.Generation() > generation; }));
}

// As `iamd serve` wires it: /healthz follows Fresh(), so a load balancer
// takes the node out past max_stale and back once the database answers.
TEST_F(StoreWatcherTest, HealthzIs503PastMaxStaleAnd200AfterRecovery) {
  Unplugged node(*node_b_);
  LiveKeyRing ring(node, node_b_->LoadKeyRing().value());
  StoreWatcher watcher(node, ring, {.poll_interval = milliseconds(20), .max_stale = milliseconds(300)});
  http::HttpServerOptions options;
  options.health = [&watcher] { return watcher.Fresh(); };
  auto server = http::HttpServer::Start(options, [](const http::HttpRequest&) { return http::TextResponse(200, ""); });
  ASSERT_THAT(server, IsOk());
  auto healthz = [&] {
    return http::testing::RoundTrip((*server)->port(), "GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n");
  };
  EXPECT_EQ(healthz()->status, 200);

  node.down = true;
  EXPECT_TRUE(Eventually([&] { return !watcher.Reachable(); }));
  EXPECT_EQ(healthz()->status, 200);  // within max_stale: serving from cache
  EXPECT_TRUE(Eventually([&] { return healthz()->status == 503; }));
  EXPECT_THAT(healthz()->body, ::testing::HasSubstr("longer than --max-stale"));

  node.down = false;
  EXPECT_TRUE(Eventually([&] { return healthz()->status == 200; }));
  (*server)->Stop();
}

TEST_F(StoreWatcherTest, ZeroMaxStaleNeverRefuses) {
  Unplugged node(*node_b_);
  LiveKeyRing ring(node, node_b_->LoadKeyRing().value());
  node.down = true;
  StoreWatcher watcher(node, ring, {.poll_interval = milliseconds(10), .max_stale = milliseconds(0)});
  EXPECT_TRUE(Eventually([&] { return !watcher.Reachable(); }));
  std::this_thread::sleep_for(milliseconds(50));
  EXPECT_THAT(watcher.Fresh(), IsOk());
}

// The authorizer's cache serves the last policies it knew when a write moved
// the generation but the database went away before they could be reloaded;
// a principal it never saw gets ServiceFailure, never a guess.
TEST_F(StoreWatcherTest, DecisionsComeFromCacheWhileTheDatabaseIsAway) {
  Unplugged node(*node_b_);
  service::Authorizer authz(node);
  const std::string account = "111122223333";
  ASSERT_THAT(node_a_->CreateAccount(account, ""), IsOk());
  for (const char* name : {"alice", "bob"}) {
    ASSERT_THAT(node_a_->CreateUser(account, {.name = name}), IsOk());
    ASSERT_THAT(node_a_->PutInlinePolicy(account, {.kind = store::PrincipalKind::kUser, .name = name}, "read",
                                         R"({"Version":"2012-10-17","Statement":[)"
                                         R"({"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]})"),
                IsOk());
  }
  ASSERT_THAT(node.RefreshGeneration(), IsOk());
  auto caller = [&](const std::string& name) {
    service::Caller c;
    c.account_id = account;
    c.user_name = name;
    c.user_id = "AIDA" + name;
    c.arn = "arn:aws:iam::" + account + ":user/" + name;
    return c;
  };
  auto decide = [&](const std::string& name) {
    return authz.Decide(caller(name), "s3:GetObject", "arn:aws:s3:::b/k", account, std::nullopt, nullptr);
  };
  Result<policy::Decision> before = decide("alice");
  ASSERT_THAT(before, IsOk());
  EXPECT_EQ(before->effect, policy::Effect::kAllow);

  // Another node writes; this node sees the generation move, then loses
  // the database before reloading.
  ASSERT_THAT(node_a_->CreateUser(account, {.name = "carol"}), IsOk());
  ASSERT_THAT(node.RefreshGeneration(), IsOk());
  node.down = true;
  Result<policy::Decision> during = decide("alice");
  ASSERT_THAT(during, IsOk());
  EXPECT_EQ(during->effect, policy::Effect::kAllow);
  EXPECT_THAT(decide("bob"), StatusIs(StatusCode::kServiceFailure));

  node.down = false;
  ASSERT_THAT(node_a_->DeleteInlinePolicy(account, {.kind = store::PrincipalKind::kUser, .name = "alice"}, "read"),
              IsOk());
  ASSERT_THAT(node.RefreshGeneration(), IsOk());
  Result<policy::Decision> after = decide("alice");
  ASSERT_THAT(after, IsOk());
  EXPECT_EQ(after->effect, policy::Effect::kImplicitDeny);
}

}  // namespace
}  // namespace iam::api
