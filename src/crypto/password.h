// Password hashing with argon2id (libsodium crypto_pwhash_str). The hash
// string is self-describing (algorithm, cost, salt), so costs can rise later
// without breaking stored hashes. Thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "iamd/status.h"

namespace iam::crypto {

// Cost of one hash. The defaults are libsodium's "interactive" level
// (2 passes, 64 MiB); tests use kMinimal to stay fast.
struct PasswordCost {
  uint64_t ops_limit = 2;
  size_t mem_limit = size_t{64} << 20;
  static PasswordCost Minimal() { return {1, size_t{8} << 10}; }
};

// HashPassword returns an "$argon2id$..." string. Returns kInvalidInput if
// the cost is below libsodium's minimum, kServiceFailure if out of memory.
Result<std::string> HashPassword(std::string_view password, PasswordCost cost = {});

// VerifyPassword checks `password` against a hash from HashPassword. A
// malformed hash simply does not verify.
bool VerifyPassword(std::string_view hash, std::string_view password);

}  // namespace iam::crypto
