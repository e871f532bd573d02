#include "api/model/pattern.h"

#include <algorithm>
#include <memory>
#include <utility>

namespace iam::api::model {
namespace {

constexpr int kMaxProgram = 200000;

using Ranges = std::vector<CodePointRange>;

// What Java's '.' does not match (without DOTALL).
bool IsLineTerminator(char32_t c) {
  return c == U'\n' || c == U'\r' || c == 0x85 || c == 0x2028 || c == 0x2029;
}

Ranges Normalize(Ranges r) {
  std::sort(r.begin(), r.end(), [](const CodePointRange& a, const CodePointRange& b) { return a.lo < b.lo; });
  Ranges out;
  for (const CodePointRange& x : r) {
    if (!out.empty() && x.lo <= out.back().hi + 1) {
      out.back().hi = std::max(out.back().hi, x.hi);
    } else {
      out.push_back(x);
    }
  }
  return out;
}

Ranges Complement(const Ranges& sorted) {
  Ranges out;
  char32_t next = 0;
  for (const CodePointRange& x : sorted) {
    if (x.lo > next) out.push_back({next, x.lo - 1});
    next = x.hi + 1;
  }
  if (next <= 0x10FFFF) out.push_back({next, 0x10FFFF});
  return out;
}

// AST of a parsed regex.
struct Node {
  enum Kind { kEmpty, kClass, kAny, kConcat, kAlt, kRepeat, kBol, kEol, kLook } kind = kEmpty;
  Ranges ranges;  // kClass
  std::vector<std::unique_ptr<Node>> kids;
  int min = 0, max = -1;  // kRepeat (-1: unbounded)
  bool negate = false;    // kLook
};
using NodePtr = std::unique_ptr<Node>;

NodePtr MakeClass(Ranges r) {
  auto n = std::make_unique<Node>();
  n->kind = Node::kClass;
  n->ranges = Normalize(std::move(r));
  return n;
}

}  // namespace

// Recursive-descent parser to an AST, then code generation.
class PatternCompiler {
 public:
  explicit PatternCompiler(std::u32string src) : s_(std::move(src)) {}

  Status Compile(Pattern* out) {
    NodePtr root = ParseAlt();
    if (!error_.empty()) return Fail(error_);
    if (pos_ != s_.size()) return Fail("unexpected ')'");
    out_ = out;
    // `[class]*` / `[class]+` (possibly as the only item of a concat): a loop.
    const Node* single = root.get();
    if (single->kind == Node::kConcat && single->kids.size() == 1) single = single->kids[0].get();
    if (single->kind == Node::kRepeat && single->max < 0 && single->min <= 1 &&
        single->kids[0]->kind == Node::kClass) {
      out_->fast_min_ = single->min;
      out_->fast_class_ = static_cast<int>(out_->classes_.size());
    }
    Emit(*root);
    if (out_->fast_class_ >= 0) {
      for (char32_t c = 0; c < 128; ++c) {
        if (out_->InClass(out_->fast_class_, c)) out_->fast_ascii_[c >> 6] |= std::uint64_t{1} << (c & 63);
      }
    }
    out_->prog_.push_back({Pattern::Op::kMatch});
    // Lookahead bodies go after the main program, each ending in kMatch.
    for (std::size_t i = 0; i < looks_.size(); ++i) {
      out_->prog_[looks_[i].first].x = static_cast<int>(out_->prog_.size());
      Emit(*looks_[i].second);
      out_->prog_.push_back({Pattern::Op::kMatch});
    }
    if (out_->prog_.size() > kMaxProgram) return Fail("pattern too large");
    return Status();
  }

 private:
  Status Fail(const std::string& what) {
    return Status(StatusCode::kInternal, "unsupported regex at " + std::to_string(pos_) + ": " + what);
  }
  bool AtEnd() const { return pos_ >= s_.size(); }
  char32_t Peek() const { return AtEnd() ? 0 : s_[pos_]; }
  void SetError(const char* what) {
    if (error_.empty()) error_ = what;
  }

