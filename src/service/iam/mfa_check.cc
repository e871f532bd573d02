#include "service/iam/mfa_check.h"

#include <optional>
#include <string>

#include "auth/totp.h"
#include "common/status_macros.h"

namespace iam::service {

Status VerifyMfaCode(store::Store& store, const crypto::KeyRing& ring, std::string_view account_id,
                     std::string_view user_name, std::string_view serial_number, std::string_view code,
                     int64_t now_seconds) {
  // AWS's two messages: one when the device is not the user's, one when the code is wrong.
  const Status not_associated = AccessDenied(
      "MultiFactorAuthentication failed, unable to validate MFA code.  Please verify your MFA serial number is "
      "valid and associated with this user.");
  const Status bad_code = AccessDenied("MultiFactorAuthentication failed with invalid MFA one time pass code.");
  Result<store::MfaDevice> device = store.GetMfaDevice(account_id, serial_number);
  if (!device.ok()) {
    if (device.status().code() == StatusCode::kNoSuchEntity) return not_associated;
    return device.status();
  }
  if (device->user_name.empty() || device->user_name != user_name) return not_associated;
  IAM_ASSIGN_OR_RETURN(std::string seed, ring.Open(device->sealed_seed, device->serial_number));
  std::optional<int64_t> step = auth::MatchTotp(seed, code, now_seconds);
  if (!step || *step <= device->last_totp_step) return bad_code;
  // The store accepts the step only if it is still newer than the last, so two
  // concurrent requests with one code cannot both pass.
  IAM_ASSIGN_OR_RETURN(bool fresh, store.AdvanceMfaStep(account_id, serial_number, *step));
  if (!fresh) return bad_code;
  return Status();
}

}  // namespace iam::service
