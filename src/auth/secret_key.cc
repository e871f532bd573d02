#include "auth/secret_key.h"

#include <openssl/crypto.h>

#include <utility>

namespace iam::auth {

void WipeString(std::string& bytes) {
  if (!bytes.empty()) OPENSSL_cleanse(bytes.data(), bytes.size());
  bytes.clear();
}

SecretKey::SecretKey(SecretKey&& other) noexcept : value_(std::move(other.value_)) {
  // A short string moves by copy and leaves its bytes behind.
  WipeString(other.value_);
}

SecretKey& SecretKey::operator=(SecretKey&& other) noexcept {
  if (this != &other) {
    WipeString(value_);
    value_ = std::move(other.value_);
    WipeString(other.value_);
  }
  return *this;
}

}  // namespace iam::auth
