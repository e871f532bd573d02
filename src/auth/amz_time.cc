#include "auth/amz_time.h"

#include <array>
#include <cstdio>

namespace iam::auth {
namespace {

using std::chrono::sys_seconds;

// Reads `n` decimal digits at `pos`; -1 if any is not a digit.
int Digits(std::string_view s, size_t pos, size_t n) {
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

std::optional<sys_seconds> Make(int year, int month, int day, int hour, int minute, int second) {
  if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 ||
      minute > 59 || second < 0 || second > 59) {
    return std::nullopt;
  }
  std::chrono::year_month_day ymd{std::chrono::year(year), std::chrono::month(unsigned(month)),
                                  std::chrono::day(unsigned(day))};
  if (!ymd.ok()) return std::nullopt;
  return sys_seconds(std::chrono::sys_days(ymd)) + std::chrono::hours(hour) +
         std::chrono::minutes(minute) + std::chrono::seconds(second);
}

}  // namespace

std::optional<sys_seconds> ParseAmzDate(std::string_view s) {
  if (s.size() != 16 || s[8] != 'T' || s[15] != 'Z') return std::nullopt;
  int year = Digits(s, 0, 4), month = Digits(s, 4, 2), day = Digits(s, 6, 2);
  int hour = Digits(s, 9, 2), minute = Digits(s, 11, 2), second = Digits(s, 13, 2);
  return Make(year, month, day, hour, minute, second);
}

std::optional<sys_seconds> ParseHttpDate(std::string_view s) {
  // "Sun, 30 Aug 2015 12:36:00 GMT": fixed width. Python's formatdate()
  // (botocore) writes the zone as "-0000" instead of "GMT"; both mean UTC.
  static constexpr std::array<std::string_view, 12> kMonths = {
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  if (s.size() < 29 || s[3] != ',' || s[4] != ' ' || s[7] != ' ' || s[11] != ' ' ||
      s[16] != ' ' || s[19] != ':' || s[22] != ':') {
    return std::nullopt;
  }
  std::string_view zone = s.substr(25);
  if (zone != " GMT" && zone != " UTC" && zone != " -0000" && zone != " +0000") {
    return std::nullopt;
  }
  int month = 0;
  for (size_t i = 0; i < kMonths.size(); ++i) {
    if (s.substr(8, 3) == kMonths[i]) month = static_cast<int>(i) + 1;
  }
  if (month == 0) return std::nullopt;
  return Make(Digits(s, 12, 4), month, Digits(s, 5, 2), Digits(s, 17, 2), Digits(s, 20, 2),
              Digits(s, 23, 2));
}

std::string FormatAmzDate(sys_seconds t) {
  auto days = std::chrono::floor<std::chrono::days>(t);
  std::chrono::year_month_day ymd{days};
  std::chrono::hh_mm_ss<std::chrono::seconds> hms{t - days};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d%02u%02uT%02d%02d%02dZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()));
  return buf;
}

}  // namespace iam::auth
