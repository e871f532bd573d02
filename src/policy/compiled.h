// The compiled form of a policy: what Evaluate() walks. Actions are
// lower-cased and indexed by service prefix, resources and condition values
// are pre-split into templates, and typed condition values are pre-parsed.
// Immutable once built; shared between threads.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "iamd/policy.h"
#include "policy/arn.h"
#include "policy/document.h"
#include "policy/values.h"
#include "policy/variables.h"
#include "policy/wildcard.h"

namespace iam::policy {

// A statement's run of one of its policy's flat arrays (Compiled::resources,
// conditions, values, names). The arrays are reserved whole before they are
// filled and a Compiled never moves, so the view stays valid while the
// policy lives.
template <typename T>
class Span {
 public:
  Span() = default;
  Span(const T* data, size_t size) : data_(data), size_(static_cast<uint32_t>(size)) {}
  // The elements of `v` from `begin` to its end.
  static Span Tail(const std::vector<T>& v, size_t begin) { return Span(v.data() + begin, v.size() - begin); }
  const T* begin() const { return data_; }
  const T* end() const { return data_ + size_; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  const T& operator[](size_t i) const { return data_[i]; }

 private:
  const T* data_ = nullptr;
  uint32_t size_ = 0;
};

// One Action/NotAction entry. Kept flat per policy (pattern text in one
// buffer) because most candidate statements are rejected on their action
// alone, and that check should touch as little memory as possible.
struct ActionMatcher {
  // kInfix: one '*' inside ("ec2:*Tags", "s3:Get*Policy"), no other wildcard.
  enum class Kind : uint8_t { kAll, kExact, kPrefix, kInfix, kGlob };
  Kind kind = Kind::kAll;
  uint32_t offset = 0, size = 0;  // lower-cased pattern in Compiled::action_text;
                                  // kPrefix: without the final '*'
  uint32_t star = 0;              // kInfix: where the '*' is
  bool Matches(const char* text, std::string_view a) const {
    std::string_view p(text + offset, size);
    switch (kind) {
      case Kind::kAll: return true;
      case Kind::kExact: return BytesEqual(a, p);
      case Kind::kPrefix: return a.size() >= p.size() && BytesEqual(a.substr(0, p.size()), p);
      case Kind::kInfix: {
        size_t tail = p.size() - star - 1;
        return a.size() >= p.size() - 1 && BytesEqual(a.substr(0, star), p.substr(0, star)) &&
               BytesEqual(a.substr(a.size() - tail), p.substr(star + 1));
      }
      case Kind::kGlob: return GlobMatchLowerPattern(p, a);
    }
    return false;
  }
};

// What decides whether a statement is tried at all: its actions.
struct StatementHead {
  uint32_t action_begin = 0, action_end = 0;  // range in Compiled::actions
  bool not_action = false;
};

struct ResourceMatcher {
  bool all = false;  // "*"
  Template tmpl;
  ArnPattern arn;  // tmpl's static pattern, pre-split (when it has no variables)
  ArnPattern prefix;  // with variables: tmpl.pattern_prefix(), for quick rejection
};

struct ConditionValue {
  Template tmpl;
  bool typed = false;  // the typed field below is valid (no variables)
  double number = 0;
  int64_t date_millis = 0;
  IpRange ip;
  bool boolean = false;
};

struct Condition {
  ConditionOp op;
  SetQualifier qualifier;
  bool if_exists;
  bool negated;
  std::string_view key_lower;  // in Compiled::text
  Span<ConditionValue> values;
  uint32_t key_hash = 0;  // RequestContext::KeyHash(key_lower)
};

struct PrincipalMatcher {
  bool wildcard = false;
  // Runs of Compiled::names, viewing Compiled::text.
  Span<std::string_view> accounts;  // 12-digit ids (from ids and :root ARNs)
  Span<std::string_view> arns;      // user/role/session ARNs, exact
  Span<std::string_view> services;  // lower-cased
  Span<std::string_view> others;    // Federated and CanonicalUser, exact
};

struct CompiledStatement {
  bool deny = false;
  bool has_resource = false;
  bool not_resource = false;
  Span<ResourceMatcher> resources;
  bool has_principal = false;
  bool not_principal = false;
  PrincipalMatcher principal;
  Span<Condition> conditions;
  std::string sid;
};

}  // namespace iam::policy

struct iam::policy::Policy::Compiled {
  Compiled() = default;
  Compiled(const Compiled&) = delete;  // views point into `text`
  Compiled& operator=(const Compiled&) = delete;

