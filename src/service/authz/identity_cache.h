// Who a name denotes, for authorization: the id and ARN of users, groups and
// roles, and which accounts exist, read from the store once and kept while
// its Generation() does not move. Every write moves the generation, so the
// next request after a write reads the store again; usage records (last-used
// dates) may not move it, which is why only names, ids and ARNs are kept
// here, never whole entities.
//
//   IdentityCache ids(store);
//   IAM_ASSIGN_OR_RETURN(Identity u, ids.User(account, "alice"));  // u.arn
//
// Thread-safety: all methods may be called from any thread.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "iamd/status.h"
#include "store/store.h"

namespace iam::service {

struct Identity {
  std::string name;
  std::string id;   // AIDA... (user), AGPA... (group), AROA... (role), the account id
  std::string arn;
};

class IdentityCache {
 public:
  explicit IdentityCache(store::Store& store, size_t capacity = 100000) : store_(store), capacity_(capacity) {}

  // Each: kNoSuchEntity, or the store's kServiceFailure/kInternal.
  Result<Identity> User(std::string_view account_id, std::string_view name);
  Result<Identity> Group(std::string_view account_id, std::string_view name);
  Result<Identity> Role(std::string_view account_id, std::string_view name);
  // The account itself (id and root ARN).
  Result<Identity> Account(std::string_view account_id);

 private:
  template <typename ReadFn>
  Result<Identity> Find(char kind, std::string_view account_id, std::string_view name, ReadFn read);

  store::Store& store_;
  size_t capacity_;
  std::mutex mu_;
  int64_t generation_ = -1;  // of every entry in entries_
  std::unordered_map<std::string, Identity> entries_;
};

}  // namespace iam::service
