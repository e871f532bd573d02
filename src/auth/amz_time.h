// The two date formats SigV4 meets: ISO 8601 basic ("20150830T123600Z", in
// X-Amz-Date and the string to sign) and the HTTP Date header's IMF-fixdate
// ("Sun, 30 Aug 2015 12:36:00 GMT", which botocore sends when a request
// already has a Date header). Pure functions; UTC only.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace iam::auth {

// ParseAmzDate reads "YYYYMMDDTHHMMSSZ" exactly; nullopt otherwise.
std::optional<std::chrono::sys_seconds> ParseAmzDate(std::string_view text);
// ParseHttpDate reads an IMF-fixdate (zone GMT, UTC, +0000 or -0000);
// nullopt otherwise.
std::optional<std::chrono::sys_seconds> ParseHttpDate(std::string_view text);
// FormatAmzDate writes "YYYYMMDDTHHMMSSZ".
std::string FormatAmzDate(std::chrono::sys_seconds t);

}  // namespace iam::auth
