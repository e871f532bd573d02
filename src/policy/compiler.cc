// Lowers a validated policy Document into matchers (see compiled.h), and
// implements the small public accessors of Policy.
#include <algorithm>
#include <cassert>
#include <memory>

#include "common/status_macros.h"
#include "policy/arn.h"
#include "policy/compiled.h"
#include "policy/fast_parse.h"
#include "policy/json_reader.h"
#include "policy/wildcard.h"

namespace iam::policy {
namespace {

// Classifies a lower-cased action pattern: sets m.kind (and m.star for
// kInfix) and returns its size as matched (kPrefix: without the final
// '*'). Most actions have no wildcard: one 16-byte-at-a-time scan settles
// those.
size_t ClassifyAction(std::string_view lower, ActionMatcher& m) {
  using Kind = ActionMatcher::Kind;
  if (lower == "*") {
    m.kind = Kind::kAll;
    return lower.size();
  }
  if (!HasWildcard(lower)) {
    m.kind = Kind::kExact;
    return lower.size();
  }
  size_t star = lower.find('*');
  bool one_star = star != std::string_view::npos && lower.find('*', star + 1) == std::string_view::npos &&
                  lower.find('?') == std::string_view::npos && lower.find(kLiteralEscape) == std::string_view::npos;
  if (one_star && star + 1 == lower.size()) {
    m.kind = Kind::kPrefix;
    return lower.size() - 1;
  }
  if (one_star) {
    m.kind = Kind::kInfix;  // one '*' inside: "ec2:*Tags", "s3:Get*Policy"
    m.star = static_cast<uint32_t>(star);
  } else {
    m.kind = Kind::kGlob;
  }
  return lower.size();
}

// Writes the action pattern `a` lower-cased at `out` (which may be a.data())
// and classifies it into `m` (kind, star, size): the one way both Action()
// and ActionPatternMatches make a matcher.
void LowerAndClassify(std::string_view a, char* out, ActionMatcher& m) {
  AsciiLowerInto(a, out);
  m.size = static_cast<uint32_t>(ClassifyAction(std::string_view(out, a.size()), m));
}

// True if the Action pattern `a` (as written) matches `lower_action`: the
// matcher Action() would keep, made in scratch and tried once.
bool ActionPatternMatches(std::string_view a, std::string_view lower_action) {
  thread_local std::string lower;  // keeps its storage from call to call
  lower.resize(a.size());
  ActionMatcher m;
  LowerAndClassify(a, lower.data(), m);
  return m.Matches(lower.data(), lower_action);
}

// Copies `s` into c.text and views the copy. The caller reserved room for
// every text of the policy, so the buffer never moves.
std::string_view KeepText(Policy::Compiled& c, std::string_view s) {
  assert(c.text.size() + s.size() <= c.text.capacity());
  size_t at = c.text.size();
  c.text.append(s);
  return std::string_view(c.text).substr(at, s.size());
}

// `text` lives in the policy's Compiled::text; `v` is freshly made.
void CompileValue(std::string_view text, ConditionOp op, bool variables, ConditionValue& v) {
  v.tmpl.AssignView(text, variables);
  if (v.tmpl.has_variables()) return;
  std::string_view lit = v.tmpl.static_literal();
  switch (op) {
    case ConditionOp::kNumericEquals: case ConditionOp::kNumericNotEquals:
    case ConditionOp::kNumericLessThan: case ConditionOp::kNumericLessThanEquals:
    case ConditionOp::kNumericGreaterThan: case ConditionOp::kNumericGreaterThanEquals:
      if (auto n = RecentNumber(lit)) v.number = *n, v.typed = true;
      break;
    case ConditionOp::kDateEquals: case ConditionOp::kDateNotEquals:
    case ConditionOp::kDateLessThan: case ConditionOp::kDateLessThanEquals:
    case ConditionOp::kDateGreaterThan: case ConditionOp::kDateGreaterThanEquals:
      if (auto d = RecentDateMillis(lit)) v.date_millis = *d, v.typed = true;
      break;
    case ConditionOp::kIpAddress: case ConditionOp::kNotIpAddress:
      if (auto ip = RecentIpRange(lit)) v.ip = *ip, v.typed = true;
      break;
    case ConditionOp::kBool: case ConditionOp::kNull:
      if (auto b = ParseBool(lit)) v.boolean = *b, v.typed = true;
      break;
    default:
      v.typed = true;
      break;
  }
}

PrincipalMatcher CompilePrincipal(const PrincipalSpec& spec, Policy::Compiled& c) {
  PrincipalMatcher m;
  m.wildcard = spec.wildcard;
  std::vector<std::string_view>& names = c.names;  // reserved by the caller
  size_t begin = names.size();
  for (std::string_view a : spec.aws) {
    if (IsAccountId(a)) {
      names.push_back(KeepText(c, a));
    } else if (a.size() > 5 && a.substr(a.size() - 5) == ":root") {
      names.push_back(KeepText(c, ArnAccount(a)));
    }
  }
  m.accounts = Span<std::string_view>::Tail(names, begin);
  begin = names.size();
  for (std::string_view a : spec.aws) {
    if (!IsAccountId(a) && !(a.size() > 5 && a.substr(a.size() - 5) == ":root")) names.push_back(KeepText(c, a));
  }
  m.arns = Span<std::string_view>::Tail(names, begin);
  begin = names.size();
  for (std::string_view v : spec.service) names.push_back(KeepText(c, v));
  m.services = Span<std::string_view>::Tail(names, begin);
  begin = names.size();
  for (std::string_view v : spec.federated) names.push_back(KeepText(c, v));
  for (std::string_view v : spec.canonical_user) names.push_back(KeepText(c, v));
  m.others = Span<std::string_view>::Tail(names, begin);
  return m;
}


// The service part of a lower-cased action pattern, or "" when the
// statement must be tried for every service.
std::string_view IndexService(ActionMatcher::Kind kind, std::string_view lower) {
  if (kind == ActionMatcher::Kind::kAll) return {};
  size_t colon = lower.find(':');
  if (colon == std::string_view::npos) return {};
  std::string_view service = lower.substr(0, colon);
  if (HasWildcard(service)) return {};
  return service;
}

// Compiled policies given back by `iamd eval`, per thread: reused, their
// arrays need no new storage.
thread_local bool pool_alive = false;  // this thread's pool exists

class CompiledPool {
 public:
  CompiledPool() { pool_alive = true; }
  ~CompiledPool() {
    pool_alive = false;
    for (Policy::Compiled* c : free_) delete c;
  }

