// Builds and walks the index of a CompiledPolicySet (see policy_set.h).
#include "policy/policy_set.h"

#include <algorithm>
#include <cstring>
#include <unordered_map>

#include "policy/wildcard.h"

namespace iam::policy {
namespace {

using Index = CompiledPolicySet::Index;

// Exact-action lists cost entries x actions of memory; beyond this a
// service keeps only its per-request action checks.
constexpr size_t kMaxExactEntries = 1 << 16;

void PutText(std::string_view s, std::string& out) {
  uint32_t n = static_cast<uint32_t>(s.size());
  out.append(reinterpret_cast<const char*>(&n), sizeof n);
  out.append(s);
}

// A key equal for two statements exactly when their Resource/NotResource
// and Condition match the same requests (what ResourceAndConditionsApply
// reads); Effect, Sid and Action are not part of it. Every element is
// tagged and every text length-prefixed, so no two bodies share a key.
void BodyKey(const CompiledStatement& st, std::string& out) {
  out.clear();
  out.push_back(st.has_resource ? 'R' : '-');
  out.push_back(st.not_resource ? 'N' : '-');
  for (const ResourceMatcher& m : st.resources) {
    out.push_back(m.all ? '*' : 't');
    m.tmpl.AppendKey(out);
  }
  for (const Condition& c : st.conditions) {
    out.push_back('C');
    out.push_back(static_cast<char>(c.op));
    out.push_back(static_cast<char>(c.qualifier));
    out.push_back(c.if_exists ? 'e' : '-');
    PutText(c.key_lower, out);
    PutText(std::to_string(c.values.size()), out);
    for (const ConditionValue& v : c.values) v.tmpl.AppendKey(out);
  }
  PutText(std::to_string(st.resources.size()) + "/" + std::to_string(st.conditions.size()), out);
}

// A key equal for two statements exactly when their Action/NotAction
// apply to the same actions.
void ActionKey(const Policy::Compiled& c, uint32_t statement, std::string& out) {
  out.clear();
  const StatementHead& h = c.heads[statement];
  out.push_back(h.not_action ? 'N' : 'A');
  for (uint32_t k = h.action_begin; k < h.action_end; ++k) {
    const ActionMatcher& m = c.actions[k];
    out.push_back(static_cast<char>(m.kind));
    PutText(std::to_string(m.star), out);
    PutText(std::string_view(c.action_text.data() + m.offset, m.size), out);
  }
}

// Memo slots (numbered from `slots` on) for statements whose key another
// statement of the set shares; kUnique for the others.
template <typename KeyFn>
std::vector<std::vector<uint32_t>> MemoSlots(const std::vector<Policy>& policies, KeyFn key_of, uint32_t& slots) {
  std::unordered_map<std::string, std::pair<uint32_t, uint32_t>> bodies;  // key -> (count, slot)
  std::vector<std::vector<std::string>> keys(policies.size());
  for (size_t p = 0; p < policies.size(); ++p) {
    const Policy::Compiled& c = policies[p].compiled();
    keys[p].resize(c.statements.size());
    for (uint32_t s = 0; s < c.statements.size(); ++s) {
      key_of(c, s, keys[p][s]);
      ++bodies[keys[p][s]].first;
    }
  }
  std::vector<std::vector<uint32_t>> memo(policies.size());
  for (size_t p = 0; p < policies.size(); ++p) {
    for (const std::string& key : keys[p]) {
      auto& [count, slot] = bodies[key];
      if (count < 2) {
        memo[p].push_back(Index::kUnique);
        continue;
      }
      if (count != UINT32_MAX) count = UINT32_MAX, slot = slots++;  // first sight: give it a slot
      memo[p].push_back(slot);
    }
  }
  return memo;
}

// The actions that statements of `entries` name exactly under `service`.
std::vector<std::string> ExactActions(const std::vector<Index::Entry>& entries, std::string_view service) {
  std::vector<std::string> names;
  for (const Index::Entry& e : entries) {
    const Policy::Compiled& c = *e.policy;
    const StatementHead& h = c.heads[e.statement];
    for (uint32_t k = h.action_begin; k < h.action_end; ++k) {
      const ActionMatcher& m = c.actions[k];
      if (m.kind != ActionMatcher::Kind::kExact) continue;
      std::string_view p(c.action_text.data() + m.offset, m.size);
      if (p.size() > service.size() && p[service.size()] == ':' && p.substr(0, service.size()) == service) {
        names.emplace_back(p.substr(service.size() + 1));
      }
    }
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

// Up to 8 bytes of `s`, zero-padded, as one word.
uint64_t Head(std::string_view s, size_t n) {
  uint64_t v = 0;
  size_t len = std::min<size_t>(n, 8);
  if (len != 0) std::memcpy(&v, s.data(), len);  // an empty view's data() may be null: UB even for 0 bytes
  return v;
}

// The statement's quick resource test (see Index::Entry::head).
void SetHead(const CompiledStatement& st, Index::Entry& e) {
  e.head_size = 0;
  e.head = e.head_mask = 0;
  if (!st.has_resource || st.not_resource || st.resources.size() != 1 || st.resources[0].all) return;
  const ResourceMatcher& m = st.resources[0];
  std::string_view start = m.tmpl.has_variables() ? m.prefix.LiteralResourceStart(m.tmpl.pattern_prefix())
                                                  : m.arn.LiteralResourceStart(m.tmpl.static_pattern());
  e.head_size = static_cast<uint8_t>(std::min<size_t>(start.size(), 8));
  e.head = Head(start, e.head_size);
  e.head_mask = e.head_size == 8 ? ~uint64_t{0} : (uint64_t{1} << (8 * e.head_size)) - 1;
}

// Per-thread memo of shared statement bodies: a slot holds this decision's
// result when its stamp is the current generation.
struct Memo {
  std::vector<uint32_t> stamp;
  std::vector<uint8_t> value;
  uint32_t generation = 0;

  void Start(uint32_t slots) {
    if (stamp.size() < slots) stamp.resize(slots, 0), value.resize(slots, 0);
    if (++generation == 0) {
      std::fill(stamp.begin(), stamp.end(), 0);
      generation = 1;
    }
  }
  // `compute()`, or its result from earlier in this decision.
  template <typename Fn>
  bool Get(uint32_t slot, Fn compute) {
    if (slot == Index::kUnique) return compute();
    if (stamp[slot] != generation) stamp[slot] = generation, value[slot] = compute();
    return value[slot] != 0;
  }
};

}  // namespace

CompiledPolicySet CompiledPolicySet::Build(PolicySet set) {
  auto x = std::make_shared<Index>();
  const std::vector<Policy>& ids = set.identity;
  auto body_key = [](const Policy::Compiled& c, uint32_t s, std::string& out) { BodyKey(c.statements[s], out); };
  std::vector<std::vector<uint32_t>> memo = MemoSlots(ids, body_key, x->memo_slots);
  std::vector<std::vector<uint32_t>> action_memo = MemoSlots(ids, ActionKey, x->memo_slots);
  auto entry = [&](uint32_t p, uint32_t s) {
    Index::Entry e{&ids[p].compiled(), p, s, memo[p][s], action_memo[p][s], false, 0, 0, 0};
    SetHead(e.policy->statements[s], e);
    return e;
  };

  std::vector<std::string> services;
  for (uint32_t p = 0; p < ids.size(); ++p) {
    const Policy::Compiled& c = ids[p].compiled();
    for (uint32_t s : c.any_service) x->any.push_back(entry(p, s));
    for (const auto& sc : c.by_service) services.push_back(sc.service);
  }
  std::sort(services.begin(), services.end());
  services.erase(std::unique(services.begin(), services.end()), services.end());

  x->services.reserve(services.size());
  for (std::string& name : services) {
    Index::Service& sv = x->services.emplace_back();
    uint32_t hash = RequestContext::KeyHash(name);
    x->service_hashes.push_back(hash);
    // Each policy's own candidates, so the lists hold what the per-policy walk visits.
    for (uint32_t p = 0; p < ids.size(); ++p) {
      for (uint32_t s : ids[p].compiled().Candidates(name, hash)) sv.entries.push_back(entry(p, s));
    }
    std::vector<std::string> actions = ExactActions(sv.entries, name);
    if (actions.size() * sv.entries.size() <= kMaxExactEntries) {
      for (std::string& a : actions) {
        std::string full = name + ":" + a;
        Index::ActionList& list = sv.actions.emplace_back();
        list.hash = RequestContext::KeyHash(a);
        list.name = std::move(a);
        for (const Index::Entry& e : sv.entries) {
          if (!e.policy->ActionApplies(e.statement, full)) continue;
          list.entries.push_back(e);
          list.entries.back().action_known = true;
        }
      }
      std::sort(sv.actions.begin(), sv.actions.end(),
                [](const Index::ActionList& a, const Index::ActionList& b) { return a.hash < b.hash; });
    }
    sv.name = std::move(name);
  }
  return CompiledPolicySet(std::move(set), std::move(x));
}

bool EvaluateIdentityIndex(const Index& x, const PreparedRequest& req, std::vector<MatchedStatement>& allows,
                           std::vector<MatchedStatement>& denies) {
  const std::vector<Index::Entry>* list = &x.any;
  for (size_t i = 0; i < x.service_hashes.size(); ++i) {
    if (x.service_hashes[i] != req.service_hash || !BytesEqual(x.services[i].name, req.lower_service)) continue;
    const Index::Service& sv = x.services[i];
    list = &sv.entries;
    if (!sv.actions.empty() && req.lower_service.size() < req.lower_action.size()) {
      std::string_view name = req.lower_action.substr(req.lower_service.size() + 1);
      uint32_t hash = RequestContext::KeyHash(name);
      auto it = std::lower_bound(sv.actions.begin(), sv.actions.end(), hash,
                                 [](const Index::ActionList& a, uint32_t h) { return a.hash < h; });
      for (; it != sv.actions.end() && it->hash == hash; ++it) {
        if (BytesEqual(it->name, name)) {
          list = &it->entries;
          break;
        }
      }
    }
    break;
  }
  thread_local Memo memo;
  if (x.memo_slots != 0) memo.Start(x.memo_slots);
  // The request's resource part as the entries' heads see it.
  std::string_view part = req.resource.split ? req.resource.parts[5] : std::string_view();
  uint64_t part_head = Head(part, part.size());
  bool allow = false;
  for (const Index::Entry& e : *list) {
    if (e.head_size != 0 && req.resource.split &&
        (part.size() < e.head_size || ((part_head ^ e.head) & e.head_mask) != 0)) {
      continue;
    }
    if (!e.action_known &&
        !memo.Get(e.action_memo, [&] { return e.policy->ActionApplies(e.statement, req.lower_action); })) {
      continue;
    }
    const CompiledStatement& st = e.policy->statements[e.statement];
    if (!memo.Get(e.memo, [&] { return ResourceAndConditionsApply(st, req); })) continue;
    MatchedStatement m{PolicyKind::kIdentity, e.policy_index, e.statement, st.deny, st.sid};
    if (st.deny) {
      denies.push_back(m);
    } else {
      allow = true;
      allows.push_back(m);
    }
  }
  return allow;
}

}  // namespace iam::policy
