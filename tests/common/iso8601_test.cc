#include "common/iso8601.h"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <random>
#include <string>

#include <gtest/gtest.h>

namespace iam {
namespace {

// The C library's answer, which FormatIso8601 must equal.
std::string ByStrftime(int64_t seconds) {
  std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

TEST(FormatIso8601, KnownInstants) {
  EXPECT_EQ(FormatIso8601(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(FormatIso8601(1764324132), "2025-11-28T10:02:12Z");
  EXPECT_EQ(FormatIso8601(951782400), "2000-02-29T00:00:00Z");  // a leap day
  EXPECT_EQ(FormatIso8601(-1), "1969-12-31T23:59:59Z");
  EXPECT_EQ(FormatIso8601(253402300799), "9999-12-31T23:59:59Z");
}

TEST(FormatIso8601, AgreesWithTheCLibraryEverywhere) {
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<int64_t> any(-62167219200, 253402300799);  // years 0..9999
  for (int i = 0; i < 20000; ++i) {
    int64_t s = any(rng);
    ASSERT_EQ(FormatIso8601(s), ByStrftime(s)) << s;
  }
  for (int64_t s : {int64_t{253402300800}, int64_t{-62167219201}}) {  // years 10000 and -1
    EXPECT_EQ(FormatIso8601(s), ByStrftime(s)) << s;
  }
}

TEST(Iso8601, CachedFormatIsTheSameText) {
  auto now = std::chrono::system_clock::now();
  int64_t s = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  std::string first = Iso8601(now);
  EXPECT_EQ(first, FormatIso8601(s));
  EXPECT_EQ(Iso8601(now), first);
  EXPECT_EQ(Iso8601(std::chrono::system_clock::time_point(std::chrono::seconds(0))), "1970-01-01T00:00:00Z");
}

}  // namespace
}  // namespace iam
