// Times as AWS writes them: ISO 8601 in UTC, whole seconds
// ("2026-11-28T10:02:12Z": CloudTrail events, aws:CurrentTime, timestamps in
// Query responses), and the per-thread, once-a-second caching that lets
// every request write the current time without formatting it again.
//
//   std::string created = FormatIso8601(user.create_date);       // epoch seconds
//   std::string now = Iso8601(std::chrono::system_clock::now()); // cached
//
// Thread-safety: any thread (the caches are per thread).
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <string>

namespace iam {

// `seconds` since the epoch as "YYYY-MM-DDTHH:MM:SSZ". Calendar arithmetic,
// not the C library's locale-aware formatting: this runs for every
// timestamp of every response. Years outside 0..9999 as snprintf's %04d.
inline std::string FormatIso8601(int64_t seconds) {
  using namespace std::chrono;
  const sys_seconds t{std::chrono::seconds(seconds)};
  const sys_days day = floor<days>(t);
  const year_month_day ymd{day};
  const hh_mm_ss<std::chrono::seconds> hms{t - day};
  const int y = static_cast<int>(ymd.year());
  const unsigned mo = static_cast<unsigned>(ymd.month()), d = static_cast<unsigned>(ymd.day());
  const long h = hms.hours().count(), mi = hms.minutes().count(), s = static_cast<long>(hms.seconds().count());
  if (y < 0 || y > 9999) {
    char buf[48];
    int n = std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02ld:%02ld:%02ldZ", y, mo, d, h, mi, s);
    return std::string(buf, n > 0 ? static_cast<size_t>(n) : 0);
  }
  char out[20];
  auto two = [](char* p, long v) {
    p[0] = static_cast<char>('0' + v / 10);
    p[1] = static_cast<char>('0' + v % 10);
  };
  two(out, y / 100);
  two(out + 2, y % 100);
  out[4] = '-';
  two(out + 5, mo);
  out[7] = '-';
  two(out + 8, d);
  out[10] = 'T';
  two(out + 11, h);
  out[13] = ':';
  two(out + 14, mi);
  out[16] = ':';
  two(out + 17, s);
  out[19] = 'Z';
  return std::string(out, sizeof out);
}

// `format(now)` (a function of std::time_t returning std::string) for the
// current second `now`, computed at most once a second per thread and per
// `format` (each lambda type keeps its own cache).
template <typename Format>
const std::string& CachedPerSecond(std::time_t now, Format format) {
  thread_local std::time_t last = -1;
  thread_local std::string cached;
  if (now != last) {
    cached = format(now);
    last = now;
  }
  return cached;
}

// The time `t` as FormatIso8601 writes it, cached per thread for the
// current second (the common case: the request's own time).
inline std::string Iso8601(std::chrono::system_clock::time_point t) {
  return CachedPerSecond(std::chrono::system_clock::to_time_t(t), [](std::time_t s) { return FormatIso8601(s); });
}

}  // namespace iam
