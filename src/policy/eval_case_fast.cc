// The fast path of `iamd eval`: reads a case line once with JsonDoc and
// builds its policies from the parsed elements (no dump and re-parse). It
// handles the well-formed cases; for anything else (an error to report, an
// unusual id) it declines and eval_case.cc's reference path answers, so
// error answers keep their exact texts.
#include "policy/eval_case_fast.h"

#include <array>
#include <charconv>
#include <cstring>
#include <optional>

#include "policy/compiled.h"
#include "policy/eval_case.h"
#include "policy/fast_parse.h"
#include "policy/values.h"
#include "policy/wildcard.h"

namespace iam::policy {
namespace {

using Type = JsonNode::Type;

// `s` as nlohmann's dump() writes it (valid UTF-8 in, ensure_ascii off).
void AppendJsonString(std::string_view s, std::string& out) {
  out.push_back('"');
  for (char ch : s) {
    unsigned char c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c <= 0x1F) {
          static constexpr char kHex[] = "0123456789abcdef";
          out += "\\u00";
          out.push_back(kHex[c >> 4]);
          out.push_back(kHex[c & 15]);
        } else {
          out.push_back(ch);
        }
    }
  }
  out.push_back('"');
}

// The length of nlohmann's compact dump() of the subtree at `i`: what the
// reference path measures against the policy size quota.
bool DumpedSize(const JsonDoc& doc, uint32_t i, size_t& size) {
  if (doc.compact()) {  // generated case lines nearly always are
    size = doc.node(i).text.size();
    return true;
  }
  size = 0;
  std::string number;
  for (uint32_t k = i, end = doc.node(i).end; k < end; ++k) {
    const JsonNode& n = doc.node(k);
    switch (n.type) {
      case Type::kNull: case Type::kTrue: size += 4; break;
      case Type::kFalse: size += 5; break;
      case Type::kNumber:
        if (!ScalarText(n, number)) return false;
        size += number.size();
        break;
      case Type::kString:
        size += 2 + n.text.size();
        // Unescaped source text needs no escapes when dumped either.
        if (!n.escaped) break;
        size -= n.text.size();
        for (char ch : n.text) {
          unsigned char c = static_cast<unsigned char>(ch);
          bool short_escape = c == '"' || c == '\\' || c == '\b' || c == '\f' || c == '\n' || c == '\r' || c == '\t';
          size += short_escape ? 2 : c <= 0x1F ? 6 : 1;
        }
        break;
      case Type::kArray: size += 2 + (n.size ? n.size - 1 : 0); break;
      case Type::kObject: size += 2 + n.size + (n.size ? n.size - 1 : 0); break;
    }
  }
  return true;
}

void AppendNumber(uint32_t n, std::string& out) {
  char digits[10];
  auto [end, ec] = std::to_chars(digits, digits + sizeof digits, n);
  out.append(digits, static_cast<size_t>(end - digits));
}

bool through_compiled_set = false;  // TEST_EvaluateThroughCompiledSet

// The policies of the last few cases on this thread, by their exact text:
// a batch usually asks about one principal many times in a row, with the
// same policies each time. A policy seen once is compiled for its case's
// action only, and only its fingerprint is noted; seen again, it is
// compiled whole, for every action, and kept. Policies seen once keep
// nothing alive, so the compiled ones a thread reuses stay few and warm.
class RecentPolicies {
 public:
  struct Slot {
    bool quoted = false;  // the text was a JSON string holding the document
    PolicyType type = PolicyType::kIdentity;
    std::string text;     // the policy's JSON as it appeared in the case
    std::optional<Policy> policy;  // compiled for every action
  };

  // The slot holding this exact policy text, or nullptr. Most texts differ
  // in length, so a miss costs a few compares.
  const Slot* Find(bool quoted, std::string_view text, PolicyType type) const {
    for (const Slot& s : slots_) {
      if (s.text.size() == text.size() && s.policy && s.quoted == quoted && s.type == type && s.text == text) {
        return &s;
      }
    }
    return nullptr;
  }

  // Notes the text's fingerprint; true if it was noted before (or another
  // text's, which shares it: that costs a whole compile, never an answer).
  bool SeenBefore(std::string_view text) {
    uint64_t print = Fingerprint(text);
    uint64_t& noted = prints_[print % prints_.size()];
    bool seen = noted == print;
    noted = print;
    return seen;
  }

