#include "crypto/base64.h"

#include <sodium.h>

#include "crypto/random.h"

namespace iam::crypto {
namespace {

std::optional<std::string> Decode(std::string_view text, const char* ignore, int variant) {
  (void)InitCrypto();
  std::string out(text.size() / 4 * 3 + 3, '\0');
  size_t len = 0;
  const char* end = nullptr;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(), text.size(), ignore,
                        &len, &end, variant) != 0 ||
      end != text.data() + text.size()) {
    return std::nullopt;
  }
  out.resize(len);
  return out;
}

// libsodium's padded variants require the padding and the unpadded ones refuse it.
std::string_view StripPadding(std::string_view text) {
  while (!text.empty() && (text.back() == '=' || text.back() == '\n' || text.back() == '\r' || text.back() == ' ' ||
                           text.back() == '\t')) {
    text.remove_suffix(1);
  }
  return text;
}

std::string Encode(std::string_view bytes, int variant) {
  (void)InitCrypto();
  std::string out(sodium_base64_encoded_len(bytes.size(), variant), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                    variant);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

}  // namespace

std::string Base64Encode(std::string_view bytes) { return Encode(bytes, sodium_base64_VARIANT_ORIGINAL); }

std::string Base64UrlEncode(std::string_view bytes) { return Encode(bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING); }

std::optional<std::string> Base64Decode(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  return Decode(text, nullptr, sodium_base64_VARIANT_ORIGINAL);
}

std::optional<std::string> Base64DecodeLoose(std::string_view text) {
  return Decode(StripPadding(text), " \t\r\n", sodium_base64_VARIANT_ORIGINAL_NO_PADDING);
}

std::optional<std::string> Base64UrlDecode(std::string_view text) {
  return Decode(StripPadding(text), nullptr, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

}  // namespace iam::crypto
