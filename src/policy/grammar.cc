// The IAM policy grammar, element by element: operator names, actions,
// resources, principals, Sids, statement shapes and condition values. The
// checks without messages serve the fast path (fast_parse.cc); CheckDocument
// words the same rules in AWS's order for the reference parser (parser.cc).
#include <algorithm>
#include <array>
#include <string>
#include <utility>

#include "policy/arn.h"
#include "policy/document.h"
#include "policy/malformed.h"
#include "policy/text_memo.h"
#include "policy/values.h"
#include "policy/wildcard.h"

namespace iam::policy {

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

namespace {

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

}  // namespace iam::policy
