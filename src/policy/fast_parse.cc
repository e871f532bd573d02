// The fast path of policy parsing: compiles a policy straight from a
// JsonDoc, with the grammar of grammar.cc but no error texts and no Document
// in between. It accepts only documents ParseDocument accepts, and compiles
// the statements Compile() would; on anything else it returns nullptr and
// the caller asks ParseDocument, whose message (AWS's wording, first problem
// in its order) is the one users see.
//
// Two passes over the parsed JSON: the first checks every element and
// counts what the compiled form needs (its arrays are sized once, so they
// never move); the second writes it, skipping what a statement that cannot
// apply to `only_action` does not need.
#include "policy/fast_parse.h"

#include <nlohmann/json.hpp>

#include "policy/arn.h"
#include "policy/compiled.h"
#include "policy/wildcard.h"

namespace iam::policy {
namespace {

using Type = JsonNode::Type;

// What a rendered number may take in the compiled text (nlohmann writes
// doubles with at most 17 digits, a sign, a point and an exponent).
constexpr size_t kNumberBytes = 32;

enum class Element { kSid, kEffect, kAction, kNotAction, kResource, kNotResource, kPrincipal, kNotPrincipal,
                     kCondition, kUnknown };

// A statement's key, told by its length first: one compare for most.
Element ElementOf(std::string_view k) {
  switch (k.size()) {
    case 3: return k == "Sid" ? Element::kSid : Element::kUnknown;
    case 6: return k == "Effect" ? Element::kEffect : k == "Action" ? Element::kAction : Element::kUnknown;
    case 8: return k == "Resource" ? Element::kResource : Element::kUnknown;
    case 9:
      return k == "Condition" ? Element::kCondition
             : k == "NotAction" ? Element::kNotAction
             : k == "Principal" ? Element::kPrincipal
                                : Element::kUnknown;
    case 11: return k == "NotResource" ? Element::kNotResource : Element::kUnknown;
    case 12: return k == "NotPrincipal" ? Element::kNotPrincipal : Element::kUnknown;
    default: return Element::kUnknown;
  }
}

// Where a statement's elements are (value nodes; 0 when absent).
struct StatementNodes {
  uint32_t sid = 0, actions = 0, resources = 0, principal = 0, conditions = 0;
  uint32_t first_operator = 0;  // its condition blocks' operators, in operators_
  bool deny = false, not_action = false, not_resource = false, not_principal = false;
};

// A condition block's operator as the first pass read it, so the second
// need not read its name again; `known` is false for an empty block of an
// unknown name (tolerated, and skipped).
struct OperatorName {
  ConditionOp op;
  SetQualifier qualifier;
  bool if_exists;
  bool known;
};

class FastCompiler {
 public:
  FastCompiler(const JsonDoc& doc, PolicyType type) : doc_(doc), type_(type) {}

  std::shared_ptr<const Policy::Compiled> Run(uint32_t root, std::string_view only_action, bool pooled) {
    if (!Check(root)) return nullptr;
    std::shared_ptr<Policy::Compiled> c = pooled ? TakePooledCompiled() : std::make_shared<Policy::Compiled>();
    Write(c.get(), only_action);
    return c;
  }

 private:
  // ---- First pass: checks and sizes ----

  bool Check(uint32_t root) {
    if (doc_.node(root).type != Type::kObject) return false;
    // Each key is checked for a second time here: the reader may have let
    // duplicates through (JsonDoc::ParseKeepingDuplicates).
    uint32_t key, value, statement = 0;
    bool seen_version = false, seen_id = false;
    JsonChildren it(doc_, root);
    while (it.NextMember(key, value)) {
      std::string_view k = doc_.node(key).text;
      const JsonNode& v = doc_.node(value);
      if (k == "Version") {
        if (seen_version || v.type != Type::kString || (v.text != "2012-10-17" && v.text != "2008-10-17")) {
          return false;
        }
        seen_version = true;
        variables_ = v.text == "2012-10-17";
      } else if (k == "Id") {
        if (seen_id || v.type != Type::kString) return false;
        seen_id = true;
      } else if (k == "Statement") {
        if (statement != 0) return false;
        statement = value;
      } else {
        return false;
      }
    }
    if (statement == 0) return false;
    statements_.clear();
    operators_.clear();
    const JsonNode& s = doc_.node(statement);
    if (s.type == Type::kObject) {
      if (!CheckStatement(statement)) return false;
    } else if (s.type == Type::kArray && s.size > 0) {
      uint32_t e;
      JsonChildren list(doc_, statement);
      while (list.Next(e)) {
        if (!CheckStatement(e)) return false;
      }
    } else {
      return false;
    }
    sizes_.statements = statements_.size();
    return true;
  }

