#include <algorithm>

#include "iamd/policy.h"
#include "policy/refill.h"
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

RequestContext::Entry* RequestContextAccess::Add(RequestContext& ctx, size_t& used, std::string_view key,
                                                 size_t count, bool multi, std::vector<RequestContext::Entry>& spare) {
  std::vector<RequestContext::Entry>& entries = ctx.entries_;
  RequestContext::Entry& e = NextRefilled(entries, used, spare);
  e.key.resize(key.size());
  AsciiLowerInto(key, e.key.data());
  uint32_t hash = RequestContext::KeyHash(e.key);
  for (size_t i = 0; i + 1 < used; ++i) {
    if (entries[i].key_hash == hash && BytesEqual(entries[i].key, e.key)) {
      --used;  // e is not taken
      return nullptr;
    }
  }
  e.key_hash = hash;
  e.values.resize(count);
  e.multi = multi;
  e.typed.clear();
  return &e;
}

void RequestContextAccess::End(RequestContext& ctx, size_t used, std::vector<RequestContext::Entry>& spare) {
  EndRefill(ctx.entries_, used, spare);
}

void RequestContext::Erase(std::string_view key) {
  std::string lower = AsciiLowerCopy(key);
  entries_.erase(std::remove_if(entries_.begin(), entries_.end(),
                                [&](const Entry& e) { return e.key == lower; }),
                 entries_.end());
}

}  // namespace iam::policy
