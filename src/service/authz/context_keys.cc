#include "service/authz/context_keys.h"

#include <algorithm>
#include <cctype>

#include <nlohmann/json.hpp>

namespace iam::service {
namespace {

using ojson = nlohmann::ordered_json;

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                    [](char x, char y) { return std::tolower(static_cast<unsigned char>(x)) ==
                                                std::tolower(static_cast<unsigned char>(y)); });
}

// The keys of ${key} and ${key, 'default'} variables in `s` (not ${*}, ${?}, ${$}).
void AddVariables(const std::string& s, std::vector<std::string>& keys) {
  for (size_t at = s.find("${"); at != std::string::npos; at = s.find("${", at + 2)) {
    size_t end = s.find('}', at);
    if (end == std::string::npos) return;
    std::string inner = s.substr(at + 2, end - at - 2);
    if (size_t comma = inner.find(','); comma != std::string::npos) inner.resize(comma);
    while (!inner.empty() && inner.back() == ' ') inner.pop_back();
    if (inner.size() > 1) AddKeyOnce(keys, inner);
  }
}

void AddStrings(const ojson& v, std::vector<std::string>& out) {
  if (v.is_string()) {
    out.push_back(v.get<std::string>());
  } else if (v.is_array()) {
    for (const ojson& e : v) {
      if (e.is_string()) out.push_back(e.get<std::string>());
    }
  }
}

StatementKeys KeysOfStatement(const ojson& st) {
  StatementKeys k;
  for (auto it = st.begin(); it != st.end(); ++it) {
    const std::string& member = it.key();
    if (member == "Effect") {
      k.allow = it.value() == "Allow";
    } else if (member == "Action" || member == "NotAction") {
      k.not_action = member == "NotAction";
      AddStrings(it.value(), k.actions);
    } else if (member == "Resource" || member == "NotResource") {
      std::vector<std::string> resources;
      AddStrings(it.value(), resources);
      for (const std::string& r : resources) AddVariables(r, k.context_keys);
    } else if (member == "Condition" && it.value().is_object()) {
      for (const auto& [op, block] : it.value().items()) {
        if (!block.is_object()) continue;
        for (const auto& [key, values] : block.items()) {
          AddKeyOnce(k.context_keys, key);
          std::vector<std::string> strings;
          AddStrings(values, strings);
          for (const std::string& s : strings) AddVariables(s, k.context_keys);
        }
      }
    }
  }
  return k;
}

}  // namespace

// Iterative, with one backtrack point: linear in practice.
bool WildcardMatch(std::string_view pattern, std::string_view text) {
  size_t p = 0, t = 0, star = std::string_view::npos, mark = 0;
  auto lower = [](char c) { return std::tolower(static_cast<unsigned char>(c)); };
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || lower(pattern[p]) == lower(text[t]))) {
      ++p;
      ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

bool StatementKeys::MayApplyTo(std::string_view action) const {
  bool any = std::any_of(actions.begin(), actions.end(), [&](const std::string& p) { return WildcardMatch(p, action); });
  return not_action ? !any : any;
}

void AddKeyOnce(std::vector<std::string>& keys, const std::string& key) {
  if (std::none_of(keys.begin(), keys.end(), [&](const std::string& k) { return EqualsIgnoreCase(k, key); })) {
    keys.push_back(key);
  }
}

Result<std::vector<StatementKeys>> StatementKeysOf(std::string_view document) {
  ojson doc = ojson::parse(document, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object()) return InvalidInput("The policy document is not a JSON object.");
  std::vector<StatementKeys> out;
  auto it = doc.find("Statement");
  if (it == doc.end()) return out;
  if (it->is_object()) {
    out.push_back(KeysOfStatement(*it));
  } else if (it->is_array()) {
    for (const ojson& st : *it) {
      if (st.is_object()) out.push_back(KeysOfStatement(st));
    }
  }
  return out;
}

}  // namespace iam::service
