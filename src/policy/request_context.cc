#include <algorithm>

#include "iamd/policy.h"
#include "policy/wildcard.h"

namespace iam::policy {

void RequestContext::Set(std::string_view key, std::string value) {
  std::vector<std::string> v;
  v.push_back(std::move(value));
  SetMulti(key, std::move(v));
  entries_.back().multi = false;
}

void RequestContext::SetMulti(std::string_view key, std::vector<std::string> values) {
  std::string lower = AsciiLowerCopy(key);
  Erase(lower);
  entries_.push_back(Entry{std::move(lower), std::move(values), true});
}

void RequestContext::Erase(std::string_view key) {
  std::string lower = AsciiLowerCopy(key);
  entries_.erase(std::remove_if(entries_.begin(), entries_.end(),
                                [&](const Entry& e) { return e.key == lower; }),
                 entries_.end());
}

const RequestContext::Entry* RequestContext::Find(std::string_view lower_key) const {
  // A request carries a handful of keys: a linear scan beats hashing here.
  for (const Entry& e : entries_) {
    if (e.key == lower_key) return &e;
  }
  return nullptr;
}

}  // namespace iam::policy