  // Keeps `policy` (compiled for every action) in the oldest slot.
  void Remember(bool quoted, std::string_view text, PolicyType type, const Policy& policy) {
    Slot& slot = slots_[next_];
    next_ = (next_ + 1) % slots_.size();
    slot.quoted = quoted;
    slot.type = type;
    slot.text.assign(text);
    slot.policy = policy;
  }

 private:
  // The length and eight 8-byte words spread over the text: cheap, and
  // texts of one length that differ in few bytes are rare in a batch.
  static uint64_t Fingerprint(std::string_view t) {
    uint64_t h = (t.size() + 1) * 0x9E3779B97F4A7C15ull;
    if (t.size() < 8) {
      for (char c : t) h = (h ^ static_cast<unsigned char>(c)) * 0xBF58476D1CE4E5B9ull;
      return h;
    }
    size_t step = (t.size() - 8) / 7;
    for (size_t i = 0; i < 8; ++i) {
      uint64_t w;
      std::memcpy(&w, t.data() + i * step, 8);
      h = (h ^ w) * 0xBF58476D1CE4E5B9ull;
      h ^= h >> 29;
    }
    return h;
  }

  std::array<Slot, 16> slots_;
  size_t next_ = 0;
  std::array<uint64_t, 256> prints_{};  // direct-mapped by fingerprint
};

RecentPolicies& Recent() {
  thread_local RecentPolicies recent;
  return recent;
}

std::string& LowerActionBuffer() {
  thread_local std::string buffer;  // keeps its storage from case to case
  return buffer;
}

class FastCase {
 public:
  explicit FastCase(const JsonDoc& doc) : doc_(doc) {}

  // Appends the answer to `out`, unless it returns false.
  bool Run(std::string& out) {
    uint32_t root = doc_.root();
    if (doc_.node(root).type != Type::kObject) return false;
    ReadFields(root);
    if (unchecked_) return false;
    uint32_t id = fields_.id;
    if (id != 0 && doc_.node(id).type != Type::kString && doc_.node(id).type != Type::kNull) return false;

    // Reused per thread: strings and context entries keep their storage.
    thread_local Request req;
    thread_local PolicySet set;
    thread_local std::vector<RequestContext::Entry> spare_entries;
    req.principal.clear();
    req.resource_account.clear();
    set.identity.clear();
    set.resource.reset();
    set.permissions_boundary.reset();
    set.session.reset();
    set.service_control.clear();
    set.resource_control.clear();
    if (uint32_t p = Present(fields_.principal)) {
      if (doc_.node(p).type != Type::kString) return false;
      req.principal = doc_.node(p).text;
      if (req.principal == "anonymous") req.principal.clear();
    }
    if (!RequiredString(fields_.action, req.action)) return false;
    size_t colon = req.action.find(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == req.action.size() || HasWildcard(req.action)) {
      return false;
    }
    lower_action_.assign(req.action);
    for (char& c : lower_action_) c = AsciiLower(c);
    if (!RequiredString(fields_.resource, req.resource)) return false;
    if (Present(fields_.resource_account) && !RequiredString(fields_.resource_account, req.resource_account)) {
      return false;
    }
    size_t used = 0;
    if (uint32_t ctx = Present(fields_.context)) {
      if (!Context(ctx, req.context, used, spare_entries)) return false;
    }
    RequestContextAccess::End(req.context, used, spare_entries);

    if (uint32_t list = Present(fields_.identity_policies)) {
      if (doc_.node(list).type != Type::kArray) return false;
      set.identity.reserve(doc_.node(list).size);
      uint32_t e;
      JsonChildren it(doc_, list);
      while (it.Next(e)) {
        std::optional<Policy> p = MakePolicy(e, PolicyType::kIdentity);
        if (!p) return false;
        set.identity.push_back(*std::move(p));
      }
    }
    if (uint32_t rp = Present(fields_.resource_policy)) {
      set.resource = MakePolicy(rp, IsTrustAction(lower_action_) ? PolicyType::kTrust : PolicyType::kResource);
      if (!set.resource) return false;
    }
    if (uint32_t pb = Present(fields_.permission_boundary)) {
      set.permissions_boundary = MakePolicy(pb, PolicyType::kPermissionsBoundary);
      if (!set.permissions_boundary) return false;
    }
    if (uint32_t sp = Present(fields_.session_policy)) {
      set.session = MakePolicy(sp, PolicyType::kSession);
      if (!set.session) return false;
    }
    if (!Levels(fields_.scps, PolicyType::kServiceControl, set.service_control)) return false;
    if (!Levels(fields_.rcps, PolicyType::kResourceControl, set.resource_control)) return false;

    thread_local Decision d;
    if (through_compiled_set) {
      // The decision views Sids of `compiled`: answer while it lives.
      CompiledPolicySet compiled = CompiledPolicySet::Build(std::move(set));
      Evaluate(req, compiled, d);
      WriteAnswer(id, d, out);
      return true;
    }
    Evaluate(req, set, d);
    WriteAnswer(id, d, out);
    return true;
  }

