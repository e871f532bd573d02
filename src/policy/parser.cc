// Parses policy JSON into a Document and validates it against the IAM
// grammar. Error messages are AWS's (MalformedPolicyDocument texts), each
// followed by where the problem is, so both tools and people can act on it.
#include <algorithm>
#include <array>
#include <set>
#include <string>
#include <utility>

#include "common/status_macros.h"
#include "policy/arn.h"
#include "policy/document.h"
#include "policy/json_reader.h"
#include "policy/text_memo.h"
#include "policy/values.h"
#include "policy/wildcard.h"

namespace iam::policy {
namespace {

using json = nlohmann::json;

constexpr std::string_view kSyntax = "Syntax errors in policy.";
constexpr std::string_view kLegacy = "The policy failed legacy parsing";

struct OpName {
  std::string_view name;
  ConditionOp op;
};
constexpr std::array<OpName, 27> kOps = {{
    {"StringEquals", ConditionOp::kStringEquals},
    {"StringNotEquals", ConditionOp::kStringNotEquals},
    {"StringEqualsIgnoreCase", ConditionOp::kStringEqualsIgnoreCase},
    {"StringNotEqualsIgnoreCase", ConditionOp::kStringNotEqualsIgnoreCase},
    {"StringLike", ConditionOp::kStringLike},
    {"StringNotLike", ConditionOp::kStringNotLike},
    {"NumericEquals", ConditionOp::kNumericEquals},
    {"NumericNotEquals", ConditionOp::kNumericNotEquals},
    {"NumericLessThan", ConditionOp::kNumericLessThan},
    {"NumericLessThanEquals", ConditionOp::kNumericLessThanEquals},
    {"NumericGreaterThan", ConditionOp::kNumericGreaterThan},
    {"NumericGreaterThanEquals", ConditionOp::kNumericGreaterThanEquals},
    {"DateEquals", ConditionOp::kDateEquals},
    {"DateNotEquals", ConditionOp::kDateNotEquals},
    {"DateLessThan", ConditionOp::kDateLessThan},
    {"DateLessThanEquals", ConditionOp::kDateLessThanEquals},
    {"DateGreaterThan", ConditionOp::kDateGreaterThan},
    {"DateGreaterThanEquals", ConditionOp::kDateGreaterThanEquals},
    {"Bool", ConditionOp::kBool},
    {"BinaryEquals", ConditionOp::kBinaryEquals},
    {"IpAddress", ConditionOp::kIpAddress},
    {"NotIpAddress", ConditionOp::kNotIpAddress},
    {"ArnEquals", ConditionOp::kArnEquals},
    {"ArnLike", ConditionOp::kArnLike},
    {"ArnNotEquals", ConditionOp::kArnNotEquals},
    {"ArnNotLike", ConditionOp::kArnNotLike},
    {"Null", ConditionOp::kNull},
}};

// kOps chained by name length: the first index of each length, and the
// next index of the same length (kNoOp ends a chain).
constexpr uint8_t kNoOp = 0xFF;
constexpr std::array<uint8_t, 32> kOpsByLength = [] {
  std::array<uint8_t, 32> first{};
  first.fill(kNoOp);
  for (size_t i = kOps.size(); i-- > 0;) first[kOps[i].name.size()] = static_cast<uint8_t>(i);
  return first;
}();
constexpr std::array<uint8_t, kOps.size()> kNextOfLength = [] {
  std::array<uint8_t, kOps.size()> next{};
  for (size_t i = 0; i < kOps.size(); ++i) {
    next[i] = kNoOp;
    for (size_t j = i + 1; j < kOps.size(); ++j) {
      if (kOps[j].name.size() == kOps[i].name.size()) {
        next[i] = static_cast<uint8_t>(j);
        break;
      }
    }
  }
  return next;
}();

Status Malformed(std::string_view aws_message, const std::string& where) {
  std::string m(aws_message);
  if (!where.empty()) m += " (" + where + ")";
  return MalformedPolicy(std::move(m));
}

std::string Quote(std::string_view s) {
  constexpr size_t kMax = 80;
  std::string out = "\"";
  out += s.size() > kMax ? std::string(s.substr(0, kMax)) + "..." : std::string(s);
  return out + "\"";
}

bool PolicyHasPrincipal(PolicyType t) { return t == PolicyType::kResource || t == PolicyType::kTrust; }

bool IsBase64(std::string_view s) {
  if (s.size() % 4 != 0) return false;
  size_t pad = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '+' || c == '/';
    if (c == '=') {
      if (i + 2 < s.size()) return false;
      ++pad;
      continue;
    }
    if (!ok || pad) return false;
  }
  return true;
}

const std::string kNowhere;

bool IsAsciiAlnum(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

bool IsVendorChar(char c) { return IsAsciiAlnum(c) || c == '-' || c == '.' || c == '*' || c == '?'; }

Status CheckAction(std::string_view action, const std::string& where) {
  if (action == "*") return Status::Ok();
  // The vendor's characters up to the first colon (a few), then one search
  // for a second colon.
  size_t colon = 0, n = action.size();
  bool vendor_ok = true;
  while (colon < n && action[colon] != ':') vendor_ok &= IsVendorChar(action[colon++]);
  if (colon == n) {
    return Malformed("Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.",
                     where + " " + Quote(action));
  }
  if (action.find(':', colon + 1) != std::string_view::npos) {
    return Malformed("Actions/Condition can contain only one colon.", where + " " + Quote(action));
  }
  std::string_view vendor(action.data(), colon);
  if (!vendor_ok) return Malformed("Vendor " + std::string(vendor) + " is not valid", where + " " + Quote(action));
  if (vendor.empty()) return Malformed("Vendor  is not valid", where + " " + Quote(action));
  return Status::Ok();
}

bool IsIamResourcePath(std::string_view r);

// Resource format rules of AWS's validator, in its order and words.
Status CheckResource(std::string_view r, const std::string& where) {
  if (r == "*") return Status::Ok();
  auto at = [&] { return where + " " + Quote(r); };  // only built for an error
  size_t c1 = r.find(':');
  if (c1 == std::string_view::npos) {
    return Malformed("Resource " + std::string(r) + " must be in ARN format or \"*\".", at());
  }
  std::string_view rest = r.substr(c1 + 1);
  size_t c2 = rest.find(':');
  std::string_view partition = rest.substr(0, c2);
  if (partition != "aws" && partition != "aws-cn" && partition != "aws-us-gov" &&
      partition != "aws-iso" && partition != "aws-iso-b") {
    // AWS echoes the ARN with its missing parts shown as "*".
    std::vector<std::string_view> parts;
    std::string_view tail = c2 == std::string_view::npos ? std::string_view() : rest.substr(c2 + 1);
    size_t pos = 0;
    while (c2 != std::string_view::npos) {
      size_t next = tail.find(':', pos);
      parts.push_back(tail.substr(pos, next == std::string_view::npos ? next : next - pos));
      if (next == std::string_view::npos) break;
      pos = next + 1;
    }
    auto part = [&](size_t i) -> std::string {
      if (i == 0) return !parts.empty() && (!parts[0].empty() || parts.size() > 1) ? std::string(parts[0]) : "*";
      return i < parts.size() ? std::string(parts[i]) : "*";
    };
    std::string last = "*";
    if (parts.size() > 3) {
      last.clear();
      for (size_t i = 3; i < parts.size(); ++i) last += (i > 3 ? ":" : "") + std::string(parts[i]);
    }
    return Malformed("Partition \"" + std::string(partition) + "\" is not valid for resource \"arn:" +
                         std::string(partition) + ":" + part(0) + ":" + part(1) + ":" + part(2) + ":" + last + "\".",
                     at());
  }
  if (c2 == std::string_view::npos) {
    return Malformed("Resource vendor must be fully qualified and cannot contain regexes.", at());
  }
  std::array<std::string_view, 6> p;
  if (!SplitArn(r, p)) {
    // A short ARN ending in a wildcard ("arn:aws:sqs:us-east-2:*") is
    // fine: the wildcard spans the missing parts. "::" in one is not.
    if (r.find("::") != std::string_view::npos || r.back() != '*') return Malformed(kLegacy, at());
    return Status::Ok();
  }
  if (p[2].empty()) return Malformed(kLegacy, at());
  if (p[2] == "iam" && !p[3].empty()) {
    return Malformed("IAM resource " + std::string(r) + " cannot contain region information.", at());
  }
  if (p[2] == "s3" && !p[3].empty()) {
    return Malformed("Resource " + std::string(r) + " can not contain region information.", at());
  }
  if (p[2] == "iam" && p[5] != "*" && !IsIamResourcePath(p[5])) {
    return Malformed(
        "IAM resource path must either be \"*\" or start with user/, federated-user/, role/, group/, "
        "instance-profile/, mfa/, server-certificate/, policy/, sms-mfa/, saml-provider/, oidc-provider/, "
        "report/, access-report/.",
        at());
  }
  return Status::Ok();
}

bool IsIamResourcePath(std::string_view r) {
  static constexpr std::string_view kStarts[] = {
      "user/", "federated-user/", "role/", "group/", "instance-profile/", "mfa/", "server-certificate/",
      "policy/", "sms-mfa/", "saml-provider/", "oidc-provider/", "report/", "access-report/"};
  if (r == "root") return true;  // account root ARNs appear in conditions and resources
  for (std::string_view s : kStarts) {
    if (r.substr(0, s.size()) == s) return true;
  }
  // A wildcard before the first '/' may still reach a valid path.
  size_t star = r.find_first_of("*?");
  return star != std::string_view::npos && star <= r.find('/');
}

// user/role/assumed-role/federated-user/root ARNs; no wildcards (AWS
// points to the aws:PrincipalArn condition key for those).
bool CheckPrincipalArn(std::string_view v) {
  std::array<std::string_view, 6> parts;
  if (!SplitArn(v, parts) || HasWildcard(v)) return false;
  if (parts[2] != "iam" && parts[2] != "sts") return false;
  if (!IsAccountId(parts[4]) || !parts[3].empty()) return false;
  std::string_view r = parts[5];
  if (parts[2] == "iam") {
    return r == "root" || r.substr(0, 5) == "user/" || r.substr(0, 5) == "role/";
  }
  return r.substr(0, 13) == "assumed-role/" || r.substr(0, 15) == "federated-user/";
}

}  // namespace

// Recalled when this thread checked the resource lately.
bool ResourceOk(std::string_view r) {
  thread_local TextMemo<bool> recent;
  return recent.Recall(r, [](std::string_view text) { return CheckResource(text, kNowhere).ok(); });
}

bool ActionOk(std::string_view action) { return CheckAction(action, kNowhere).ok(); }

bool SidOk(PolicyType type, std::string_view sid) {
  if (type != PolicyType::kIdentity && type != PolicyType::kPermissionsBoundary) return true;
  for (char c : sid) {
    if (!IsAsciiAlnum(c)) return false;
  }
  return true;
}

ShapeProblem StatementShape(PolicyType type, bool has_principal, bool not_principal, bool has_resource) {
  if (PolicyHasPrincipal(type)) {
    if (!has_principal) return ShapeProblem::kMissingPrincipal;
  } else if (has_principal && type != PolicyType::kResourceControl) {
    return ShapeProblem::kPrincipalNotAllowed;
  }
  if (type == PolicyType::kTrust) {
    if (has_resource) return ShapeProblem::kResourceNotAllowed;
    if (not_principal) return ShapeProblem::kNotPrincipalNotAllowed;
  } else if (!has_resource) {
    return ShapeProblem::kMissingResource;
  }
  return ShapeProblem::kNone;
}

bool ParseOperatorName(std::string_view text, ConditionClause& c) {
  if (text.substr(0, 12) == "ForAnyValue:") {
    c.qualifier = SetQualifier::kForAnyValue;
    text.remove_prefix(12);
  } else if (text.substr(0, 13) == "ForAllValues:") {
    c.qualifier = SetQualifier::kForAllValues;
    text.remove_prefix(13);
  }
  if (text.size() > 8 && text.substr(text.size() - 8) == "IfExists") {
    c.if_exists = true;
    text.remove_suffix(8);
  }
  // Only the names of the text's length are compared (one to three).
  if (text.size() >= kOpsByLength.size()) return false;
  for (uint8_t k = kOpsByLength[text.size()]; k != kNoOp; k = kNextOfLength[k]) {
    if (BytesEqual(kOps[k].name, text)) {
      c.op = kOps[k].op;
      // "NullIfExists" is not an operator.
      return !(c.op == ConditionOp::kNull && c.if_exists);
    }
  }
  return false;
}

// Recalled from this thread's memo of recent texts: policies name the same
// few principals again and again.
bool IsPrincipalArn(std::string_view v) {
  thread_local TextMemo<bool, 64> recent;  // few principals
  return recent.Recall(v, CheckPrincipalArn);
}

Status CheckDocument(const Document& doc, PolicyType type) {
  // Order of checks follows AWS's, so the first error is the one AWS reports.
  for (size_t i = 0; i < doc.statements.size(); ++i) {
    const StatementDoc& st = doc.statements[i];
    auto where = [i] { return "Statement[" + std::to_string(i) + "]"; };  // only for errors
    // Pairwise with the earlier statements: policies have few, and a list
    // would cost an allocation per policy.
    bool seen = false;
    for (size_t j = 0; j < i && !st.sid.empty() && !seen; ++j) seen = doc.statements[j].sid == st.sid;
    if (seen) {
      return Malformed("Statement IDs (SID) in a single policy must be unique.", where() + ".Sid " + Quote(st.sid));
    }
    if (!SidOk(type, st.sid)) {
      return Malformed("Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*",
                       where() + ".Sid " + Quote(st.sid));
    }
  }
  for (size_t i = 0; i < doc.statements.size(); ++i) {
    const StatementDoc& st = doc.statements[i];
    auto where = [i] { return "Statement[" + std::to_string(i) + "]"; };  // only for errors
    switch (StatementShape(type, st.has_principal, st.not_principal, st.has_resource)) {
      case ShapeProblem::kNone: break;
      case ShapeProblem::kMissingPrincipal: return Malformed("Missing required field Principal", where());
      case ShapeProblem::kPrincipalNotAllowed: return Malformed("Policy document should not specify a principal.", where());
      case ShapeProblem::kResourceNotAllowed: return Malformed("Has prohibited field Resource", where());
      case ShapeProblem::kNotPrincipalNotAllowed: return Malformed("Has prohibited field NotPrincipal", where());
      case ShapeProblem::kMissingResource: return Malformed("Policy statement must contain resources.", where());
    }
    for (std::string_view r : st.resources) {
      if (!ResourceOk(r)) return CheckResource(r, where() + (st.not_resource ? ".NotResource" : ".Resource"));
    }
    for (std::string_view a : st.actions) {
      if (!ActionOk(a)) return CheckAction(a, where() + (st.not_action ? ".NotAction" : ".Action"));
    }
  }
  return Status::Ok();
}

// Values that cannot mean anything for their operator are refused at
// parse time, so a typo never silently turns into "no match".
bool ConditionValueOk(ConditionOp op, std::string_view value, bool variables) {
  if (variables && value.find("${") != std::string_view::npos) return true;  // per request
  switch (op) {
    case ConditionOp::kNumericEquals: case ConditionOp::kNumericNotEquals:
    case ConditionOp::kNumericLessThan: case ConditionOp::kNumericLessThanEquals:
    case ConditionOp::kNumericGreaterThan: case ConditionOp::kNumericGreaterThanEquals:
      return RecentNumber(value).has_value();
    case ConditionOp::kDateEquals: case ConditionOp::kDateNotEquals:
    case ConditionOp::kDateLessThan: case ConditionOp::kDateLessThanEquals:
    case ConditionOp::kDateGreaterThan: case ConditionOp::kDateGreaterThanEquals:
      return RecentDateMillis(value).has_value();
    case ConditionOp::kIpAddress: case ConditionOp::kNotIpAddress:
      return RecentIpRange(value).has_value();
    case ConditionOp::kBool:
    case ConditionOp::kNull:
      return ParseBool(value).has_value();
    case ConditionOp::kBinaryEquals:
      return IsBase64(value);
    default:
      return true;
  }
}

// ConditionValueOk's refusals, worded.
Status CheckConditionValues(const ConditionClause& c, bool variables, const std::string& at) {
  for (std::string_view value : c.values) {
    if (ConditionValueOk(c.op, value, variables)) continue;
    switch (c.op) {
      case ConditionOp::kDateEquals: case ConditionOp::kDateNotEquals:
      case ConditionOp::kDateLessThan: case ConditionOp::kDateLessThanEquals:
      case ConditionOp::kDateGreaterThan: case ConditionOp::kDateGreaterThanEquals:
        return Malformed(kLegacy, at + ": " + Quote(value) + " is not a date");
      case ConditionOp::kIpAddress: case ConditionOp::kNotIpAddress:
        return Malformed(kSyntax, at + ": " + Quote(value) + " is not an IP address or CIDR range");
      case ConditionOp::kBool:
      case ConditionOp::kNull:
        return Malformed(kSyntax, at + ": " + Quote(value) + " is not true or false");
      case ConditionOp::kBinaryEquals:
        return Malformed(kSyntax, at + ": " + Quote(value) + " is not base64");
      default:  // the numeric operators
        return Malformed(kSyntax, at + ": " + Quote(value) + " is not a number");
    }
  }
  return Status::Ok();
}

namespace {

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

bool IsNegated(ConditionOp op) {
  switch (op) {
    case ConditionOp::kStringNotEquals: case ConditionOp::kStringNotEqualsIgnoreCase:
    case ConditionOp::kStringNotLike: case ConditionOp::kNumericNotEquals:
    case ConditionOp::kDateNotEquals: case ConditionOp::kNotIpAddress:
    case ConditionOp::kArnNotEquals: case ConditionOp::kArnNotLike:
      return true;
    default:
      return false;
  }
}

Result<Document> ParseDocument(std::string_view json_text, PolicyType type) {
  try {
    return Parser(type).Run(json_text);
  } catch (const std::exception& e) {
    // nlohmann accessors throw on type confusion; never let that escape.
    return Malformed(kSyntax, e.what());
  }
}

}  // namespace iam::policy
