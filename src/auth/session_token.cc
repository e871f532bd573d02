#include "auth/session_token.h"

#include "auth/sigv4.h"
#include "crypto/base64.h"
#include "crypto/random.h"

namespace iam::auth {
namespace {

constexpr uint8_t kVersion = 1;
constexpr std::string_view kAad = "iamd-session-token-v1";
constexpr char kBase32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

class Writer {
 public:
  void Byte(uint8_t b) { out_.push_back(static_cast<char>(b)); }
  void Varint(uint64_t v) {
    while (v >= 0x80) {
      Byte(static_cast<uint8_t>(v | 0x80));
      v >>= 7;
    }
    Byte(static_cast<uint8_t>(v));
  }
  void Str(std::string_view s) {
    Varint(s.size());
    out_.append(s);
  }
  void Int(int64_t v) { Varint(static_cast<uint64_t>(v)); }
  std::string Take() { return std::move(out_); }

 private:
  std::string out_;
};

// Reads what Writer wrote; any overrun or oversize sets a sticky failure.
class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  bool ok() const { return ok_; }
  bool done() const { return pos_ == in_.size(); }
  uint8_t Byte() {
    if (pos_ >= in_.size()) return Fail(), 0;
    return static_cast<uint8_t>(in_[pos_++]);
  }
  // Only the shortest encoding of a value is accepted, so that a record has
  // exactly one encoding.
  uint64_t Varint() {
    uint64_t v = 0;
    for (int shift = 0; shift < 64 && ok_; shift += 7) {
      uint8_t b = Byte();
      if (shift > 0 && b == 0) break;             // a redundant trailing zero group
      if (shift == 63 && (b & 0x7e) != 0) break;  // beyond 64 bits
      v |= static_cast<uint64_t>(b & 0x7f) << shift;
      if ((b & 0x80) == 0) return v;
    }
    Fail();
    return 0;
  }
  std::string Str() {
    uint64_t n = Varint();
    if (!ok_ || n > kMaxSessionField || n > in_.size() - pos_) return Fail(), std::string();
    std::string s(in_.substr(pos_, n));
    pos_ += n;
    return s;
  }
  int64_t Int() { return static_cast<int64_t>(Varint()); }
  bool Bool() {
    uint8_t b = Byte();
    if (b > 1) Fail();
    return b == 1;
  }
  size_t Count(size_t max) {
    uint64_t n = Varint();
    if (n > max) Fail();
    return ok_ ? n : 0;
  }
  void Fail() { ok_ = false; }

 private:
  std::string_view in_;
  size_t pos_ = 0;
  bool ok_ = true;
};

Status Invalid() { return Status(StatusCode::kInvalidClientTokenId, std::string(kInvalidClientTokenIdMessage)); }

}  // namespace

std::string EncodeSessionRecord(const SessionRecord& r) {
  Writer w;
  w.Byte(kVersion);
  w.Byte(static_cast<uint8_t>(r.kind));
  for (const std::string* s : {&r.account_id, &r.access_key_id, &r.secret_access_key, &r.role_arn, &r.role_id,
                               &r.role_name, &r.session_name, &r.user_name, &r.user_id, &r.user_arn,
                               &r.session_policy, &r.source_identity}) {
    w.Str(*s);
  }
  w.Varint(r.policy_arns.size());
  for (const std::string& a : r.policy_arns) w.Str(a);
  w.Varint(r.tags.size());
  for (const SessionTag& t : r.tags) {
    w.Str(t.key);
    w.Str(t.value);
  }
  w.Varint(r.transitive_tag_keys.size());
  for (const std::string& k : r.transitive_tag_keys) w.Str(k);
  w.Byte(r.is_root ? 1 : 0);
  w.Byte(r.mfa_authenticated ? 1 : 0);
  w.Byte(r.chained ? 1 : 0);
  w.Int(r.issued_at);
  w.Int(r.expires_at);
  return w.Take();
}

