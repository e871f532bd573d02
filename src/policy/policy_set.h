// The index of a CompiledPolicySet (iamd/policy.h): a principal's identity
// policies merged into one table, so that a decision visits only the
// statements whose Action can apply to its action.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "iamd/policy.h"
#include "policy/compiled.h"
#include "policy/matcher.h"

struct iam::policy::CompiledPolicySet::Index {
  // One candidate statement. Lists keep policy order, then statement order,
  // so decisions list their statements as the per-policy walk does.
  struct Entry {
    const Policy::Compiled* policy;
    uint32_t policy_index;
    uint32_t statement;
    uint32_t memo;         // kUnique, or a slot shared by statements with equal Resource and Condition
    uint32_t action_memo;  // kUnique, or a slot shared by statements with equal Action/NotAction
    bool action_known;     // Action/NotAction was found to apply when the list was built
    // A split request ARN's resource part must start with these head_size
    // (<= 8) bytes for the statement's one Resource to match (0: no such test).
    uint8_t head_size;
    uint64_t head, head_mask;  // the bytes as a little-endian word, and the mask of head_size bytes
  };
  static constexpr uint32_t kUnique = UINT32_MAX;

  // The statements that apply to one exact action ("getobject" under "s3").
  struct ActionList {
    uint32_t hash;     // RequestContext::KeyHash(name)
    std::string name;  // lower-case, without the service prefix
    std::vector<Entry> entries;
  };
  struct Service {
    std::string name;            // lower-case service prefix
    std::vector<Entry> entries;  // candidates for any action of the service; actions checked per request
    std::vector<ActionList> actions;  // the actions some statement names exactly, sorted by hash
  };
  std::vector<uint32_t> service_hashes;  // one per services entry, scanned first
  std::vector<Service> services;
  std::vector<Entry> any;  // candidates for a service no statement names
  uint32_t memo_slots = 0;  // body and action slots, numbered together
};

namespace iam::policy {

// Evaluates the identity policies of `set` through its index, appending
// deciding statements as the per-policy walk does. True if any allows.
bool EvaluateIdentityIndex(const CompiledPolicySet::Index& index, const PreparedRequest& req,
                           std::vector<MatchedStatement>& allows, std::vector<MatchedStatement>& denies);

}  // namespace iam::policy
