#include "service/iam/op_context.h"


#include "common/status_macros.h"
#include "crypto/base64.h"

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
  if (caller.user_name.empty()) return ValidationError("Must specify userName when calling with non-User credentials");
  return caller.user_name;
}

Result<store::ListOptions> ListOpts(const Ctx& c) {
  store::ListOptions o;
  o.path_prefix = Str(c.in, "PathPrefix", "/");
  if (Has(c.in, "Marker")) {
    IAM_ASSIGN_OR_RETURN(o.marker, DecodeMarker(c.operation, Str(c.in, "Marker")));
  }
  if (auto v = IntIn(c.in, "MaxItems")) o.max_items = *v;
  return o;
}

Status InvalidMarker() { return ValidationError("Invalid Marker."); }

std::string EncodeMarker(std::string_view operation, std::string_view position) {
  return crypto::Base64UrlEncode(std::string(operation) + ":" + std::string(position));
}

Result<std::string> DecodeMarker(std::string_view operation, std::string_view marker) {
  std::optional<std::string> plain = crypto::Base64UrlDecode(marker);
  // Only the exact form we hand out (no padding, white space or spare bits).
  if (!plain || crypto::Base64UrlEncode(*plain) != marker) return InvalidMarker();
  std::string prefix = std::string(operation) + ":";
  if (plain->size() <= prefix.size() || plain->compare(0, prefix.size(), prefix) != 0) return InvalidMarker();
  return plain->substr(prefix.size());
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
