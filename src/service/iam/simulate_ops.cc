// The policy simulator operations (SimulatePrincipalPolicy,
// SimulateCustomPolicy), the context-key listings, and
// ListPoliciesGrantingServiceAccess. The evaluation itself is
// authz/simulator.h; this file gathers the policies an entity has.
#include <algorithm>

#include "common/status_macros.h"
#include "service/authz/context_keys.h"
#include "service/authz/simulator.h"
#include "service/iam/op_context.h"
#include "store/ids.h"

namespace iam::service {
namespace {

using nlohmann::json;
using store::PrincipalKind;
using store::PrincipalRef;

std::vector<std::string> Strings(const json& in, const char* key) {
  std::vector<std::string> out;
  if (auto it = in.find(key); it != in.end() && it->is_array()) {
    for (const json& v : *it) out.push_back(v.is_string() ? v.get<std::string>() : "");
  }
  return out;
}

// The inputs listed in `key` as simulator policies "KEY.1", "KEY.2"...
std::vector<SimPolicy> InputPolicies(const json& in, const char* key) {
  std::vector<SimPolicy> out;
  std::vector<std::string> docs = Strings(in, key);
  for (size_t i = 0; i < docs.size(); ++i) {
    out.push_back({std::string(key) + "." + std::to_string(i + 1), "none", std::move(docs[i])});
  }
  return out;
}

bool IsAwsManaged(const std::string& arn) { return arn.find(":aws:policy/") != std::string::npos; }

// A user, group or role of the caller's account named by its ARN.
struct Entity {
  PrincipalKind kind = PrincipalKind::kUser;
  std::string name;
  std::string arn;
};

Result<Entity> EntityOf(Ctx& c, const std::string& arn) {
  Result<store::ParsedArn> parsed = store::ParseArn(arn);
  auto invalid = [&] { return InvalidInput("Invalid ARN: " + arn + " is not the ARN of a user, group or role."); };
  if (!parsed.ok()) return invalid();
  Entity e{PrincipalKind::kUser, parsed->name, arn};
  if (parsed->type == "group") {
    e.kind = PrincipalKind::kGroup;
  } else if (parsed->type == "role") {
    e.kind = PrincipalKind::kRole;
  } else if (parsed->type != "user") {
    return invalid();
  }
  if (parsed->account_id != c.account()) return NoSuchEntity("The entity " + arn + " cannot be found.");
  return e;
}

// Every inline and attached policy of a group, named as the simulator does.
Status AddGroupPolicies(Ctx& c, const std::string& group, std::vector<store::SourcedPolicy>& out) {
  PrincipalRef g{PrincipalKind::kGroup, group};
  store::ListOptions o;
  o.max_items = 1000;
  for (;;) {
    IAM_ASSIGN_OR_RETURN(store::Page<std::string> names, c.store.ListInlinePolicies(c.account(), g, o));
    for (const std::string& name : names.items) {
      IAM_ASSIGN_OR_RETURN(store::InlinePolicy p, c.store.GetInlinePolicy(c.account(), g, name));
      out.push_back({store::SourcedPolicy::Source::kGroupInline, p.name, "", group, p.document});
    }
    if (!names.is_truncated) break;
    o.marker = names.marker;
  }
  o.marker.clear();
  for (;;) {
    IAM_ASSIGN_OR_RETURN(store::Page<store::AttachedPolicy> attached, c.store.ListAttachedPolicies(c.account(), g, o));
    for (const store::AttachedPolicy& a : attached.items) {
      IAM_ASSIGN_OR_RETURN(store::ManagedPolicy mp, c.store.GetPolicy(c.account(), a.arn));
      IAM_ASSIGN_OR_RETURN(store::PolicyVersion v, c.store.GetPolicyVersion(c.account(), a.arn, mp.default_version_id));
      out.push_back({store::SourcedPolicy::Source::kGroupManaged, a.name, a.arn, group, v.document});
    }
    if (!attached.is_truncated) break;
    o.marker = attached.marker;
  }
  return Status();
}

struct EntityPolicies {
  std::vector<store::SourcedPolicy> policies;
  std::optional<store::SourcedPolicy> boundary;
};

Result<EntityPolicies> PoliciesOf(Ctx& c, const Entity& e) {
  EntityPolicies out;
  if (e.kind == PrincipalKind::kGroup) {
    IAM_ASSIGN_OR_RETURN(store::Group g, c.store.GetGroup(c.account(), e.name));
    IAM_RETURN_IF_ERROR(AddGroupPolicies(c, g.name, out.policies));
    return out;
  }
  IAM_ASSIGN_OR_RETURN(store::PrincipalPolicySet set, c.store.GetPolicySet(c.account(), {e.kind, e.name}));
  out.policies = std::move(set.policies);
  out.boundary = std::move(set.permissions_boundary);
  return out;
}

SimPolicy ToSim(const store::SourcedPolicy& p, PrincipalKind owner) {
  using Source = store::SourcedPolicy::Source;
  std::string type;
  if (p.source == Source::kManaged || p.source == Source::kGroupManaged) {
    type = IsAwsManaged(p.arn) ? "aws-managed" : "user-managed";
  } else if (p.source == Source::kGroupInline || owner == PrincipalKind::kGroup) {
    type = "group";
  } else {
    type = owner == PrincipalKind::kRole ? "role" : "user";
  }
  return {p.name, type, p.document};
}

std::string AccountOfOwner(const std::string& owner) {
  // ResourceOwner is an account ARN (arn:aws:iam::ACCOUNT:root) or an account id.
  if (owner.rfind("arn:", 0) != 0) return owner;
  Result<store::ParsedArn> parsed = store::ParseArn(owner);
  if (parsed.ok()) return parsed->account_id;
  size_t end = owner.rfind(':');
  size_t begin = owner.rfind(':', end - 1);
  return owner.substr(begin + 1, end - begin - 1);
}

// Common to both simulations: everything but where identity policies come from.
Result<json> RunSimulation(Ctx& c, SimulationRequest r) {
  r.actions = Strings(c.in, "ActionNames");
  r.resources = Strings(c.in, "ResourceArns");
  r.resource_owner = AccountOfOwner(Str(c.in, "ResourceOwner"));
  if (Has(c.in, "ResourcePolicy")) r.resource_policy = SimPolicy{"ResourcePolicy", "resource", Str(c.in, "ResourcePolicy")};
  if (std::string caller = Str(c.in, "CallerArn"); !caller.empty()) r.caller_arn = caller;
  if (auto it = c.in.find("ContextEntries"); it != c.in.end()) r.context_entries = *it;
  std::vector<SimPolicy> boundaries = InputPolicies(c.in, "PermissionsBoundaryPolicyInputList");
  if (!boundaries.empty()) r.permissions_boundary = boundaries.front();
  if (r.caller_arn.empty()) r.caller_arn = c.caller.arn;

  IAM_ASSIGN_OR_RETURN(json results, Simulate(r));
  // Marker: the index of the next result.
  size_t start = 0;
  if (std::string marker = Str(c.in, "Marker"); !marker.empty()) {
    if (marker.find_first_not_of("0123456789") != std::string::npos || marker.size() > 9 ||
        std::stoul(marker) > results.size()) {
      return InvalidMarker();
    }
    start = std::stoul(marker);
  }
  size_t max_items = static_cast<size_t>(IntIn(c.in, "MaxItems").value_or(100));
  size_t end = std::min(results.size(), start + max_items);
  json page = json::array();
  for (size_t i = start; i < end; ++i) page.push_back(std::move(results[i]));
  json out = {{"EvaluationResults", std::move(page)}, {"IsTruncated", end < results.size()}};
  if (end < results.size()) out["Marker"] = std::to_string(end);
  return out;
}

Result<json> SimulatePrincipalPolicy(Ctx& c) {
  IAM_ASSIGN_OR_RETURN(Entity e, EntityOf(c, Str(c.in, "PolicySourceArn")));
  IAM_ASSIGN_OR_RETURN(EntityPolicies ep, PoliciesOf(c, e));
  SimulationRequest r;
  for (const store::SourcedPolicy& p : ep.policies) r.identity.push_back(ToSim(p, e.kind));
  for (SimPolicy& p : InputPolicies(c.in, "PolicyInputList")) r.identity.push_back(std::move(p));
  if (ep.boundary) r.permissions_boundary = ToSim(*ep.boundary, e.kind);
  if (e.kind != PrincipalKind::kGroup) r.caller_arn = e.arn;  // AWS's default CallerArn
  return RunSimulation(c, std::move(r));
}

Result<json> SimulateCustomPolicy(Ctx& c) {
  SimulationRequest r;
  r.identity = InputPolicies(c.in, "PolicyInputList");
  return RunSimulation(c, std::move(r));
}

Result<json> ContextKeysAnswer(const std::vector<std::string>& documents) {
  IAM_ASSIGN_OR_RETURN(std::vector<std::string> keys, ContextKeysOf(documents));
  return json{{"ContextKeyNames", keys}};
}

Result<json> GetContextKeysForCustomPolicy(Ctx& c) { return ContextKeysAnswer(Strings(c.in, "PolicyInputList")); }

Result<json> GetContextKeysForPrincipalPolicy(Ctx& c) {
  IAM_ASSIGN_OR_RETURN(Entity e, EntityOf(c, Str(c.in, "PolicySourceArn")));
  IAM_ASSIGN_OR_RETURN(EntityPolicies ep, PoliciesOf(c, e));
  std::vector<std::string> docs;
  for (const store::SourcedPolicy& p : ep.policies) docs.push_back(p.document);
  for (std::string& d : Strings(c.in, "PolicyInputList")) docs.push_back(std::move(d));
  return ContextKeysAnswer(docs);
}

// Whether an Allow statement of `document` covers some action of `service`.
Result<bool> GrantsService(const std::string& document, const std::string& service) {
  IAM_ASSIGN_OR_RETURN(std::vector<StatementKeys> statements, StatementKeysOf(document));
  auto service_matches = [&](const std::string& pattern) {
    return pattern == "*" || WildcardMatch(pattern.substr(0, pattern.find(':')), service);
  };
  // A NotAction pattern that leaves no action of the service.
  auto excludes_service = [&](const std::string& pattern) {
    size_t colon = pattern.find(':');
    return pattern == "*" || (colon != std::string::npos && service_matches(pattern) &&
                              pattern.find_first_not_of('*', colon + 1) == std::string::npos);
  };
  for (const StatementKeys& st : statements) {
    if (!st.allow) continue;
    if (st.not_action ? std::none_of(st.actions.begin(), st.actions.end(), excludes_service)
                      : std::any_of(st.actions.begin(), st.actions.end(), service_matches)) {
      return true;
    }
  }
  return false;
}

Result<json> ListPoliciesGrantingServiceAccess(Ctx& c) {
  IAM_ASSIGN_OR_RETURN(Entity e, EntityOf(c, Str(c.in, "Arn")));
  IAM_ASSIGN_OR_RETURN(EntityPolicies ep, PoliciesOf(c, e));
  using Source = store::SourcedPolicy::Source;
  json entries = json::array();
  for (const std::string& service : Strings(c.in, "ServiceNamespaces")) {
    json policies = json::array();
    for (const store::SourcedPolicy& p : ep.policies) {
      IAM_ASSIGN_OR_RETURN(bool grants, GrantsService(p.document, service));
      if (!grants) continue;
      json j = {{"PolicyName", p.name}};
      if (p.source == Source::kManaged || p.source == Source::kGroupManaged) {
        j["PolicyType"] = "MANAGED";
        j["PolicyArn"] = p.arn;
      } else {
        j["PolicyType"] = "INLINE";
        bool via_group = p.source == Source::kGroupInline || e.kind == PrincipalKind::kGroup;
        j["EntityType"] = via_group ? "GROUP" : e.kind == PrincipalKind::kRole ? "ROLE" : "USER";
        j["EntityName"] = p.source == Source::kGroupInline ? p.via_group : e.name;
      }
      policies.push_back(std::move(j));
    }
    entries.push_back({{"ServiceNamespace", service}, {"Policies", std::move(policies)}});
  }
  return json{{"PoliciesGrantingServiceAccess", std::move(entries)}, {"IsTruncated", false}};
}

}  // namespace

void AddSimulationOps(OpTable& ops) {
  ops.emplace("SimulatePrincipalPolicy", SimulatePrincipalPolicy);
  ops.emplace("SimulateCustomPolicy", SimulateCustomPolicy);
  ops.emplace("GetContextKeysForPrincipalPolicy", GetContextKeysForPrincipalPolicy);
  ops.emplace("GetContextKeysForCustomPolicy", GetContextKeysForCustomPolicy);
  ops.emplace("ListPoliciesGrantingServiceAccess", ListPoliciesGrantingServiceAccess);
}

}  // namespace iam::service
