// Standard base64 (RFC 4648, with padding), as AWS prints session tokens and
// encoded authorization messages. Pure functions; thread-safe.
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

}  // namespace iam::crypto
