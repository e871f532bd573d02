#include "service/sts/authorization_message.h"

#include "crypto/base64.h"

namespace iam::service::sts {
namespace {

constexpr std::string_view kAadPrefix = "iamd-authorization-message-v1:";

std::string Aad(std::string_view account_id) { return std::string(kAadPrefix) + std::string(account_id); }

}  // namespace

Result<std::string> EncodeAuthorizationMessage(const crypto::KeyRing& ring, std::string_view account_id,
                                               const nlohmann::json& details) {
  Result<std::string> box = ring.Seal(details.dump(), Aad(account_id));
  if (!box.ok()) return Internal("cannot seal an authorization message: " + box.status().message());
  return crypto::Base64Encode(*box);
}

Result<std::string> DecodeAuthorizationMessage(const crypto::KeyRing& ring, std::string_view account_id,
                                               std::string_view encoded) {
  Status invalid(StatusCode::kInvalidAuthorizationMessage, "Message is not valid");
  if (encoded.size() > 65536) return invalid;
  std::optional<std::string> box = crypto::Base64Decode(encoded);
  if (!box) return invalid;
  Result<std::string> text = ring.Open(*box, Aad(account_id));
  if (!text.ok()) return invalid;
  return text;
}

}  // namespace iam::service::sts