 private:
  // The case's fields (value nodes; 0 when absent), read in one pass.
  struct Fields {
    uint32_t id = 0, principal = 0, action = 0, resource = 0, resource_account = 0, context = 0;
    uint32_t identity_policies = 0, resource_policy = 0, permission_boundary = 0, session_policy = 0;
    uint32_t scps = 0, rcps = 0;
  };

  void ReadFields(uint32_t root) {
    uint32_t key, value;
    JsonChildren it(doc_, root);
    while (it.NextMember(key, value)) {
      std::string_view k = doc_.node(key).text;
      uint32_t* field = nullptr;
      switch (k.size()) {
        case 2: field = k == "id" ? &fields_.id : nullptr; break;
        case 4: field = k == "scps" ? &fields_.scps : k == "rcps" ? &fields_.rcps : nullptr; break;
        case 6: field = k == "action" ? &fields_.action : nullptr; break;
        case 7: field = k == "context" ? &fields_.context : nullptr; break;
        case 8: field = k == "resource" ? &fields_.resource : nullptr; break;
        case 9: field = k == "principal" ? &fields_.principal : nullptr; break;
        case 14: field = k == "session_policy" ? &fields_.session_policy : nullptr; break;
        case 15: field = k == "resource_policy" ? &fields_.resource_policy : nullptr; break;
        case 16: field = k == "resource_account" ? &fields_.resource_account : nullptr; break;
        case 17: field = k == "identity_policies" ? &fields_.identity_policies : nullptr; break;
        case 19: field = k == "permission_boundary" ? &fields_.permission_boundary : nullptr; break;
        default: break;
      }
      // The reader let duplicate keys through: what is read here is
      // checked here, and a key read nowhere (so never checked) sends
      // the case to the reference path.
      if (field == nullptr || *field != 0) {
        unchecked_ = true;
      } else {
        *field = value;
      }
    }
  }

  // Policies are compiled for the case's action only, except for a
  // CompiledPolicySet under test, which gets them whole to index them.
  std::string_view OnlyAction() const { return through_compiled_set ? std::string_view() : lower_action_; }

  // The field's value if it is there and not null, else 0.
  uint32_t Present(uint32_t v) const { return v != 0 && doc_.node(v).type != Type::kNull ? v : 0; }

  bool RequiredString(uint32_t v, std::string& out) const {
    if (v == 0 || doc_.node(v).type != Type::kString) return false;
    out = doc_.node(v).text;
    return true;
  }

  // One evaluation reads few of the values as numbers, dates or addresses:
  // they are read when a condition asks, not here.
  bool Context(uint32_t ctx, RequestContext& out, size_t& used, std::vector<RequestContext::Entry>& spare) const {
    if (doc_.node(ctx).type != Type::kObject) return false;
    uint32_t key, value;
    JsonChildren it(doc_, ctx);
    while (it.NextMember(key, value)) {
      const JsonNode& v = doc_.node(value);
      if (v.type == Type::kNull) continue;
      bool multi = v.type == Type::kArray;
      RequestContext::Entry* e = RequestContextAccess::Add(out, used, doc_.node(key).text, multi ? v.size : 1, multi, spare);
      // Keys equal but for case (or equal: the reader let duplicates
      // through): the reference path decides.
      if (e == nullptr) return false;
      if (!multi) {
        if (!ScalarText(v, e->values[0])) return false;
        continue;
      }
      uint32_t element;
      size_t n = 0;
      JsonChildren elements(doc_, value);
      while (elements.Next(element)) {
        if (!ScalarText(doc_.node(element), e->values[n++])) return false;
      }
    }
    return true;
  }

