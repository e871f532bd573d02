#include "crypto/key_ring.h"

#include "common/status_macros.h"
#include "crypto/aead.h"

namespace iam::crypto {
namespace {

constexpr char kBoxVersion = 0x01;
constexpr size_t kHeaderSize = 5;

}  // namespace

Status KeyRing::Add(uint32_t id, std::string key) {
  if (key.size() != kAeadKeySize) return InvalidInput("key ring keys must be 32 bytes");
  if (keys_.count(id)) return AlreadyExists("key " + std::to_string(id) + " is already in the ring");
  if (keys_.empty()) current_ = id;
  keys_.emplace(id, std::move(key));
  return Status();
}

Status KeyRing::SetCurrent(uint32_t id) {
  if (!keys_.count(id)) return NoSuchEntity("key " + std::to_string(id) + " is not in the ring");
  current_ = id;
  return Status();
}

Result<std::string> KeyRing::Seal(std::string_view plaintext, std::string_view aad) const {
  auto it = keys_.find(current_);
  if (it == keys_.end()) return Internal("key ring is empty");
  std::string out(kHeaderSize, '\0');
  out[0] = kBoxVersion;
  for (int i = 0; i < 4; ++i) out[1 + i] = static_cast<char>((current_ >> (24 - 8 * i)) & 0xff);
  IAM_ASSIGN_OR_RETURN(std::string box, crypto::Seal(it->second, plaintext, aad));
  out += box;
  return out;
}

Result<uint32_t> KeyRing::KeyIdOf(std::string_view box) {
  if (box.size() < kHeaderSize || box[0] != kBoxVersion) return InvalidInput("not a key ring box");
  uint32_t id = 0;
  for (int i = 0; i < 4; ++i) id = (id << 8) | static_cast<unsigned char>(box[1 + i]);
  return id;
}

Result<std::string> KeyRing::Open(std::string_view box, std::string_view aad) const {
  IAM_ASSIGN_OR_RETURN(uint32_t id, KeyIdOf(box));
  auto it = keys_.find(id);
  if (it == keys_.end()) return NoSuchEntity("box was sealed by unknown key " + std::to_string(id));
  return crypto::Open(it->second, box.substr(kHeaderSize), aad);
}

}  // namespace iam::crypto
