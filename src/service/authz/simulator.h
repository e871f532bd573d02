// AWS's policy simulator over iamd's policy engine: SimulatePrincipalPolicy
// and SimulateCustomPolicy evaluate each action (on each resource) against
// the given policies and say which statements decided, where they are in
// their documents, and which context keys the policies needed but did not
// get; GetContextKeysFor*Policy list the keys policies reference.
//
// As AWS does since 2025, one EvaluationResult per action: its decision is
// the most restrictive over the resources (explicitDeny > implicitDeny >
// allowed), and ResourceSpecificResults has one entry per resource when
// resources are named.
//
//   SimulationRequest r;
//   r.identity.push_back({"PolicyInputList.1", "none", doc});
//   r.actions = {"s3:GetObject"};
//   Result<nlohmann::json> results = Simulate(r);  // EvaluationResults
//
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "iamd/status.h"

namespace iam::service {

// One input policy with how the simulator names it in MatchedStatements.
struct SimPolicy {
  std::string id;    // SourcePolicyId: "PolicyInputList.1", a policy name...
  std::string type;  // SourcePolicyType: user, group, role, aws-managed, user-managed, resource, none
  std::string document;
};

struct SimulationRequest {
  std::vector<SimPolicy> identity;
  std::optional<SimPolicy> permissions_boundary;
  std::optional<SimPolicy> resource_policy;
  std::vector<std::string> actions;
  std::vector<std::string> resources;  // empty: "*"
  std::string resource_owner;          // account id of the resources' owner, or ""
  std::string caller_arn;              // the principal making the simulated calls
  nlohmann::json context_entries = nlohmann::json::array();  // the model's ContextEntries
};

// The EvaluationResults list. kInvalidInput for a policy that does not parse
// (with the engine's message) or a context value that does not fit its type.
Result<nlohmann::json> Simulate(const SimulationRequest& request);

// The context keys `documents` reference (condition keys and policy
// variables), in order of appearance, each once (keys are case-insensitive;
// the first spelling wins). kInvalidInput if a document is not JSON.
Result<std::vector<std::string>> ContextKeysOf(const std::vector<std::string>& documents);

}  // namespace iam::service
