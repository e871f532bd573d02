#include <algorithm>

#include "iamd/policy.h"
#include "policy/values.h"
#include "policy/wildcard.h"

namespace iam::policy {
RequestContext::Typed ReadTyped(std::string_view v) {
  RequestContext::Typed t;
  if (auto n = ParseNumber(v)) t.has_number = true, t.number = *n;
  if (auto d = ParseDateMillis(v)) t.has_date = true, t.date_millis = *d;
  // Conditions compare single addresses only; a range in the context never matches.
  if (auto ip = ParseIpRange(v); ip && ip->prefix == (ip->v6 ? 128 : 32)) {
    t.has_ip = true;
    t.ip_v6 = ip->v6;
    t.ip = ip->bytes;
  }
  if (auto b = ParseBool(v)) t.has_bool = true, t.boolean = *b;
  return t;
}

void RequestContext::Set(std::string_view key, std::string value) {
  std::vector<std::string> v;
  v.push_back(std::move(value));
  SetMulti(key, std::move(v));
  entries_.back().multi = false;
}

void RequestContext::SetMulti(std::string_view key, std::vector<std::string> values) {
  RequestContextAccess::SetUntyped(*this, key, std::move(values), true);
  Entry& e = entries_.back();
  e.typed.reserve(e.values.size());
  for (const std::string& v : e.values) e.typed.push_back(ReadTyped(v));
}

void RequestContext::SetLazy(std::string_view key, std::string value) {
  std::vector<std::string> v;
  v.push_back(std::move(value));
  RequestContextAccess::SetUntyped(*this, key, std::move(v), false);
}

void RequestContext::SetMultiLazy(std::string_view key, std::vector<std::string> values) {
  RequestContextAccess::SetUntyped(*this, key, std::move(values), true);
}

void RequestContextAccess::SetUntyped(RequestContext& ctx, std::string_view key, std::vector<std::string> values,
                                      bool multi) {
  std::string lower = AsciiLowerCopy(key);
  uint32_t hash = RequestContext::KeyHash(lower);
  auto& entries = ctx.entries_;
  entries.erase(std::remove_if(entries.begin(), entries.end(),
                               [&](const RequestContext::Entry& e) { return e.key_hash == hash && e.key == lower; }),
                entries.end());
  RequestContext::Entry e{std::move(lower), std::move(values), multi, hash, {}};
  entries.push_back(std::move(e));
}

void RequestContextAccess::Recycle(RequestContext& ctx, std::vector<RequestContext::Entry>& spare) {
  for (RequestContext::Entry& e : ctx.entries_) spare.push_back(std::move(e));
  ctx.entries_.clear();
}

RequestContext::Entry* RequestContextAccess::Add(RequestContext& ctx, std::string_view key, size_t count, bool multi,
                                                 std::vector<RequestContext::Entry>& spare) {
  RequestContext::Entry e;
  if (!spare.empty()) {
    e = std::move(spare.back());
    spare.pop_back();
  }
  e.key.assign(key);
  for (char& c : e.key) c = AsciiLower(c);
  e.key_hash = RequestContext::KeyHash(e.key);
  if (ctx.Find(e.key, e.key_hash) != nullptr) {
    spare.push_back(std::move(e));
    return nullptr;
  }
  e.values.resize(count);
  e.multi = multi;
  e.typed.clear();
  ctx.entries_.push_back(std::move(e));
  return &ctx.entries_.back();
}

void RequestContext::Erase(std::string_view key) {
  std::string lower = AsciiLowerCopy(key);
  entries_.erase(std::remove_if(entries_.begin(), entries_.end(),
                                [&](const Entry& e) { return e.key == lower; }),
                 entries_.end());
}

}  // namespace iam::policy
