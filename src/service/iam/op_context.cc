#include "service/iam/op_context.h"

#include <cstdint>
#include <cstring>

#include "common/status_macros.h"

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

namespace {
constexpr char kBase64Url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
}  // namespace

Status InvalidMarker() { return ValidationError("Invalid Marker."); }

std::string EncodeMarker(std::string_view operation, std::string_view position) {
  std::string plain = std::string(operation) + ":" + std::string(position);
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (unsigned char ch : plain) {
    acc = (acc << 8) | ch;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out.push_back(kBase64Url[(acc >> bits) & 63]);
    }
  }
  if (bits > 0) out.push_back(kBase64Url[(acc << (6 - bits)) & 63]);
  return out;
}

Result<std::string> DecodeMarker(std::string_view operation, std::string_view marker) {
  std::string plain;
  uint32_t acc = 0;
  int bits = 0;
  for (char ch : marker) {
    const char* at = std::strchr(kBase64Url, ch);
    if (ch == '\0' || at == nullptr) return InvalidMarker();
    acc = (acc << 6) | static_cast<uint32_t>(at - kBase64Url);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      plain.push_back(static_cast<char>((acc >> bits) & 255));
    }
  }
  std::string prefix = std::string(operation) + ":";
  if (plain.size() <= prefix.size() || plain.compare(0, prefix.size(), prefix) != 0) return InvalidMarker();
  return plain.substr(prefix.size());
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
