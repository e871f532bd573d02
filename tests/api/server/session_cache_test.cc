// The cache of opened session tokens: only the exact token text finds an
// entry, and a full cache drops expired entries first, then everything.
#include "api/server/session_cache.h"

#include <gtest/gtest.h>

namespace iam::api {
namespace {

std::shared_ptr<const OpenedSession> Session(const std::string& key_id, int64_t expires_at) {
  auto s = std::make_shared<OpenedSession>();
  s->record.access_key_id = key_id;
  s->record.expires_at = expires_at;
  return s;
}

TEST(SessionCacheTest, FindsOnlyTheExactToken) {
  SessionCache cache;
  cache.Put("token-a", Session("ASIAA", 100), 0);
  ASSERT_NE(cache.Find("token-a"), nullptr);
  EXPECT_EQ(cache.Find("token-a")->record.access_key_id, "ASIAA");
  EXPECT_EQ(cache.Find("token-A"), nullptr);
  EXPECT_EQ(cache.Find("token-a "), nullptr);
  EXPECT_EQ(cache.Find("token-"), nullptr);
}

TEST(SessionCacheTest, FullCacheDropsExpiredEntriesFirst) {
  SessionCache cache(2);
  cache.Put("old", Session("ASIA1", 50), 0);
  cache.Put("live", Session("ASIA2", 500), 0);
  cache.Put("new", Session("ASIA3", 500), 100);  // "old" has expired at 100
  EXPECT_EQ(cache.Find("old"), nullptr);
  EXPECT_NE(cache.Find("live"), nullptr);
  EXPECT_NE(cache.Find("new"), nullptr);
  cache.Put("newer", Session("ASIA4", 500), 100);  // nothing expired: all go
  EXPECT_EQ(cache.Find("live"), nullptr);
  EXPECT_NE(cache.Find("newer"), nullptr);
}

}  // namespace
}  // namespace iam::api