  // A Compiled to fill: an emptied one when there is one.
  Policy::Compiled* Take() {
    if (free_.empty()) return new Policy::Compiled();
    Policy::Compiled* c = free_.back();
    free_.pop_back();
    c->statements.clear();
    c->resources.clear();
    c->conditions.clear();
    c->values.clear();
    c->names.clear();
    c->heads.clear();
    c->actions.clear();
    c->action_text.clear();
    c->text.clear();
    c->by_service.clear();
    c->service_hashes.clear();
    c->any_service.clear();
    return c;
  }
  void Give(Policy::Compiled* c) {
    if (free_.size() >= 64) {
      delete c;
    } else {
      free_.push_back(c);
    }
  }

 private:
  std::vector<Policy::Compiled*> free_;
};

CompiledPool& Pool() {
  thread_local CompiledPool pool;
  return pool;
}

// The (service, statement) pairs of the policy being written: scratch,
// reused per thread.
std::vector<std::pair<std::string_view, uint32_t>>& ServiceEntries() {
  thread_local std::vector<std::pair<std::string_view, uint32_t>> entries;
  return entries;
}

// The deleter of pooled Compileds: back to the pool of the thread that lets
// the last reference go, or deleted when that thread has no pool (any more).
struct GiveBack {
  void operator()(Policy::Compiled* c) const {
    if (pool_alive) {
      Pool().Give(c);
    } else {
      delete c;
    }
  }
};

}  // namespace

DocumentSizes SizesOf(const Document& doc) {
  DocumentSizes n;
  n.statements = doc.statements.size();
  auto add = [&n](const std::vector<std::string_view>& v) {
    for (std::string_view s : v) n.text_bytes += s.size();
  };
  for (const StatementDoc& sd : doc.statements) {
    n.actions += sd.actions.size();
    for (std::string_view a : sd.actions) n.action_bytes += a.size();
    n.resources += sd.resources.size();
    n.conditions += sd.conditions.size();
    const PrincipalSpec& p = sd.principal;
    n.names += p.aws.size() + p.service.size() + p.federated.size() + p.canonical_user.size();
    add(sd.resources);
    add(p.aws);
    add(p.service);
    add(p.federated);
    add(p.canonical_user);
    for (const ConditionClause& cl : sd.conditions) {
      n.text_bytes += cl.key.size();
      n.values += cl.values.size();
      add(cl.values);
    }
  }
  return n;
}

std::shared_ptr<const Policy::Compiled> Compile(const Document& doc, PolicyType type, std::string_view only_action) {
  auto c = std::make_shared<Policy::Compiled>();
  CompiledWriter w(c.get(), type, doc.variables(), SizesOf(doc), only_action);
  for (const StatementDoc& sd : doc.statements) {
    w.Statement(sd.deny, sd.sid, sd.not_action);
    for (std::string_view a : sd.actions) w.Action(a);
    if (w.ActionsDone()) {
      w.Resources(sd.has_resource, sd.not_resource);
      for (std::string_view r : sd.resources) w.Resource(r);
      if (sd.has_principal) w.Principal(sd.not_principal, sd.principal);
      for (const ConditionClause& cl : sd.conditions) {
        w.Condition(cl.op, cl.qualifier, cl.if_exists, cl.key);
        for (std::string_view v : cl.values) w.Value(v);
      }
    }
    w.EndStatement();
  }
  w.Finish();
  return c;
}

std::shared_ptr<Policy::Compiled> TakePooledCompiled() {
  return std::shared_ptr<Policy::Compiled>(Pool().Take(), GiveBack{});
}

CompiledWriter::CompiledWriter(Policy::Compiled* c, PolicyType type, bool variables, const DocumentSizes& n,
                               std::string_view only_action)
    : c_(c), only_action_(only_action) {
  c->type = type;
  c->variables = variables;
  c->memory = sizeof(Policy::Compiled);
  // Sized up front: a policy compiles with few, exact allocations, and the
  // flat arrays never move (statements' Spans view them).
  c->text.reserve(n.text_bytes);
  c->statements.reserve(n.statements);
  c->heads.reserve(n.statements);
  c->any_service.reserve(n.statements);
  c->actions.reserve(n.actions);
  c->action_text.reserve(n.action_bytes);
  c->resources.reserve(n.resources);
  c->conditions.reserve(n.conditions);
  c->values.reserve(n.values);
  c->names.reserve(n.names);
  ServiceEntries().clear();
}

void CompiledWriter::Statement(bool deny, std::string_view sid, bool not_action) {
  index_ = static_cast<uint32_t>(c_->statements.size());
  CompiledStatement& st = c_->statements.emplace_back();
  st.deny = deny;
  st.sid = sid;
  StatementHead& head = c_->heads.emplace_back();
  head.not_action = not_action;
  head.action_begin = head.action_end = static_cast<uint32_t>(c_->actions.size());
  every_service_ = not_action;
  action_matched_ = false;
}

void CompiledWriter::Action(std::string_view a) {
  if (!only_action_.empty()) {
    // Compiled for one action: whether one of its patterns matches it is
    // all a statement needs of its Action (see ActionsDone).
    if (!action_matched_) action_matched_ = ActionPatternMatches(a, only_action_);
    return;
  }
  // Lower-cased where it is kept (action_text is reserved: it never moves),
  // then classified.
  Policy::Compiled& c = *c_;
  ActionMatcher m;
  m.offset = static_cast<uint32_t>(c.action_text.size());
  c.action_text.append(a);
  char* kept = c.action_text.data() + m.offset;
  LowerAndClassify(std::string_view(kept, a.size()), kept, m);
  c.action_text.resize(m.offset + m.size);
  c.actions.push_back(m);
  c.heads.back().action_end = static_cast<uint32_t>(c.actions.size());
  // The view points into action_text, which never reallocates (reserved).
  std::string_view service = IndexService(m.kind, std::string_view(c.action_text).substr(m.offset, m.size));
  if (service.empty()) {
    every_service_ = true;
  } else {
    ServiceEntries().emplace_back(service, index_);
  }
}

bool CompiledWriter::ActionsDone() {
  StatementHead& head = c_->heads.back();
  resource_begin_ = c_->resources.size();
  condition_begin_ = c_->conditions.size();
  if (!only_action_.empty()) {
    // Compiled for one action (no service index): a statement that applies
    // to it matches every action, one that does not is never tried.
    bool applies = action_matched_ != head.not_action;
    head.not_action = false;
    if (applies) {
      c_->actions.emplace_back();  // kAll
      head.action_end = static_cast<uint32_t>(c_->actions.size());
      c_->any_service.push_back(index_);
      c_->memory += sizeof(ActionMatcher);
    }
    return applies;
  }
  c_->memory += (head.action_end - head.action_begin) * sizeof(ActionMatcher);
  if (every_service_) c_->any_service.push_back(index_);
  return true;
}

void CompiledWriter::Resources(bool has_resource, bool not_resource) {
  CompiledStatement& st = c_->statements.back();
  st.has_resource = has_resource;
  st.not_resource = not_resource;
}

void CompiledWriter::Resource(std::string_view r) {
  Policy::Compiled& c = *c_;
  ResourceMatcher& m = c.resources.emplace_back();
  m.all = r == "*";
  if (m.all) return;
  m.tmpl.AssignView(KeepText(c, r), c.variables);
  if (!m.tmpl.has_variables()) {
    m.arn = RecentArnPattern(m.tmpl.static_pattern());
  } else {
    m.prefix = ArnPattern::MakePrefix(m.tmpl.pattern_prefix());
  }
}

void CompiledWriter::Principal(bool not_principal, const PrincipalSpec& spec) {
  // Only a statement with a Principal element is matched against one.
  CompiledStatement& st = c_->statements.back();
  st.has_principal = true;
  st.not_principal = not_principal;
  st.principal = CompilePrincipal(spec, *c_);
}

void CompiledWriter::Condition(ConditionOp op, SetQualifier qualifier, bool if_exists, std::string_view key) {
  Policy::Compiled& c = *c_;
  CloseValues();  // the values of the condition before are all there
  std::string_view kept = KeepText(c, key);
  char* lower_key = c.text.data() + (kept.data() - c.text.data());
  AsciiLowerInto(kept, lower_key);
  iam::policy::Condition& cond = c.conditions.emplace_back();
  cond.op = op;
  cond.qualifier = qualifier;
  cond.if_exists = if_exists;
  cond.negated = IsNegated(op);
  cond.key_lower = kept;
  cond.key_hash = RequestContext::KeyHash(kept);
  value_begin_ = c.values.size();
}

void CompiledWriter::Value(std::string_view v) {
  Policy::Compiled& c = *c_;
  CompileValue(KeepText(c, v), c.conditions.back().op, c.variables, c.values.emplace_back());
}

void CompiledWriter::CloseValues() {
  if (c_->conditions.size() > condition_begin_) {  // the statement has a condition
    c_->conditions.back().values = Span<ConditionValue>::Tail(c_->values, value_begin_);
  }
}

void CompiledWriter::EndStatement() {
  Policy::Compiled& c = *c_;
  CloseValues();
  CompiledStatement& st = c.statements.back();
  st.resources = Span<ResourceMatcher>::Tail(c.resources, resource_begin_);
  st.conditions = Span<iam::policy::Condition>::Tail(c.conditions, condition_begin_);
}

void CompiledWriter::Finish() {
  Policy::Compiled* c = c_;
  c->memory += c->statements.capacity() * sizeof(CompiledStatement) + c->heads.capacity() * sizeof(StatementHead) +
               c->resources.capacity() * sizeof(ResourceMatcher) + c->conditions.capacity() * sizeof(iam::policy::Condition) +
               c->values.capacity() * sizeof(ConditionValue) + c->names.capacity() * sizeof(std::string_view);
  // Build the service index: each list holds its own statements plus the
  // every-service ones, in statement order.
  std::vector<std::pair<std::string_view, uint32_t>>& service_entries = ServiceEntries();
  std::sort(service_entries.begin(), service_entries.end());
  service_entries.erase(std::unique(service_entries.begin(), service_entries.end()), service_entries.end());
  size_t services = 0;
  for (size_t i = 0; i < service_entries.size(); ++i) {
    services += i == 0 || service_entries[i].first != service_entries[i - 1].first;
  }
  c->by_service.reserve(services);
  c->service_hashes.reserve(services);
  std::vector<uint32_t> list;
  for (size_t i = 0; i < service_entries.size();) {
    size_t j = i;
    list.clear();
    while (j < service_entries.size() && service_entries[j].first == service_entries[i].first) {
      list.push_back(service_entries[j++].second);
    }
    std::vector<uint32_t> merged;
    merged.reserve(list.size() + c->any_service.size());
    std::merge(list.begin(), list.end(), c->any_service.begin(), c->any_service.end(),
               std::back_inserter(merged));
    merged.erase(std::unique(merged.begin(), merged.end()), merged.end());
    c->memory += merged.size() * sizeof(uint32_t) + service_entries[i].first.size() + 64;
    uint32_t hash = RequestContext::KeyHash(service_entries[i].first);
    c->service_hashes.push_back(hash);
    c->by_service.push_back({std::string(service_entries[i].first), std::move(merged)});
    i = j;
  }
  c->memory += c->any_service.size() * sizeof(uint32_t) + c->action_text.size() + c->text.capacity();
}

size_t PolicySize(std::string_view json) {
  size_t n = 0;
  bool in_string = false, escaped = false;
  for (char c : json) {
    if (in_string) {
      ++n;
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
      ++n;
    } else if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
      ++n;
    }
  }
  return n;
}

