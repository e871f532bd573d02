#include <gtest/gtest.h>

#include <mutex>
#include <regex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "api/server/api_handler.h"

namespace iam::api {
namespace {

TEST(RequestId, ShapedAsAwsAndNeverRepeated) {
  const std::regex shape("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  std::mutex mu;
  std::set<std::string> seen;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      std::vector<std::string> mine;
      for (int i = 0; i < 5000; ++i) mine.push_back(NewRequestId());
      std::lock_guard<std::mutex> lock(mu);
      seen.insert(mine.begin(), mine.end());
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(seen.size(), 20000u);
  for (const std::string& id : seen) ASSERT_TRUE(std::regex_match(id, shape)) << id;
}

}  // namespace
}  // namespace iam::api
