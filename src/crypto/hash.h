// Digests and MACs for SigV4 and fingerprints (OpenSSL), hex encoding, and a
// constant-time comparison for secrets. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace iam::crypto {

// Sha256 returns the 32-byte raw digest of `data`.
std::string Sha256(std::string_view data);
// Sha1 returns the 20-byte raw SHA-1 digest of `data` (only for names AWS
// defines with it, such as SAML's NameQualifier; never for security).
std::string Sha1(std::string_view data);
// HmacSha256 returns the 32-byte raw HMAC-SHA256 of `data` under `key`.
std::string HmacSha256(std::string_view key, std::string_view data);
// HexEncode returns lowercase hex, as SigV4 prints digests.
std::string HexEncode(std::string_view bytes);
// ConstantTimeEquals compares without leaking where the inputs differ (the
// length may leak, which is public for signatures and digests).
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace iam::crypto
