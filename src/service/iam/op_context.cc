#include "service/iam/op_context.h"

namespace iam::service {

using nlohmann::json;

std::string Str(const json& in, const char* key, std::string fallback) {
  auto it = in.find(key);
  if (it == in.end() || !it->is_string()) return fallback;
  return it->get<std::string>();
}

bool Has(const json& in, const char* key) { return in.contains(key); }

Result<std::string> TargetUser(const Caller& caller, const json& in) {
  std::string name = Str(in, "UserName");
  if (!name.empty()) return name;
  if (caller.is_root) {
    return InvalidInput("iamd keeps no IAM user for the account root; name a user with UserName.");
  }
  return caller.user_name;
}

store::ListOptions ListOpts(const json& in) {
  store::ListOptions o;
  o.path_prefix = Str(in, "PathPrefix", "/");
  o.marker = Str(in, "Marker");
  if (auto it = in.find("MaxItems"); it != in.end() && it->is_number_integer()) o.max_items = it->get<int>();
  return o;
}

std::vector<store::Tag> TagsIn(const json& in) {
  std::vector<store::Tag> tags;
  if (auto it = in.find("Tags"); it != in.end() && it->is_array()) {
    for (const json& t : *it) tags.push_back({Str(t, "Key"), Str(t, "Value")});
  }
  return tags;
}

Status CheckPolicy(const std::string& document, policy::PolicyType type) {
  Result<policy::Policy> p = policy::Policy::Parse(document, type);
  return p.status();
}

bool BoolIn(const json& in, const char* key, bool fallback) {
  auto it = in.find(key);
  return it != in.end() && it->is_boolean() ? it->get<bool>() : fallback;
}

std::optional<int> IntIn(const json& in, const char* key) {
  auto it = in.find(key);
  if (it == in.end() || !it->is_number_integer()) return std::nullopt;
  return it->get<int>();
}

std::vector<std::string> TagKeysIn(const json& in) {
  std::vector<std::string> keys;
  if (auto it = in.find("TagKeys"); it != in.end() && it->is_array()) {
    for (const json& k : *it) keys.push_back(k.is_string() ? k.get<std::string>() : "");
  }
  return keys;
}
}  // namespace iam::service
