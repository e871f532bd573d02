// iamd's policy engine: parse AWS JSON policies once, evaluate many times.
//
// This header is the whole public API of the engine; a C++ service can embed
// iamd's decisions with it and nothing else (link iamd_policy).
//
//   auto p = iam::policy::Policy::Parse(json_text, iam::policy::PolicyType::kIdentity);
//   if (!p.ok()) return p.status();            // MalformedPolicyDocument, AWS wording
//   iam::policy::PolicySet set;
//   set.identity.push_back(*p);
//   iam::policy::Request req;
//   req.principal = "arn:aws:iam::111122223333:user/alice";
//   req.action = "s3:GetObject";
//   req.resource = "arn:aws:s3:::bucket/key";
//   req.context.Set("aws:SourceIp", "10.0.0.1");
//   iam::policy::Decision d = iam::policy::Evaluate(req, set);
//
// Thread-safety: a Policy is immutable once parsed and may be shared by any
// number of threads; Evaluate() is a pure function (no I/O, no globals).
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "iamd/status.h"

namespace iam::policy {

// Which kind of policy a document is. The grammar differs by type: identity
// policies must not name a Principal; resource-based and trust policies must;
// trust policies have no Resource. Size limits differ too (see MaxPolicySize).
enum class PolicyType {
  kIdentity,             // inline or managed policy of a user, group or role
  kResource,             // resource-based policy (bucket, queue, key...)
  kTrust,                // a role's trust (assume-role) policy
  kPermissionsBoundary,  // a managed policy used as a permissions boundary
  kSession,              // session policy passed to AssumeRole/GetFederationToken
  kServiceControl,       // organization SCP
  kResourceControl,      // organization RCP (resource-based shape, Principal "*")
};

std::string_view PolicyTypeName(PolicyType type);

// A policy's size as AWS counts it for quotas: characters, not counting
// white space outside of strings.
size_t PolicySize(std::string_view json);
// The largest size AWS accepts for any policy of `type` (the API layer
// applies the exact quota of each entity, e.g. 2,048 for a user's inline
// policies, 6,144 for a managed policy).
size_t MaxPolicySize(PolicyType type);

// The actions whose resource-based policy is a role's trust policy (AWS's
// stricter rule applies: the trust policy must allow them). Case-insensitive.
bool IsTrustAction(std::string_view action);

// A policy document checked against the IAM grammar and compiled for
// evaluation. Cheap to copy (shared, immutable).
class Policy {
 public:
  // Parses and compiles `json` as a policy of `type`.
  // Errors: kMalformedPolicyDocument, with AWS's message (e.g. "Syntax errors
  // in policy.", "Policy document should not specify a principal.") followed
  // by the place of the problem, e.g. "(Statement[1].Condition: unknown
  // condition operator 'StringLikee')". A document over MaxPolicySize(type)
  // is refused with kLimitExceeded ("Cannot exceed quota for PolicySize: N").
  static Result<Policy> Parse(std::string_view json, PolicyType type);

  PolicyType type() const;
  // The statement count, and each statement's Sid ("" when absent).
  size_t statement_count() const;
  const std::string& statement_sid(size_t index) const;
  // Bytes of heap this compiled policy holds (approximate; for benchmarks).
  size_t MemoryUsage() const;

  struct Compiled;  // opaque: the compiled form (src/policy/compiled.h)
  const Compiled& compiled() const { return *compiled_; }

 private:
  friend struct PolicyAccess;  // src/policy: builds Policies from compiled forms
  explicit Policy(std::shared_ptr<const Compiled> c) : compiled_(std::move(c)) {}
  std::shared_ptr<const Compiled> compiled_;
};

// Request context keys: single values or sets. Names are case-insensitive.
class RequestContext {
 public:
  void Set(std::string_view key, std::string value);
  void SetMulti(std::string_view key, std::vector<std::string> values);
  // The same, but the values' typed readings are left for a condition to
  // read when it needs them: cheaper for a context evaluated once or twice
  // (a server's request), costlier for one evaluated many times.
  void SetLazy(std::string_view key, std::string value);
  void SetMultiLazy(std::string_view key, std::vector<std::string> values);
  void Erase(std::string_view key);
  void Reserve(size_t keys) { entries_.reserve(keys); }

