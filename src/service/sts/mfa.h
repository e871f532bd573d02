// The MFA check of STS requests that pass SerialNumber and TokenCode: the
// code must come from that device, enabled for the calling user, and not
// have been used before (service/iam/mfa_check.h).
#pragma once

#include "iamd/status.h"
#include "service/sts/sts_ops.h"

namespace iam::service::sts {

// OK when the request carries no MFA information (sets *present false) or a
// valid code (sets *present true). kAccessDenied with AWS's message when the
// code is wrong or the device is not the caller's, kValidationError when only
// one of SerialNumber and TokenCode is given.
Status CheckRequestMfa(Ctx& c, bool* present);

}  // namespace iam::service::sts
