// Time-based one-time passwords as virtual MFA devices use them: RFC 6238
// over RFC 4226 (HMAC-SHA-1, 6 digits, 30-second steps from the Unix epoch),
// and the Base32 text (RFC 4648, no padding) in which AWS hands out seeds.
// Pure functions; thread-safe.
//
//   int64_t step = TotpStep(now);
//   std::string code = TotpCode(seed, step);            // "287082"
//   std::optional<int64_t> s = MatchTotp(seed, code, now);
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace iam::auth {

inline constexpr int64_t kTotpStepSeconds = 30;
inline constexpr int kTotpDigits = 6;
// Steps accepted either side of the current one, for clock drift between the
// device and the server. AWS does not publish its window; one step each side
// (a code is good for 30 s before to 30 s after its own step) is the common
// choice of TOTP servers and what RFC 6238 section 5.2 recommends.
inline constexpr int kTotpDriftSteps = 1;

// TotpStep returns the RFC 6238 counter for a Unix time: floor(t / 30).
int64_t TotpStep(int64_t unix_seconds);

// HotpCode returns the RFC 4226 code of `counter` under `seed` (raw bytes),
// zero-padded to `digits` (6 to 8).
std::string HotpCode(std::string_view seed, int64_t counter, int digits = kTotpDigits);

// TotpCode is HotpCode of a TOTP step.
std::string TotpCode(std::string_view seed, int64_t step, int digits = kTotpDigits);

// MatchTotp returns the step within `drift` steps of now whose code equals
// `code` (compared in constant time), the latest one if several do, or
// nullopt. It does not know which steps were used already: callers record
// the step (store::AdvanceMfaStep) so that a code counts once.
std::optional<int64_t> MatchTotp(std::string_view seed, std::string_view code, int64_t unix_seconds,
                                 int drift = kTotpDriftSteps);

// Base32Encode returns RFC 4648 Base32 (A-Z2-7) without padding, as AWS's
// Base32StringSeed and otpauth:// URIs carry seeds.
std::string Base32Encode(std::string_view bytes);
// Base32Decode accepts upper or lower case, ignores '=' padding and spaces,
// and returns nullopt on any other character.
std::optional<std::string> Base32Decode(std::string_view text);

}  // namespace iam::auth
