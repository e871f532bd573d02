#include "service/authz/identity_cache.h"

#include "common/status_macros.h"
#include "service/caller.h"

namespace iam::service {

template <typename ReadFn>
Result<Identity> IdentityCache::Find(char kind, std::string_view account_id, std::string_view name, ReadFn read) {
  std::string key;
  key.reserve(account_id.size() + name.size() + 2);
  key.push_back(kind);
  key.append(account_id);
  key.push_back('/');
  key.append(name);
  // Read the generation before the store: an entry read after a write is
  // then stamped no newer than the data it holds.
  const int64_t generation = store_.Generation();
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (generation_ == generation) {
      auto it = entries_.find(key);
      if (it != entries_.end()) return it->second;
    }
  }
  IAM_ASSIGN_OR_RETURN(Identity found, read());
  std::lock_guard<std::mutex> lock(mu_);
  if (generation_ != generation) {
    if (generation < generation_) return found;  // read before a newer fill: do not keep
    entries_.clear();
    generation_ = generation;
  }
  if (entries_.size() >= capacity_) entries_.clear();
  entries_.insert_or_assign(std::move(key), found);
  return found;
}

Result<Identity> IdentityCache::User(std::string_view account_id, std::string_view name) {
  return Find('u', account_id, name, [&]() -> Result<Identity> {
    IAM_ASSIGN_OR_RETURN(store::User u, store_.GetUser(account_id, name));
    return Identity{std::move(u.name), std::move(u.user_id), std::move(u.arn)};
  });
}

Result<Identity> IdentityCache::Group(std::string_view account_id, std::string_view name) {
  return Find('g', account_id, name, [&]() -> Result<Identity> {
    IAM_ASSIGN_OR_RETURN(store::Group g, store_.GetGroup(account_id, name));
    return Identity{std::move(g.name), std::move(g.group_id), std::move(g.arn)};
  });
}

Result<Identity> IdentityCache::Role(std::string_view account_id, std::string_view name) {
  return Find('r', account_id, name, [&]() -> Result<Identity> {
    IAM_ASSIGN_OR_RETURN(store::Role r, store_.GetRole(account_id, name));
    return Identity{std::move(r.name), std::move(r.role_id), std::move(r.arn)};
  });
}

Result<Identity> IdentityCache::Account(std::string_view account_id) {
  return Find('a', account_id, "", [&]() -> Result<Identity> {
    IAM_ASSIGN_OR_RETURN(store::Account a, store_.GetAccount(account_id));
    return Identity{"", a.account_id, RootArn(a.account_id)};
  });
}

}  // namespace iam::service
