// A small LRU cache of derived SigV4 signing keys. Deriving one costs four
// HMACs; a client signs many requests with the same key on the same day, so
// the cache saves most of that. Entries are keyed by a name of the secret
// (never the secret itself) plus date, region and service, so a rotated
// secret never meets a stale key. Evicted keys are wiped.
//
// Thread-safety: every method may be called concurrently (one mutex).
#pragma once

#include <cstddef>
#include <cstdint>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace iam::auth {

class SigningKeyCache {
 public:
  // `capacity` > 0 entries; the least recently used is dropped beyond it.
  explicit SigningKeyCache(size_t capacity);
  ~SigningKeyCache();
  SigningKeyCache(const SigningKeyCache&) = delete;
  SigningKeyCache& operator=(const SigningKeyCache&) = delete;

  // CacheKey builds the lookup key from a name of the secret (a keyed
  // fingerprint of it, or a name that changes whenever it does) and the
  // credential scope.
  static std::string CacheKey(std::string_view secret_name, std::string_view date,
                              std::string_view region, std::string_view service);

  // Find returns the signing key stored under `key` and marks it recently
  // used, or nullopt.
  std::optional<std::string> Find(const std::string& key);
  // Insert stores `signing_key` under `key`, replacing any older value.
  void Insert(const std::string& key, std::string signing_key);
  // Clear drops (and wipes) every entry.
  void Clear();

  size_t size() const;
  size_t capacity() const { return capacity_; }
  uint64_t hits() const;
  uint64_t misses() const;

 private:
  struct Entry {
    std::string key;
    std::string signing_key;
  };
  void EvictLocked();

  const size_t capacity_;
  mutable std::mutex mu_;
  std::list<Entry> lru_;  // front = most recently used
  std::unordered_map<std::string_view, std::list<Entry>::iterator> index_;
  uint64_t hits_ = 0;
  uint64_t misses_ = 0;
};

}  // namespace iam::auth
