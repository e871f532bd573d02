// A cache of single-entity reads made outside any transaction (Store's
// one-call helpers), so that a hot read such as GetUser needs no database
// transaction while nothing has changed. An entry is valid while the store's
// generation and its usage epoch are those it was read at:
//   - the generation moves with every committed write (other nodes' writes
//     once this node's watcher sees them: the staleness DESIGN.md bounds);
//   - the usage epoch moves with usage records (last-used dates of access
//     keys, passwords and roles), which do not move the generation but show
//     in reads.
// Reads inside a transaction never go through it.
//
// Thread-safety: all methods may be called from any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace iam::store {

// Where an entry stands: it is valid only at the same generation and epoch.
struct ReadStamp {
  int64_t generation = 0;
  uint64_t usage_epoch = 0;
  bool operator==(const ReadStamp&) const = default;
};

template <typename T>
class ReadCache {
 public:
  explicit ReadCache(size_t capacity = 10000) : capacity_(capacity) {}

  // The value read at `stamp` under `key`, or null.
  std::shared_ptr<const T> Find(const std::string& key, ReadStamp stamp) const {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = entries_.find(key);
    if (it == entries_.end() || it->second.stamp != stamp) return nullptr;
    return it->second.value;
  }

  // Stores `value`, read at a snapshot no older than `stamp`.
  void Put(const std::string& key, ReadStamp stamp, T value) {
    auto shared = std::make_shared<const T>(std::move(value));
    std::lock_guard<std::mutex> lock(mu_);
    if (entries_.size() >= capacity_) entries_.clear();  // crude and rare: a full turnover
    entries_[key] = Entry{stamp, std::move(shared)};
  }

 private:
  struct Entry {
    ReadStamp stamp;
    std::shared_ptr<const T> value;
  };
  const size_t capacity_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace iam::store
