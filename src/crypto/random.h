// Random bytes from the operating system (libsodium's randombytes), for keys,
// nonces and identifiers. Thread-safe; never fails once InitCrypto() succeeded.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "iamd/status.h"

namespace iam::crypto {

// InitCrypto prepares libsodium. Every function of this library calls it, so
// callers need not; it is cheap after the first call. Returns kInternal if
// libsodium cannot start (no entropy source).
Status InitCrypto();

// RandomBytes returns `n` bytes from a cryptographically secure source.
std::string RandomBytes(size_t n);

// RandomUniform returns a uniformly distributed value in [0, upper_bound).
uint32_t RandomUniform(uint32_t upper_bound);

}  // namespace iam::crypto
