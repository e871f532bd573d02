// Who is making a request, once SigV4 has authenticated it: the account
// root or one IAM user, and where the request came from. Built by the API
// layer, read by the service and authorization layers. A plain value.
#pragma once

#include <string>

namespace iam::service {

struct Caller {
  std::string account_id;
  bool is_root = false;
  std::string user_name;      // empty for the root
  std::string user_id;        // AIDA...; the account id for the root
  std::string arn;            // arn:aws:iam::ACCOUNT:user/PATH/NAME or ...:root
  std::string access_key_id;  // the key that signed the request
  std::string source_ip;      // peer address
  bool secure_transport = false;
};

// "arn:aws:iam::ACCOUNT:root".
inline std::string RootArn(const std::string& account_id) {
  return "arn:aws:iam::" + account_id + ":root";
}

}  // namespace iam::service
