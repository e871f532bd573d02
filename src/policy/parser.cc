// Parses policy JSON into a Document and validates it against the IAM
// grammar (grammar.cc). Error messages are AWS's (MalformedPolicyDocument
// texts), each followed by where the problem is, so both tools and people
// can act on it.
#include <set>
#include <string>
#include <utility>

#include "common/status_macros.h"
#include "policy/arn.h"
#include "policy/document.h"
#include "policy/json_reader.h"
#include "policy/malformed.h"
#include "policy/wildcard.h"

namespace iam::policy {
namespace {

using json = nlohmann::json;

class Parser {
 public:
  explicit Parser(PolicyType type) : type_(type) {}

  Result<Document> Run(std::string_view text) {
    json root;
    std::string err;
    if (!ReadJson(text, JsonLimits{}, root, err)) return Malformed(kSyntax, err);
    if (!root.is_object()) return Malformed(kSyntax, "the document must be a JSON object");
    for (auto& [key, value] : root.items()) {
      if (key == "Version") {
        if (!value.is_string()) return Malformed(kSyntax, "Version must be a string");
        doc_.version = doc_.Keep(value.get<std::string>());
        if (doc_.version != "2012-10-17" && doc_.version != "2008-10-17") {
          return Malformed(kSyntax, "Version " + Quote(doc_.version) +
                                        " is not 2012-10-17 or 2008-10-17");
        }
      } else if (key == "Id") {
        if (!value.is_string()) return Malformed(kSyntax, "Id must be a string");
        doc_.id = doc_.Keep(value.get<std::string>());
      } else if (key != "Statement") {
        return Malformed(kSyntax, "unknown element " + Quote(key));
      }
    }
    auto it = root.find("Statement");
    if (it == root.end()) return Malformed(kSyntax, "missing Statement");
    if (it->is_object()) {
      IAM_RETURN_IF_ERROR(ParseStatement(*it, "Statement"));
    } else if (it->is_array()) {
      if (it->empty()) return Malformed(kSyntax, "Statement is an empty list");
      for (size_t i = 0; i < it->size(); ++i) {
        IAM_RETURN_IF_ERROR(ParseStatement((*it)[i], "Statement[" + std::to_string(i) + "]"));
      }
    } else {
      return Malformed(kSyntax, "Statement must be an object or a list");
    }
    IAM_RETURN_IF_ERROR(CheckDocument(doc_, type_));
    return std::move(doc_);
  }

 private:
  Status ParseStringList(const json& v, const std::string& where, std::vector<std::string_view>& out) {
    if (v.is_string()) {
      out.push_back(doc_.Keep(v.get<std::string>()));
      return Status::Ok();
    }
    if (!v.is_array()) return Malformed(kSyntax, where + " must be a string or a list of strings");
    for (const json& e : v) {
      if (!e.is_string()) return Malformed(kSyntax, where + " must be a string or a list of strings");
      out.push_back(doc_.Keep(e.get<std::string>()));
    }
    return Status::Ok();
  }

  Status ParseStatement(const json& s, const std::string& where) {
    if (!s.is_object()) return Malformed(kSyntax, where + " must be an object");
    StatementDoc st;
    bool has_effect = false;
    bool has_action = false;
    for (auto& [key, value] : s.items()) {
      std::string at = where + "." + key;
      if (key == "Sid") {
        if (!value.is_string()) return Malformed(kSyntax, at + " must be a string");
        st.sid = doc_.Keep(value.get<std::string>());
      } else if (key == "Effect") {
        if (!value.is_string()) return Malformed(kSyntax, at + " must be a string");
        std::string e = value.get<std::string>();
        if (!EqualsIgnoreCase(e, "Allow") && !EqualsIgnoreCase(e, "Deny")) {
          return Malformed(kSyntax, at + ": " + Quote(e) + " is not Allow or Deny");
        }
        if (e != "Allow" && e != "Deny") {
          return Malformed(kLegacy, at + ": " + Quote(e) + " must be written Allow or Deny");
        }
        st.deny = e == "Deny";
        has_effect = true;
      } else if (key == "Action" || key == "NotAction") {
        if (has_action) return Malformed(kSyntax, where + " has both Action and NotAction");
        has_action = true;
        st.not_action = key == "NotAction";
        IAM_RETURN_IF_ERROR(ParseStringList(value, at, st.actions));
        if (st.actions.empty()) return Malformed("Policy statement must contain actions.", at + " is empty");
      } else if (key == "Resource" || key == "NotResource") {
        if (st.has_resource) return Malformed(kSyntax, where + " has both Resource and NotResource");
        st.has_resource = true;
        st.not_resource = key == "NotResource";
        IAM_RETURN_IF_ERROR(ParseStringList(value, at, st.resources));
        if (st.resources.empty()) {
          return Malformed("Policy statement must contain resources.", at + " is empty");
        }
      } else if (key == "Principal" || key == "NotPrincipal") {
        if (st.has_principal) return Malformed(kSyntax, where + " has both Principal and NotPrincipal");
        st.has_principal = true;
        st.not_principal = key == "NotPrincipal";
        IAM_RETURN_IF_ERROR(ParsePrincipal(value, at, st.principal));
      } else if (key == "Condition") {
        IAM_RETURN_IF_ERROR(ParseConditions(value, at, st.conditions));
      } else {
        return Malformed(kSyntax, where + ": unknown element " + Quote(key));
      }
    }
    if (!has_effect) return Malformed(kSyntax, where + " is missing Effect");
    if (!has_action) return Malformed("Policy statement must contain actions.", where);
    doc_.statements.push_back(std::move(st));
    return Status::Ok();
  }