  std::optional<Policy> MakePolicy(uint32_t i, PolicyType type) const {
    const JsonNode& n = doc_.node(i);
    if (n.type != Type::kString && n.type != Type::kObject) return std::nullopt;
    bool quoted = n.type == Type::kString;
    RecentPolicies& recent = Recent();
    if (const RecentPolicies::Slot* kept = recent.Find(quoted, n.text, type)) return kept->policy;
    // Seen before: compiled whole this time, and kept; else only for this
    // case's action, which is cheaper.
    bool again = recent.SeenBefore(n.text);
    std::optional<Policy> p = CompilePolicy(i, type, again ? std::string_view() : OnlyAction());
    if (p && again) recent.Remember(quoted, n.text, type, *p);
    return p;
  }

  std::optional<Policy> CompilePolicy(uint32_t i, PolicyType type, std::string_view only_action) const {
    const JsonNode& n = doc_.node(i);
    if (n.type == Type::kString) return TryParsePolicy(n.text, type, only_action);
    size_t size;
    if (!DumpedSize(doc_, i, size) || size > MaxPolicySize(type)) return std::nullopt;
    std::shared_ptr<const Policy::Compiled> c = FastCompile(doc_, i, type, only_action, true);
    if (c == nullptr) return std::nullopt;
    return PolicyAccess::Make(std::move(c));
  }

  bool Levels(uint32_t field, PolicyType type, std::vector<std::vector<Policy>>& out) const {
    uint32_t levels = Present(field);
    if (levels == 0) return true;
    if (doc_.node(levels).type != Type::kArray) return false;
    uint32_t level;
    JsonChildren it(doc_, levels);
    while (it.Next(level)) {
      if (doc_.node(level).type != Type::kArray) return false;
      std::vector<Policy>& policies = out.emplace_back();
      uint32_t e;
      JsonChildren members(doc_, level);
      while (members.Next(e)) {
        std::optional<Policy> p = MakePolicy(e, type);
        if (!p) return false;
        policies.push_back(*std::move(p));
      }
    }
    return true;
  }

  // {"id":..,"decision":..,"statements":[..]}, byte for byte as the
  // reference path's nlohmann::ordered_json dump.
  void WriteAnswer(uint32_t id, const Decision& d, std::string& out) const {
    out += "{\"id\":";
    if (id != 0 && doc_.node(id).type == Type::kString) {
      AppendJsonString(doc_.node(id).text, out);
    } else {
      out += "null";
    }
    out += ",\"decision\":\"";
    out += EffectName(d.effect);
    out += '"';
    if (!d.statements.empty()) {
      out += ",\"statements\":[";
      for (size_t i = 0; i < d.statements.size(); ++i) {
        const MatchedStatement& m = d.statements[i];
        if (i > 0) out += ',';
        out += "{\"kind\":\"";
        out += PolicyKindName(m.kind);
        out += "\",\"policy\":";
        AppendNumber(m.policy_index, out);
        out += ",\"statement\":";
        AppendNumber(m.statement_index, out);
        out += m.deny ? ",\"effect\":\"Deny\"" : ",\"effect\":\"Allow\"";
        if (!m.sid.empty()) {
          out += ",\"sid\":";
          AppendJsonString(m.sid, out);
        }
        out += '}';
      }
      out += ']';
    }
    out += '}';
  }

  const JsonDoc& doc_;
  Fields fields_;
  bool unchecked_ = false;  // a field twice, or one the fast path does not read
  std::string& lower_action_ = LowerActionBuffer();
};

}  // namespace

void TEST_EvaluateThroughCompiledSet(bool on) { through_compiled_set = on; }

bool TryEvaluateCaseLine(std::string_view line, std::string& out) {
  // Reused per thread: its buffers outlive one line.
  thread_local JsonDoc doc;
  // Every object the fast path accepts is checked for duplicate keys where
  // it is read (ReadFields, the context, FastCompile).
  if (!doc.ParseKeepingDuplicates(line, 64, 16 << 20)) return false;
  return FastCase(doc).Run(out);
}

}  // namespace iam::policy