Result<SessionRecord> DecodeSessionRecord(std::string_view bytes) {
  Reader rd(bytes);
  SessionRecord r;
  if (rd.Byte() != kVersion) return InvalidInput("unknown session record version");
  uint8_t kind = rd.Byte();
  if (kind < 1 || kind > 3) return InvalidInput("unknown session kind");
  r.kind = static_cast<SessionKind>(kind);
  for (std::string* s : {&r.account_id, &r.access_key_id, &r.secret_access_key, &r.role_arn, &r.role_id,
                         &r.role_name, &r.session_name, &r.user_name, &r.user_id, &r.user_arn, &r.session_policy,
                         &r.source_identity}) {
    *s = rd.Str();
  }
  size_t n = rd.Count(kMaxSessionPolicyArns);
  for (size_t i = 0; i < n && rd.ok(); ++i) r.policy_arns.push_back(rd.Str());
  n = rd.Count(kMaxSessionTags);
  for (size_t i = 0; i < n && rd.ok(); ++i) {
    SessionTag t;
    t.key = rd.Str();
    t.value = rd.Str();
    r.tags.push_back(std::move(t));
  }
  n = rd.Count(kMaxSessionTags);
  for (size_t i = 0; i < n && rd.ok(); ++i) r.transitive_tag_keys.push_back(rd.Str());
  r.is_root = rd.Bool();
  r.mfa_authenticated = rd.Bool();
  r.chained = rd.Bool();
  r.issued_at = rd.Int();
  r.expires_at = rd.Int();
  if (!rd.ok() || !rd.done()) return InvalidInput("malformed session record");
  if (r.account_id.empty() || r.access_key_id.empty() || r.secret_access_key.empty()) {
    return InvalidInput("session record without account or key");
  }
  return r;
}

Result<std::string> SealSessionToken(const SessionRecord& r, const crypto::KeyRing& ring) {
  if (r.policy_arns.size() > kMaxSessionPolicyArns || r.tags.size() > kMaxSessionTags ||
      r.transitive_tag_keys.size() > kMaxSessionTags) {
    return InvalidInput("session record over its limits");
  }
  std::string record = EncodeSessionRecord(r);
  Result<SessionRecord> check = DecodeSessionRecord(record);  // a field over kMaxSessionField
  if (!check.ok()) return InvalidInput("session record over its limits");
  Result<std::string> box = ring.Seal(record, kAad);
  if (!box.ok()) return box.status();
  std::string token = crypto::Base64Encode(*box);
  if (token.size() > kMaxSessionTokenSize) return InvalidInput("session token over its size limit");
  return token;
}

Result<SessionRecord> OpenSessionToken(std::string_view token, const crypto::KeyRing& ring) {
  if (token.empty() || token.size() > kMaxSessionTokenSize) return Invalid();
  std::optional<std::string> box = crypto::Base64Decode(token);
  if (!box) return Invalid();
  Result<std::string> record = ring.Open(*box, kAad);
  if (!record.ok()) {
    if (record.status().code() == StatusCode::kNoSuchEntity) return record.status();
    return Invalid();
  }
  Result<SessionRecord> r = DecodeSessionRecord(*record);
  if (!r.ok()) return Invalid();
  return r;
}

std::optional<uint32_t> SessionTokenKeyId(std::string_view token) {
  if (token.size() > kMaxSessionTokenSize) return std::nullopt;
  std::optional<std::string> box = crypto::Base64Decode(token);
  if (!box) return std::nullopt;
  Result<uint32_t> id = crypto::KeyRing::KeyIdOf(*box);
  if (!id.ok()) return std::nullopt;
  return *id;
}

// AWS's layout: the 10 bytes behind the 16 base32 characters start with 48
// bits holding (account id << 7) plus 7 random bits, top bit clear.
std::string NewSessionAccessKeyId(std::string_view account_id) {
  uint64_t account = 0;
  for (char c : account_id) account = account * 10 + static_cast<uint64_t>(c >= '0' && c <= '9' ? c - '0' : 0);
  std::string raw = crypto::RandomBytes(10);
  uint64_t head = ((account & ((uint64_t{1} << 40) - 1)) << 7) | (static_cast<uint8_t>(raw[0]) & 0x7f);
  for (int i = 0; i < 6; ++i) raw[i] = static_cast<char>((head >> (8 * (5 - i))) & 0xff);
  std::string id = "ASIA";
  uint32_t buffer = 0;
  int bits = 0;
  for (char c : raw) {
    buffer = (buffer << 8) | static_cast<uint8_t>(c);
    bits += 8;
    while (bits >= 5) {
      id.push_back(kBase32[(buffer >> (bits - 5)) & 31]);
      bits -= 5;
    }
  }
  return id;
}

std::optional<std::string> AccountOfAccessKeyId(std::string_view access_key_id) {
  if (access_key_id.size() != 20) return std::nullopt;
  uint64_t head = 0;  // the first 48 bits: 10 characters hold 50
  int bits = 0;
  for (char c : access_key_id.substr(4, 10)) {
    int v = c >= 'A' && c <= 'Z' ? c - 'A' : c >= '2' && c <= '7' ? c - '2' + 26 : -1;
    if (v < 0) return std::nullopt;
    head = (head << 5) | static_cast<uint64_t>(v);
    bits += 5;
  }
  head >>= bits - 48;
  uint64_t account = (head & 0x7fffffffff80ULL) >> 7;
  std::string digits = std::to_string(account);
  if (digits.size() < 12) digits.insert(0, 12 - digits.size(), '0');
  return digits;
}

}  // namespace iam::auth
