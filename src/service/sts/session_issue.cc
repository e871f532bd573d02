#include "service/sts/session_issue.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "common/status_macros.h"
#include "iamd/policy.h"
#include "store/ids.h"

namespace iam::service::sts {
namespace {

using nlohmann::json;

constexpr size_t kPackedRoom = 2048;

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string Str(const json& in, const char* key) {
  auto it = in.find(key);
  return it != in.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

int PackedPercent(const std::string& policy, const std::vector<std::string>& policy_arns,
                  const std::vector<auth::SessionTag>& tags) {
  size_t bytes = policy.empty() ? 0 : policy::PolicySize(policy);
  for (const std::string& a : policy_arns) bytes += a.size();
  for (const auth::SessionTag& t : tags) bytes += t.key.size() + t.value.size();
  return static_cast<int>((bytes * 100 + kPackedRoom - 1) / kPackedRoom);
}

void AddSessionTagContext(policy::RequestContext& ctx, const SessionInputs& inputs) {
  if (!inputs.tags.empty()) {
    std::vector<std::string> keys;
    for (const auth::SessionTag& t : inputs.tags) {
      ctx.Set("aws:RequestTag/" + t.key, t.value);
      keys.push_back(t.key);
    }
    ctx.SetMulti("aws:TagKeys", std::move(keys));
  }
  if (!inputs.transitive_tag_keys.empty()) ctx.SetMulti("sts:TransitiveTagKeys", inputs.transitive_tag_keys);
}

Result<SessionInputs> ReadSessionInputs(const json& in) {
  SessionInputs s;
  s.policy = Str(in, "Policy");
  if (!s.policy.empty()) {
    Result<policy::Policy> p = policy::Policy::Parse(s.policy, policy::PolicyType::kSession);
    if (!p.ok()) {
      if (p.status().code() == StatusCode::kLimitExceeded) {
        return Status(StatusCode::kPackedPolicyTooLarge, p.status().message());
      }
      return p.status();
    }
  }
  if (auto it = in.find("PolicyArns"); it != in.end() && it->is_array()) {
    if (it->size() > auth::kMaxSessionPolicyArns) {
      return ValidationError("1 validation error detected: Value at 'policyArns' failed to satisfy constraint: "
                             "Member must have length less than or equal to 10");
    }
    for (const json& d : *it) {
      std::string arn = Str(d, "arn");
      Result<store::ParsedArn> parsed = store::ParseArn(arn);
      if (!parsed.ok() || parsed->type != "policy") {
        return ValidationError("The policy ARN " + arn + " is not a valid managed policy ARN.");
      }
      s.policy_arns.push_back(arn);
    }
  }
  std::set<std::string> keys;
  if (auto it = in.find("Tags"); it != in.end() && it->is_array()) {
    for (const json& t : *it) {
      auth::SessionTag tag{Str(t, "Key"), Str(t, "Value")};
      if (Lower(tag.key).rfind("aws:", 0) == 0) {
        return ValidationError("Tag keys starting with 'aws:' are reserved for AWS use.");
      }
      if (!keys.insert(Lower(tag.key)).second) {
        return ValidationError("Duplicate tag keys found. Please note that Tag keys are case insensitive.");
      }
      s.tags.push_back(std::move(tag));
    }
  }
  if (auto it = in.find("TransitiveTagKeys"); it != in.end() && it->is_array()) {
    for (const json& k : *it) {
      std::string key = k.is_string() ? k.get<std::string>() : std::string();
      if (!keys.contains(Lower(key))) {
        return ValidationError("The transitive tag key " + key + " is not among the session tags.");
      }
      s.transitive_tag_keys.push_back(key);
    }
  }
  s.any = !s.policy.empty() || !s.policy_arns.empty() || !s.tags.empty();
  s.packed_percent = PackedPercent(s.policy, s.policy_arns, s.tags);
  if (s.packed_percent > 100) {
    return Status(StatusCode::kPackedPolicyTooLarge, "Packed policy consumes " + std::to_string(s.packed_percent) +
                                                         "% of allotted space, please use smaller policy.");
  }
  return s;
}

Result<json> IssueCredentials(Ctx& c, auth::SessionRecord& record, int64_t duration_seconds) {
  record.access_key_id = auth::NewSessionAccessKeyId(record.account_id);
  record.secret_access_key = store::NewSecretAccessKey();
  record.issued_at = c.now;
  record.expires_at = c.now + duration_seconds;
  Result<std::string> token = auth::SealSessionToken(record, c.ring);
  if (!token.ok()) return Internal("cannot seal the session token: " + token.status().message());
  return json{{"AccessKeyId", record.access_key_id},
              {"SecretAccessKey", record.secret_access_key},
              {"SessionToken", *token},
              {"Expiration", record.expires_at}};
}

Result<json> IssueRoleSession(Ctx& c, const RoleSessionRequest& r) {
  auth::SessionRecord record;
  record.kind = auth::SessionKind::kAssumedRole;
  record.account_id = r.role.account_id;
  record.role_arn = r.role.arn;
  record.role_id = r.role.role_id;
  record.role_name = r.role.name;
  record.session_name = r.session_name;
  record.session_policy = r.inputs.policy;
  record.policy_arns = r.inputs.policy_arns;
  record.tags = r.inputs.tags;
  record.transitive_tag_keys = r.inputs.transitive_tag_keys;
  record.source_identity = r.source_identity;
  record.mfa_authenticated = r.mfa_authenticated;
  record.chained = r.chained;
  if (r.chained) {
    // Transitive session tags pass to the next session and cannot be changed.
    const Session& from = c.caller.session;
    for (const std::string& key : from.transitive_tag_keys) {
      auto same = [&](const auto& t) { return Lower(t.key) == Lower(key); };
      auto inherited = std::find_if(from.tags.begin(), from.tags.end(), same);
      if (inherited == from.tags.end()) continue;
      if (std::any_of(record.tags.begin(), record.tags.end(), same)) {
        return ValidationError("One or more tags in the request cannot be overridden: " + key +
                               " is a transitive tag of the calling session.");
      }
      record.tags.push_back({inherited->key, inherited->value});
      record.transitive_tag_keys.push_back(inherited->key);
    }
    if (record.tags.size() > auth::kMaxSessionTags) return ValidationError("A session may carry at most 50 tags.");
  }
  IAM_ASSIGN_OR_RETURN(json credentials, IssueCredentials(c, record, r.duration_seconds));
  // RoleLastUsed is informational: a failure to record it fails nothing.
  (void)c.store.RecordRoleUsed(r.role.account_id, r.role.name, c.now, c.region);
  json out = {{"Credentials", std::move(credentials)},
              {"AssumedRoleUser",
               {{"AssumedRoleId", r.role.role_id + ":" + r.session_name},
                {"Arn", AssumedRoleArn(r.role.account_id, r.role.name, r.session_name)}}}};
  if (r.inputs.any) out["PackedPolicySize"] = r.inputs.packed_percent;
  if (!r.source_identity.empty()) out["SourceIdentity"] = r.source_identity;
  return out;
}

Caller CallerFromSession(const auth::SessionRecord& r) {
  Caller c;
  c.account_id = r.account_id;
  c.access_key_id = r.access_key_id;
  Session& s = c.session;
  s.session_name = r.session_name;
  s.session_policy = r.session_policy;
  s.policy_arns = r.policy_arns;
  for (const auth::SessionTag& t : r.tags) s.tags.push_back({t.key, t.value});
  s.transitive_tag_keys = r.transitive_tag_keys;
  s.source_identity = r.source_identity;
  s.mfa_authenticated = r.mfa_authenticated;
  s.chained = r.chained;
  s.issued_at = r.issued_at;
  s.expires_at = r.expires_at;
  switch (r.kind) {
    case auth::SessionKind::kAssumedRole:
      s.kind = SessionKind::kAssumedRole;
      s.role_name = r.role_name;
      s.role_id = r.role_id;
      s.role_arn = r.role_arn;
      c.user_id = r.role_id + ":" + r.session_name;
      c.arn = AssumedRoleArn(r.account_id, r.role_name, r.session_name);
      break;
    case auth::SessionKind::kFederatedUser:
      s.kind = SessionKind::kFederatedUser;
      c.is_root = r.is_root;
      c.user_name = r.user_name;
      c.user_id = r.account_id + ":" + r.session_name;
      c.arn = FederatedUserArn(r.account_id, r.session_name);
      break;
    case auth::SessionKind::kUserSession:
      s.kind = SessionKind::kUserSession;
      c.is_root = r.is_root;
      c.user_name = r.user_name;
      c.user_id = r.is_root ? r.account_id : r.user_id;
      c.arn = r.is_root ? RootArn(r.account_id) : r.user_arn;
      break;
  }
  return c;
}

}  // namespace iam::service::sts
