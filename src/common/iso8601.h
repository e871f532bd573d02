// A time as AWS writes it in CloudTrail events and in aws:CurrentTime:
// "2026-11-28T10:02:12Z" (UTC, whole seconds). Formatted once per second
// per thread: every request writes the current time at least twice.
//
//   std::string now = Iso8601(std::chrono::system_clock::now());
//
// Thread-safety: any thread (the cache is per thread).
#pragma once

#include <chrono>
#include <ctime>
#include <string>

namespace iam {

inline std::string Iso8601(std::chrono::system_clock::time_point t) {
  std::time_t tt = std::chrono::system_clock::to_time_t(t);
  thread_local std::time_t cached_second = -1;
  thread_local std::string cached;
  if (tt != cached_second) {
    std::tm tm{};
    gmtime_r(&tt, &tm);
    char buf[32];
    size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    cached.assign(buf, n);
    cached_second = tt;
  }
  return cached;
}

}  // namespace iam