  PolicyType type;
  bool variables = false;
  std::vector<CompiledStatement> statements;
  // What statements' Spans view: flat per policy, so that compiling fills a
  // few arrays (kept, with their storage, by a reused Compiled) instead of
  // vectors per statement.
  std::vector<ResourceMatcher> resources;
  std::vector<Condition> conditions;
  std::vector<ConditionValue> values;
  std::vector<std::string_view> names;  // principals
  std::vector<StatementHead> heads;  // one per statement
  std::vector<ActionMatcher> actions;
  std::string action_text;
  // The policy's texts that matchers view (resources, condition keys and
  // values, principals): one buffer, reserved up front so it never moves.
  std::string text;
  // Statement indexes to try for an action, by its lower-case service
  // prefix (sorted by service), and the ones to try for every action
  // (NotAction, wildcards in the service part). Each list is ascending.
  struct ServiceCandidates {
    std::string service;
    std::vector<uint32_t> statements;
  };
  std::vector<ServiceCandidates> by_service;
  std::vector<uint32_t> service_hashes;  // KeyHash of each by_service entry, scanned first
  std::vector<uint32_t> any_service;
  size_t memory = 0;

  // True if statement i's Action/NotAction matches.
  bool ActionApplies(uint32_t i, std::string_view lower_action) const {
    const StatementHead& h = heads[i];
    bool any = false;
    for (uint32_t k = h.action_begin; k < h.action_end; ++k) {
      if (actions[k].Matches(action_text.data(), lower_action)) {
        any = true;
        break;
      }
    }
    return any != h.not_action;
  }

  // The candidate statements for a lower-cased service prefix and its hash.
  const std::vector<uint32_t>& Candidates(std::string_view lower_service, uint32_t hash) const {
    for (size_t i = 0; i < service_hashes.size(); ++i) {
      if (service_hashes[i] == hash && BytesEqual(by_service[i].service, lower_service)) {
        return by_service[i].statements;
      }
    }
    return any_service;
  }
};

namespace iam::policy {
// What Compile() keeps of a document: bytes of text (in Compiled::text)
// and the lengths of its arrays, reserved before it fills them.
struct DocumentSizes {
  size_t statements = 0, text_bytes = 0, actions = 0, action_bytes = 0, resources = 0, conditions = 0, values = 0,
         names = 0;
};
DocumentSizes SizesOf(const Document& doc);

// Writes a Compiled statement by statement, element by element: what both
// Compile() (from a Document) and the fast path (straight from parsed JSON,
// fast_parse.cc) lower policies with. Each statement is: Statement(), its
// Action()s, then, if ActionsDone() says it may apply, its Resources() and
// Resource()s, Principal(), Condition()s each with its Value()s; then
// EndStatement(). Finish() ends the policy. The sizes given up front bound
// what is written: the arrays never move while statements view them.
class CompiledWriter {
 public:
  // With `only_action` (lower-case) the result is good for that action
  // only (see Compile).
  CompiledWriter(Policy::Compiled* c, PolicyType type, bool variables, const DocumentSizes& n,
                 std::string_view only_action);

  void Statement(bool deny, std::string_view sid, bool not_action);
  void Action(std::string_view action);
  // True if the rest of the statement is to be written: with only_action,
  // a statement whose Action does not apply to it keeps nothing more.
  bool ActionsDone();
  void Resources(bool has_resource, bool not_resource);
  void Resource(std::string_view resource);
  void Principal(bool not_principal, const PrincipalSpec& spec);
  void Condition(ConditionOp op, SetQualifier qualifier, bool if_exists, std::string_view key);
  void Value(std::string_view value);
  void EndStatement();
  void Finish();

 private:
  // Points the statement's last condition at the values written since it.
  void CloseValues();

  Policy::Compiled* c_;
  std::string_view only_action_;
  uint32_t index_ = 0;  // the statement being written
  bool every_service_ = false;
  bool action_matched_ = false;  // with only_action: one of the statement's patterns matches it
  size_t resource_begin_ = 0, condition_begin_ = 0, value_begin_ = 0;
};

// Lowers a validated Document into its compiled form. With `only_action`
// (lower-case) the result is good for that action only (what one-off
// answers such as `iamd eval` need): it has no service index, statements
// whose Action applies to it match every action, and the others keep only
// their place (Sid, Effect) and are never tried.
std::shared_ptr<const Policy::Compiled> Compile(const Document& doc, PolicyType type, std::string_view only_action = {});
// A Compiled this thread's earlier ones gave back when released (their
// vectors keep their storage), for policies that live as long as one
// `iamd eval` case; its deleter gives it back in turn.
std::shared_ptr<Policy::Compiled> TakePooledCompiled();

struct PolicyAccess {
  static Policy Make(std::shared_ptr<const Policy::Compiled> c) { return Policy(std::move(c)); }
};
}  // namespace iam::policy
