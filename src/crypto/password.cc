#include "crypto/password.h"

#include <sodium.h>

#include "common/status_macros.h"
#include "crypto/random.h"

namespace iam::crypto {

Result<std::string> HashPassword(std::string_view password, PasswordCost cost) {
  IAM_RETURN_IF_ERROR(InitCrypto());
  if (cost.ops_limit < crypto_pwhash_OPSLIMIT_MIN || cost.mem_limit < crypto_pwhash_MEMLIMIT_MIN) {
    return InvalidInput("password hash cost is below argon2id's minimum");
  }
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), cost.ops_limit,
                            cost.mem_limit, crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return ServiceFailure("out of memory while hashing a password");
  }
  return std::string(out);
}

bool VerifyPassword(std::string_view hash, std::string_view password) {
  if (!InitCrypto().ok() || hash.size() >= crypto_pwhash_STRBYTES) return false;
  std::string h(hash);  // libsodium wants a NUL-terminated string.
  return crypto_pwhash_str_verify(h.c_str(), password.data(), password.size()) == 0;
}

}  // namespace iam::crypto
