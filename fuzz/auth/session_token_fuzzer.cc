// libFuzzer target for session tokens. The first byte picks what the rest is:
//   0  an unsealed session record (DecodeSessionRecord)
//   1+ a token's text (OpenSessionToken with a fixed ring)
// Nothing may crash; a record that decodes must encode back to the same
// bytes (the encoding is canonical), and any token that opens must name the
// ring's key.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "auth/session_token.h"
#include "crypto/key_ring.h"

namespace {

const iam::crypto::KeyRing& Ring() {
  static const iam::crypto::KeyRing* ring = [] {
    auto* r = new iam::crypto::KeyRing();
    if (!r->Add(1, std::string(32, 'k')).ok()) std::abort();
    return r;
  }();
  return *ring;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (data[0] == 0) {
    iam::Result<iam::auth::SessionRecord> r = iam::auth::DecodeSessionRecord(rest);
    if (r.ok() && iam::auth::EncodeSessionRecord(*r) != rest) std::abort();
    return 0;
  }
  iam::Result<iam::auth::SessionRecord> r = iam::auth::OpenSessionToken(rest, Ring());
  if (r.ok() && iam::auth::SessionTokenKeyId(rest) != 1u) std::abort();
  (void)iam::auth::SessionTokenKeyId(rest);
  return 0;
}
