#include "service/authz/simulator.h"

#include <algorithm>
#include <cctype>

#include "common/status_macros.h"
#include "iamd/policy.h"
#include "service/authz/context_keys.h"
#include "service/authz/statement_positions.h"

namespace iam::service {
namespace {

using nlohmann::json;

// A parsed input policy with its statements' places.
struct Loaded {
  const SimPolicy* source = nullptr;
  policy::Policy policy;
  std::vector<StatementSpan> spans;
  std::vector<StatementKeys> keys;  // per statement: actions and context keys
};

Result<Loaded> Load(const SimPolicy& p, policy::PolicyType type) {
  Result<policy::Policy> parsed = policy::Policy::Parse(p.document, type);
  if (!parsed.ok()) {
    return InvalidInput("The policy " + p.id + " is not valid: " + parsed.status().message());
  }
  IAM_ASSIGN_OR_RETURN(std::vector<StatementKeys> keys, StatementKeysOf(p.document));
  return Loaded{&p, *parsed, StatementSpans(p.document), std::move(keys)};
}

std::string_view DecisionName(policy::Effect e) {
  switch (e) {
    case policy::Effect::kAllow: return "allowed";
    case policy::Effect::kExplicitDeny: return "explicitDeny";
    case policy::Effect::kImplicitDeny: break;
  }
  return "implicitDeny";
}

// explicitDeny > implicitDeny > allowed.
int Restrictiveness(policy::Effect e) {
  return e == policy::Effect::kExplicitDeny ? 2 : e == policy::Effect::kImplicitDeny ? 1 : 0;
}

bool IsListType(const std::string& type) {
  return type.size() > 4 && type.compare(type.size() - 4, 4, "List") == 0;
}

Status FillContext(const json& entries, policy::RequestContext& context) {
  for (const json& e : entries) {
    std::string name = e.value("ContextKeyName", "");
    std::string type = e.value("ContextKeyType", "string");
    std::vector<std::string> values;
    if (auto it = e.find("ContextKeyValues"); it != e.end() && it->is_array()) {
      for (const json& v : *it) values.push_back(v.is_string() ? v.get<std::string>() : v.dump());
    }
    if (name.empty()) return InvalidInput("A context entry has no ContextKeyName.");
    if (IsListType(type) || values.size() != 1) {
      context.SetMulti(name, std::move(values));
    } else {
      context.Set(name, std::move(values.front()));
    }
  }
  return Status();
}

struct Simulation {
  std::vector<Loaded> identity;
  std::optional<Loaded> boundary;
  std::optional<Loaded> resource;
  policy::PolicySet set;
  policy::PolicySet identity_only;  // for EvalDecisionDetails
  policy::PolicySet boundary_only;  // for PermissionsBoundaryDecisionDetail
  policy::PolicySet resource_only;
};

const Loaded* SourceOf(const Simulation& sim, const policy::MatchedStatement& m) {
  switch (m.kind) {
    case policy::PolicyKind::kIdentity:
      return m.policy_index < sim.identity.size() ? &sim.identity[m.policy_index] : nullptr;
    case policy::PolicyKind::kPermissionsBoundary: return sim.boundary ? &*sim.boundary : nullptr;
    case policy::PolicyKind::kResource: return sim.resource ? &*sim.resource : nullptr;
    default: return nullptr;
  }
}

json Position(const TextPosition& p) { return {{"Line", p.line}, {"Column", p.column}}; }

json MatchedStatements(const Simulation& sim, const policy::Decision& d) {
  json out = json::array();
  for (const policy::MatchedStatement& m : d.statements) {
    const Loaded* l = SourceOf(sim, m);
    if (l == nullptr) continue;
    json s = {{"SourcePolicyId", l->source->id}, {"SourcePolicyType", l->source->type}};
    if (m.statement_index < l->spans.size()) {
      s["StartPosition"] = Position(l->spans[m.statement_index].start);
      s["EndPosition"] = Position(l->spans[m.statement_index].end);
    }
    out.push_back(std::move(s));
  }
  return out;
}

// Context keys that statements which could apply to `action` reference but
// the request does not carry.
json MissingContextValues(const Simulation& sim, const std::string& action, const policy::RequestContext& context) {
  std::vector<std::string> missing;
  auto visit = [&](const Loaded& l) {
    for (const StatementKeys& st : l.keys) {
      if (!st.MayApplyTo(action)) continue;
      for (const std::string& key : st.context_keys) {
        std::string lower = key;
        std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
        if (context.Find(lower) == nullptr) AddKeyOnce(missing, key);
      }
    }
  };
  for (const Loaded& l : sim.identity) visit(l);
  if (sim.boundary) visit(*sim.boundary);
  if (sim.resource) visit(*sim.resource);
  return missing;
}

std::string AccountOf(const std::string& arn) {
  // arn:partition:service:region:account:...
  size_t pos = 0;
  for (int i = 0; i < 4; ++i) {
    pos = arn.find(':', pos);
    if (pos == std::string::npos) return "";
    ++pos;
  }
  size_t end = arn.find(':', pos);
  return end == std::string::npos ? "" : arn.substr(pos, end - pos);
}

}  // namespace

Result<json> Simulate(const SimulationRequest& r) {
  Simulation sim;
  for (const SimPolicy& p : r.identity) {
    IAM_ASSIGN_OR_RETURN(Loaded l, Load(p, policy::PolicyType::kIdentity));
    sim.set.identity.push_back(l.policy);
    sim.identity.push_back(std::move(l));
  }
  sim.identity_only = sim.set;
  if (r.permissions_boundary) {
    IAM_ASSIGN_OR_RETURN(Loaded l, Load(*r.permissions_boundary, policy::PolicyType::kPermissionsBoundary));
    sim.set.permissions_boundary = l.policy;
    sim.boundary_only.identity.push_back(l.policy);
    sim.boundary = std::move(l);
  }
  if (r.resource_policy) {
    // For the role-assuming actions the resource policy is a role's trust
    // policy (stricter same-account rules), as in `iamd eval`.
    bool trust = !r.actions.empty() && std::all_of(r.actions.begin(), r.actions.end(), policy::IsTrustAction);
    IAM_ASSIGN_OR_RETURN(Loaded l, Load(*r.resource_policy,
                                        trust ? policy::PolicyType::kTrust : policy::PolicyType::kResource));
    sim.set.resource = l.policy;
    sim.resource_only.resource = l.policy;
    sim.resource = std::move(l);
  }
  policy::Request req;
  req.principal = r.caller_arn;
  req.resource_account = r.resource_owner;
  IAM_RETURN_IF_ERROR(FillContext(r.context_entries, req.context));
  const bool cross_account =
      sim.resource && !r.resource_owner.empty() && AccountOf(r.caller_arn) != r.resource_owner;
  const bool named_resources = !r.resources.empty();
  const std::vector<std::string> resources = named_resources ? r.resources : std::vector<std::string>{"*"};

  json results = json::array();
  for (const std::string& action : r.actions) {
    req.action = action;
    json missing = MissingContextValues(sim, action, req.context);
    json per_resource = json::array();
    policy::Decision worst;
    bool first = true;
    for (const std::string& resource : resources) {
      req.resource = resource;
      policy::Decision d = policy::Evaluate(req, sim.set);
      json one = {{"EvalResourceName", resource},
                  {"EvalResourceDecision", DecisionName(d.effect)},
                  {"MatchedStatements", MatchedStatements(sim, d)},
                  {"MissingContextValues", missing}};
      if (cross_account) {
        // Each side on its own, as if the resource were the caller's.
        policy::Request side = req;
        side.resource_account = AccountOf(r.caller_arn);
        one["EvalDecisionDetails"] = {
            {"IAM Policy", DecisionName(policy::Evaluate(side, sim.identity_only).effect)},
            {"Resource Policy", DecisionName(policy::Evaluate(side, sim.resource_only).effect)}};
      }
      if (sim.boundary) {
        one["PermissionsBoundaryDecisionDetail"] = {
            {"AllowedByPermissionsBoundary", policy::Evaluate(req, sim.boundary_only).effect == policy::Effect::kAllow}};
      }
      if (first || Restrictiveness(d.effect) > Restrictiveness(worst.effect)) worst = d;
      first = false;
      per_resource.push_back(std::move(one));
    }
    json result = {{"EvalActionName", action},
                   {"EvalResourceName", named_resources && resources.size() == 1 ? resources.front() : "*"},
                   {"EvalDecision", DecisionName(worst.effect)},
                   {"MatchedStatements", MatchedStatements(sim, worst)},
                   {"MissingContextValues", named_resources ? json::array() : missing}};
    if (per_resource.size() == 1) {
      for (const char* k : {"EvalDecisionDetails", "PermissionsBoundaryDecisionDetail"}) {
        if (per_resource[0].contains(k)) result[k] = per_resource[0][k];
      }
    }
    if (named_resources) result["ResourceSpecificResults"] = std::move(per_resource);
    results.push_back(std::move(result));
  }
  return results;
}

Result<std::vector<std::string>> ContextKeysOf(const std::vector<std::string>& documents) {
  std::vector<std::string> keys;
  for (const std::string& doc : documents) {
    IAM_ASSIGN_OR_RETURN(std::vector<StatementKeys> statements, StatementKeysOf(doc));
    for (const StatementKeys& st : statements) {
      for (const std::string& key : st.context_keys) AddKeyOnce(keys, key);
    }
  }
  return keys;
}

}  // namespace iam::service
