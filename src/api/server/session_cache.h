// Session tokens already opened on this node, by their exact text: the
// session record and the caller it stands for. Opening a token (base64,
// XChaCha20-Poly1305, decoding the record) costs more than the rest of
// resolving a long-term key, and a client signs every request with the same
// token. A token is self-contained and immutable, so what it opens to stays
// right until it expires (checked on every request by the caller, as for a
// freshly opened one); only authentic tokens are stored, and only the exact
// same text finds them. Bounded: when full, expired entries go, and if none
// has expired, everything goes.
//
// Thread-safety: all methods may be called from any thread.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "auth/session_token.h"
#include "service/caller.h"

namespace iam::api {

struct OpenedSession {
  auth::SessionRecord record;
  service::Caller caller;  // CallerFromSession(record)
};

class SessionCache {
 public:
  explicit SessionCache(size_t capacity = 4096) : capacity_(capacity) {}

  std::shared_ptr<const OpenedSession> Find(std::string_view token) const {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = sessions_.find(token);
    return it == sessions_.end() ? nullptr : it->second;
  }

  // Stores the opened `token`; `now` (session clock) decides which entries
  // have expired when the cache is full.
  void Put(std::string_view token, std::shared_ptr<const OpenedSession> opened, int64_t now) {
    std::lock_guard<std::mutex> lock(mu_);
    if (sessions_.size() >= capacity_) {
      std::erase_if(sessions_, [now](const auto& e) { return auth::SessionExpired(e.second->record, now); });
      if (sessions_.size() >= capacity_) sessions_.clear();
    }
    sessions_.emplace(std::string(token), std::move(opened));
  }

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };
  const size_t capacity_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, std::shared_ptr<const OpenedSession>, Hash, std::equal_to<>> sessions_;
};

}  // namespace iam::api
