// Accounts, password policies, the account summary, tags, the wrapped key
// ring, and helpers shared by the other ops_*.cc files.
#include "common/status_macros.h"
#include "store/ids.h"
#include "store/sql/ops.h"
#include "store/validation.h"

namespace iam::store::sql {

std::string QuotaMessage(std::string_view name, int limit) {
  return "Cannot exceed quota for " + std::string(name) + ": " + std::to_string(limit) + ".";
}

std::string PolicyArn(std::string_view account_id, std::string_view path, std::string_view name) {
  return Arn(account_id, "policy", path, name);
}

bool HasPathPrefix(std::string_view path, std::string_view prefix) {
  return path.substr(0, prefix.size()) == prefix;
}

Status SqlOps::RequireAccount(std::string_view account_id) {
  Stmt q(db_, "SELECT 1 FROM accounts WHERE account_id = ? AND account_id != 'aws'", account_id);
  IAM_ASSIGN_OR_RETURN(bool row, q.Step());
  if (!row) return NoSuchEntity("Account " + std::string(account_id) + " cannot be found.");
  return Status();
}

Result<int64_t> SqlOps::Count(const char* sql, std::string_view arg) {
  Stmt q(db_, sql, arg);
  IAM_ASSIGN_OR_RETURN(bool row, q.Step());
  return row ? q.Int(0) : 0;
}

Result<int64_t> SqlOps::CountId(const char* sql, int64_t id) {
  Stmt q(db_, sql, id);
  IAM_ASSIGN_OR_RETURN(bool row, q.Step());
  return row ? q.Int(0) : 0;
}

// ---- Accounts ---------------------------------------------------------------

Result<Account> SqlOps::CreateAccount(std::string account_id, std::string alias) {
  if (account_id.empty()) {
    for (int i = 0; i < 10 && account_id.empty(); ++i) {
      std::string candidate = NewAccountId();
      IAM_ASSIGN_OR_RETURN(int64_t n, Count("SELECT count(*) FROM accounts WHERE account_id = ?",
                                            candidate));
      if (n == 0) account_id = candidate;
    }
    if (account_id.empty()) return Internal("could not draw a free account id");
  }
  IAM_RETURN_IF_ERROR(ValidateAccountId(account_id));
  if (!alias.empty()) IAM_RETURN_IF_ERROR(ValidateAccountAlias(alias));
  IAM_ASSIGN_OR_RETURN(int64_t n, Count("SELECT count(*) FROM accounts WHERE account_id = ?", account_id));
  if (n) return AlreadyExists("Account " + account_id + " already exists.");
  if (!alias.empty()) {
    IAM_ASSIGN_OR_RETURN(int64_t a, Count("SELECT count(*) FROM accounts WHERE alias = ?", alias));
    if (a) return AlreadyExists("The account alias " + alias + " already exists.");
  }
  Account out{account_id, alias, Now()};
  Stmt ins(db_, "INSERT INTO accounts VALUES (?, ?, ?)", account_id,
           alias.empty() ? std::optional<std::string>() : std::optional<std::string>(alias),
           out.create_date);
  IAM_RETURN_IF_ERROR(ins.Run());
  return out;
}

Result<Account> SqlOps::GetAccount(std::string_view account_id) {
  Stmt q(db_, "SELECT account_id, alias, create_date FROM accounts "
              "WHERE account_id = ? AND account_id != 'aws'", account_id);
  IAM_ASSIGN_OR_RETURN(bool row, q.Step());
  if (!row) return NoSuchEntity("Account " + std::string(account_id) + " cannot be found.");
  return Account{q.Text(0), q.Text(1), q.Int(2)};
}

Result<std::vector<Account>> SqlOps::ListAccounts() {
  Stmt q(db_, "SELECT account_id, alias, create_date FROM accounts "
              "WHERE account_id != 'aws' ORDER BY account_id");
  std::vector<Account> out;
  for (;;) {
    IAM_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    out.push_back({q.Text(0), q.Text(1), q.Int(2)});
  }
  return out;
}

Status SqlOps::SetAccountAlias(std::string_view account_id, std::string_view alias) {
  IAM_RETURN_IF_ERROR(RequireAccount(account_id));
  if (!alias.empty()) {
    IAM_RETURN_IF_ERROR(ValidateAccountAlias(alias));
    IAM_ASSIGN_OR_RETURN(int64_t a, Count("SELECT count(*) FROM accounts WHERE alias = ?", alias));
    if (a) return AlreadyExists("The account alias " + std::string(alias) + " already exists.");
  }
  Stmt q(db_, "UPDATE accounts SET alias = ? WHERE account_id = ?",
         alias.empty() ? std::optional<std::string_view>() : std::optional<std::string_view>(alias),
         account_id);
  return q.Run();
}

Result<PasswordPolicy> SqlOps::GetPasswordPolicy(std::string_view account_id) {
  IAM_RETURN_IF_ERROR(RequireAccount(account_id));
  Stmt q(db_, "SELECT min_length, require_symbols, require_numbers, require_upper, require_lower, "
              "allow_change, max_age, reuse_prevention, hard_expiry FROM password_policies "
              "WHERE account_id = ?", account_id);
  IAM_ASSIGN_OR_RETURN(bool row, q.Step());
  if (!row) {
    return NoSuchEntity("The Password Policy with domain name " + std::string(account_id) +
                        " cannot be found.");
  }
  PasswordPolicy p;
  p.minimum_password_length = static_cast<int>(q.Int(0));
  p.require_symbols = q.Int(1);
  p.require_numbers = q.Int(2);
  p.require_uppercase_characters = q.Int(3);
  p.require_lowercase_characters = q.Int(4);
  p.allow_users_to_change_password = q.Int(5);
  if (!q.IsNull(6)) p.max_password_age = static_cast<int>(q.Int(6));
  if (!q.IsNull(7)) p.password_reuse_prevention = static_cast<int>(q.Int(7));
  p.hard_expiry = q.Int(8);
  return p;
}

Status SqlOps::PutPasswordPolicy(std::string_view account_id, const PasswordPolicy& p) {
  IAM_RETURN_IF_ERROR(RequireAccount(account_id));
  IAM_RETURN_IF_ERROR(ValidatePasswordPolicy(p));
  Stmt q(db_, "INSERT INTO password_policies VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
              "ON CONFLICT (account_id) DO UPDATE SET min_length = excluded.min_length, "
              "require_symbols = excluded.require_symbols, require_numbers = excluded.require_numbers, "
              "require_upper = excluded.require_upper, require_lower = excluded.require_lower, "
              "allow_change = excluded.allow_change, max_age = excluded.max_age, "
              "reuse_prevention = excluded.reuse_prevention, hard_expiry = excluded.hard_expiry",
         account_id, p.minimum_password_length, p.require_symbols, p.require_numbers,
         p.require_uppercase_characters, p.require_lowercase_characters,
         p.allow_users_to_change_password, p.max_password_age, p.password_reuse_prevention,
         p.hard_expiry);
  return q.Run();
}

Status SqlOps::DeletePasswordPolicy(std::string_view account_id) {
  IAM_RETURN_IF_ERROR(RequireAccount(account_id));
  Stmt q(db_, "DELETE FROM password_policies WHERE account_id = ? RETURNING 1", account_id);
  IAM_ASSIGN_OR_RETURN(bool row, q.Step());
  if (!row) {
    return NoSuchEntity("The Password Policy with domain name " + std::string(account_id) +
                        " cannot be found.");
  }
  return q.Run();
}

Result<AccountSummary> SqlOps::GetAccountSummary(std::string_view account_id) {
  IAM_RETURN_IF_ERROR(RequireAccount(account_id));
  AccountSummary s;
  Stmt q(db_,
         "SELECT (SELECT count(*) FROM users WHERE account_id = ?1),"
         " (SELECT count(*) FROM iam_groups WHERE account_id = ?1),"
         " (SELECT count(*) FROM roles WHERE account_id = ?1),"
         " (SELECT count(*) FROM policies WHERE account_id = ?1),"
         " (SELECT count(*) FROM instance_profiles WHERE account_id = ?1),"
         " (SELECT count(*) FROM mfa_devices WHERE account_id = ?1),"
         " (SELECT count(*) FROM mfa_devices WHERE account_id = ?1 AND user_id IS NOT NULL),"
         " (SELECT count(*) FROM access_keys k JOIN users u ON u.id = k.user_id"
         "  WHERE u.account_id = ?1),"
         " (SELECT count(*) FROM oidc_providers WHERE account_id = ?1)"
         " + (SELECT count(*) FROM saml_providers WHERE account_id = ?1)",
         account_id);
  IAM_ASSIGN_OR_RETURN(bool row, q.Step());
  if (!row) return Internal("summary query returned nothing");
  s.users = q.Int(0);
  s.groups = q.Int(1);
  s.roles = q.Int(2);
  s.policies = q.Int(3);
  s.instance_profiles = q.Int(4);
  s.mfa_devices = q.Int(5);
  s.mfa_devices_in_use = q.Int(6);
  s.access_keys = q.Int(7);
  s.providers = q.Int(8);
  return s;
}

// ---- Tags ---------------------------------------------------------------------

Result<int64_t> SqlOps::TagTargetRow(std::string_view account_id, const TagTarget& t) {
  switch (t.kind) {
    case TaggableKind::kUser:
      return UserRow(account_id, t.id);
    case TaggableKind::kRole:
      return RoleRow(account_id, t.id);
    case TaggableKind::kInstanceProfile:
      return ProfileRow(account_id, t.id);
    case TaggableKind::kMfaDevice:
      return MfaRow(account_id, t.id);
    case TaggableKind::kPolicy: {
      IAM_ASSIGN_OR_RETURN(PolicyRow p, FindPolicy(account_id, t.id));
      if (p.account_id == kAwsAccount) {
        return Status(StatusCode::kUnmodifiableEntity, "Cannot tag an AWS managed policy.");
      }
      return p.id;
    }
    case TaggableKind::kOidcProvider: {
      Stmt q(db_, "SELECT id FROM oidc_providers WHERE account_id = ? AND arn = ?", account_id, t.id);
      IAM_ASSIGN_OR_RETURN(bool row, q.Step());
      if (!row) return NoSuchEntity("OpenIDConnect Provider not found for arn " + t.id);
      return q.Int(0);
    }
    case TaggableKind::kSamlProvider: {
      Stmt q(db_, "SELECT id FROM saml_providers WHERE account_id = ? AND arn = ?", account_id, t.id);
      IAM_ASSIGN_OR_RETURN(bool row, q.Step());
      if (!row) return NoSuchEntity("SAMLProvider not found for arn " + t.id);
      return q.Int(0);
    }
  }
  return Internal("unknown taggable kind");
}

Result<std::vector<Tag>> SqlOps::ReadTags(TaggableKind kind, int64_t row) {
  Stmt q(db_, "SELECT key, value FROM tags WHERE kind = ? AND entity_id = ? ORDER BY key",
         static_cast<int>(kind), row);
  std::vector<Tag> out;
  for (;;) {
    IAM_ASSIGN_OR_RETURN(bool r, q.Step());
    if (!r) break;
    out.push_back({q.Text(0), q.Text(1)});
  }
  return out;
}

Status SqlOps::WriteTags(TaggableKind kind, int64_t row, const std::vector<Tag>& tags) {
  IAM_RETURN_IF_ERROR(ValidateTags(tags, quotas_));
  for (const Tag& t : tags) {
    Stmt q(db_, "INSERT INTO tags VALUES (?, ?, ?, ?) ON CONFLICT (kind, entity_id, key) "
                "DO UPDATE SET key = excluded.key, value = excluded.value",
           static_cast<int>(kind), row, t.key, t.value);
    IAM_RETURN_IF_ERROR(q.Run());
  }
  Stmt n(db_, "SELECT count(*) FROM tags WHERE kind = ? AND entity_id = ?", static_cast<int>(kind), row);
  IAM_ASSIGN_OR_RETURN(bool r, n.Step());
  if (r && n.Int(0) > quotas_.tags_per_entity) {
    return LimitExceeded("The number of tags has reached the maximum limit.");
  }
  return Status();
}

Status SqlOps::DeleteTags(TaggableKind kind, int64_t row) {
  Stmt q(db_, "DELETE FROM tags WHERE kind = ? AND entity_id = ?", static_cast<int>(kind), row);
  return q.Run();
}

Status SqlOps::TagResource(std::string_view account_id, const TagTarget& t,
                              const std::vector<Tag>& tags) {
  IAM_ASSIGN_OR_RETURN(int64_t row, TagTargetRow(account_id, t));
  return WriteTags(t.kind, row, tags);
}

Status SqlOps::UntagResource(std::string_view account_id, const TagTarget& t,
                                const std::vector<std::string>& keys) {
  IAM_ASSIGN_OR_RETURN(int64_t row, TagTargetRow(account_id, t));
  for (const std::string& k : keys) {
    Stmt q(db_, "DELETE FROM tags WHERE kind = ? AND entity_id = ? AND key = ?",
           static_cast<int>(t.kind), row, k);
    IAM_RETURN_IF_ERROR(q.Run());
  }
  return Status();
}

Result<std::vector<Tag>> SqlOps::ListTags(std::string_view account_id, const TagTarget& t) {
  IAM_ASSIGN_OR_RETURN(int64_t row, TagTargetRow(account_id, t));
  return ReadTags(t.kind, row);
}

// ---- Key ring -------------------------------------------------------------------

Result<std::vector<WrappedKey>> SqlOps::ListWrappedKeys() {
  Stmt q(db_, "SELECT key_id, wrapped, is_current, create_date FROM key_ring ORDER BY key_id");
  std::vector<WrappedKey> out;
  for (;;) {
    IAM_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    out.push_back({static_cast<uint32_t>(q.Int(0)), q.Text(1), q.Int(2) != 0, q.Int(3)});
  }
  return out;
}

Status SqlOps::AddWrappedKey(const WrappedKey& k) {
  IAM_ASSIGN_OR_RETURN(int64_t n, CountId("SELECT count(*) FROM key_ring WHERE key_id = ?", k.key_id));
  if (n) return AlreadyExists("key " + std::to_string(k.key_id) + " is already in the key ring");
  if (k.is_current) {
    Stmt clear(db_, "UPDATE key_ring SET is_current = 0");
    IAM_RETURN_IF_ERROR(clear.Run());
  }
  Stmt q(db_, "INSERT INTO key_ring VALUES (?, ?, ?, ?)", k.key_id, Blob{k.wrapped}, k.is_current,
         k.create_date ? k.create_date : Now());
  return q.Run();
}

}  // namespace iam::store::sql
