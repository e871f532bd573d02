#include "auth/signing_key_cache.h"

#include <utility>

#include "auth/secret_key.h"

namespace iam::auth {

SigningKeyCache::SigningKeyCache(size_t capacity) : capacity_(capacity == 0 ? 1 : capacity) {}

SigningKeyCache::~SigningKeyCache() { Clear(); }

std::string SigningKeyCache::CacheKey(std::string_view secret_name, std::string_view date,
                                      std::string_view region, std::string_view service) {
  // Each part carries its length, so no two different tuples share a key
  // whatever bytes they hold.
  std::string key;
  key.reserve(secret_name.size() + date.size() + region.size() + service.size() + 16);
  for (std::string_view part : {secret_name, date, region, service}) {
    key.append(std::to_string(part.size())).append(1, ':').append(part);
  }
  return key;
}

std::optional<std::string> SigningKeyCache::Find(const std::string& key) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = index_.find(key);
  if (it == index_.end()) {
    ++misses_;
    return std::nullopt;
  }
  ++hits_;
  lru_.splice(lru_.begin(), lru_, it->second);
  return it->second->signing_key;
}

void SigningKeyCache::Insert(const std::string& key, std::string signing_key) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = index_.find(key);
  if (it != index_.end()) {
    WipeString(it->second->signing_key);
    it->second->signing_key = std::move(signing_key);
    lru_.splice(lru_.begin(), lru_, it->second);
    return;
  }
  lru_.push_front(Entry{key, std::move(signing_key)});
  // The map's key views the list node's string, which never moves.
  index_.emplace(lru_.front().key, lru_.begin());
  while (lru_.size() > capacity_) EvictLocked();
}

void SigningKeyCache::EvictLocked() {
  Entry& last = lru_.back();
  index_.erase(last.key);
  WipeString(last.signing_key);
  lru_.pop_back();
}

void SigningKeyCache::Clear() {
  std::lock_guard<std::mutex> lock(mu_);
  while (!lru_.empty()) EvictLocked();
}

size_t SigningKeyCache::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return lru_.size();
}

uint64_t SigningKeyCache::hits() const {
  std::lock_guard<std::mutex> lock(mu_);
  return hits_;
}

uint64_t SigningKeyCache::misses() const {
  std::lock_guard<std::mutex> lock(mu_);
  return misses_;
}

}  // namespace iam::auth
