// Who is making a request, once SigV4 has authenticated it: the account
// root, an IAM user, or a session of temporary credentials (an assumed role,
// a federated user, or a user's GetSessionToken session), and where the
// request came from. Built by the API layer, read by the service and
// authorization layers. A plain value.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace iam::service {

enum class SessionKind {
  kNone,           // long-term credentials (root or IAM user)
  kAssumedRole,    // AssumeRole
  kFederatedUser,  // GetFederationToken
  kUserSession,    // GetSessionToken: the same user (or root), maybe with MFA
};

struct SessionTagValue {
  std::string key;
  std::string value;
};

// What temporary credentials add to a caller. Filled from the session token.
struct Session {
  SessionKind kind = SessionKind::kNone;
  std::string role_name, role_id, role_arn;  // kAssumedRole
  std::string session_name;                  // role session name or federated user name
  std::string session_policy;                // inline session policy document
  std::vector<std::string> policy_arns;      // managed session policies
  std::vector<SessionTagValue> tags;
  std::vector<std::string> transitive_tag_keys;
  std::string source_identity;
  bool mfa_authenticated = false;
  bool chained = false;      // issued by a role session
  int64_t issued_at = 0;     // seconds since the epoch
  int64_t expires_at = 0;
};

struct Caller {
  std::string account_id;
  // The root, or (kUserSession/kFederatedUser) a session the root started.
  bool is_root = false;
  // The IAM user (long-term keys, or the user behind kUserSession and
  // kFederatedUser sessions); empty for the root and role sessions.
  std::string user_name;
  // aws:userid: AIDA... for users, the account id for the root,
  // AROA...:SESSION for role sessions, ACCOUNT:NAME for federated users.
  std::string user_id;
  // The principal ARN as AWS names it in errors and GetCallerIdentity:
  // ...:user/PATH/NAME, ...:root, arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION
  // or arn:aws:sts::ACCOUNT:federated-user/NAME.
  std::string arn;
  std::string access_key_id;  // the key that signed the request
  std::string source_ip;      // peer address
  bool secure_transport = false;
  Session session;            // kind kNone for long-term credentials

  bool temporary() const { return session.kind != SessionKind::kNone; }
};

// "arn:aws:iam::ACCOUNT:root".
inline std::string RootArn(const std::string& account_id) {
  return "arn:aws:iam::" + account_id + ":root";
}

// "arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION".
inline std::string AssumedRoleArn(const std::string& account_id, const std::string& role_name,
                                  const std::string& session_name) {
  return "arn:aws:sts::" + account_id + ":assumed-role/" + role_name + "/" + session_name;
}

// "arn:aws:sts::ACCOUNT:federated-user/NAME".
inline std::string FederatedUserArn(const std::string& account_id, const std::string& name) {
  return "arn:aws:sts::" + account_id + ":federated-user/" + name;
}

}  // namespace iam::service
