// One audit record, shaped like a CloudTrail event (eventVersion 1.08):
// what was called, by whom, from where, with which parameters, and how it
// ended. Parameters are named as CloudTrail names them (lowerCamelCase) and
// handled as CloudTrail does: passwords, assertions, tokens and codes are
// replaced by "HIDDEN_DUE_TO_SECURITY_REASONS"; policy documents are kept.
// Secrets never reach a record: responses are not recorded.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "service/caller.h"

namespace iam::api {

struct AuditRecord {
  std::chrono::system_clock::time_point time{};
  std::string event_source;  // "iam.amazonaws.com", "sts.amazonaws.com", "iamd.authorize"
  std::string event_name;    // the operation
  std::string region;        // from the credential scope
  std::string source_ip;
  std::string user_agent;
  // userIdentity; identity_type empty when the caller was not authenticated.
  std::string identity_type;  // Root, IAMUser, AssumedRole, FederatedUser
  std::string principal_id;
  std::string arn;
  std::string account_id;
  std::string access_key_id;
  std::string user_name;
  nlohmann::json request_parameters;  // the operation's input (model member names), or null
  std::string error_code;             // empty on success
  std::string error_message;
  std::string request_id;
  std::string decision;               // Allow, ExplicitDeny, ImplicitDeny; empty if not authorized
  nlohmann::json additional;          // additionalEventData, or null
};

// Fills the record's userIdentity from an authenticated caller.
void SetIdentity(AuditRecord& r, const service::Caller& caller);

// The record as one JSON line (no newline).
std::string AuditLine(const AuditRecord& r);

// The decision an error says was taken: AccessDenied is ExplicitDeny when
// its message says so, else ImplicitDeny; "" for other errors.
std::string DecisionOfError(std::string_view code, std::string_view message);

}  // namespace iam::api
