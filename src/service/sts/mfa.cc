#include "service/sts/mfa.h"

#if __has_include("service/iam/mfa_check.h")
#include "service/iam/mfa_check.h"
#define IAMD_HAVE_MFA_CHECK 1
#endif

namespace iam::service::sts {

Status CheckRequestMfa(Ctx& c, bool* present) {
  *present = false;
  bool has_serial = c.in.contains("SerialNumber"), has_code = c.in.contains("TokenCode");
  if (!has_serial && !has_code) return Status();
  if (!has_serial || !has_code) {
    return ValidationError(has_serial ? "TokenCode is required when SerialNumber is given."
                                      : "SerialNumber is required when TokenCode is given.");
  }
  const std::string serial = c.in["SerialNumber"].get<std::string>();
  const std::string code = c.in["TokenCode"].get<std::string>();
#ifdef IAMD_HAVE_MFA_CHECK
  // Only a user's long-term credentials (or its session) name its device.
  std::string user = c.caller.session.kind == SessionKind::kAssumedRole ? std::string() : c.caller.user_name;
  Status ok = VerifyMfaCode(c.store, c.ring, c.caller.account_id, user, serial, code, c.now);
  if (!ok.ok()) return ok;
  *present = true;
  return Status();
#else
  (void)serial;
  (void)code;
  return AccessDenied("MultiFactorAuthentication failed with invalid MFA one time pass code.");
#endif
}

}  // namespace iam::service::sts