  NodePtr ParseAlt() {
    auto alt = std::make_unique<Node>();
    alt->kind = Node::kAlt;
    alt->kids.push_back(ParseConcat());
    while (!AtEnd() && Peek() == U'|') {
      ++pos_;
      alt->kids.push_back(ParseConcat());
    }
    if (alt->kids.size() == 1) return std::move(alt->kids[0]);
    return alt;
  }

  NodePtr ParseConcat() {
    auto cat = std::make_unique<Node>();
    cat->kind = Node::kConcat;
    while (!AtEnd() && Peek() != U'|' && Peek() != U')' && error_.empty()) {
      NodePtr atom = ParseAtom();
      if (!atom) break;
      atom = ParseQuantifiers(std::move(atom));
      cat->kids.push_back(std::move(atom));
    }
    return cat;
  }

  bool ParseNumber(int* v) {
    std::size_t start = pos_;
    long n = 0;
    while (!AtEnd() && Peek() >= U'0' && Peek() <= U'9') {
      n = n * 10 + (Peek() - U'0');
      if (n > 1000) return false;
      ++pos_;
    }
    *v = static_cast<int>(n);
    return pos_ > start;
  }

  NodePtr ParseQuantifiers(NodePtr atom) {
    while (!AtEnd() && error_.empty()) {
      int min = 0, max = -1;
      char32_t c = Peek();
      if (c == U'*') {
        ++pos_;
      } else if (c == U'+') {
        min = 1;
        ++pos_;
      } else if (c == U'?') {
        max = 1;
        ++pos_;
      } else if (c == U'{') {
        ++pos_;
        if (!ParseNumber(&min)) {
          SetError("bad {n,m}");
          return atom;
        }
        max = min;
        if (Peek() == U',') {
          ++pos_;
          max = -1;
          if (Peek() != U'}' && !ParseNumber(&max)) {
            SetError("bad {n,m}");
            return atom;
          }
        }
        if (Peek() != U'}' || (max >= 0 && max < min)) {
          SetError("bad {n,m}");
          return atom;
        }
        ++pos_;
      } else {
        break;
      }
      // Lazy and possessive suffixes do not change a whole-string match
      // (possessive could in theory; the models do not use it).
      if (!AtEnd() && (Peek() == U'?' || Peek() == U'+')) ++pos_;
      auto rep = std::make_unique<Node>();
      rep->kind = Node::kRepeat;
      rep->min = min;
      rep->max = max;
      rep->kids.push_back(std::move(atom));
      atom = std::move(rep);
    }
    return atom;
  }

  NodePtr ParseAtom() {
    char32_t c = Peek();
    ++pos_;
    switch (c) {
      case U'(': {
        bool look = false, negate = false;
        if (Peek() == U'?') {
          ++pos_;
          char32_t k = Peek();
          ++pos_;
          if (k == U'!' || k == U'=') {
            look = true;
            negate = (k == U'!');
          } else if (k != U':') {
            SetError("unsupported group");
            return nullptr;
          }
        }
        NodePtr inner = ParseAlt();
        if (Peek() != U')') {
          SetError("missing ')'");
          return nullptr;
        }
        ++pos_;
        if (!look) return inner;
        auto n = std::make_unique<Node>();
        n->kind = Node::kLook;
        n->negate = negate;
        n->kids.push_back(std::move(inner));
        return n;
      }
      case U'[':
        return ParseClass();
      case U'.': {
        auto n = std::make_unique<Node>();
        n->kind = Node::kAny;
        return n;
      }
      case U'^': {
        auto n = std::make_unique<Node>();
        n->kind = Node::kBol;
        return n;
      }
      case U'$': {
        auto n = std::make_unique<Node>();
        n->kind = Node::kEol;
        return n;
      }
      case U'\\': {
        Ranges r;
        if (!ParseEscape(&r)) return nullptr;
        return MakeClass(std::move(r));
      }
      case U'*':
      case U'+':
      case U'?':
      case U'{':
        SetError("dangling quantifier");
        return nullptr;
      default:
        return MakeClass({{c, c}});
    }
  }