  // A value's typed readings, parsed once when the value is set so that
  // conditions never re-parse it (the evaluator's use only).
  struct Typed {
    bool has_number = false, has_date = false, has_ip = false, has_bool = false;
    bool boolean = false;
    bool ip_v6 = false;  // has_ip: a single IPv4 or IPv6 address
    double number = 0;
    int64_t date_millis = 0;
    std::array<uint8_t, 16> ip{};
  };
  struct Entry {
    std::string key;    // lower-cased
    std::vector<std::string> values;
    bool multi = false;  // given as a set (even of one element)
    uint32_t key_hash = 0;     // KeyHash(key)
    std::vector<Typed> typed;  // one per value; empty: read when a condition needs them
  };
  // Returns the entry for `lower_key` (already lower-cased), or nullptr.
  const Entry* Find(std::string_view lower_key) const { return Find(lower_key, KeyHash(lower_key)); }
  const Entry* Find(std::string_view lower_key, uint32_t hash) const {
    for (const Entry& e : entries_) {
      if (e.key_hash == hash && e.key.size() == lower_key.size() && e.key == lower_key) return &e;
    }
    return nullptr;
  }
  // A hash of a lower-cased key, for cheap lookups: 8 bytes at a time
  // (keys run to 15-30 bytes; a byte at a time cost more than the lookup).
  static uint32_t KeyHash(std::string_view lower_key) {
    const char* p = lower_key.data();
    size_t n = lower_key.size();
    uint64_t h = n * 0x9E3779B97F4A7C15ull;
    auto mix = [&h](uint64_t w) {
      h = (h ^ w) * 0xBF58476D1CE4E5B9ull;
      h ^= h >> 31;
    };
    auto load8 = [](const char* s) { uint64_t v; std::memcpy(&v, s, 8); return v; };
    bool whole_word_before = n >= 8;
    for (; n >= 8; p += 8, n -= 8) mix(load8(p));
    if (n > 0) {
      // The last n bytes as the low bytes of a word (what copying them into
      // a zeroed word gives), without a variable-length copy: a load that
      // ends at the text's end, or two overlapping 4-byte loads.
      uint64_t w;
      if (whole_word_before) {
        w = load8(p + n - 8) >> (8 * (8 - n));
      } else if (n >= 4) {
        uint32_t lo, hi;
        std::memcpy(&lo, p, 4);
        std::memcpy(&hi, p + n - 4, 4);
        w = lo | uint64_t{hi} << (8 * (n - 4));
      } else {
        auto byte = [p](size_t i) { return uint64_t{static_cast<uint8_t>(p[i])} << (8 * i); };
        w = byte(0) | byte(n / 2) | byte(n - 1);
      }
      mix(w);
    }
    return static_cast<uint32_t>(h ^ (h >> 32));
  }
  const std::vector<Entry>& entries() const { return entries_; }

 private:
  friend struct RequestContextAccess;  // src/policy: one-off contexts typed on demand
  std::vector<Entry> entries_;
};

// The question: may `principal` perform `action` on `resource`?
struct Request {
  // ARN of the caller (user, role, assumed-role or federated-user session),
  // a service principal ("ec2.amazonaws.com"), or empty for anonymous.
  std::string principal;
  std::string action;            // "service:Action", no wildcards
  std::string resource;          // one ARN, or "*"
  std::string resource_account;  // "" = the ARN's account, else the principal's
  RequestContext context;
};

// The policies that apply to a request. Absent optional = none of that kind.
struct PolicySet {
  std::vector<Policy> identity;
  std::optional<Policy> resource;  // resource-based or trust policy
  std::optional<Policy> permissions_boundary;
  std::optional<Policy> session;
  // Organization levels, root first; a level allows if any of its policies does.
  std::vector<std::vector<Policy>> service_control;
  std::vector<std::vector<Policy>> resource_control;
};

enum class Effect { kImplicitDeny, kAllow, kExplicitDeny };
std::string_view EffectName(Effect e);  // "Allow", "ExplicitDeny", "ImplicitDeny"

enum class PolicyKind { kIdentity, kResource, kPermissionsBoundary, kSession, kServiceControl, kResourceControl };
std::string_view PolicyKindName(PolicyKind k);

// One statement that took part in the decision.
struct MatchedStatement {
  PolicyKind kind;
  uint32_t policy_index;     // index within its kind (SCP/RCP: level*1000+i)
  uint32_t statement_index;  // index within the policy's statements
  bool deny;                 // the statement's Effect
  std::string_view sid;      // points into the Policy; valid while it lives
};

struct Decision {
  Effect effect = Effect::kImplicitDeny;
  // For kExplicitDeny: the denying statements. For kAllow: the allowing
  // statements of every gate that had to allow. Empty for implicit deny.
  std::vector<MatchedStatement> statements;
};

// A PolicySet prepared for many evaluations, e.g. a principal's policies
// cached between its requests. Its identity policies are merged into one
// table indexed by service and exact action, so a decision visits only the
// statements whose Action can apply, and statements that several policies
// share (same Resource and Condition) are matched once per decision.
// Decisions are exactly those of Evaluate(request, policies()).
// Immutable once built; cheap to copy; may be shared between threads.
class CompiledPolicySet {
 public:
  static CompiledPolicySet Build(PolicySet policies);
  const PolicySet& policies() const { return policies_; }

  struct Index;  // opaque (src/policy/policy_set.h)
  const Index& index() const { return *index_; }

 private:
  CompiledPolicySet(PolicySet p, std::shared_ptr<const Index> x) : policies_(std::move(p)), index_(std::move(x)) {}
  PolicySet policies_;
  std::shared_ptr<const Index> index_;
};

// Applies AWS's policy evaluation logic: an applicable Deny anywhere wins;
// otherwise every gate (identity or resource policy by account rules,
// boundary, session policy, SCP and RCP levels) must allow; otherwise
// implicit deny. Matching nothing is a normal outcome, so this cannot fail.
Decision Evaluate(const Request& request, const PolicySet& policies);
// Same, reusing `out`'s storage (no allocation in steady state).
void Evaluate(const Request& request, const PolicySet& policies, Decision& out);
// Same decisions, through a prepared set (faster when reused).
Decision Evaluate(const Request& request, const CompiledPolicySet& policies);
void Evaluate(const Request& request, const CompiledPolicySet& policies, Decision& out);

}  // namespace iam::policy
