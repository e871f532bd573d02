#include "api/audit/audit_event.h"

#include <algorithm>
#include <array>
#include <ctime>

#include "api/audit/json_writer.h"
#include "common/iso8601.h"
#include "crypto/random.h"

namespace iam::api {
namespace {

using nlohmann::json;

constexpr std::string_view kHidden = "HIDDEN_DUE_TO_SECURITY_REASONS";

// Members CloudTrail never shows.
bool IsSecret(std::string_view member) {
  static constexpr std::array<std::string_view, 10> kSecrets = {
      "Password", "NewPassword", "OldPassword", "SAMLAssertion", "WebIdentityToken",
      "AuthenticationCode1", "AuthenticationCode2", "TokenCode", "SecretAccessKey", "PrivateKey"};
  for (std::string_view s : kSecrets) {
    if (s == member) return true;
  }
  return false;
}

std::string LowerCamel(const std::string& name) {
  std::string out = name;
  if (!out.empty() && out[0] >= 'A' && out[0] <= 'Z') out[0] = static_cast<char>(out[0] - 'A' + 'a');
  return out;
}

}  // namespace

std::string DecisionOfError(std::string_view code, std::string_view message) {
  if (code != "AccessDenied") return "";
  return message.find("explicit deny") != std::string_view::npos ? "ExplicitDeny" : "ImplicitDeny";
}

void SetIdentity(AuditRecord& r, const service::Caller& c) {
  switch (c.session.kind) {
    case service::SessionKind::kAssumedRole: r.identity_type = "AssumedRole"; break;
    case service::SessionKind::kFederatedUser: r.identity_type = "FederatedUser"; break;
    default: r.identity_type = c.is_root ? "Root" : "IAMUser"; break;
  }
  r.principal_id = c.user_id;
  r.arn = c.arn;
  r.account_id = c.account_id;
  r.access_key_id = c.access_key_id;
  r.user_name = c.user_name;
}

namespace {

// A parameter value as CloudTrail shows it: lowerCamel member names,
// secrets hidden.
void Parameters(JsonWriter& w, const json& v) {
  switch (v.type()) {
    case json::value_t::object:
      w.Begin('{');
      for (auto it = v.begin(); it != v.end(); ++it) {
        w.Key(LowerCamel(it.key()));
        if (IsSecret(it.key())) {
          w.Value(kHidden);
        } else {
          Parameters(w, it.value());
        }
      }
      w.End('}');
      break;
    case json::value_t::array:
      w.Begin('[');
      for (const json& e : v) Parameters(w, e);
      w.End(']');
      break;
    case json::value_t::string: w.Value(v.get_ref<const std::string&>()); break;
    default: w.Raw(v.dump()); break;  // numbers, booleans, null
  }
}

bool IsReadOnly(std::string_view op) {
  for (std::string_view prefix : {"Get", "List", "Describe", "Simulate"}) {
    if (op.substr(0, prefix.size()) == prefix) return true;
  }
  return false;
}

// A random-looking event id without a system call: not a secret, only unique.
std::string EventId() {
  thread_local uint64_t state = [] {
    std::string seed = crypto::RandomBytes(8);
    uint64_t v = 0;
    for (char c : seed) v = (v << 8) | static_cast<unsigned char>(c);
    return v | 1;
  }();
  auto next = [] {  // xorshift64*
    state ^= state >> 12;
    state ^= state << 25;
    state ^= state >> 27;
    return state * 2685821657736338717ull;
  };
  static constexpr char kHex[] = "0123456789abcdef";
  uint64_t words[2] = {next(), next()};
  std::string id(36, '-');
  int nibble = 0;
  for (size_t i = 0; i < id.size(); ++i) {
    if (i == 8 || i == 13 || i == 18 || i == 23) continue;
    id[i] = kHex[(words[nibble / 16] >> (4 * (nibble % 16))) & 15];
    ++nibble;
  }
  return id;
}

}  // namespace

std::string AuditLine(const AuditRecord& r) {
  // The fixed parts are written as literal text and only values go through
  // the escaper: this runs on every request, and a writer call per member
  // cost about a tenth of a cheap call. Same bytes as member-by-member.
  std::string out;
  out.reserve(1024);
  JsonWriter w(out);  // String() only: quoting and escaping, no separators
  auto member = [&](std::string_view literal, std::string_view value) {
    out += literal;
    w.String(value);
  };
  member("{\"eventVersion\":\"1.08\",\"eventTime\":", Iso8601(r.time));
  member(",\"eventSource\":", r.event_source);
  member(",\"eventName\":", r.event_name);
  member(",\"awsRegion\":", r.region.empty() ? std::string_view("us-east-1") : std::string_view(r.region));
  member(",\"sourceIPAddress\":", r.source_ip);
  member(",\"userAgent\":", r.user_agent);
  if (!r.identity_type.empty()) {
    member(",\"userIdentity\":{\"type\":", r.identity_type);
    member(",\"principalId\":", r.principal_id);
    member(",\"arn\":", r.arn);
    member(",\"accountId\":", r.account_id);
    member(",\"accessKeyId\":", r.access_key_id);
    if (!r.user_name.empty()) member(",\"userName\":", r.user_name);
    out += '}';
  }
  out += ",\"requestParameters\":";
  if (r.request_parameters.is_null()) {
    out += "null";
  } else {
    JsonWriter params(out);
    Parameters(params, r.request_parameters);
  }
  out += ",\"responseElements\":null";
  if (!r.error_code.empty()) {
    member(",\"errorCode\":", r.error_code);
    member(",\"errorMessage\":", r.error_message);
  }
  member(",\"requestID\":", r.request_id);
  member(",\"eventID\":", EventId());
  out += IsReadOnly(r.event_name) ? ",\"readOnly\":true" : ",\"readOnly\":false";
  out += ",\"eventType\":\"AwsApiCall\",\"managementEvent\":true";
  member(",\"recipientAccountId\":", r.account_id);
  out += ",\"eventCategory\":\"Management\"";
  bool extra = r.additional.is_object() && !r.additional.empty();
  if (extra || !r.decision.empty()) {
    out += ",\"additionalEventData\":";
    JsonWriter data(out);
    data.Begin('{');
    if (extra) {
      for (auto it = r.additional.begin(); it != r.additional.end(); ++it) {
        data.Key(it.key());
        Parameters(data, it.value());
      }
    }
    if (!r.decision.empty()) data.Member("decision", r.decision);
    data.End('}');
  }
  out += '}';
  return out;
}

}  // namespace iam::api
