#include "crypto/aead.h"

#include <sodium.h>

#include "common/status_macros.h"
#include "crypto/random.h"

namespace iam::crypto {
namespace {

const unsigned char* U(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }

}  // namespace

std::string GenerateAeadKey() { return RandomBytes(kAeadKeySize); }

Result<std::string> Seal(std::string_view key, std::string_view plaintext, std::string_view aad) {
  static_assert(crypto_aead_xchacha20poly1305_ietf_KEYBYTES == kAeadKeySize);
  static_assert(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES == kAeadNonceSize);
  static_assert(crypto_aead_xchacha20poly1305_ietf_ABYTES == kAeadTagSize);
  if (key.size() != kAeadKeySize) return InvalidInput("AEAD key must be 32 bytes");
  std::string out = RandomBytes(kAeadNonceSize);
  out.resize(kAeadNonceSize + plaintext.size() + kAeadTagSize);
  unsigned long long written = 0;
  auto* dst = reinterpret_cast<unsigned char*>(out.data()) + kAeadNonceSize;
  crypto_aead_xchacha20poly1305_ietf_encrypt(dst, &written, U(plaintext), plaintext.size(),
                                             U(aad), aad.size(), nullptr, U(out), U(key));
  out.resize(kAeadNonceSize + written);
  return out;
}

Result<std::string> Open(std::string_view key, std::string_view box, std::string_view aad) {
  if (key.size() != kAeadKeySize) return InvalidInput("AEAD key must be 32 bytes");
  if (box.size() < kAeadNonceSize + kAeadTagSize) return InvalidInput("sealed box is too short");
  IAM_RETURN_IF_ERROR(InitCrypto());
  std::string_view nonce = box.substr(0, kAeadNonceSize);
  std::string_view ct = box.substr(kAeadNonceSize);
  std::string out(ct.size() - kAeadTagSize, '\0');
  unsigned long long written = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(reinterpret_cast<unsigned char*>(out.data()),
                                                 &written, nullptr, U(ct), ct.size(), U(aad),
                                                 aad.size(), U(nonce), U(key)) != 0) {
    return AccessDenied("sealed box failed authentication");
  }
  out.resize(written);
  return out;
}

}  // namespace iam::crypto
