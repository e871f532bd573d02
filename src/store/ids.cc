#include "store/ids.h"

#include "crypto/random.h"

namespace iam::store {
namespace {

constexpr char kBase32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
constexpr char kBase64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string RandomFrom(std::string_view alphabet, size_t n) {
  std::string out;
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    out.push_back(alphabet[crypto::RandomUniform(static_cast<uint32_t>(alphabet.size()))]);
  }
  return out;
}

}  // namespace

std::string NewUniqueId(std::string_view prefix) {
  return std::string(prefix) + RandomFrom(kBase32, 17);
}

std::string NewAccessKeyId() { return "AKIA" + RandomFrom(kBase32, 16); }

std::string NewSecretAccessKey() { return RandomFrom(kBase64, 40); }

std::string NewAccountId() { return RandomFrom("123456789", 1) + RandomFrom("0123456789", 11); }

std::string Arn(std::string_view account_id, std::string_view type, std::string_view path,
                std::string_view name) {
  constexpr std::string_view kPrefix = "arn:aws:iam::";
  std::string out;
  out.reserve(kPrefix.size() + account_id.size() + 1 + type.size() + path.size() + name.size());
  out.append(kPrefix).append(account_id).append(":").append(type).append(path).append(name);
  return out;
}

Result<ParsedArn> ParseArn(std::string_view arn) {
  constexpr std::string_view kPrefix = "arn:aws:iam::";
  auto bad = [&] { return ValidationError("Invalid ARN: " + std::string(arn)); };
  if (arn.substr(0, kPrefix.size()) != kPrefix) return bad();
  std::string_view rest = arn.substr(kPrefix.size());
  size_t colon = rest.find(':');
  if (colon == std::string_view::npos || colon == 0) return bad();
  ParsedArn out;
  out.account_id = rest.substr(0, colon);
  rest = rest.substr(colon + 1);
  size_t slash = rest.find('/');
  size_t last = rest.rfind('/');
  if (slash == std::string_view::npos || slash == 0 || last + 1 >= rest.size()) return bad();
  out.type = rest.substr(0, slash);
  out.path = rest.substr(slash, last - slash + 1);
  out.name = rest.substr(last + 1);
  return out;
}

}  // namespace iam::store
