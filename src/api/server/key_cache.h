// Long-term access keys already resolved on this node: who owns each key and
// its sealed secret, valid while the store's generation does not move, so
// that a signed request needs no store read to find its signer. Secrets stay
// sealed here; the caller unseals per request.
//
// Thread-safety: all methods may be called from any thread.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace iam::api {

struct ResolvedKey {
  int64_t generation = 0;
  std::string access_key_id;
  std::string account_id;
  bool is_root = false;
  std::string user_name, user_id, arn;
  std::string sealed_secret;
};

class KeyCache {
 public:
  explicit KeyCache(size_t capacity = 100000) : capacity_(capacity) {}

  // The entry for `access_key_id`, whatever its generation (the caller
  // compares: an older one serves only while the store cannot be read), or
  // null. Shared, not copied: a hit costs no allocation.
  std::shared_ptr<const ResolvedKey> Find(const std::string& access_key_id) const {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = keys_.find(access_key_id);
    if (it == keys_.end()) return nullptr;
    return it->second;
  }

  // Stores `key` under `access_key_id` and returns the stored entry.
  std::shared_ptr<const ResolvedKey> Put(const std::string& access_key_id, ResolvedKey key) {
    auto entry = std::make_shared<const ResolvedKey>(std::move(key));
    std::lock_guard<std::mutex> lock(mu_);
    if (keys_.size() >= capacity_) keys_.clear();  // crude, and rare: a full turnover of keys
    keys_[access_key_id] = entry;
    return entry;
  }

 private:
  size_t capacity_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, std::shared_ptr<const ResolvedKey>> keys_;
};

}  // namespace iam::api
