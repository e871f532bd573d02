// The fast path of policy parsing: builds a Document straight from a
// JsonDoc, with the grammar of parser.cc but no error texts. It accepts only
// documents ParseDocument accepts, with the same statements; on anything
// else it returns false and the caller asks ParseDocument, whose message
// (AWS's wording, first problem in its order) is the one users see.
#include "policy/fast_parse.h"

#include <nlohmann/json.hpp>

#include "policy/arn.h"
#include "policy/refill.h"
#include "policy/wildcard.h"

namespace iam::policy {
namespace {

using Type = JsonNode::Type;

// The Document the fast path fills, reused per thread. Its statements are
// overwritten in place (their vectors keep their storage); Finish moves the
// ones a shorter document leaves over aside, and clauses go through a
// spare list, so steady state allocates nothing here.
class ReusedDocument {
 public:
  Document& Empty() {
    used_ = 0;
    doc_.owned.clear();
    doc_.text_bound = 0;
    doc_.version = {};
    doc_.id = {};
    return doc_;
  }
  // An empty statement appended to the document.
  StatementDoc& AddStatement() {
    StatementDoc& st = NextRefilled(doc_.statements, used_, statements_);
    for (ConditionClause& c : st.conditions) {
      c.values.clear();
      clauses_.push_back(std::move(c));
    }
    st.conditions.clear();
    st.actions.clear();
    st.resources.clear();
    PrincipalSpec& p = st.principal;
    p.aws.clear();
    p.service.clear();
    p.federated.clear();
    p.canonical_user.clear();
    p.wildcard = false;
    st.sid = {};
    st.deny = st.has_principal = st.not_principal = st.not_action = st.has_resource = st.not_resource = false;
    return st;
  }
  // Drops the statements past the last one added.
  void Finish() { EndRefill(doc_.statements, used_, statements_); }
  // An empty clause (values only) appended to `out`.
  ConditionClause& AddClause(std::vector<ConditionClause>& out) {
    if (clauses_.empty()) return out.emplace_back();
    ConditionClause& c = out.emplace_back(std::move(clauses_.back()));
    clauses_.pop_back();
    return c;
  }

 private:
  Document doc_;
  size_t used_ = 0;  // doc_.statements in use
  std::vector<StatementDoc> statements_;
  std::vector<ConditionClause> clauses_;
};

ReusedDocument& Reused() {
  thread_local ReusedDocument reused;
  return reused;
}

class Builder {
 public:
  Builder(const JsonDoc& doc, Document& out) : doc_(doc), out_(out) {}

  bool Run(uint32_t root, PolicyType type) {
    if (doc_.node(root).type != Type::kObject) return false;
    uint32_t key, value, statement = 0;
    JsonChildren it(doc_, root);
    while (it.NextMember(key, value)) {
      std::string_view k = doc_.node(key).text;
      const JsonNode& v = doc_.node(value);
      if (k == "Version") {
        if (v.type != Type::kString || (v.text != "2012-10-17" && v.text != "2008-10-17")) return false;
        out_.version = v.text;
      } else if (k == "Id") {
        if (v.type != Type::kString) return false;
        out_.id = v.text;
      } else if (k == "Statement") {
        statement = value;
      } else {
        return false;
      }
    }
    if (statement == 0) return false;
    const JsonNode& s = doc_.node(statement);
    if (s.type == Type::kObject) {
      if (!Statement(statement)) return false;
    } else if (s.type == Type::kArray && s.size > 0) {
      uint32_t e;
      JsonChildren list(doc_, statement);
      while (list.Next(e)) {
        if (!Statement(e)) return false;
      }
    } else {
      return false;
    }
    Reused().Finish();
    return CheckDocument(out_, type).ok();
  }

 private:
  bool StringList(uint32_t i, std::vector<std::string_view>& out) {
    const JsonNode& n = doc_.node(i);
    if (n.type == Type::kString) {
      out.emplace_back(n.text);
      return true;
    }
    if (n.type != Type::kArray) return false;
    out.reserve(out.size() + n.size);
    uint32_t e;
    JsonChildren it(doc_, i);
    while (it.Next(e)) {
      if (doc_.node(e).type != Type::kString) return false;
      out.emplace_back(doc_.node(e).text);
    }
    return true;
  }

  enum class Element { kSid, kEffect, kAction, kNotAction, kResource, kNotResource, kPrincipal, kNotPrincipal,
                       kCondition, kUnknown };

