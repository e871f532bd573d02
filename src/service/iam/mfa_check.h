// Checks a one-time code from a user's virtual MFA device, for the STS
// operations that take SerialNumber + TokenCode (AssumeRole, GetSessionToken).
#pragma once

#include <cstdint>
#include <string_view>

#include "crypto/key_ring.h"
#include "iamd/status.h"
#include "store/store.h"

namespace iam::service {

// VerifyMfaCode returns OK if `serial_number` names an MFA device enabled for
// `user_name` in `account_id` and `code` is its TOTP code for a step within
// the drift window (auth::kTotpDriftSteps) of `now_seconds` that was not used
// before; that step is then recorded, so the code works once.
// Otherwise kAccessDenied with AWS's message ("MultiFactorAuthentication
// failed ..."), and nothing changes. kInternal if the seed does not open.
Status VerifyMfaCode(store::Store& store, const crypto::KeyRing& ring, std::string_view account_id,
                     std::string_view user_name, std::string_view serial_number, std::string_view code,
                     int64_t now_seconds);

}  // namespace iam::service