  bool CheckStatement(uint32_t i) {
    if (doc_.node(i).type != Type::kObject) return false;
    StatementNodes& st = statements_.emplace_back();
    bool has_effect = false;
    uint32_t seen = 0;  // bits of the elements read
    uint32_t key, value;
    JsonChildren it(doc_, i);
    while (it.NextMember(key, value)) {
      const JsonNode& v = doc_.node(value);
      Element e = ElementOf(doc_.node(key).text);
      uint32_t bit = 1u << static_cast<int>(e);
      if (seen & bit) return false;  // a duplicate key
      seen |= bit;
      switch (e) {
        case Element::kSid:
          if (v.type != Type::kString || !SidOk(type_, v.text)) return false;
          // Unique within the policy: pairwise, as policies have few.
          if (!v.text.empty()) {
            for (size_t j = 0; j + 1 < statements_.size(); ++j) {
              if (statements_[j].sid != 0 && doc_.node(statements_[j].sid).text == v.text) return false;
            }
          }
          st.sid = value;
          break;
        case Element::kEffect:
          // Anything but the exact words is an error (possibly a legacy one).
          if (v.type != Type::kString || (v.text != "Allow" && v.text != "Deny")) return false;
          st.deny = v.text == "Deny";
          has_effect = true;
          break;
        case Element::kAction:
        case Element::kNotAction:
          if (st.actions != 0 || !CheckStrings(value, sizes_.actions, sizes_.action_bytes, ActionOk)) return false;
          st.actions = value;
          st.not_action = e == Element::kNotAction;
          break;
        case Element::kResource:
        case Element::kNotResource:
          if (st.resources != 0 || !CheckStrings(value, sizes_.resources, sizes_.text_bytes, ResourceOk)) return false;
          st.resources = value;
          st.not_resource = e == Element::kNotResource;
          break;
        case Element::kPrincipal:
        case Element::kNotPrincipal:
          if (st.principal != 0 || !CheckPrincipal(value)) return false;
          st.principal = value;
          st.not_principal = e == Element::kNotPrincipal;
          break;
        case Element::kCondition:
          st.first_operator = static_cast<uint32_t>(operators_.size());
          if (!CheckConditions(value)) return false;
          st.conditions = value;
          break;
        case Element::kUnknown:
          return false;
      }
    }
    return has_effect && st.actions != 0 &&
           StatementShape(type_, st.principal != 0, st.not_principal, st.resources != 0) == ShapeProblem::kNone;
  }

  // A string or a non-empty list of strings, each passing `ok`: counted.
  bool CheckStrings(uint32_t i, size_t& count, size_t& bytes, bool (*ok)(std::string_view)) {
    const JsonNode& n = doc_.node(i);
    if (n.type == Type::kString) {
      ++count;
      bytes += n.text.size();
      return ok(n.text);
    }
    if (n.type != Type::kArray || n.size == 0) return false;
    uint32_t e;
    JsonChildren it(doc_, i);
    while (it.Next(e)) {
      const JsonNode& s = doc_.node(e);
      if (s.type != Type::kString || !ok(s.text)) return false;
      ++count;
      bytes += s.text.size();
    }
    return true;
  }

  bool CheckPrincipal(uint32_t i) {
    const JsonNode& n = doc_.node(i);
    if (n.type == Type::kString) return n.text == "*";
    if (n.type != Type::kObject || n.size == 0) return false;
    uint32_t key, value;
    JsonChildren it(doc_, i);
    uint32_t seen = 0;  // bits of the kinds read
    while (it.NextMember(key, value)) {
      std::string_view kind = doc_.node(key).text;
      uint32_t bit = kind == "AWS" ? 1 : kind == "Service" ? 2 : kind == "Federated" ? 4 : 8;
      if (seen & bit) return false;  // a duplicate key (or a second unknown kind, refused below anyway)
      seen |= bit;
      bool (*ok)(std::string_view);
      if (kind == "AWS") {
        // "*" makes the matcher a wildcard; it keeps no name.
        if (!CheckStrings(value, sizes_.names, sizes_.text_bytes, [](std::string_view v) {
              return v == "*" || IsAccountId(v) || IsPrincipalArn(v);
            })) {
          return false;
        }
        ForEachString(value, [this](std::string_view v) {
          if (v == "*") --sizes_.names, sizes_.text_bytes -= 1;
        });
        continue;
      } else if (kind == "Service" || kind == "Federated") {
        ok = [](std::string_view v) { return !v.empty() && !HasWildcard(v); };
      } else if (kind == "CanonicalUser") {
        ok = [](std::string_view v) { return !v.empty(); };
      } else {
        return false;
      }
      if (!CheckStrings(value, sizes_.names, sizes_.text_bytes, ok)) return false;
    }
    return true;
  }