  // A statement's key, told by its length first: one compare for most.
  static Element ElementOf(std::string_view k) {
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

  bool Statement(uint32_t i) {
    if (doc_.node(i).type != Type::kObject) return false;
    StatementDoc& st = Reused().AddStatement();
    bool has_effect = false, has_action = false;
    uint32_t key, value;
    JsonChildren it(doc_, i);
    while (it.NextMember(key, value)) {
      const JsonNode& v = doc_.node(value);
      switch (Element e = ElementOf(doc_.node(key).text)) {
        case Element::kSid:
          if (v.type != Type::kString) return false;
          st.sid = v.text;
          break;
        case Element::kEffect:
          // Anything but the exact words is an error (possibly a legacy one).
          if (v.type != Type::kString || (v.text != "Allow" && v.text != "Deny")) return false;
          st.deny = v.text == "Deny";
          has_effect = true;
          break;
        case Element::kAction:
        case Element::kNotAction:
          if (has_action) return false;
          has_action = true;
          st.not_action = e == Element::kNotAction;
          if (!StringList(value, st.actions) || st.actions.empty()) return false;
          break;
        case Element::kResource:
        case Element::kNotResource:
          if (st.has_resource) return false;
          st.has_resource = true;
          st.not_resource = e == Element::kNotResource;
          if (!StringList(value, st.resources) || st.resources.empty()) return false;
          break;
        case Element::kPrincipal:
        case Element::kNotPrincipal:
          if (st.has_principal) return false;
          st.has_principal = true;
          st.not_principal = e == Element::kNotPrincipal;
          if (!Principal(value, st.principal)) return false;
          break;
        case Element::kCondition:
          if (!Conditions(value, st.conditions)) return false;
          break;
        case Element::kUnknown:
          return false;
      }
    }
    return has_effect && has_action;
  }

  bool Principal(uint32_t i, PrincipalSpec& p) {
    const JsonNode& n = doc_.node(i);
    if (n.type == Type::kString) {
      p.wildcard = n.text == "*";
      return p.wildcard;
    }
    if (n.type != Type::kObject || n.size == 0) return false;
    uint32_t key, value;
    JsonChildren it(doc_, i);
    thread_local std::vector<std::string_view> list;  // keeps its storage
    while (it.NextMember(key, value)) {
      std::string_view kind = doc_.node(key).text;
      list.clear();
      if (!StringList(value, list) || list.empty()) return false;
      for (std::string_view v : list) {
        if (kind == "AWS") {
          if (v == "*") {
            p.wildcard = true;
          } else if (IsAccountId(v) || IsPrincipalArn(v)) {
            p.aws.push_back(v);
          } else {
            return false;
          }
        } else if (kind == "Service") {
          if (v.empty() || HasWildcard(v)) return false;
          p.service.push_back(out_.Keep(AsciiLowerCopy(v)));
        } else if (kind == "Federated") {
          if (v.empty() || HasWildcard(v)) return false;
          p.federated.push_back(v);
        } else if (kind == "CanonicalUser") {
          if (v.empty()) return false;
          p.canonical_user.push_back(v);
        } else {
          return false;
        }
      }
    }
    return true;
  }

  bool Conditions(uint32_t i, std::vector<ConditionClause>& out) {
    if (doc_.node(i).type != Type::kObject) return false;
    uint32_t op_key, block;
    size_t clauses = out.size();
    JsonChildren count(doc_, i);
    while (count.NextMember(op_key, block)) clauses += doc_.node(block).size;
    out.reserve(clauses);
    JsonChildren ops(doc_, i);
    while (ops.NextMember(op_key, block)) {
      const JsonNode& b = doc_.node(block);
      if (b.type != Type::kObject) return false;
      ConditionClause base;
      if (!ParseOperatorName(doc_.node(op_key).text, base)) {
        if (b.size == 0) continue;  // AWS tolerates an empty block of any name
        return false;
      }
      uint32_t key, values;
      JsonChildren keys(doc_, block);
      while (keys.NextMember(key, values)) {
        std::string_view k = doc_.node(key).text;
        if (k.find(':') == std::string_view::npos) return false;
        ConditionClause& c = Reused().AddClause(out);
        c.op = base.op;
        c.qualifier = base.qualifier;
        c.if_exists = base.if_exists;
        c.key = k;
        if (!ConditionValues(values, c.values)) return false;
        if (!CheckConditionValues(c, out_.variables(), kNoPlace).ok()) return false;
      }
    }
    return true;
  }

  bool ConditionValues(uint32_t i, std::vector<std::string_view>& out) {
    const JsonNode& n = doc_.node(i);
    if (n.type != Type::kArray) return Scalar(n, out.emplace_back());
    if (n.size == 0) return false;
    out.reserve(n.size);
    uint32_t e;
    JsonChildren it(doc_, i);
    while (it.Next(e)) {
      if (!Scalar(doc_.node(e), out.emplace_back())) return false;
    }
    return true;
  }

  // ScalarText as a view: into the JSON for strings (nearly all values).
  bool Scalar(const JsonNode& n, std::string_view& out) {
    switch (n.type) {
      case Type::kString: out = n.text; return true;
      case Type::kTrue: out = "true"; return true;
      case Type::kFalse: out = "false"; return true;
      default: {
        std::string text;
        if (!ScalarText(n, text)) return false;
        out = out_.Keep(std::move(text));
        return true;
      }
    }
  }

  const JsonDoc& doc_;
  Document& out_;
  static inline const std::string kNoPlace;
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

const Document* BuildDocument(const JsonDoc& doc, uint32_t root, PolicyType type) {
  Document& out = Reused().Empty();
  if (!Builder(doc, out).Run(root, type)) return nullptr;
  out.text_bound = doc.node(root).text.size();
  for (const std::string& kept : out.owned) out.text_bound += kept.size();
  return &out;
}

}  // namespace iam::policy
