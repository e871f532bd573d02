// The server's swappable key ring and the session clock.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>

#include "api/server/live_key_ring.h"
#include "api/server/session_clock.h"
#include "common/status_matchers.h"
#include "store/open_store.h"

namespace iam::api {
namespace {

using ::iam::testing::IsOk;

TEST(LiveKeyRing, PicksUpKeysAddedBehindItsBack) {
  std::unique_ptr<store::Store> store = store::OpenStore({}).value();
  LiveKeyRing ring(*store, store->LoadKeyRing().value());
  std::shared_ptr<const crypto::KeyRing> before = ring.Get();
  uint32_t first = before->current_id();
  std::string box = before->Seal("secret", "aad").value();

  // Another process rotates: a token naming the new key triggers a reload.
  Result<uint32_t> added = store->RotateKey();
  ASSERT_THAT(added, IsOk());
  EXPECT_FALSE(ring.Get()->Has(*added));
  EXPECT_TRUE(ring.ReloadFor(*added));
  EXPECT_EQ(ring.Get()->current_id(), *added);
  // The old ring object stays valid for requests that hold it.
  EXPECT_EQ(before->current_id(), first);
  // Boxes of the old key still open with the new ring.
  EXPECT_EQ(ring.Get()->Open(box, "aad").value(), "secret");
  // Unknown ids do not turn into a reload storm.
  EXPECT_FALSE(ring.ReloadFor(9999));
  EXPECT_FALSE(ring.ReloadFor(9998));

  Result<uint32_t> rotated = ring.Rotate();
  ASSERT_THAT(rotated, IsOk());
  EXPECT_EQ(ring.Get()->current_id(), *rotated);
  EXPECT_GT(*rotated, *added);
  EXPECT_THAT(ring.ReloadIfChanged(), IsOk());
}

TEST(SessionClock, AddsTheOffsetFileOnlyWhenGiven) {
  auto real = [] {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
  };
  EXPECT_LE(std::abs(SessionClock().Now() - real()), 1);
  std::string path = ::testing::TempDir() + "/clock_offset_" + std::to_string(::getpid());
  SessionClock moved(path);
  EXPECT_LE(std::abs(moved.Now() - real()), 1);  // missing file: no offset
  std::ofstream(path) << "901\n";
  EXPECT_LE(std::abs(moved.Now() - real() - 901), 1);
  std::ofstream(path) << "-60";
  EXPECT_LE(std::abs(moved.Now() - real() + 60), 1);
  std::remove(path.c_str());
}

}  // namespace
}  // namespace iam::api
