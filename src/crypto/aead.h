// Authenticated encryption (XChaCha20-Poly1305, libsodium) of small secrets:
// access key secrets, TOTP seeds, session tokens. The 24-byte nonce is random
// per message, so one key can seal any number of messages.
//
//   std::string box = Seal(key, "secret", "AKIAEXAMPLE").value();
//   std::string secret = Open(key, box, "AKIAEXAMPLE").value();
//
// Thread-safe: pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "iamd/status.h"

namespace iam::crypto {

inline constexpr size_t kAeadKeySize = 32;
inline constexpr size_t kAeadNonceSize = 24;
inline constexpr size_t kAeadTagSize = 16;

// GenerateAeadKey returns a fresh random 32-byte key.
std::string GenerateAeadKey();

// Seal encrypts `plaintext` and binds `aad` (authenticated, not encrypted).
// Output: nonce || ciphertext || tag. Returns kInvalidInput if the key is not
// 32 bytes.
Result<std::string> Seal(std::string_view key, std::string_view plaintext, std::string_view aad);

// Open reverses Seal. Returns kInvalidInput for a wrong-sized key or a box
// that is too short, and kAccessDenied if authentication fails (wrong key,
// wrong aad, or tampered bytes).
Result<std::string> Open(std::string_view key, std::string_view box, std::string_view aad);

}  // namespace iam::crypto
