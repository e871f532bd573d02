// Session tokens: the X-Amz-Security-Token of temporary credentials. A token
// is a self-contained record of the session (who, which policies and tags,
// until when, and the session's secret key) sealed with the server key ring
// (XChaCha20-Poly1305), so that any node verifies a request signed with
// temporary credentials without a database read. The box names the key that
// sealed it; after a rotation older tokens still open until they expire.
//
//   SessionRecord r;
//   r.kind = SessionKind::kAssumedRole;
//   r.account_id = "123456789012";
//   r.access_key_id = NewSessionAccessKeyId(r.account_id);
//   ...
//   std::string token = SealSessionToken(r, ring).value();   // base64 text
//   Result<SessionRecord> back = OpenSessionToken(token, ring);
//
// Layout (before sealing): version byte, then every field in a fixed order,
// strings as LEB128 length + bytes, counts bounded. Parsing rejects trailing
// bytes, overlong fields and counts beyond the limits.
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "crypto/key_ring.h"
#include "iamd/status.h"

namespace iam::auth {

enum class SessionKind : uint8_t {
  kAssumedRole = 1,    // AssumeRole (and later AssumeRoleWith...)
  kFederatedUser = 2,  // GetFederationToken
  kUserSession = 3,    // GetSessionToken: the user (or root) itself
};

// Limits on what a token carries (AWS: 50 session tags, 10 managed session
// policies, a 2,048-character session policy).
inline constexpr size_t kMaxSessionTags = 50;
inline constexpr size_t kMaxSessionPolicyArns = 10;
inline constexpr size_t kMaxSessionField = 4096;     // any one string
inline constexpr size_t kMaxSessionTokenSize = 16384;  // the base64 text

struct SessionTag {
  std::string key;
  std::string value;
};

struct SessionRecord {
  SessionKind kind = SessionKind::kAssumedRole;
  std::string account_id;         // the account the session acts in
  std::string access_key_id;      // ASIA...
  std::string secret_access_key;  // the session's signing secret
  // kAssumedRole: the role.
  std::string role_arn;
  std::string role_id;  // AROA...
  std::string role_name;
  // The role session name, or the federated user's name.
  std::string session_name;
  // kUserSession and kFederatedUser: the IAM user behind the session (its
  // name, id, ARN), or empty user_name with is_root for the account root.
  std::string user_name;
  std::string user_id;
  std::string user_arn;
  bool is_root = false;
  // Session policies: an inline document and managed policy ARNs.
  std::string session_policy;
  std::vector<std::string> policy_arns;
  std::vector<SessionTag> tags;
  std::vector<std::string> transitive_tag_keys;
  std::string source_identity;
  bool mfa_authenticated = false;
  // Issued by a role session (role chaining).
  bool chained = false;
  int64_t issued_at = 0;   // seconds since the epoch
  int64_t expires_at = 0;  // seconds since the epoch
};

// Encodes a record (unsealed). Exposed for tests and the fuzzer.
std::string EncodeSessionRecord(const SessionRecord& r);
// Decodes EncodeSessionRecord's output. kInvalidInput on anything else.
Result<SessionRecord> DecodeSessionRecord(std::string_view bytes);

// Seals `r` with the ring's current key; returns the base64 token.
// kInternal on an empty ring, kInvalidInput if a field is over its limit.
Result<std::string> SealSessionToken(const SessionRecord& r, const crypto::KeyRing& ring);

// Opens a token. kInvalidClientTokenId (AWS's message) for anything that is
// not a token sealed by a key of `ring`; kNoSuchEntity when the token names a
// key id the ring lacks (the caller may reload its ring and retry).
// Expiry is not checked here (see SessionExpired).
Result<SessionRecord> OpenSessionToken(std::string_view token, const crypto::KeyRing& ring);

// The id of the key that sealed `token`, or nullopt if it is not a token.
std::optional<uint32_t> SessionTokenKeyId(std::string_view token);

// True when `now` (seconds) is at or past the session's expiry.
inline bool SessionExpired(const SessionRecord& r, int64_t now) { return now >= r.expires_at; }

// A fresh temporary access key id: "ASIA" + 16 base32 characters that carry
// the account id as AWS's do (so GetAccessKeyInfo can name the account).
std::string NewSessionAccessKeyId(std::string_view account_id);
// The 12-digit account id an access key id carries in AWS's encoding, or
// nullopt for an id that is not 20 characters of [A-Z2-7].
std::optional<std::string> AccountOfAccessKeyId(std::string_view access_key_id);

// AWS's messages for refused tokens.
inline constexpr std::string_view kExpiredTokenMessage = "The security token included in the request is expired";

}  // namespace iam::auth
