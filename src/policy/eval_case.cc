#include "policy/eval_case.h"

#include <nlohmann/json.hpp>

#include "iamd/policy.h"
#include "policy/eval_case_fast.h"
#include "policy/json_reader.h"
#include "policy/wildcard.h"

namespace iam::policy {
namespace {

using json = nlohmann::json;

struct CaseError {
  std::string message;
};

std::string Answer(const json& id, std::string_view decision_or_empty, const std::string& error,
                   const Decision* d) {
  nlohmann::ordered_json out;  // "id" first, as the contract shows
  out["id"] = id;
  if (decision_or_empty.empty()) {
    out["decision"] = nullptr;
    out["error"] = error;
  } else {
    out["decision"] = decision_or_empty;
    if (d != nullptr && !d->statements.empty()) {
      nlohmann::ordered_json list = nlohmann::ordered_json::array();
      for (const MatchedStatement& m : d->statements) {
        nlohmann::ordered_json s;
        s["kind"] = PolicyKindName(m.kind);
        s["policy"] = m.policy_index;
        s["statement"] = m.statement_index;
        s["effect"] = m.deny ? "Deny" : "Allow";
        if (!m.sid.empty()) s["sid"] = std::string(m.sid);
        list.push_back(std::move(s));
      }
      out["statements"] = std::move(list);
    }
  }
  return out.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

Policy ParsePolicy(const json& v, PolicyType type, const std::string& where) {
  std::string text;
  if (v.is_string()) {
    text = v.get<std::string>();
  } else if (v.is_object()) {
    text = v.dump();
  } else {
    throw CaseError{where + ": a policy must be a JSON object or a string holding one"};
  }
  auto p = Policy::Parse(text, type);
  if (!p.ok()) throw CaseError{where + ": " + p.status().message()};
  return std::move(p).value();
}

std::string RequiredString(const json& c, const char* field) {
  auto it = c.find(field);
  if (it == c.end() || !it->is_string()) throw CaseError{std::string(field) + " must be a string"};
  return it->get<std::string>();
}

bool Present(const json& c, const char* field) {
  auto it = c.find(field);
  return it != c.end() && !it->is_null();
}

std::string ScalarText(const json& v, const std::string& where) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_number()) return v.dump();
  throw CaseError{where + " must be a string or an array of strings"};
}

std::string Evaluate(const json& c, const json& id) {
  Request req;
  auto p = c.find("principal");
  if (p != c.end() && !p->is_null()) {
    if (!p->is_string()) throw CaseError{"principal must be a string or null"};
    req.principal = p->get<std::string>();
    if (req.principal == "anonymous") req.principal.clear();
  }
  req.action = RequiredString(c, "action");
  size_t colon = req.action.find(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == req.action.size() ||
      HasWildcard(req.action)) {
    throw CaseError{"action must be service:Action without wildcards"};
  }
  req.resource = RequiredString(c, "resource");
  if (Present(c, "resource_account")) req.resource_account = RequiredString(c, "resource_account");
  if (Present(c, "context")) {
    const json& ctx = c["context"];
    if (!ctx.is_object()) throw CaseError{"context must be an object"};
    for (auto& [key, value] : ctx.items()) {
      if (value.is_array()) {
        std::vector<std::string> values;
        for (const json& e : value) values.push_back(ScalarText(e, "context." + key));
        req.context.SetMulti(key, std::move(values));
      } else if (!value.is_null()) {
        req.context.Set(key, ScalarText(value, "context." + key));
      }
    }
  }
  PolicySet set;
  if (Present(c, "identity_policies")) {
    const json& list = c["identity_policies"];
    if (!list.is_array()) throw CaseError{"identity_policies must be an array"};
    for (size_t i = 0; i < list.size(); ++i) {
      set.identity.push_back(ParsePolicy(list[i], PolicyType::kIdentity, "identity_policies[" + std::to_string(i) + "]"));
    }
  }
  if (Present(c, "resource_policy")) {
    // For the role-assuming actions the resource policy is the role's trust policy.
    set.resource = ParsePolicy(c["resource_policy"], IsTrustAction(req.action) ? PolicyType::kTrust : PolicyType::kResource,
                               "resource_policy");
  }
  if (Present(c, "permission_boundary")) {
    set.permissions_boundary = ParsePolicy(c["permission_boundary"], PolicyType::kPermissionsBoundary, "permission_boundary");
  }
  if (Present(c, "session_policy")) {
    set.session = ParsePolicy(c["session_policy"], PolicyType::kSession, "session_policy");
  }
  for (const char* field : {"scps", "rcps"}) {
    if (!Present(c, field)) continue;
    const json& levels = c[field];
    if (!levels.is_array()) throw CaseError{std::string(field) + " must be an array of arrays"};
    auto& out = std::string_view(field) == "scps" ? set.service_control : set.resource_control;
    PolicyType type = std::string_view(field) == "scps" ? PolicyType::kServiceControl : PolicyType::kResourceControl;
    for (size_t l = 0; l < levels.size(); ++l) {
      if (!levels[l].is_array()) throw CaseError{std::string(field) + " must be an array of arrays"};
      std::vector<Policy> level;
      for (size_t i = 0; i < levels[l].size(); ++i) {
        level.push_back(ParsePolicy(levels[l][i], type,
                                    std::string(field) + "[" + std::to_string(l) + "][" + std::to_string(i) + "]"));
      }
      out.push_back(std::move(level));
    }
  }
  Decision d = iam::policy::Evaluate(req, set);
  return Answer(id, EffectName(d.effect), "", &d);
}

// The reference path: nlohmann's reading, with the error texts.
std::string ReferenceAnswer(std::string_view line) {
  json c;
  std::string err;
  JsonLimits limits;
  limits.max_depth = 64;
  limits.max_bytes = 16 << 20;
  if (!ReadJson(line, limits, c, err)) {
    // Try to keep the id even when the strict reading failed (e.g. a
    // duplicate key inside a policy).
    json id = nullptr;
    json lenient = json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (lenient.is_object() && lenient.contains("id")) id = lenient["id"];
    return Answer(id, "", "invalid JSON: " + err, nullptr);
  }
  if (!c.is_object()) return Answer(nullptr, "", "a case must be a JSON object", nullptr);
  json id = c.contains("id") ? c["id"] : json(nullptr);
  try {
    return Evaluate(c, id);
  } catch (const CaseError& e) {
    return Answer(id, "", e.message, nullptr);
  } catch (const std::exception& e) {
    return Answer(id, "", std::string("invalid case: ") + e.what(), nullptr);
  }
}

}  // namespace

std::string EvaluateCaseLine(std::string_view line) {
  std::string answer;
  AppendCaseAnswer(line, answer);
  return answer;
}

std::string TEST_ReferenceAnswer(std::string_view line) { return ReferenceAnswer(line); }

void AppendCaseAnswer(std::string_view line, std::string& out) {
  if (!TryEvaluateCaseLine(line, out)) out += ReferenceAnswer(line);
}

}  // namespace iam::policy
