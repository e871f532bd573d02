// Long-term credentials: access keys, login profiles (passwords, hashed with argon2id and checked
// against the account password policy) and the password policy itself.
#include "service/iam/op_context.h"

#include "common/status_macros.h"
#include "crypto/password.h"
#include "store/ids.h"

namespace iam::service {
namespace {

using nlohmann::json;
using store::PrincipalKind;
using store::PrincipalRef;

Result<json> CreateAccessKey(Ctx& c) {
  IAM_ASSIGN_OR_RETURN(std::string user, TargetUser(c.caller, c.in));
  std::string secret = store::NewSecretAccessKey();
  store::NewAccessKey k;
  k.access_key_id = store::NewAccessKeyId();
  IAM_ASSIGN_OR_RETURN(k.sealed_secret, c.ring.Seal(secret, k.access_key_id));
  IAM_ASSIGN_OR_RETURN(store::AccessKey key, c.store.CreateAccessKey(c.account(), user, k));
  return json{{"AccessKey",
               {{"UserName", key.user_name},
                {"AccessKeyId", key.access_key_id},
                {"Status", StatusName(key.status)},
                {"SecretAccessKey", secret},
                {"CreateDate", key.create_date}}}};
}

Result<json> ListAccessKeys(Ctx& c) {
  IAM_ASSIGN_OR_RETURN(store::ListOptions o, ListOpts(c));
  IAM_ASSIGN_OR_RETURN(std::string user, TargetUser(c.caller, c.in));
  IAM_ASSIGN_OR_RETURN(std::vector<store::AccessKey> keys, c.store.ListAccessKeys(c.account(), user));
  IAM_ASSIGN_OR_RETURN(store::Page<store::AccessKey> page,
                       PageOf(std::move(keys), o, [](const store::AccessKey& k) { return k.access_key_id; }));
  json arr = json::array();
  for (const store::AccessKey& k : page.items) {
    arr.push_back({{"UserName", k.user_name},
                   {"AccessKeyId", k.access_key_id},
                   {"Status", StatusName(k.status)},
                   {"CreateDate", k.create_date}});
  }
  json out = {{"AccessKeyMetadata", arr}};
  PutPage(c, out, page);
  return out;
}

Result<json> DeleteAccessKey(Ctx& c) {
  IAM_ASSIGN_OR_RETURN(std::string user, TargetUser(c.caller, c.in));
  IAM_RETURN_IF_ERROR(c.store.DeleteAccessKey(c.account(), user, Str(c.in, "AccessKeyId")));
  return json::object();
}

Result<json> UpdateAccessKey(Ctx& c) {
  IAM_ASSIGN_OR_RETURN(std::string user, TargetUser(c.caller, c.in));
  store::AccessKeyStatus s =
      Str(c.in, "Status") == "Active" ? store::AccessKeyStatus::kActive : store::AccessKeyStatus::kInactive;
  IAM_RETURN_IF_ERROR(c.store.UpdateAccessKeyStatus(c.account(), user, Str(c.in, "AccessKeyId"), s));
  return json::object();
}

Result<json> GetAccessKeyLastUsed(Ctx& c) {
  IAM_ASSIGN_OR_RETURN(store::AccessKey k, c.store.GetAccessKey(Str(c.in, "AccessKeyId")));
  if (k.account_id != c.account()) {
    return NoSuchEntity("The Access Key with id " + Str(c.in, "AccessKeyId") + " cannot be found.");
  }
  json last = {{"ServiceName", k.last_used_date ? k.last_used_service : "N/A"},
               {"Region", k.last_used_date ? k.last_used_region : "N/A"}};
  if (k.last_used_date) last["LastUsedDate"] = *k.last_used_date;
  return json{{"UserName", k.user_name}, {"AccessKeyLastUsed", last}};
}

// The account's password policy, or AWS's default when it has none.
Result<store::PasswordPolicy> EffectivePasswordPolicy(Ctx& c) {
  Result<store::PasswordPolicy> p = c.store.GetPasswordPolicy(c.account());
  if (p.ok() || p.status().code() != StatusCode::kNoSuchEntity) return p;
  return store::PasswordPolicy{};
}

Status CheckPassword(const store::PasswordPolicy& p, const std::string& password) {
  auto violation = [](std::string m) { return Status(StatusCode::kPasswordPolicyViolation, std::move(m)); };
  if (static_cast<int>(password.size()) < p.minimum_password_length) {
    return violation("Password should have a minimum length of " + std::to_string(p.minimum_password_length));
  }
  bool upper = false, lower = false, digit = false, symbol = false;
  for (unsigned char ch : password) {
    if (ch >= 'A' && ch <= 'Z') upper = true;
    else if (ch >= 'a' && ch <= 'z') lower = true;
    else if (ch >= '0' && ch <= '9') digit = true;
    else if (std::string_view("!@#$%^&*()_+-=[]{}|'").find(static_cast<char>(ch)) != std::string_view::npos) symbol = true;
  }
  if (p.require_uppercase_characters && !upper) return violation("Password should have at least one uppercase letter");
  if (p.require_lowercase_characters && !lower) return violation("Password should have at least one lowercase letter");
  if (p.require_numbers && !digit) return violation("Password should have at least one number");
  if (p.require_symbols && !symbol) return violation("Password should have at least one symbol");
  return Status();
}

Result<std::string> CheckedHash(Ctx& c, const std::string& password) {
  IAM_ASSIGN_OR_RETURN(store::PasswordPolicy policy, EffectivePasswordPolicy(c));
  IAM_RETURN_IF_ERROR(CheckPassword(policy, password));
  return crypto::HashPassword(password);
}

Result<json> CreateLoginProfile(Ctx& c) {
  IAM_ASSIGN_OR_RETURN(std::string user, TargetUser(c.caller, c.in));
  IAM_RETURN_IF_ERROR(c.store.GetUser(c.account(), user).status());
  IAM_ASSIGN_OR_RETURN(std::string hash, CheckedHash(c, Str(c.in, "Password")));
  IAM_ASSIGN_OR_RETURN(store::LoginProfile p,
                       c.store.CreateLoginProfile(c.account(), user, hash, BoolIn(c.in, "PasswordResetRequired")));
  return json{{"LoginProfile", LoginProfileJson(p)}};
}

Result<json> GetLoginProfile(Ctx& c) {
  IAM_ASSIGN_OR_RETURN(std::string user, TargetUser(c.caller, c.in));
  IAM_ASSIGN_OR_RETURN(store::LoginProfile p, c.store.GetLoginProfile(c.account(), user));
  return json{{"LoginProfile", LoginProfileJson(p)}};
}

Result<json> UpdateLoginProfile(Ctx& c) {
  std::string user = Str(c.in, "UserName");
  IAM_RETURN_IF_ERROR(c.store.GetLoginProfile(c.account(), user).status());
  std::optional<std::string> hash;
  if (Has(c.in, "Password")) {
    IAM_ASSIGN_OR_RETURN(hash, CheckedHash(c, Str(c.in, "Password")));
  }
  std::optional<bool> reset;
  if (Has(c.in, "PasswordResetRequired")) reset = BoolIn(c.in, "PasswordResetRequired");
  IAM_RETURN_IF_ERROR(c.store.UpdateLoginProfile(c.account(), user, hash, reset));
  return json::object();
}

Result<json> DeleteLoginProfile(Ctx& c) {
  IAM_RETURN_IF_ERROR(c.store.DeleteLoginProfile(c.account(), Str(c.in, "UserName")));
  return json::object();
}

Result<json> ChangePassword(Ctx& c) {
  if (c.caller.is_root) {
    return Status(StatusCode::kInvalidInput, "The root account cannot change its password with ChangePassword.");
  }
  IAM_ASSIGN_OR_RETURN(store::LoginProfile p, c.store.GetLoginProfile(c.account(), c.caller.user_name));
  if (!crypto::VerifyPassword(p.password_hash, Str(c.in, "OldPassword"))) {
    return AccessDenied("The old password is incorrect.");
  }
  IAM_ASSIGN_OR_RETURN(std::string hash, CheckedHash(c, Str(c.in, "NewPassword")));
  IAM_RETURN_IF_ERROR(c.store.UpdateLoginProfile(c.account(), c.caller.user_name, hash, false));
  return json::object();
}

Result<json> UpdateAccountPasswordPolicy(Ctx& c) {
  store::PasswordPolicy p;  // unspecified values take AWS's defaults
  if (auto v = IntIn(c.in, "MinimumPasswordLength")) p.minimum_password_length = *v;
  p.require_symbols = BoolIn(c.in, "RequireSymbols");
  p.require_numbers = BoolIn(c.in, "RequireNumbers");
  p.require_uppercase_characters = BoolIn(c.in, "RequireUppercaseCharacters");
  p.require_lowercase_characters = BoolIn(c.in, "RequireLowercaseCharacters");
  p.allow_users_to_change_password = BoolIn(c.in, "AllowUsersToChangePassword");
  p.max_password_age = IntIn(c.in, "MaxPasswordAge");
  p.password_reuse_prevention = IntIn(c.in, "PasswordReusePrevention");
  p.hard_expiry = BoolIn(c.in, "HardExpiry");
  IAM_RETURN_IF_ERROR(c.store.PutPasswordPolicy(c.account(), p));
  return json::object();
}

Result<json> GetAccountPasswordPolicy(Ctx& c) {
  IAM_ASSIGN_OR_RETURN(store::PasswordPolicy p, c.store.GetPasswordPolicy(c.account()));
  json j = {{"MinimumPasswordLength", p.minimum_password_length},
            {"RequireSymbols", p.require_symbols},
            {"RequireNumbers", p.require_numbers},
            {"RequireUppercaseCharacters", p.require_uppercase_characters},
            {"RequireLowercaseCharacters", p.require_lowercase_characters},
            {"AllowUsersToChangePassword", p.allow_users_to_change_password},
            {"ExpirePasswords", p.max_password_age.has_value()}};
  if (p.max_password_age) j["MaxPasswordAge"] = *p.max_password_age;
  if (p.password_reuse_prevention) j["PasswordReusePrevention"] = *p.password_reuse_prevention;
  if (p.max_password_age) j["HardExpiry"] = p.hard_expiry;
  return json{{"PasswordPolicy", j}};
}

Result<json> DeleteAccountPasswordPolicy(Ctx& c) {
  IAM_RETURN_IF_ERROR(c.store.DeletePasswordPolicy(c.account()));
  return json::object();
}


}  // namespace

void AddCredentialOps(OpTable& ops) {
  ops.emplace("CreateAccessKey", CreateAccessKey);
  ops.emplace("ListAccessKeys", ListAccessKeys);
  ops.emplace("DeleteAccessKey", DeleteAccessKey);
  ops.emplace("UpdateAccessKey", UpdateAccessKey);
  ops.emplace("GetAccessKeyLastUsed", GetAccessKeyLastUsed);
  ops.emplace("CreateLoginProfile", CreateLoginProfile);
  ops.emplace("GetLoginProfile", GetLoginProfile);
  ops.emplace("UpdateLoginProfile", UpdateLoginProfile);
  ops.emplace("DeleteLoginProfile", DeleteLoginProfile);
  ops.emplace("ChangePassword", ChangePassword);
  ops.emplace("UpdateAccountPasswordPolicy", UpdateAccountPasswordPolicy);
  ops.emplace("GetAccountPasswordPolicy", GetAccountPasswordPolicy);
  ops.emplace("DeleteAccountPasswordPolicy", DeleteAccountPasswordPolicy);
}

}  // namespace iam::service
