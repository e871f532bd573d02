#include "crypto/random.h"

#include <sodium.h>

#include <cstdlib>

namespace iam::crypto {

Status InitCrypto() {
  // sodium_init is idempotent and thread-safe; static init caches the result.
  static const int rc = sodium_init();
  if (rc < 0) return Internal("libsodium failed to initialize");
  return Status();
}

std::string RandomBytes(size_t n) {
  if (!InitCrypto().ok()) std::abort();  // No entropy: nothing secure is possible.
  std::string out(n, '\0');
  randombytes_buf(out.data(), n);
  return out;
}

uint32_t RandomUniform(uint32_t upper_bound) {
  if (!InitCrypto().ok()) std::abort();
  return randombytes_uniform(upper_bound);
}

}  // namespace iam::crypto
