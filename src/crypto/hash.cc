#include "crypto/hash.h"

#include <array>
#include <cstdlib>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/sha.h>

namespace iam::crypto {
namespace {

constexpr size_t kBlock = 64;   // SHA-256's block size, HMAC's pad length
constexpr size_t kDigest = 32;

// OpenSSL 3's one-shot SHA256() and HMAC() look the algorithm up in the
// provider table (a lock and a hash lookup) on every call, which cost more
// than the hashing itself on SigV4's short inputs. The digest is fetched
// once, and each thread reuses one context.
const EVP_MD* Sha256Md() {
  static const EVP_MD* md = [] {
    const EVP_MD* fetched = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    return fetched != nullptr ? fetched : EVP_sha256();
  }();
  return md;
}

class ThreadDigest {
 public:
  ThreadDigest() : ctx_(EVP_MD_CTX_new()) {}
  ~ThreadDigest() { EVP_MD_CTX_free(ctx_); }
  ThreadDigest(const ThreadDigest&) = delete;
  ThreadDigest& operator=(const ThreadDigest&) = delete;

  // SHA-256 of the concatenation of `a` and `b` into out[0..32).
  void Hash(std::string_view a, std::string_view b, unsigned char* out) {
    unsigned int n = 0;
    if (ctx_ == nullptr || EVP_DigestInit_ex2(ctx_, Sha256Md(), nullptr) != 1 ||
        EVP_DigestUpdate(ctx_, a.data(), a.size()) != 1 || EVP_DigestUpdate(ctx_, b.data(), b.size()) != 1 ||
        EVP_DigestFinal_ex(ctx_, out, &n) != 1 || n != kDigest) {
      // Only allocation failure gets here: retry on a fresh context, and
      // give up (rather than return a wrong digest) if that fails too.
      EVP_MD_CTX* tmp = EVP_MD_CTX_new();
      if (tmp == nullptr || EVP_DigestInit_ex(tmp, EVP_sha256(), nullptr) != 1 ||
          EVP_DigestUpdate(tmp, a.data(), a.size()) != 1 || EVP_DigestUpdate(tmp, b.data(), b.size()) != 1 ||
          EVP_DigestFinal_ex(tmp, out, &n) != 1) {
        std::abort();
      }
      EVP_MD_CTX_free(tmp);
    }
  }

 private:
  EVP_MD_CTX* ctx_;
};

ThreadDigest& Digest() {
  thread_local ThreadDigest digest;
  return digest;
}

std::string_view View(const unsigned char* p, size_t n) { return {reinterpret_cast<const char*>(p), n}; }

}  // namespace

std::string Sha256(std::string_view data) {
  std::string out(kDigest, '\0');
  Digest().Hash(data, {}, reinterpret_cast<unsigned char*>(out.data()));
  return out;
}

std::string Sha1(std::string_view data) {
  std::string out(SHA_DIGEST_LENGTH, '\0');
  SHA1(reinterpret_cast<const unsigned char*>(data.data()), data.size(), reinterpret_cast<unsigned char*>(out.data()));
  return out;
}

// RFC 2104: H((K ^ opad) || H((K ^ ipad) || data)), K hashed first when
// longer than a block.
std::string HmacSha256(std::string_view key, std::string_view data) {
  std::array<unsigned char, kBlock> k{};
  if (key.size() > kBlock) {
    Digest().Hash(key, {}, k.data());
  } else {
    for (size_t i = 0; i < key.size(); ++i) k[i] = static_cast<unsigned char>(key[i]);
  }
  std::array<unsigned char, kBlock> pad;
  for (size_t i = 0; i < kBlock; ++i) pad[i] = k[i] ^ 0x36;
  std::array<unsigned char, kDigest> inner;
  Digest().Hash(View(pad.data(), kBlock), data, inner.data());
  for (size_t i = 0; i < kBlock; ++i) pad[i] = k[i] ^ 0x5c;
  std::string out(kDigest, '\0');
  Digest().Hash(View(pad.data(), kBlock), View(inner.data(), kDigest), reinterpret_cast<unsigned char*>(out.data()));
  OPENSSL_cleanse(k.data(), k.size());  // key material
  OPENSSL_cleanse(pad.data(), pad.size());
  OPENSSL_cleanse(inner.data(), inner.size());
  return out;
}

std::string HexEncode(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(bytes.size() * 2, '\0');
  for (size_t i = 0; i < bytes.size(); ++i) {
    auto c = static_cast<unsigned char>(bytes[i]);
    out[2 * i] = kHex[c >> 4];
    out[2 * i + 1] = kHex[c & 0xf];
  }
  return out;
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return a.empty() || CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace iam::crypto
