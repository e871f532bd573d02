#include "auth/totp.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "crypto/hash.h"

namespace iam::auth {
namespace {

constexpr char kBase32Alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

std::string HmacSha1(std::string_view key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (HMAC(EVP_sha1(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
           data.size(), out, &len) == nullptr) {
    return std::string();
  }
  return std::string(reinterpret_cast<const char*>(out), len);
}

}  // namespace

int64_t TotpStep(int64_t unix_seconds) {
  // Floor division, so that times before the epoch still map monotonically.
  int64_t q = unix_seconds / kTotpStepSeconds;
  if (unix_seconds % kTotpStepSeconds < 0) --q;
  return q;
}

std::string HotpCode(std::string_view seed, int64_t counter, int digits) {
  if (digits < 6) digits = 6;
  if (digits > 8) digits = 8;
  char msg[8];
  uint64_t c = static_cast<uint64_t>(counter);
  for (int i = 7; i >= 0; --i) {
    msg[i] = static_cast<char>(c & 0xff);
    c >>= 8;
  }
  std::string mac = HmacSha1(seed, std::string_view(msg, sizeof msg));
  if (mac.size() != 20) return std::string(static_cast<size_t>(digits), '-');  // never matches a code
  // RFC 4226 section 5.3: dynamic truncation.
  int offset = static_cast<unsigned char>(mac[19]) & 0x0f;
  uint32_t bin = (static_cast<uint32_t>(static_cast<unsigned char>(mac[offset]) & 0x7f) << 24) |
                 (static_cast<uint32_t>(static_cast<unsigned char>(mac[offset + 1])) << 16) |
                 (static_cast<uint32_t>(static_cast<unsigned char>(mac[offset + 2])) << 8) |
                 static_cast<uint32_t>(static_cast<unsigned char>(mac[offset + 3]));
  uint32_t mod = 1;
  for (int i = 0; i < digits; ++i) mod *= 10;
  std::string code = std::to_string(bin % mod);
  return std::string(static_cast<size_t>(digits) - code.size(), '0') + code;
}

std::string TotpCode(std::string_view seed, int64_t step, int digits) { return HotpCode(seed, step, digits); }

std::optional<int64_t> MatchTotp(std::string_view seed, std::string_view code, int64_t unix_seconds, int drift) {
  const int64_t now = TotpStep(unix_seconds);
  std::optional<int64_t> match;
  // Every candidate is computed and compared, so timing does not tell which one matched.
  for (int64_t step = now - drift; step <= now + drift; ++step) {
    if (crypto::ConstantTimeEquals(TotpCode(seed, step), code)) match = step;
  }
  return match;
}

std::string Base32Encode(std::string_view bytes) {
  std::string out;
  uint32_t buffer = 0;
  int bits = 0;
  for (unsigned char ch : bytes) {
    buffer = (buffer << 8) | ch;
    bits += 8;
    while (bits >= 5) {
      out.push_back(kBase32Alphabet[(buffer >> (bits - 5)) & 31]);
      bits -= 5;
    }
  }
  if (bits > 0) out.push_back(kBase32Alphabet[(buffer << (5 - bits)) & 31]);
  return out;
}

std::optional<std::string> Base32Decode(std::string_view text) {
  std::string out;
  uint32_t buffer = 0;
  int bits = 0;
  for (char ch : text) {
    int v;
    if (ch >= 'A' && ch <= 'Z') v = ch - 'A';
    else if (ch >= 'a' && ch <= 'z') v = ch - 'a';
    else if (ch >= '2' && ch <= '7') v = ch - '2' + 26;
    else if (ch == '=' || ch == ' ') continue;
    else return std::nullopt;
    buffer = (buffer << 5) | static_cast<uint32_t>(v);
    bits += 5;
    if (bits >= 8) {
      out.push_back(static_cast<char>((buffer >> (bits - 8)) & 0xff));
      bits -= 8;
    }
  }
  return out;
}

}  // namespace iam::auth
