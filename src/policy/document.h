// A policy document after parsing and validation, before compilation:
// typed statements holding the policy's own strings.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "iamd/policy.h"

namespace iam::policy {

enum class ConditionOp {
  kStringEquals, kStringNotEquals, kStringEqualsIgnoreCase, kStringNotEqualsIgnoreCase,
  kStringLike, kStringNotLike,
  kNumericEquals, kNumericNotEquals, kNumericLessThan, kNumericLessThanEquals,
  kNumericGreaterThan, kNumericGreaterThanEquals,
  kDateEquals, kDateNotEquals, kDateLessThan, kDateLessThanEquals,
  kDateGreaterThan, kDateGreaterThanEquals,
  kBool, kBinaryEquals, kIpAddress, kNotIpAddress,
  kArnEquals, kArnLike, kArnNotEquals, kArnNotLike,
  kNull,
};

enum class SetQualifier { kNone, kForAnyValue, kForAllValues };

struct ConditionClause {
  ConditionOp op;
  SetQualifier qualifier = SetQualifier::kNone;
  bool if_exists = false;
  std::string key;                  // as written
  std::vector<std::string> values;  // JSON scalars as strings
};

struct PrincipalSpec {
  bool wildcard = false;  // "*" or {"AWS": "*"}
  std::vector<std::string> aws, service, federated, canonical_user;
};

struct StatementDoc {
  std::string sid;
  bool deny = false;
  bool has_principal = false;
  bool not_principal = false;
  PrincipalSpec principal;
  bool not_action = false;
  std::vector<std::string> actions;
  bool has_resource = false;
  bool not_resource = false;
  std::vector<std::string> resources;
  std::vector<ConditionClause> conditions;
};

struct Document {
  std::string version;  // "" when absent (AWS then assumes 2008-10-17)
  std::string id;
  std::vector<StatementDoc> statements;
  bool variables() const { return version == "2012-10-17"; }
};

// Parses and validates `json` as a policy of `type`.
// Errors: kMalformedPolicyDocument with AWS's message and the place.
Result<Document> ParseDocument(std::string_view json, PolicyType type);

// Grammar pieces shared by ParseDocument and the fast path (fast_parse.cc).
bool ParseOperatorName(std::string_view text, ConditionClause& c);  // false: unknown
bool IsPrincipalArn(std::string_view v);
// Refuses values that cannot mean anything for the clause's operator.
Status CheckConditionValues(const ConditionClause& c, bool variables, const std::string& at);
// The checks that need the whole document (Sids, elements each policy
// type requires or forbids, Resource and Action formats).
Status CheckDocument(const Document& doc, PolicyType type);

// Negated operators are the complement of a positive one.
bool IsNegated(ConditionOp op);

}  // namespace iam::policy
