// libFuzzer target for the JWKS parser and the JWT verifier. The input is a
// JWKS document and a token separated by the first NUL byte; without a NUL,
// the whole input is a token checked against a fixed, valid JWKS (one EC
// P-256 key), so that header, payload and signature decoding are reached.
// Nothing may crash or leak; a token that verifies must name the issuer.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "auth/jwt.h"

namespace {

// The P-256 key of RFC 7515 appendix A.3.
constexpr std::string_view kFixedJwks =
    R"({"keys":[{"kty":"EC","crv":"P-256","kid":"k1",)"
    R"("x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}]})";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  std::string_view jwks = kFixedJwks, token = in;
  if (size_t nul = in.find('\0'); nul != std::string_view::npos) {
    jwks = in.substr(0, nul);
    token = in.substr(nul + 1);
  }
  iam::Result<iam::auth::JsonWebKeySet> keys = iam::auth::JsonWebKeySet::Parse(jwks);
  if (!keys.ok()) return 0;
  iam::auth::JwtExpectations expect;
  expect.issuer = "https://issuer.example";
  expect.audiences = {"app"};
  expect.now = 1700000000;
  iam::Result<iam::auth::JwtClaims> claims = iam::auth::VerifyJwt(token, *keys, expect);
  if (claims.ok() && claims->issuer.empty()) std::abort();
  return 0;
}