  // After a backslash: one character or a class escape, appended to *r.
  bool ParseEscape(Ranges* r) {
    if (AtEnd()) {
      SetError("trailing backslash");
      return false;
    }
    char32_t c = s_[pos_++];
    auto add = [r](char32_t lo, char32_t hi) { r->push_back({lo, hi}); };
    auto add_negated = [r](Ranges pos) {
      for (const CodePointRange& x : Complement(Normalize(std::move(pos)))) r->push_back(x);
    };
    const Ranges word = {{U'a', U'z'}, {U'A', U'Z'}, {U'0', U'9'}, {U'_', U'_'}};
    const Ranges digit = {{U'0', U'9'}};
    const Ranges space = {{U' ', U' '}, {U'\t', U'\r'}};
    switch (c) {
      case U'w': for (auto x : word) add(x.lo, x.hi); return true;
      case U'W': add_negated(word); return true;
      case U'd': add(U'0', U'9'); return true;
      case U'D': add_negated(digit); return true;
      case U's': for (auto x : space) add(x.lo, x.hi); return true;
      case U'S': add_negated(space); return true;
      case U't': add(U'\t', U'\t'); return true;
      case U'n': add(U'\n', U'\n'); return true;
      case U'r': add(U'\r', U'\r'); return true;
      case U'f': add(U'\f', U'\f'); return true;
      case U'e': add(0x1B, 0x1B); return true;
      case U'u':
      case U'x': {
        int digits = (c == U'u') ? 4 : 2;
        char32_t v = 0;
        for (int i = 0; i < digits; ++i) {
          if (AtEnd()) {
            SetError("short \\u escape");
            return false;
          }
          char32_t h = s_[pos_++];
          int d = (h >= U'0' && h <= U'9') ? int(h - U'0')
                  : (h >= U'a' && h <= U'f') ? int(h - U'a' + 10)
                  : (h >= U'A' && h <= U'F') ? int(h - U'A' + 10)
                                             : -1;
          if (d < 0) {
            SetError("bad hex digit");
            return false;
          }
          v = v * 16 + d;
        }
        add(v, v);
        return true;
      }
      case U'p':
      case U'P': {
        if (Peek() != U'{') {
          SetError("\\p needs {..}");
          return false;
        }
        std::size_t close = s_.find(U'}', pos_);
        if (close == std::u32string::npos) {
          SetError("unterminated \\p{");
          return false;
        }
        std::string name;
        for (std::size_t i = pos_ + 1; i < close; ++i) name.push_back(static_cast<char>(s_[i]));
        pos_ = close + 1;
        if (name.size() > 2 && name.compare(0, 2, "Is") == 0) name = name.substr(2);
        Ranges cat = UnicodeCategory(name);
        if (cat.empty()) {
          SetError("unknown \\p category");
          return false;
        }
        if (c == U'p') {
          for (auto x : cat) add(x.lo, x.hi);
        } else {
          add_negated(cat);
        }
        return true;
      }
      default:
        if ((c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z') || (c >= U'0' && c <= U'9')) {
          SetError("unsupported escape");
          return false;
        }
        add(c, c);  // escaped punctuation stands for itself
        return true;
    }
  }

  // After '[': a character class up to its ']'.
  NodePtr ParseClass() {
    bool negated = false;
    if (Peek() == U'^') {
      negated = true;
      ++pos_;
    }
    Ranges r;
    bool first = true;
    while (true) {
      if (AtEnd()) {
        SetError("unterminated class");
        return nullptr;
      }
      char32_t c = s_[pos_];
      if (c == U']' && !first) {
        ++pos_;
        break;
      }
      if (c == U'[' || (c == U'&' && pos_ + 1 < s_.size() && s_[pos_ + 1] == U'&')) {
        SetError("nested classes are unsupported");
        return nullptr;
      }
      first = false;
      // One item: a single char (possibly escaped), maybe the start of a range.
      Ranges item;
      ++pos_;
      if (c == U'\\') {
        if (!ParseEscape(&item)) return nullptr;
      } else {
        item.push_back({c, c});
      }
      bool single = item.size() == 1 && item[0].lo == item[0].hi;
      if (single && Peek() == U'-' && pos_ + 1 < s_.size() && s_[pos_ + 1] != U']') {
        ++pos_;  // '-'
        char32_t hc = s_[pos_++];
        Ranges hi;
        if (hc == U'\\') {
          if (!ParseEscape(&hi)) return nullptr;
        } else {
          hi.push_back({hc, hc});
        }
        if (hi.size() != 1 || hi[0].lo != hi[0].hi || hi[0].lo < item[0].lo) {
          SetError("bad range");
          return nullptr;
        }
        r.push_back({item[0].lo, hi[0].lo});
      } else {
        for (auto x : item) r.push_back(x);
      }
    }
    Ranges norm = Normalize(std::move(r));
    return MakeClass(negated ? Complement(norm) : norm);
  }

  int Add(Pattern::Inst inst) {
    out_->prog_.push_back(inst);
    return static_cast<int>(out_->prog_.size()) - 1;
  }

  void Emit(const Node& n) {
    if (out_->prog_.size() > kMaxProgram) return;  // reported by Compile()
    using Op = Pattern::Op;
    switch (n.kind) {
      case Node::kEmpty:
        return;
      case Node::kClass:
        out_->classes_.push_back(n.ranges);
        Add({Op::kClass, false, static_cast<int>(out_->classes_.size()) - 1, 0});
        return;
      case Node::kAny:
        Add({Op::kAny});
        return;
      case Node::kBol:
        Add({Op::kBol});
        return;
      case Node::kEol:
        Add({Op::kEol});
        return;
      case Node::kConcat:
        for (const NodePtr& k : n.kids) Emit(*k);
        return;
      case Node::kAlt: {
        std::vector<int> jumps;
        for (std::size_t i = 0; i < n.kids.size(); ++i) {
          if (i + 1 < n.kids.size()) {
            int split = Add({Op::kSplit});
            out_->prog_[split].x = split + 1;
            Emit(*n.kids[i]);
            jumps.push_back(Add({Op::kJmp}));
            out_->prog_[split].y = static_cast<int>(out_->prog_.size());
          } else {
            Emit(*n.kids[i]);
          }
        }
        for (int j : jumps) out_->prog_[j].x = static_cast<int>(out_->prog_.size());
        return;
      }
      case Node::kRepeat: {
        for (int i = 0; i < n.min; ++i) Emit(*n.kids[0]);
        if (n.max < 0) {
          int split = Add({Op::kSplit});
          out_->prog_[split].x = split + 1;
          Emit(*n.kids[0]);
          Add({Op::kJmp, false, split, 0});
          out_->prog_[split].y = static_cast<int>(out_->prog_.size());
        } else {
          std::vector<int> splits;
          for (int i = n.min; i < n.max; ++i) {
            int split = Add({Op::kSplit});
            out_->prog_[split].x = split + 1;
            splits.push_back(split);
            Emit(*n.kids[0]);
          }
          for (int s : splits) out_->prog_[s].y = static_cast<int>(out_->prog_.size());
        }
        return;
      }
      case Node::kLook: {
        int at = Add({Op::kLook, n.negate, 0, 0});
        looks_.push_back({at, n.kids[0].get()});
        return;
      }
    }
  }

  std::u32string s_;
  std::size_t pos_ = 0;
  std::string error_;
  Pattern* out_ = nullptr;
  std::vector<std::pair<int, const Node*>> looks_;
};

Result<Pattern> Pattern::Compile(std::string_view java_regex) {
  Pattern p;
  p.source_ = std::string(java_regex);
  PatternCompiler compiler(DecodeUtf8(java_regex));
  Status s = compiler.Compile(&p);
  if (!s.ok()) return Status(s.code(), s.message() + " in " + p.source_);
  return p;
}

bool Pattern::InClass(int cls, char32_t c) const {
  const auto& r = classes_[cls];
  auto it = std::upper_bound(r.begin(), r.end(), c, [](char32_t v, const CodePointRange& x) { return v < x.lo; });
  if (it == r.begin()) return false;
  --it;
  return c <= it->hi;
}

// Pike VM. With anchored_end, succeeds only if kMatch is reached at the end
// of the input (Java's matches()); otherwise at any position (lookahead).
bool Pattern::Run(const std::u32string& in, std::size_t start, int start_pc, bool anchored_end) const {
  const int n = static_cast<int>(prog_.size());
  std::vector<int> cur, next, stack;
  std::vector<std::size_t> seen(n, static_cast<std::size_t>(-1));
  cur.reserve(n);
  next.reserve(n);
  bool matched = false;
  // Follows epsilon transitions from pc at position pos into list.
  auto add = [&](std::vector<int>& list, int pc, std::size_t pos) {
    stack.clear();
    stack.push_back(pc);
    while (!stack.empty()) {
      int p = stack.back();
      stack.pop_back();
      if (seen[p] == pos) continue;
      seen[p] = pos;
      const Inst& inst = prog_[p];
      switch (inst.op) {
        case Op::kJmp:
          stack.push_back(inst.x);
          break;
        case Op::kSplit:
          stack.push_back(inst.y);
          stack.push_back(inst.x);
          break;
        case Op::kBol:
          if (pos == 0) stack.push_back(p + 1);
          break;
        case Op::kEol:
          if (pos == in.size()) stack.push_back(p + 1);
          break;
        case Op::kLook:
          if (Run(in, pos, inst.x, false) != inst.negate) stack.push_back(p + 1);
          break;
        case Op::kMatch:
          if (!anchored_end || pos == in.size()) matched = true;
          break;
        default:
          list.push_back(p);
      }
    }
  };
  // `seen` is per position; the lookahead recursion uses its own vectors.
  add(cur, start_pc, start);
  for (std::size_t pos = start; pos < in.size() && !cur.empty(); ++pos) {
    if (matched && !anchored_end) return true;
    next.clear();
    char32_t c = in[pos];
    for (int pc : cur) {
      const Inst& inst = prog_[pc];
      bool ok = inst.op == Op::kAny ? !IsLineTerminator(c) : InClass(inst.x, c);
      if (ok) add(next, pc + 1, pos + 1);
    }
    std::swap(cur, next);
  }
  return matched;
}

bool Pattern::Matches(const std::u32string& code_points) const {
  if (fast_class_ >= 0) {
    if (code_points.size() < static_cast<std::size_t>(fast_min_)) return false;
    for (char32_t c : code_points) {
      if (!InClass(fast_class_, c)) return false;
    }
    return true;
  }
  return Run(code_points, 0, 0, true);
}

bool Pattern::Matches(std::string_view utf8) const {
  if (fast_class_ < 0) return Matches(DecodeUtf8(utf8));
  // Fast path: ASCII by bitmap, anything else decoded and looked up.
  if (utf8.size() < static_cast<std::size_t>(fast_min_)) return false;
  std::size_t i = 0;
  while (i < utf8.size()) {
    unsigned char b = static_cast<unsigned char>(utf8[i]);
    if (b < 0x80) {
      if (!((fast_ascii_[b >> 6] >> (b & 63)) & 1)) return false;
      ++i;
      continue;
    }
    std::size_t j = i + 1;
    while (j < utf8.size() && (static_cast<unsigned char>(utf8[j]) & 0xC0) == 0x80 && j - i < 4) ++j;
    for (char32_t c : DecodeUtf8(utf8.substr(i, j - i))) {
      if (!InClass(fast_class_, c)) return false;
    }
    i = j;
  }
  return true;
}

}  // namespace iam::api::model
