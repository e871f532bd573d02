#include "api/audit/audit_event.h"

#include <array>
#include <ctime>

#include "crypto/hash.h"
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

std::string Iso8601(std::chrono::system_clock::time_point t) {
  std::time_t tt = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string Uuid() {
  std::string hex = crypto::HexEncode(crypto::RandomBytes(16));
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" + hex.substr(16, 4) + "-" +
         hex.substr(20);
}

bool IsReadOnly(std::string_view op) {
  for (std::string_view prefix : {"Get", "List", "Describe", "Simulate"}) {
    if (op.substr(0, prefix.size()) == prefix) return true;
  }
  return false;
}

}  // namespace

json CloudTrailParameters(const json& input) {
  if (input.is_array()) {
    json out = json::array();
    for (const json& e : input) out.push_back(CloudTrailParameters(e));
    return out;
  }
  if (!input.is_object()) return input;
  json out = json::object();
  for (auto it = input.begin(); it != input.end(); ++it) {
    out[LowerCamel(it.key())] = IsSecret(it.key()) ? json(kHidden) : CloudTrailParameters(it.value());
  }
  return out;
}

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

std::string AuditLine(const AuditRecord& r) {
  json e = {{"eventVersion", "1.08"}, {"eventTime", Iso8601(r.time)}, {"eventSource", r.event_source},
            {"eventName", r.event_name}, {"awsRegion", r.region.empty() ? "us-east-1" : r.region},
            {"sourceIPAddress", r.source_ip}, {"userAgent", r.user_agent}};
  if (!r.identity_type.empty()) {
    json id = {{"type", r.identity_type}, {"principalId", r.principal_id}, {"arn", r.arn},
               {"accountId", r.account_id}, {"accessKeyId", r.access_key_id}};
    if (!r.user_name.empty()) id["userName"] = r.user_name;
    e["userIdentity"] = std::move(id);
  }
  e["requestParameters"] = r.request_parameters.is_null() ? json(nullptr) : CloudTrailParameters(r.request_parameters);
  e["responseElements"] = nullptr;
  if (!r.error_code.empty()) {
    e["errorCode"] = r.error_code;
    e["errorMessage"] = r.error_message;
  }
  e["requestID"] = r.request_id;
  e["eventID"] = Uuid();
  e["readOnly"] = IsReadOnly(r.event_name);
  e["eventType"] = "AwsApiCall";
  e["managementEvent"] = true;
  e["recipientAccountId"] = r.account_id;
  e["eventCategory"] = "Management";
  json additional = r.additional.is_object() ? r.additional : json::object();
  if (!r.decision.empty()) additional["decision"] = r.decision;
  if (!additional.empty()) e["additionalEventData"] = std::move(additional);
  return e.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace iam::api