size_t MaxPolicySize(PolicyType type) {
  switch (type) {
    case PolicyType::kIdentity: return 10240;             // role inline policies, the largest quota
    case PolicyType::kPermissionsBoundary: return 6144;   // managed policy
    case PolicyType::kSession: return 2048;               // plain-text session policy
    case PolicyType::kTrust: return 4096;                 // raised trust-policy quota
    case PolicyType::kServiceControl: return 5120;
    case PolicyType::kResourceControl: return 5120;
    case PolicyType::kResource: return 20480;             // S3 bucket policies, the largest
  }
  return 10240;
}

Result<Policy> Policy::Parse(std::string_view json, PolicyType type) {
  size_t max = MaxPolicySize(type);
  if (json.size() > max && PolicySize(json) > max) {
    return LimitExceeded("Cannot exceed quota for PolicySize: " + std::to_string(max));
  }
  // The fast path first; only documents it refuses pay for the reference
  // parser, which also words the error.
  std::optional<Policy> fast = TryParsePolicy(json, type);
  if (fast) return *std::move(fast);
  IAM_ASSIGN_OR_RETURN(Document doc, ParseDocument(json, type));
  return Policy(Compile(std::move(doc), type));
}

std::optional<Policy> TryParsePolicy(std::string_view json, PolicyType type, std::string_view only_action) {
  size_t max = MaxPolicySize(type);
  if (json.size() > max && PolicySize(json) > max) return std::nullopt;
  // Reused per thread: its node and string buffers outlive one call.
  thread_local JsonDoc doc;
  // FastCompile checks every object it accepts for duplicate keys.
  if (!doc.ParseKeepingDuplicates(json, JsonLimits{}.max_depth, JsonLimits{}.max_bytes)) return std::nullopt;
  std::shared_ptr<const Policy::Compiled> c = FastCompile(doc, doc.root(), type, only_action, false);
  if (c == nullptr) return std::nullopt;
  return PolicyAccess::Make(std::move(c));
}

PolicyType Policy::type() const { return compiled_->type; }
size_t Policy::statement_count() const { return compiled_->statements.size(); }
const std::string& Policy::statement_sid(size_t i) const { return compiled_->statements[i].sid; }
size_t Policy::MemoryUsage() const { return compiled_->memory; }

std::string_view PolicyTypeName(PolicyType type) {
  switch (type) {
    case PolicyType::kIdentity: return "identity";
    case PolicyType::kResource: return "resource";
    case PolicyType::kTrust: return "trust";
    case PolicyType::kPermissionsBoundary: return "permissions boundary";
    case PolicyType::kSession: return "session";
    case PolicyType::kServiceControl: return "service control";
    case PolicyType::kResourceControl: return "resource control";
  }
  return "unknown";
}

}  // namespace iam::policy