  Status ParsePrincipal(const json& v, const std::string& at, PrincipalSpec& p) {
    if (v.is_string()) {
      if (v.get<std::string>() != "*") {
        return Malformed("Invalid principal in policy: " + Quote(v.get<std::string>()), at);
      }
      p.wildcard = true;
      return Status::Ok();
    }
    if (!v.is_object() || v.empty()) return Malformed(kSyntax, at + " must be \"*\" or an object");
    for (auto& [kind, values] : v.items()) {
      std::vector<std::string_view> list;
      IAM_RETURN_IF_ERROR(ParseStringList(values, at + "." + kind, list));
      if (list.empty()) return Malformed(kSyntax, at + "." + kind + " is empty");
      for (std::string_view value : list) {
        std::string quoted = "\"" + kind + "\":" + Quote(value);
        if (kind == "AWS") {
          if (value == "*") {
            p.wildcard = true;
          } else if (IsAccountId(value) || IsPrincipalArn(value)) {
            p.aws.push_back(value);
          } else {
            return Malformed("Invalid principal in policy: " + quoted, at);
          }
        } else if (kind == "Service") {
          if (value.empty() || HasWildcard(value)) {
            return Malformed("Invalid principal in policy: " + quoted, at);
          }
          p.service.push_back(doc_.Keep(AsciiLowerCopy(value)));
        } else if (kind == "Federated") {
          if (value.empty() || HasWildcard(value)) {
            return Malformed("Invalid principal in policy: " + quoted, at);
          }
          p.federated.push_back(value);
        } else if (kind == "CanonicalUser") {
          if (value.empty()) return Malformed("Invalid principal in policy: " + quoted, at);
          p.canonical_user.push_back(value);
        } else {
          return Malformed("Invalid principal in policy: " + quoted, at);
        }
      }
    }
    return Status::Ok();
  }

  Status ParseConditions(const json& v, const std::string& at, std::vector<ConditionClause>& out) {
    if (!v.is_object()) return Malformed(kSyntax, at + " must be an object");
    for (auto& [op_text, block] : v.items()) {
      std::string op_at = at + "." + op_text;
      if (!block.is_object()) return Malformed(kSyntax, op_at + " must be an object");
      ConditionClause base;
      if (!ParseOperatorName(op_text, base)) {
        if (block.empty()) continue;  // AWS tolerates an empty block of any name
        return Malformed(kSyntax, at + ": unknown condition operator " + Quote(op_text));
      }
      for (auto& [key, values] : block.items()) {
        std::string key_at = op_at + "." + key;
        if (key.find(':') == std::string::npos) {
          return Malformed(kSyntax, key_at + ": a condition key needs a service prefix (aws:, s3:, ...)");
        }
        ConditionClause c = base;
        c.key = doc_.Keep(key);
        IAM_RETURN_IF_ERROR(ParseConditionValues(values, key_at, c.values));
        IAM_RETURN_IF_ERROR(CheckConditionValues(c, doc_.variables(), key_at));
        out.push_back(std::move(c));
      }
    }
    return Status::Ok();
  }

  Status ParseConditionValues(const json& v, const std::string& at, std::vector<std::string_view>& out) {
    auto scalar = [&](const json& e) -> bool {
      if (e.is_string()) {
        out.push_back(doc_.Keep(e.get<std::string>()));
      } else if (e.is_boolean()) {
        out.push_back(e.get<bool>() ? "true" : "false");
      } else if (e.is_number_integer()) {
        out.push_back(doc_.Keep(e.dump()));
      } else if (e.is_number_float()) {
        out.push_back(doc_.Keep(e.dump()));
      } else {
        return false;
      }
      return true;
    };
    if (v.is_array()) {
      if (v.empty()) return Malformed(kSyntax, at + " has no values");
      for (const json& e : v) {
        if (!scalar(e)) return Malformed(kSyntax, at + " values must be strings, numbers or booleans");
      }
      return Status::Ok();
    }
    if (!scalar(v)) return Malformed(kSyntax, at + " must be a value or a list of values");
    return Status::Ok();
  }

  PolicyType type_;
  Document doc_;
};

}  // namespace

Result<Document> ParseDocument(std::string_view json_text, PolicyType type) {
  try {
    return Parser(type).Run(json_text);
  } catch (const std::exception& e) {
    // nlohmann accessors throw on type confusion; never let that escape.
    return Malformed(kSyntax, e.what());
  }
}

}  // namespace iam::policy