  bool CheckConditions(uint32_t i) {
    if (doc_.node(i).type != Type::kObject) return false;
    uint32_t op_key, block;
    JsonChildren ops(doc_, i);
    while (ops.NextMember(op_key, block)) {
      const JsonNode& b = doc_.node(block);
      if (b.type != Type::kObject || RepeatsKey(i, op_key)) return false;
      ConditionClause c{};
      bool known = ParseOperatorName(doc_.node(op_key).text, c);
      operators_.push_back({c.op, c.qualifier, c.if_exists, known});
      if (!known) {
        if (b.size == 0) continue;  // AWS tolerates an empty block of any name
        return false;
      }
      uint32_t key, values;
      JsonChildren keys(doc_, block);
      while (keys.NextMember(key, values)) {
        std::string_view k = doc_.node(key).text;
        if (k.find(':') == std::string_view::npos || RepeatsKey(block, key)) return false;
        ++sizes_.conditions;
        sizes_.text_bytes += k.size();
        const JsonNode& n = doc_.node(values);
        if (n.type != Type::kArray) {
          if (!CheckValue(c.op, n)) return false;
          continue;
        }
        if (n.size == 0) return false;
        uint32_t e;
        JsonChildren it(doc_, values);
        while (it.Next(e)) {
          if (!CheckValue(c.op, doc_.node(e))) return false;
        }
      }
    }
    return true;
  }

  // True if a member of `obj` before `key` has its text: objects of
  // conditions are small, so pairwise.
  bool RepeatsKey(uint32_t obj, uint32_t key) const {
    std::string_view k = doc_.node(key).text;
    for (uint32_t other = obj + 1; other < key; other = doc_.node(other + 1).end) {
      if (BytesEqual(doc_.node(other).text, k)) return true;
    }
    return false;
  }

  bool CheckValue(ConditionOp op, const JsonNode& n) {
    ++sizes_.values;
    if (n.type == Type::kNumber) {
      sizes_.text_bytes += kNumberBytes;
      return ScalarText(n, number_) && ConditionValueOk(op, number_, variables_);
    }
    std::string_view v;
    if (!Scalar(n, v)) return false;
    sizes_.text_bytes += v.size();
    return ConditionValueOk(op, v, variables_);
  }

  // A string, true or false as the text the reference path gives it; false
  // for numbers (rendered by ScalarText) and anything else.
  static bool Scalar(const JsonNode& n, std::string_view& out) {
    switch (n.type) {
      case Type::kString: out = n.text; return true;
      case Type::kTrue: out = "true"; return true;
      case Type::kFalse: out = "false"; return true;
      default: return false;
    }
  }

  // ---- Second pass: the compiled form ----

  void Write(Policy::Compiled* c, std::string_view only_action) {
    CompiledWriter w(c, type_, variables_, sizes_, only_action);
    for (const StatementNodes& st : statements_) {
      w.Statement(st.deny, st.sid != 0 ? doc_.node(st.sid).text : std::string_view(), st.not_action);
      ForEachString(st.actions, [&w](std::string_view a) { w.Action(a); });
      if (w.ActionsDone()) {
        w.Resources(st.resources != 0, st.not_resource);
        if (st.resources != 0) ForEachString(st.resources, [&w](std::string_view r) { w.Resource(r); });
        if (st.principal != 0) w.Principal(st.not_principal, Principal(st.principal));
        if (st.conditions != 0) WriteConditions(st.conditions, st.first_operator, w);
      }
      w.EndStatement();
    }
    w.Finish();
  }

