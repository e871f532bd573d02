// SecretKey holds a plaintext secret access key for as short a time as
// possible: move-only, and its bytes are overwritten when it is destroyed or
// moved from. Never log or print one. (src/crypto has no wiping helper, so
// this lives here; it uses OpenSSL's OPENSSL_cleanse, which the compiler may
// not optimise away.)
#pragma once

#include <string>
#include <string_view>

namespace iam::auth {

// Overwrites `bytes` with zeros in a way the optimiser keeps, then clears it.
void WipeString(std::string& bytes);

class SecretKey {
 public:
  SecretKey() = default;
  explicit SecretKey(std::string value) : value_(std::move(value)) {}
  SecretKey(const SecretKey&) = delete;
  SecretKey& operator=(const SecretKey&) = delete;
  SecretKey(SecretKey&& other) noexcept;
  SecretKey& operator=(SecretKey&& other) noexcept;
  ~SecretKey() { WipeString(value_); }

  std::string_view view() const { return value_; }
  bool empty() const { return value_.empty(); }

 private:
  std::string value_;
};

}  // namespace iam::auth
