// Statement matching: the per-request hot path. No allocation in steady
// state: resolved templates go to a thread-local buffer.
#include "policy/matcher.h"

#include <array>

#include "policy/arn.h"
#include "policy/values.h"
#include "policy/wildcard.h"

namespace iam::policy {
namespace {

std::string& ScratchBuffer() {
  thread_local std::string buffer;
  buffer.clear();
  return buffer;
}

bool ResourceMatches(const CompiledStatement& st, const PreparedRequest& req) {
  if (!st.has_resource) return true;  // trust policies name no resource
  bool any = false;
  for (const ResourceMatcher& m : st.resources) {
    if (m.all) {
      any = true;
      break;
    }
    if (!m.tmpl.has_variables()) {
      if (m.arn.Matches(m.tmpl.static_pattern(), req.resource)) {
        any = true;
        break;
      }
      continue;
    }
    if (!m.prefix.MayMatch(m.tmpl.pattern_prefix(), req.resource)) continue;
    std::string& buf = ScratchBuffer();
    // An entry naming an absent variable matches nothing; others still may.
    if (!m.tmpl.Resolve(req.request->context, /*as_pattern=*/true, buf)) continue;
    if (m.prefix.ResolvedMatches(buf, req.resource)) {
      any = true;
      break;
    }
  }
  return any != st.not_resource;
}

// Operators that never look at a value's typed readings.
bool IsStringOp(ConditionOp op) {
  switch (op) {
    case ConditionOp::kStringEquals: case ConditionOp::kStringNotEquals:
    case ConditionOp::kStringEqualsIgnoreCase: case ConditionOp::kStringNotEqualsIgnoreCase:
    case ConditionOp::kStringLike: case ConditionOp::kStringNotLike: case ConditionOp::kBinaryEquals:
    case ConditionOp::kArnEquals: case ConditionOp::kArnNotEquals: case ConditionOp::kArnLike:
    case ConditionOp::kArnNotLike: case ConditionOp::kNull:
      return true;
    default:
      return false;
  }
}

// One context value (and its typed readings) against one policy value, for
// a positive operator. A policy value naming an absent variable matches
// nothing (so a negated operator holds), as AWS documents.
bool MatchValue(ConditionOp op, const ConditionValue& pv, std::string_view cv,
                const RequestContext::Typed& ct, const RequestContext& ctx) {
  std::string_view literal, pattern;
  double number = pv.number;
  int64_t date_millis = pv.date_millis;
  const IpRange* ip = &pv.ip;
  bool boolean = pv.boolean;
  IpRange resolved_ip;
  if (pv.tmpl.has_variables()) {
    std::string& buf = ScratchBuffer();
    bool as_pattern = op == ConditionOp::kStringLike || op == ConditionOp::kStringNotLike ||
                      op == ConditionOp::kArnLike || op == ConditionOp::kArnNotLike ||
                      op == ConditionOp::kArnEquals || op == ConditionOp::kArnNotEquals;
    if (!pv.tmpl.Resolve(ctx, as_pattern, buf)) return false;
    literal = pattern = buf;
    switch (op) {
      case ConditionOp::kNumericEquals: case ConditionOp::kNumericNotEquals:
      case ConditionOp::kNumericLessThan: case ConditionOp::kNumericLessThanEquals:
      case ConditionOp::kNumericGreaterThan: case ConditionOp::kNumericGreaterThanEquals: {
        auto n = ParseNumber(buf);
        if (!n) return false;
        number = *n;
        break;
      }
      case ConditionOp::kDateEquals: case ConditionOp::kDateNotEquals:
      case ConditionOp::kDateLessThan: case ConditionOp::kDateLessThanEquals:
      case ConditionOp::kDateGreaterThan: case ConditionOp::kDateGreaterThanEquals: {
        auto d = ParseDateMillis(buf);
        if (!d) return false;
        date_millis = *d;
        break;
      }
      case ConditionOp::kIpAddress: case ConditionOp::kNotIpAddress: {
        auto r = ParseIpRange(buf);
        if (!r) return false;
        resolved_ip = *r;
        ip = &resolved_ip;
        break;
      }
      case ConditionOp::kBool: {
        auto b = ParseBool(buf);
        if (!b) return false;
        boolean = *b;
        break;
      }
      default:
        break;
    }
  } else {
    literal = pv.tmpl.static_literal();
    pattern = pv.tmpl.static_pattern();
    if (!pv.typed) return false;
  }
  switch (op) {
    case ConditionOp::kStringEquals: case ConditionOp::kStringNotEquals:
    case ConditionOp::kBinaryEquals:
      return cv == literal;
    case ConditionOp::kStringEqualsIgnoreCase: case ConditionOp::kStringNotEqualsIgnoreCase:
      return EqualsIgnoreCase(cv, literal);
    case ConditionOp::kStringLike: case ConditionOp::kStringNotLike:
      return GlobMatch(pattern, cv);
    case ConditionOp::kArnEquals: case ConditionOp::kArnNotEquals:
    case ConditionOp::kArnLike: case ConditionOp::kArnNotLike:
      return ArnPatternMatch(pattern, cv);
    case ConditionOp::kNumericEquals: case ConditionOp::kNumericNotEquals:
    case ConditionOp::kNumericLessThan: case ConditionOp::kNumericLessThanEquals:
    case ConditionOp::kNumericGreaterThan: case ConditionOp::kNumericGreaterThanEquals: {
      if (!ct.has_number) return false;
      double a = ct.number, b = number;
      switch (op) {
        case ConditionOp::kNumericLessThan: return a < b;
        case ConditionOp::kNumericLessThanEquals: return a <= b;
        case ConditionOp::kNumericGreaterThan: return a > b;
        case ConditionOp::kNumericGreaterThanEquals: return a >= b;
        default: return a == b;
      }
    }
    case ConditionOp::kDateEquals: case ConditionOp::kDateNotEquals:
    case ConditionOp::kDateLessThan: case ConditionOp::kDateLessThanEquals:
    case ConditionOp::kDateGreaterThan: case ConditionOp::kDateGreaterThanEquals: {
      if (!ct.has_date) return false;
      int64_t a = ct.date_millis, b = date_millis;
      switch (op) {
        case ConditionOp::kDateLessThan: return a < b;
        case ConditionOp::kDateLessThanEquals: return a <= b;
        case ConditionOp::kDateGreaterThan: return a > b;
        case ConditionOp::kDateGreaterThanEquals: return a >= b;
        default: return a == b;
      }
    }
    case ConditionOp::kIpAddress: case ConditionOp::kNotIpAddress:
      return ct.has_ip && ip->ContainsAddress(ct.ip_v6, ct.ip);
    case ConditionOp::kBool:
      return ct.has_bool && ct.boolean == boolean;
    case ConditionOp::kNull:
      return false;  // handled by the caller
  }
  return false;
}

// Does one context value match any of the condition's values (positive sense)?
bool AnyPolicyValue(const Condition& c, const RequestContext::Entry& e, size_t i, const RequestContext& ctx) {
  // A context built for one evaluation reads its values here, once per use.
  RequestContext::Typed read;
  const RequestContext::Typed* typed = &read;
  if (i < e.typed.size()) {
    typed = &e.typed[i];
  } else if (!c.values.empty() && !IsStringOp(c.op)) {
    read = ReadTyped(e.values[i]);
  }
  for (const ConditionValue& pv : c.values) {
    if (MatchValue(c.op, pv, e.values[i], *typed, ctx)) return true;
  }
  return false;
}

bool ConditionHolds(const Condition& c, const RequestContext& ctx) {
  const RequestContext::Entry* e = ctx.Find(c.key_lower, c.key_hash);
  bool present = e != nullptr && !e->values.empty();
  if (c.op == ConditionOp::kNull) {
    for (const ConditionValue& pv : c.values) {
      if (pv.typed && pv.boolean == !present) return true;
    }
    return false;
  }
  if (!present) {
    if (c.if_exists) return true;
    switch (c.qualifier) {
      case SetQualifier::kForAllValues: return true;   // vacuous truth
      case SetQualifier::kForAnyValue: return false;
      case SetQualifier::kNone: return c.negated;
    }
  }
  switch (c.qualifier) {
    case SetQualifier::kNone: {
      bool positive = false;
      for (size_t i = 0; i < e->values.size(); ++i) {
        if (AnyPolicyValue(c, *e, i, ctx)) {
          positive = true;
          break;
        }
      }
      return positive != c.negated;
    }
    case SetQualifier::kForAnyValue:
      for (size_t i = 0; i < e->values.size(); ++i) {
        if (AnyPolicyValue(c, *e, i, ctx) != c.negated) return true;
      }
      return false;
    case SetQualifier::kForAllValues:
      for (size_t i = 0; i < e->values.size(); ++i) {
        if (AnyPolicyValue(c, *e, i, ctx) == c.negated) return false;
      }
      return true;
  }
  return false;
}

bool StartsWith(std::string_view s, std::string_view p) { return s.size() >= p.size() && BytesEqual(s.substr(0, p.size()), p); }

// The role name in an IAM role ARN's resource part ("role/path/Name").
std::string_view RoleNameOf(std::string_view resource) {
  size_t slash = resource.rfind('/');
  return slash == std::string_view::npos ? resource : resource.substr(slash + 1);
}

}  // namespace

Caller ParseCaller(std::string_view principal, std::string& lower_buffer) {
  Caller c;
  c.arn = principal;
  if (principal.empty() || principal == "anonymous" || principal == "*") return c;
  std::array<std::string_view, 6> p;
  if (!SplitArn(principal, p)) {
    if (principal.find('.') != std::string_view::npos) {
      c.kind = Caller::Kind::kService;
      lower_buffer = AsciiLowerCopy(principal);
      c.lower_service_principal = lower_buffer;
    } else {
      c.kind = Caller::Kind::kOther;
    }
    return c;
  }
  c.account = IsAccountId(p[4]) ? p[4] : std::string_view();
  std::string_view r = p[5];
  bool iam = BytesEqual(p[2], "iam"), sts = BytesEqual(p[2], "sts");
  if (iam && BytesEqual(r, "root")) {
    c.kind = Caller::Kind::kRoot;
  } else if (iam && StartsWith(r, "user/")) {
    c.kind = Caller::Kind::kUser;
  } else if (iam && StartsWith(r, "role/")) {
    c.kind = Caller::Kind::kRole;
    c.role_name = RoleNameOf(r);
  } else if (sts && StartsWith(r, "assumed-role/")) {
    c.kind = Caller::Kind::kAssumedRole;
    std::string_view rest = r.substr(13);
    c.role_name = rest.substr(0, rest.find('/'));
  } else if (sts && StartsWith(r, "federated-user/")) {
    c.kind = Caller::Kind::kFederatedUser;
  } else {
    c.kind = Caller::Kind::kOther;
  }
  return c;
}

PrincipalMatch MatchPrincipal(const CompiledStatement& st, const Caller& caller, bool has_boundary) {
  const PrincipalMatcher& pm = st.principal;
  // Which of the caller's identities the statement lists: the caller's own
  // ARN, its role (for a session) and its account.
  bool arn_listed = false, role_listed = false, account_listed = false;
  if (caller.kind == Caller::Kind::kService) {
    for (std::string_view s : pm.services) arn_listed |= s == caller.lower_service_principal;
  } else if (caller.kind != Caller::Kind::kAnonymous) {
    if (!caller.account.empty()) {
      for (std::string_view a : pm.accounts) account_listed |= a == caller.account;
    }
    for (std::string_view arn : pm.arns) {
      if (arn == caller.arn) {
        arn_listed = true;
      } else if (caller.kind == Caller::Kind::kAssumedRole) {
        // A role ARN names every session of that role (the path is not part
        // of the session ARN, so compare account and role name).
        std::array<std::string_view, 6> p;
        if (SplitArn(arn, p) && p[2] == "iam" && StartsWith(p[5], "role/") && p[4] == caller.account &&
            RoleNameOf(p[5]) == caller.role_name) {
          role_listed = true;
        }
      }
    }
    for (std::string_view o : pm.others) arn_listed |= o == caller.arn;
  }
  if (st.not_principal) {
    // AWS: a Deny with NotPrincipal always applies to a principal that has a
    // permissions boundary, whatever NotPrincipal lists.
    if (st.deny && has_boundary) return PrincipalMatch::kWildcard;
    if (pm.wildcard) return PrincipalMatch::kNone;
    // A Deny spares the caller only when every identity of it is listed
    // (user and account; session, role and account); an Allow leaves out a
    // caller any of whose identities is listed.
    if (!st.deny) return arn_listed || role_listed || account_listed ? PrincipalMatch::kNone : PrincipalMatch::kWildcard;
    bool excluded = false;
    switch (caller.kind) {
      case Caller::Kind::kAnonymous: break;
      case Caller::Kind::kService: case Caller::Kind::kOther: excluded = arn_listed; break;
      case Caller::Kind::kRoot: excluded = account_listed; break;
      case Caller::Kind::kAssumedRole: excluded = arn_listed && role_listed && account_listed; break;
      default: excluded = arn_listed && account_listed; break;
    }
    return excluded ? PrincipalMatch::kNone : PrincipalMatch::kWildcard;
  }
  // A role itself (not a session of it) named directly is still a role grant.
  if (arn_listed) return caller.kind == Caller::Kind::kRole ? PrincipalMatch::kRole : PrincipalMatch::kDirect;
  if (role_listed) return PrincipalMatch::kRole;
  if (pm.wildcard) return PrincipalMatch::kWildcard;
  if (account_listed) return PrincipalMatch::kAccount;
  return PrincipalMatch::kNone;
}

bool ResourceAndConditionsApply(const CompiledStatement& st, const PreparedRequest& req) {
  if (!ResourceMatches(st, req)) return false;
  for (const Condition& c : st.conditions) {
    if (!ConditionHolds(c, req.request->context)) return false;
  }
  return true;
}

}  // namespace iam::policy