  template <typename F>
  void ForEachString(uint32_t i, F f) const {
    const JsonNode& n = doc_.node(i);
    if (n.type == Type::kString) {
      f(n.text);
      return;
    }
    uint32_t e;
    JsonChildren it(doc_, i);
    while (it.Next(e)) f(doc_.node(e).text);
  }

  // The checked Principal element as a spec (this thread's, reused).
  const PrincipalSpec& Principal(uint32_t i) {
    thread_local PrincipalSpec p;
    thread_local std::string lowered;  // services, lower-cased
    p.wildcard = false;
    p.aws.clear();
    p.service.clear();
    p.federated.clear();
    p.canonical_user.clear();
    const JsonNode& n = doc_.node(i);
    if (n.type == Type::kString) {
      p.wildcard = true;
      return p;
    }
    uint32_t key, value;
    JsonChildren it(doc_, i);
    while (it.NextMember(key, value)) {
      std::string_view kind = doc_.node(key).text;
      ForEachString(value, [&](std::string_view v) {
        if (kind == "AWS") {
          if (v == "*") {
            p.wildcard = true;
          } else {
            p.aws.push_back(v);
          }
        } else if (kind == "Service") {
          p.service.push_back(v);
        } else if (kind == "Federated") {
          p.federated.push_back(v);
        } else {
          p.canonical_user.push_back(v);
        }
      });
    }
    // Services compare lower-cased: copied into one buffer sized first, so
    // the views stay valid.
    size_t bytes = 0;
    for (std::string_view s : p.service) bytes += s.size();
    lowered.resize(bytes);
    char* out = lowered.data();
    for (std::string_view& s : p.service) {
      AsciiLowerInto(s, out);
      s = std::string_view(out, s.size());
      out += s.size();
    }
    return p;
  }

  void WriteConditions(uint32_t i, uint32_t first_operator, CompiledWriter& w) {
    uint32_t op_key, block;
    JsonChildren ops(doc_, i);
    for (uint32_t k = first_operator; ops.NextMember(op_key, block); ++k) {
      const OperatorName& c = operators_[k];
      if (!c.known) continue;  // an empty block (checked)
      uint32_t key, values;
      JsonChildren keys(doc_, block);
      while (keys.NextMember(key, values)) {
        w.Condition(c.op, c.qualifier, c.if_exists, doc_.node(key).text);
        const JsonNode& n = doc_.node(values);
        if (n.type != Type::kArray) {
          WriteValue(n, w);
          continue;
        }
        uint32_t e;
        JsonChildren it(doc_, values);
        while (it.Next(e)) WriteValue(doc_.node(e), w);
      }
    }
  }

  void WriteValue(const JsonNode& n, CompiledWriter& w) {
    std::string_view v;
    if (Scalar(n, v)) {
      w.Value(v);
    } else {
      ScalarText(n, number_);  // a number: checked in the first pass
      w.Value(number_);
    }
  }

  const JsonDoc& doc_;
  PolicyType type_;
  bool variables_ = false;  // Version 2012-10-17
  DocumentSizes sizes_;
  std::vector<StatementNodes>& statements_ = Statements();
  std::vector<OperatorName>& operators_ = Operators();
  std::string number_;  // a number value, rendered

  static std::vector<StatementNodes>& Statements() {
    thread_local std::vector<StatementNodes> statements;  // keeps its storage
    return statements;
  }
  static std::vector<OperatorName>& Operators() {
    thread_local std::vector<OperatorName> operators;  // keeps its storage
    return operators;
  }
};

}  // namespace

bool ScalarText(const JsonNode& n, std::string& out) {
  switch (n.type) {
    case Type::kString:
      // clear + append: a plain copy into the kept storage; assignment takes
      // the general (overlap-aware) replace.
      out.clear();
      out.append(n.text);
      return true;
    case Type::kTrue: out = "true"; return true;
    case Type::kFalse: out = "false"; return true;
    case Type::kNumber:
      // nlohmann's own rendering, as the reference path produces (rare).
      try {
        out = nlohmann::json::parse(n.text).dump();
        return true;
      } catch (const std::exception&) {
        return false;
      }
    default:
      return false;
  }
}

std::shared_ptr<const Policy::Compiled> FastCompile(const JsonDoc& doc, uint32_t root, PolicyType type,
                                                    std::string_view only_action, bool pooled) {
  return FastCompiler(doc, type).Run(root, only_action, pooled);
}

}  // namespace iam::policy
