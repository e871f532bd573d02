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

namespace iam::policy {

struct ActionMatcher {
  enum class Kind : uint8_t { kAll, kExact, kPrefix, kGlob };
  Kind kind = Kind::kAll;
  std::string lower;  // kExact/kGlob: whole pattern; kPrefix: without the final '*'
  bool Matches(std::string_view lower_action) const;
};

struct ResourceMatcher {
  bool all = false;  // "*"
  Template tmpl;
  ArnPattern arn;  // tmpl's static pattern, pre-split (when it has no variables)
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
  std::string key_lower;
  std::vector<ConditionValue> values;
  uint32_t key_hash = 0;  // RequestContext::KeyHash(key_lower)
};

struct PrincipalMatcher {
  bool wildcard = false;
  std::vector<std::string> accounts;  // 12-digit ids (from ids and :root ARNs)
  std::vector<std::string> arns;      // user/role/session ARNs, exact
  std::vector<std::string> services;  // lower-cased
  std::vector<std::string> others;    // Federated and CanonicalUser, exact
};

struct CompiledStatement {
  bool deny = false;
  bool not_action = false;
  std::vector<ActionMatcher> actions;
  bool has_resource = false;
  bool not_resource = false;
  std::vector<ResourceMatcher> resources;
  bool has_principal = false;
  bool not_principal = false;
  PrincipalMatcher principal;
  std::vector<Condition> conditions;
  std::string sid;
};

}  // namespace iam::policy

struct iam::policy::Policy::Compiled {
  PolicyType type;
  bool variables = false;
  std::vector<CompiledStatement> statements;
  // Statement indexes to try for an action, by its lower-case service
  // prefix (sorted by service), and the ones to try for every action
  // (NotAction, wildcards in the service part). Each list is ascending.
  struct ServiceCandidates {
    uint32_t hash;  // RequestContext::KeyHash(service), checked first
    std::string service;
    std::vector<uint32_t> statements;
  };
  std::vector<ServiceCandidates> by_service;
  std::vector<uint32_t> any_service;
  size_t memory = 0;

  // The candidate statements for a lower-cased service prefix and its hash.
  const std::vector<uint32_t>& Candidates(std::string_view lower_service, uint32_t hash) const {
    for (const ServiceCandidates& s : by_service) {
      if (s.hash == hash && s.service == lower_service) return s.statements;
    }
    return any_service;
  }
};

namespace iam::policy {
// Lowers a validated Document into its compiled form.
std::shared_ptr<const Policy::Compiled> Compile(Document doc, PolicyType type);
}  // namespace iam::policy
