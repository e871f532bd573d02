// Base64 (RFC 4648): the standard form, as AWS prints session tokens and
// Query blobs; a loose reading of it, as SAML documents wrap it over lines;
// and the URL-safe form without padding, as JWTs and JWKS carry bytes.
// Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace iam::crypto {

// Base64Encode returns the padded standard encoding of `bytes`.
std::string Base64Encode(std::string_view bytes);
// Base64Decode returns the bytes of a padded standard encoding, or nullopt
// for anything else (bad characters, bad length, white space).
std::optional<std::string> Base64Decode(std::string_view text);
// Base64DecodeLoose also accepts white space anywhere and missing padding.
std::optional<std::string> Base64DecodeLoose(std::string_view text);
// Base64UrlEncode returns the URL-safe encoding without padding.
std::string Base64UrlEncode(std::string_view bytes);
// Base64UrlDecode accepts the URL-safe alphabet ('-', '_') without padding
// (padding tolerated); nullopt otherwise.
std::optional<std::string> Base64UrlDecode(std::string_view text);

}  // namespace iam::crypto
