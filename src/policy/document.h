// A policy document after parsing and validation, before compilation:
// typed statements viewing the policy's strings. The views point into the
// parsed JSON (fast path) or into the document's own `owned` texts
// (reference path); Compile() copies what it keeps.
#pragma once

#include <forward_list>
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
  std::string_view key;                  // as written
  std::vector<std::string_view> values;  // JSON scalars as strings
};

struct PrincipalSpec {
  bool wildcard = false;  // "*" or {"AWS": "*"}
  std::vector<std::string_view> aws, service, federated, canonical_user;
};

struct StatementDoc {
  std::string_view sid;
  bool deny = false;
  bool has_principal = false;
  bool not_principal = false;
  PrincipalSpec principal;
  bool not_action = false;
  std::vector<std::string_view> actions;
  bool has_resource = false;
  bool not_resource = false;
  std::vector<std::string_view> resources;
  std::vector<ConditionClause> conditions;
};

struct Document {
  std::string_view version;  // "" when absent (AWS then assumes 2008-10-17)
  std::string_view id;
  std::vector<StatementDoc> statements;
  // Texts the views may point to when the source could not be viewed
  // (a list: its elements never move, not even when the Document does, and
  // an empty one allocates nothing).
  std::forward_list<std::string> owned;
  bool variables() const { return version == "2012-10-17"; }
  std::string_view Keep(std::string text) { return owned.emplace_front(std::move(text)); }
};

// Parses and validates `json` as a policy of `type`.
// Errors: kMalformedPolicyDocument with AWS's message and the place.
Result<Document> ParseDocument(std::string_view json, PolicyType type);

// Grammar pieces shared by ParseDocument and the fast path (fast_parse.cc).
bool ParseOperatorName(std::string_view text, ConditionClause& c);  // false: unknown
bool IsPrincipalArn(std::string_view v);
// Refuses values that cannot mean anything for the clause's operator.
Status CheckConditionValues(const ConditionClause& c, bool variables, const std::string& at);
// The same for one value, without a message.
bool ConditionValueOk(ConditionOp op, std::string_view value, bool variables);
// Element checks without messages (the fast path's; CheckDocument words them).
bool ActionOk(std::string_view action);
bool ResourceOk(std::string_view resource);
// Statement IDs: identity policies and boundaries take [0-9A-Za-z]* only.
bool SidOk(PolicyType type, std::string_view sid);
// Which elements a statement of a policy type must have or must not.
enum class ShapeProblem {
  kNone, kMissingPrincipal, kPrincipalNotAllowed, kResourceNotAllowed, kNotPrincipalNotAllowed, kMissingResource
};
ShapeProblem StatementShape(PolicyType type, bool has_principal, bool not_principal, bool has_resource);
// The checks that need the whole document (Sids, elements each policy
// type requires or forbids, Resource and Action formats).
Status CheckDocument(const Document& doc, PolicyType type);

// Negated operators are the complement of a positive one.
bool IsNegated(ConditionOp op);

}  // namespace iam::policy
