#include "policy/values.h"

#include <arpa/inet.h>

#include <charconv>
#include <cmath>
#include <cstring>
#include <string>

#include "policy/text_memo.h"
#include "policy/wildcard.h"

namespace iam::policy {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Reads exactly `n` digits at `s[pos]`; advances pos.
std::optional<int> Digits(std::string_view s, size_t& pos, size_t n) {
  if (pos + n > s.size()) return std::nullopt;
  int v = 0;
  for (size_t i = 0; i < n; ++i) {
    char c = s[pos + i];
    if (!IsDigit(c)) return std::nullopt;
    v = v * 10 + (c - '0');
  }
  pos += n;
  return v;
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysInMonth(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

std::optional<int64_t> ParseEpochSeconds(std::string_view s) {
  if (s.empty() || s.size() > 12) return std::nullopt;  // beyond year 9999: absurd
  int64_t v = 0;
  for (char c : s) {
    if (!IsDigit(c)) return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v * 1000;
}

}  // namespace

std::optional<double> ParseNumber(std::string_view s) {
  if (s.empty() || s.size() > 64) return std::nullopt;
  size_t start = (s[0] == '-' || s[0] == '+') ? 1 : 0;
  if (start == s.size() || !(IsDigit(s[start]) || s[start] == '.')) return std::nullopt;
  // from_chars would stop early on text such as dates and ARNs: skip it
  // when a character cannot be part of a number.
  for (char c : s) {
    if (!IsDigit(c) && c != '.' && c != '-' && c != '+' && c != 'e' && c != 'E') return std::nullopt;
  }
  std::string_view body = s.substr(s[0] == '+' ? 1 : 0);
  double v = 0;
  auto [ptr, ec] = std::from_chars(body.data(), body.data() + body.size(), v,
                                   std::chars_format::general);
  if (ec != std::errc() || ptr != body.data() + body.size() || !std::isfinite(v)) {
    return std::nullopt;
  }
  return v;
}

std::optional<int64_t> ParseDateMillis(std::string_view s) {
  // Only plain digits can be epoch seconds; an ISO date starts with 4 digits.
  if (s.empty() || !IsDigit(s[0])) return std::nullopt;
  bool iso = false;
  for (char c : s) iso |= c == '-' || c == 't' || c == 'T';
  if (!iso) return ParseEpochSeconds(s);
  size_t pos = 0;
  auto year = Digits(s, pos, 4);
  if (!year) return std::nullopt;
  int month = 1, day = 1, hour = 0, minute = 0, second = 0;
  int64_t millis = 0, offset_minutes = 0;
  if (pos < s.size() && s[pos] == '-') {
    ++pos;
    auto m = Digits(s, pos, 2);
    if (!m || *m < 1 || *m > 12) return std::nullopt;
    month = *m;
    if (pos < s.size() && s[pos] == '-') {
      ++pos;
      auto d = Digits(s, pos, 2);
      if (!d || *d < 1 || *d > DaysInMonth(*year, month)) return std::nullopt;
      day = *d;
    }
  }
  if (pos < s.size() && (s[pos] == 'T' || s[pos] == 't')) {
    ++pos;
    auto h = Digits(s, pos, 2);
    if (!h || *h > 23) return std::nullopt;
    hour = *h;
    if (pos < s.size() && s[pos] == ':') {
      ++pos;
      auto mi = Digits(s, pos, 2);
      if (!mi || *mi > 59) return std::nullopt;
      minute = *mi;
      if (pos < s.size() && s[pos] == ':') {
        ++pos;
        auto se = Digits(s, pos, 2);
        if (!se || *se > 59) return std::nullopt;
        second = *se;
        if (pos < s.size() && s[pos] == '.') {
          ++pos;
          size_t digits = 0;
          int64_t scale = 100;
          while (pos < s.size() && IsDigit(s[pos])) {
            if (digits < 3) millis += (s[pos] - '0') * scale, scale /= 10;
            ++pos;
            if (++digits > 9) return std::nullopt;
          }
          if (digits == 0) return std::nullopt;
        }
      }
    }
    if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
      ++pos;
    } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
      int sign = s[pos] == '-' ? -1 : 1;
      ++pos;
      auto oh = Digits(s, pos, 2);
      if (!oh || *oh > 23) return std::nullopt;
      int om = 0;
      if (pos < s.size() && s[pos] == ':') ++pos;
      if (pos < s.size()) {
        auto m = Digits(s, pos, 2);
        if (!m || *m > 59) return std::nullopt;
        om = *m;
      }
      offset_minutes = sign * (*oh * 60 + om);
    }
  }
  if (pos != s.size()) return std::nullopt;
  int64_t days = DaysFromCivil(*year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  int64_t secs = days * 86400 + hour * 3600 + minute * 60 + second - offset_minutes * 60;
  return secs * 1000 + millis;
}

bool IpRange::ContainsAddress(bool addr_v6, const std::array<uint8_t, 16>& addr) const {
  if (v6 != addr_v6) return false;
  int full = prefix / 8, rest = prefix % 8;
  for (int i = 0; i < full; ++i) {
    if (bytes[i] != addr[i]) return false;
  }
  if (rest == 0) return true;
  uint8_t mask = static_cast<uint8_t>(0xFF << (8 - rest));
  return (bytes[full] & mask) == (addr[full] & mask);
}

namespace {

// inet_pton(AF_INET)'s grammar without its call and copy: four decimal
// parts of 0-255 split by single dots, no leading zeros.
bool ParseIpv4(std::string_view s, uint8_t* out) {
  int parts = 0, value = 0, digits = 0;
  uint8_t bytes[4];
  for (char c : s) {
    if (IsDigit(c)) {
      if (digits > 0 && value == 0) return false;  // a leading zero
      value = value * 10 + (c - '0');
      if (value > 255) return false;
      ++digits;
    } else if (c == '.' && digits > 0 && parts < 3) {
      bytes[parts++] = static_cast<uint8_t>(value);
      value = digits = 0;
    } else {
      return false;
    }
  }
  if (parts != 3 || digits == 0) return false;
  bytes[3] = static_cast<uint8_t>(value);
  std::memcpy(out, bytes, 4);
  return true;
}

}  // namespace

std::optional<IpRange> ParseIpRange(std::string_view s) {
  if (s.empty() || s.size() > 64) return std::nullopt;
  std::string_view addr = s;
  int prefix = -1;
  size_t slash = s.find('/');
  if (slash != std::string_view::npos) {
    addr = s.substr(0, slash);
    std::string_view p = s.substr(slash + 1);
    if (p.empty() || p.size() > 3) return std::nullopt;
    prefix = 0;
    for (char c : p) {
      if (!IsDigit(c)) return std::nullopt;
      prefix = prefix * 10 + (c - '0');
    }
  }
  // Only hex digits, dots and colons can make an address, with a dot or a
  // colon: reject anything else before paying for inet_pton (context
  // values are mostly not IPs).
  bool dot = false, colon = false;
  for (char c : addr) {
    dot |= c == '.';
    colon |= c == ':';
    bool ok = IsDigit(c) || c == '.' || c == ':' || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    if (!ok) return std::nullopt;
  }
  if (!dot && !colon) return std::nullopt;
  IpRange r;
  if (ParseIpv4(addr, r.bytes.data())) {
    r.v6 = false;
    if (prefix > 32) return std::nullopt;
    r.prefix = prefix < 0 ? 32 : prefix;
    return r;
  }
  if (!colon) return std::nullopt;  // IPv6 has colons
  char text[72];
  addr.copy(text, addr.size());
  text[addr.size()] = '\0';
  if (inet_pton(AF_INET6, text, r.bytes.data()) != 1) return std::nullopt;
  r.v6 = true;
  if (prefix > 128) return std::nullopt;
  r.prefix = prefix < 0 ? 128 : prefix;
  return r;
}

std::optional<bool> ParseBool(std::string_view s) {
  if (EqualsIgnoreCase(s, "true")) return true;
  if (EqualsIgnoreCase(s, "false")) return false;
  return std::nullopt;
}

std::optional<double> RecentNumber(std::string_view s) {
  thread_local TextMemo<std::optional<double>> recent;
  return recent.Recall(s, ParseNumber);
}

std::optional<int64_t> RecentDateMillis(std::string_view s) {
  thread_local TextMemo<std::optional<int64_t>> recent;
  return recent.Recall(s, ParseDateMillis);
}

std::optional<IpRange> RecentIpRange(std::string_view s) {
  thread_local TextMemo<std::optional<IpRange>> recent;
  return recent.Recall(s, ParseIpRange);
}

}  // namespace iam::policy
