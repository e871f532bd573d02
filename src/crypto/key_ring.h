// A KeyRing holds numbered AEAD keys: new boxes are sealed with the current
// key, and a box names the key that sealed it, so that after a rotation older
// boxes still open. Box layout: 0x01 | key id (4 bytes, big endian) | Seal().
//
//   KeyRing ring;
//   ring.Add(1, GenerateAeadKey());  // the first key added becomes current
//   std::string box = ring.Seal("secret", "aad").value();
//
// Thread-safety: const methods are safe to call concurrently; mutate a ring
// only while no other thread uses it (build a new ring and swap instead).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "iamd/status.h"

namespace iam::crypto {

class KeyRing {
 public:
  // Add registers `key` (32 bytes) under `id`; the first key becomes current.
  // Returns kInvalidInput for a bad size and kEntityAlreadyExists for a
  // repeated id.
  Status Add(uint32_t id, std::string key);
  // SetCurrent selects the key that seals from now on. Returns kNoSuchEntity
  // if `id` is unknown.
  Status SetCurrent(uint32_t id);

  uint32_t current_id() const { return current_; }
  bool empty() const { return keys_.empty(); }
  bool Has(uint32_t id) const { return keys_.contains(id); }
  size_t size() const { return keys_.size(); }

  // Seal encrypts with the current key. Returns kInternal on an empty ring.
  Result<std::string> Seal(std::string_view plaintext, std::string_view aad) const;
  // Open decrypts a box from Seal. Returns kInvalidInput for a malformed box,
  // kNoSuchEntity if the sealing key is not in the ring, kAccessDenied if the
  // box does not authenticate.
  Result<std::string> Open(std::string_view box, std::string_view aad) const;
  // KeyIdOf returns the id named by a box, or kInvalidInput.
  static Result<uint32_t> KeyIdOf(std::string_view box);

 private:
  std::map<uint32_t, std::string> keys_;
  uint32_t current_ = 0;
};

}  // namespace iam::crypto
