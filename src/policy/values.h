// Typed values of condition operators: numbers, dates, IP ranges and
// booleans, parsed from the strings of policies and request contexts.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "iamd/policy.h"

namespace iam::policy {

// A decimal number as AWS's Numeric operators read it: optional sign, digits,
// optional fraction (and exponent). Rejects inf/nan and out-of-range values.
std::optional<double> ParseNumber(std::string_view s);

// A date as AWS's Date operators read it, in milliseconds since the epoch:
// ISO 8601 ("2024-05-01", "2024-05-01T12:00:00Z", fractions, "+02:00"
// offsets) or integer epoch seconds ("1714564800"). Years 0000-9999.
std::optional<int64_t> ParseDateMillis(std::string_view s);

// An IPv4 or IPv6 address with a prefix length ("10.0.0.0/8",
// "2001:db8::/32"); a bare address means a single host.
struct IpRange {
  bool v6 = false;
  std::array<uint8_t, 16> bytes{};
  int prefix = 0;
  // True if `addr` (a single address) lies in this range (same family only).
  bool Contains(const IpRange& addr) const { return ContainsAddress(addr.v6, addr.bytes); }
  bool ContainsAddress(bool addr_v6, const std::array<uint8_t, 16>& addr) const;
};
std::optional<IpRange> ParseIpRange(std::string_view s);

// The same three readings, recalled from this thread's memo when it read
// the text lately: policies repeat their condition values.
std::optional<double> RecentNumber(std::string_view s);
std::optional<int64_t> RecentDateMillis(std::string_view s);
std::optional<IpRange> RecentIpRange(std::string_view s);

// "true"/"false", case-insensitive.
std::optional<bool> ParseBool(std::string_view s);

// All typed readings of a context value (RequestContext::Typed).
RequestContext::Typed ReadTyped(std::string_view v);

// Builds contexts for one evaluation (`iamd eval`): values are not read as
// numbers, dates, addresses and booleans until a condition asks.
struct RequestContextAccess {
  static void SetUntyped(RequestContext& ctx, std::string_view key, std::vector<std::string> values, bool multi);

  // Refilling a context in place, for one context per case without
  // allocating in steady state: Add overwrites the entries from the start
  // (their strings keep their storage), `used` counting them; End drops
  // the entries past `used` into `spare`, where Add finds them again.
  // Add returns the entry for `key` with `count` values for the caller to
  // assign, untyped; nullptr if the context has the key (compared
  // case-insensitively) already.
  static RequestContext::Entry* Add(RequestContext& ctx, size_t& used, std::string_view key, size_t count,
                                    bool multi, std::vector<RequestContext::Entry>& spare);
  static void End(RequestContext& ctx, size_t used, std::vector<RequestContext::Entry>& spare);
};

}  // namespace iam::policy
