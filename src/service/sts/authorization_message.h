// Encoded authorization messages: the details of an AccessDenied (decision,
// principal, action, resource, context) sealed with the server key ring, so
// that only those allowed sts:DecodeAuthorizationMessage in the same account
// can read them, as AWS's encoded messages.
//
//   std::string encoded = EncodeAuthorizationMessage(ring, account, details).value();
//   // ... later, DecodeAuthorizationMessage:
//   Result<std::string> json_text = DecodeAuthorizationMessage(ring, account, encoded);
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "crypto/key_ring.h"
#include "iamd/status.h"

namespace iam::service::sts {

// Seals `details` (AWS's shape: allowed, explicitDeny, matchedStatements,
// failures, context{principal, action, resource, conditions}) for `account_id`.
// kInternal on an empty ring.
Result<std::string> EncodeAuthorizationMessage(const crypto::KeyRing& ring, std::string_view account_id,
                                               const nlohmann::json& details);

// The JSON text of a message encoded for `account_id`.
// kInvalidAuthorizationMessage for anything else (another account's message,
// a tampered one, or one sealed by a key the ring lacks).
Result<std::string> DecodeAuthorizationMessage(const crypto::KeyRing& ring, std::string_view account_id,
                                               std::string_view encoded);

}  // namespace iam::service::sts
