// application/x-www-form-urlencoded bodies and URL query strings, as AWS
// Query requests carry them: `Action=CreateUser&Version=2010-05-08&
// Tags.member.1.Key=team&UserName=alice`. '+' is a space, %XX a byte;
// a '%' not followed by two hex digits is a MalformedQueryString, and a
// name given twice is refused (InvalidQueryParameter).
//
//   QueryParams params;
//   if (auto err = ParseFormInto(url_query, &params)) return *err;
//   if (auto err = ParseFormInto(body, &params)) return *err;
//
// Thread-safety: pure functions.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "api/query/errors.h"

namespace iam::api {

// Decoded parameter names to decoded values; names are case-sensitive.
using QueryParams = std::map<std::string, std::string, std::less<>>;

// Caps against abusive inputs (the HTTP server also caps the body size).
inline constexpr std::size_t kMaxQueryParams = 10000;

// Decodes one component: '+' -> ' ' (if plus_is_space), %XX -> byte.
// nullopt if a '%' is not followed by two hex digits.
std::optional<std::string> PercentDecode(std::string_view s, bool plus_is_space = true);

// Parses `name=value&name=value...` (empty pieces are skipped; a piece
// without '=' is a name with an empty value) and adds the pairs to *params.
// Returns MalformedQueryString on a bad escape, InvalidQueryParameter if a
// name is already in *params or there are more than kMaxQueryParams, and
// nullopt on success (on error *params holds what was added before).
std::optional<AwsError> ParseFormInto(std::string_view form, QueryParams* params);

// ParseFormInto into a fresh map.
ApiResult<QueryParams> ParseForm(std::string_view form);

// Percent-encodes everything but RFC 3986 unreserved characters
// (A-Z a-z 0-9 - _ . ~), as IAM returns policy documents:
// {"Version":... -> %7B%22Version%22%3A...
std::string UrlEncode(std::string_view s);

}  // namespace iam::api
