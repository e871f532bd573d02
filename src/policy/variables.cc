#include "policy/variables.h"

#include "policy/wildcard.h"

namespace iam::policy {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Appends `pattern` without its escape bytes: the plain characters a
// literal compare wants.
void AppendUnescaped(std::string_view pattern, std::string& out) {
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == kLiteralEscape && i + 1 < pattern.size()) ++i;
    out.push_back(pattern[i]);
  }
}

}  // namespace

void AppendEscaped(std::string_view value, std::string& out) {
  for (char c : value) {
    if (c == '*' || c == '?' || c == kLiteralEscape) out.push_back(kLiteralEscape);
    out.push_back(c);
  }
}

void Template::AssignView(std::string_view text, bool variables) {
  // One scan for what Parse would act on; a '$' that opens no variable
  // only sends the text the long way, to the same result.
  if (!HasAnyOf(text, variables ? '$' : kLiteralEscape, kLiteralEscape, kLiteralEscape)) {
    static_view_ = text;
    return;
  }
  *this = Parse(text, variables);
}

Template Template::Parse(std::string_view text, bool variables) {
  Template t;
  t.parsed_ = std::make_unique<Parsed>();
  Parsed& parsed = *t.parsed_;
  // Most texts have nothing to resolve or escape: keep them as they are.
  if ((!variables || text.find("${") == std::string_view::npos) &&
      text.find(kLiteralEscape) == std::string_view::npos) {
    parsed.static_pattern = text;
    t.static_view_ = parsed.static_pattern;
    return t;
  }
  std::vector<Part>& parts = parsed.parts;
  auto add_literal = [&parts](std::string_view lit, bool escaped) {
    if (lit.empty()) return;
    if (parts.empty() || parts.back().variable) parts.emplace_back();
    Part& p = parts.back();
    if (escaped) {
      AppendEscaped(lit, p.text);
    } else if (lit.find(kLiteralEscape) == std::string_view::npos) {
      p.text.append(lit);
    } else {
      for (char c : lit) {
        // A stray escape byte in policy text must stay itself.
        if (c == kLiteralEscape) p.text.push_back(kLiteralEscape);
        p.text.push_back(c);
      }
    }
  };
  // At most a literal before each "${" and one after the last: one
  // allocation for the parts.
  size_t opens = 0;
  for (size_t at = text.find("${"); at != std::string_view::npos; at = text.find("${", at + 2)) ++opens;
  parts.reserve(2 * opens + 1);
  size_t pos = 0;
  while (pos < text.size()) {
    size_t open = variables ? text.find("${", pos) : std::string_view::npos;
    if (open == std::string_view::npos) {
      add_literal(text.substr(pos), false);
      break;
    }
    size_t close = text.find('}', open + 2);
    if (close == std::string_view::npos) {
      add_literal(text.substr(pos), false);
      break;
    }
    add_literal(text.substr(pos, open - pos), false);
    std::string_view inner = text.substr(open + 2, close - open - 2);
    if (inner == "*" || inner == "?" || inner == "$") {
      add_literal(inner, true);
    } else {
      Part& v = parts.emplace_back();
      v.variable = true;
      size_t comma = inner.find(',');
      std::string_view key = Trim(inner.substr(0, comma));
      if (comma != std::string_view::npos) {
        std::string_view def = Trim(inner.substr(comma + 1));
        if (def.size() >= 2 && def.front() == '\'' && def.back() == '\'') {
          v.has_default = true;
          v.default_value = std::string(def.substr(1, def.size() - 2));
        }
      }
      v.text = AsciiLowerCopy(key);
      v.key_hash = RequestContext::KeyHash(v.text);
      t.has_variables_ = true;
    }
    pos = close + 1;
  }
  if (!t.has_variables_) {
    for (const Part& p : parts) parsed.static_pattern += p.text;
    AppendUnescaped(parsed.static_pattern, parsed.static_literal);  // only texts without variables need it
    parts.clear();  // nothing to resolve
    t.literal_differs_ = parsed.static_literal != parsed.static_pattern;
    if (!t.literal_differs_) parsed.static_literal.clear();
    t.static_view_ = parsed.static_pattern;
  }
  return t;
}

void Template::AppendKey(std::string& out) const {
  auto put = [&out](std::string_view s) {
    uint32_t n = static_cast<uint32_t>(s.size());
    out.append(reinterpret_cast<const char*>(&n), sizeof n);
    out.append(s);
  };
  out.push_back(has_variables_ ? 'V' : 'S');
  put(static_pattern());
  put(static_literal());
  if (!parsed_) return;
  for (const Part& p : parsed_->parts) {
    out.push_back(p.variable ? 'v' : 'l');
    put(p.text);
    out.push_back(p.has_default ? 'd' : 'n');
    put(p.default_value);
  }
}

bool Template::Resolve(const RequestContext& ctx, bool as_pattern, std::string& out) const {
  if (!parsed_) return true;  // nothing to resolve
  for (const Part& p : parsed_->parts) {
    if (!p.variable) {
      if (as_pattern) {
        out += p.text;
      } else {
        AppendUnescaped(p.text, out);
      }
      continue;
    }
    const RequestContext::Entry* e = ctx.Find(p.text, p.key_hash);
    std::string_view value;
    if (e != nullptr && !e->multi && e->values.size() == 1) {
      value = e->values[0];
    } else if (p.has_default) {
      value = p.default_value;
    } else {
      return false;
    }
    if (as_pattern) {
      AppendEscaped(value, out);
    } else {
      out.append(value);
    }
  }
  return true;
}

}  // namespace iam::policy
