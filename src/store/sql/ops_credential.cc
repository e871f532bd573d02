// Access keys, login profiles, virtual MFA devices, OIDC and SAML providers.
#include "common/status_macros.h"
#include "store/ids.h"
#include "store/sql/ops.h"
#include "store/validation.h"

namespace iam::store::sql {
namespace {

std::string Join(const std::vector<std::string>& v) {
  std::string out;
  for (const std::string& s : v) {
    if (!out.empty()) out += '\n';
    out += s;
  }
  return out;
}

std::vector<std::string> Split(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < s.size()) {
    size_t nl = s.find('\n', start);
    if (nl == std::string::npos) nl = s.size();
    out.push_back(s.substr(start, nl - start));
    start = nl + 1;
  }
  return out;
}

Status ValidateOidcLists(const std::vector<std::string>& client_ids,
                         const std::vector<std::string>& thumbprints, const Quotas& q) {
  if (static_cast<int>(client_ids.size()) > q.client_ids_per_oidc_provider) {
    return LimitExceeded(QuotaMessage("ClientIdsPerOpenIdConnectProvider", q.client_ids_per_oidc_provider));
  }
  if (static_cast<int>(thumbprints.size()) > q.thumbprints_per_oidc_provider) {
    return LimitExceeded(QuotaMessage("ThumbprintsPerOpenIdConnectProvider", q.thumbprints_per_oidc_provider));
  }
  for (const std::string& c : client_ids) {
    IAM_RETURN_IF_ERROR(ValidateClientId(c));
    if (c.find('\n') != std::string::npos) return ValidationError("Client id must not contain a newline.");
  }
  for (const std::string& t : thumbprints) IAM_RETURN_IF_ERROR(ValidateThumbprint(t));
  return Status();
}

}  // namespace

// ---- Access keys ----------------------------------------------------------------

Result<AccessKey> SqlOps::CreateAccessKey(std::string_view account_id, std::string_view user,
                                             const NewAccessKey& k) {
  IAM_RETURN_IF_ERROR(ValidateAccessKeyId(k.access_key_id));
  if (k.sealed_secret.empty()) return InvalidInput("An access key needs a sealed secret.");
  IAM_ASSIGN_OR_RETURN(int64_t u, UserRow(account_id, user));
  IAM_ASSIGN_OR_RETURN(int64_t exists,
                       Count("SELECT count(*) FROM access_keys WHERE access_key_id = ?", k.access_key_id));
  if (exists) return AlreadyExists("Access key " + k.access_key_id + " already exists.");
  IAM_ASSIGN_OR_RETURN(int64_t n, CountId("SELECT count(*) FROM access_keys WHERE user_id = ?", u));
  if (n >= quotas_.access_keys_per_user) {
    return LimitExceeded(QuotaMessage("AccessKeysPerUser", quotas_.access_keys_per_user));
  }
  Stmt ins(db_, "INSERT INTO access_keys (access_key_id, user_id, active, create_date, sealed_secret) "
                "VALUES (?, ?, 1, ?, ?)", k.access_key_id, u, Now(), Blob{k.sealed_secret});
  IAM_RETURN_IF_ERROR(ins.Run());
  return GetAccessKey(k.access_key_id);
}

Result<AccessKey> SqlOps::GetAccessKey(std::string_view access_key_id) {
  Stmt q(db_, "SELECT k.access_key_id, u.account_id, u.name, u.unique_id, k.active, k.create_date, "
              "k.sealed_secret, k.last_used_date, k.last_used_service, k.last_used_region "
              "FROM access_keys k JOIN users u ON u.id = k.user_id WHERE k.access_key_id = ?",
         access_key_id);
  IAM_ASSIGN_OR_RETURN(bool row, q.Step());
  if (!row) {
    return NoSuchEntity("The Access Key with id " + std::string(access_key_id) + " cannot be found.");
  }
  return AccessKey{q.Text(0), q.Text(1), q.Text(2), q.Text(3),
                   q.Int(4) ? AccessKeyStatus::kActive : AccessKeyStatus::kInactive,
                   q.Int(5), q.Text(6), q.OptInt(7), q.Text(8), q.Text(9)};
}

Result<std::vector<AccessKey>> SqlOps::ListAccessKeys(std::string_view account_id, std::string_view user) {
  IAM_ASSIGN_OR_RETURN(int64_t u, UserRow(account_id, user));
  std::vector<std::string> ids;
  {
    Stmt q(db_, "SELECT access_key_id FROM access_keys WHERE user_id = ? ORDER BY create_date, access_key_id", u);
    for (;;) {
      IAM_ASSIGN_OR_RETURN(bool row, q.Step());
      if (!row) break;
      ids.push_back(q.Text(0));
    }
  }
  std::vector<AccessKey> out;
  for (const std::string& id : ids) {
    IAM_ASSIGN_OR_RETURN(AccessKey k, GetAccessKey(id));
    out.push_back(std::move(k));
  }
  return out;
}

Status SqlOps::UpdateAccessKeyStatus(std::string_view account_id, std::string_view user,
                                        std::string_view access_key_id, AccessKeyStatus s) {
  IAM_ASSIGN_OR_RETURN(int64_t u, UserRow(account_id, user));
  Stmt q(db_, "UPDATE access_keys SET active = ? WHERE access_key_id = ? AND user_id = ? RETURNING 1",
         s == AccessKeyStatus::kActive, access_key_id, u);
  IAM_ASSIGN_OR_RETURN(bool row, q.Step());
  if (!row) {
    return NoSuchEntity("The Access Key with id " + std::string(access_key_id) + " cannot be found.");
  }
  return q.Run();
}

Status SqlOps::DeleteAccessKey(std::string_view account_id, std::string_view user,
                                  std::string_view access_key_id) {
  IAM_ASSIGN_OR_RETURN(int64_t u, UserRow(account_id, user));
  Stmt q(db_, "DELETE FROM access_keys WHERE access_key_id = ? AND user_id = ? RETURNING 1", access_key_id, u);
  IAM_ASSIGN_OR_RETURN(bool row, q.Step());
  if (!row) {
    return NoSuchEntity("The Access Key with id " + std::string(access_key_id) + " cannot be found.");
  }
  return q.Run();
}

Status SqlOps::RecordAccessKeyUsed(std::string_view access_key_id, Timestamp when,
                                      std::string_view service, std::string_view region) {
  UsageRecord usage(*this);
  Stmt q(db_, "UPDATE access_keys SET last_used_date = ?, last_used_service = ?, last_used_region = ? "
              "WHERE access_key_id = ? RETURNING 1", when, service, region, access_key_id);
  IAM_ASSIGN_OR_RETURN(bool row, q.Step());
  if (!row) {
    return NoSuchEntity("The Access Key with id " + std::string(access_key_id) + " cannot be found.");
  }
  return q.Run();
}

// ---- Login profiles ----------------------------------------------------------------

Result<LoginProfile> SqlOps::CreateLoginProfile(std::string_view account_id, std::string_view user,
                                                   std::string_view password_hash, bool reset_required) {
  IAM_ASSIGN_OR_RETURN(int64_t u, UserRow(account_id, user));
  IAM_ASSIGN_OR_RETURN(int64_t n, CountId("SELECT count(*) FROM login_profiles WHERE user_id = ?", u));
  if (n) return AlreadyExists("Login Profile for user " + std::string(user) + " already exists.");
  if (password_hash.empty()) return InvalidInput("A login profile needs a password hash.");
  Stmt q(db_, "INSERT INTO login_profiles VALUES (?, ?, ?, ?)", u, password_hash, reset_required, Now());
  IAM_RETURN_IF_ERROR(q.Run());
  return GetLoginProfile(account_id, user);
}

Result<LoginProfile> SqlOps::GetLoginProfile(std::string_view account_id, std::string_view user) {
  IAM_ASSIGN_OR_RETURN(int64_t u, UserRow(account_id, user));
  Stmt q(db_, "SELECT u.name, l.password_hash, l.reset_required, l.create_date FROM login_profiles l "
              "JOIN users u ON u.id = l.user_id WHERE l.user_id = ?", u);
  IAM_ASSIGN_OR_RETURN(bool row, q.Step());
  if (!row) return NoSuchEntity("Login Profile for User " + std::string(user) + " cannot be found.");
  return LoginProfile{q.Text(0), q.Text(1), q.Int(2) != 0, q.Int(3)};
}

Status SqlOps::UpdateLoginProfile(std::string_view account_id, std::string_view user,
                                     std::optional<std::string> password_hash,
                                     std::optional<bool> reset_required) {
  IAM_ASSIGN_OR_RETURN(int64_t u, UserRow(account_id, user));
  Stmt q(db_, "UPDATE login_profiles SET password_hash = coalesce(?, password_hash), "
              "reset_required = coalesce(?, reset_required) WHERE user_id = ? RETURNING 1",
         password_hash, reset_required, u);
  IAM_ASSIGN_OR_RETURN(bool row, q.Step());
  if (!row) return NoSuchEntity("Login Profile for User " + std::string(user) + " cannot be found.");
  return q.Run();
}

Status SqlOps::DeleteLoginProfile(std::string_view account_id, std::string_view user) {
  IAM_ASSIGN_OR_RETURN(int64_t u, UserRow(account_id, user));
  Stmt q(db_, "DELETE FROM login_profiles WHERE user_id = ? RETURNING 1", u);
  IAM_ASSIGN_OR_RETURN(bool row, q.Step());
  if (!row) return NoSuchEntity("Login Profile for User " + std::string(user) + " cannot be found.");
  return q.Run();
}

Status SqlOps::RecordPasswordUsed(std::string_view account_id, std::string_view user, Timestamp when) {
  IAM_ASSIGN_OR_RETURN(int64_t u, UserRow(account_id, user));
  UsageRecord usage(*this);
  Stmt q(db_, "UPDATE users SET password_last_used = ? WHERE id = ?", when, u);
  return q.Run();
}

// ---- Virtual MFA devices ---------------------------------------------------------

Result<int64_t> SqlOps::MfaRow(std::string_view account_id, std::string_view serial) {
  auto missing = [&] {
    return NoSuchEntity("MFA device with serial number " + std::string(serial) + " does not exist.");
  };
  Result<ParsedArn> arn = ParseArn(serial);
  if (!arn.ok() || arn->type != "mfa" || arn->account_id != account_id) return missing();
  Stmt q(db_, "SELECT id, path, name FROM mfa_devices WHERE account_id = ? AND name = ?", account_id, arn->name);
  IAM_ASSIGN_OR_RETURN(bool row, q.Step());
  if (!row || q.Text(1) != arn->path || q.Text(2) != arn->name) return missing();
  return q.Int(0);
}

Result<MfaDevice> SqlOps::ReadMfa(int64_t row) {
  MfaDevice d;
  {
    Stmt q(db_, "SELECT d.account_id, d.name, d.path, d.sealed_seed, u.name, d.enable_date, d.create_date, "
                "d.last_step FROM mfa_devices d LEFT JOIN users u ON u.id = d.user_id WHERE d.id = ?", row);
    IAM_ASSIGN_OR_RETURN(bool found, q.Step());
    if (!found) return Internal("MFA device row missing");
    d.account_id = q.Text(0);
    d.name = q.Text(1);
    d.path = q.Text(2);
    d.sealed_seed = q.Text(3);
    d.user_name = q.Text(4);
    d.enable_date = q.OptInt(5);
    d.create_date = q.Int(6);
    d.last_totp_step = q.Int(7);
  }
  d.serial_number = Arn(d.account_id, "mfa", d.path, d.name);
  IAM_ASSIGN_OR_RETURN(d.tags, ReadTags(TaggableKind::kMfaDevice, row));
  return d;
}

Result<MfaDevice> SqlOps::CreateVirtualMfaDevice(std::string_view account_id, const NewMfaDevice& d) {
  IAM_RETURN_IF_ERROR(ValidateName(d.name, "virtualMFADeviceName", kMfaNameMax));
  IAM_RETURN_IF_ERROR(ValidatePath(d.path));
  IAM_RETURN_IF_ERROR(ValidateTags(d.tags, quotas_));
  if (d.sealed_seed.empty()) return InvalidInput("An MFA device needs a sealed seed.");
  IAM_RETURN_IF_ERROR(RequireAccount(account_id));
  Stmt has(db_, "SELECT 1 FROM mfa_devices WHERE account_id = ? AND name = ?", account_id, d.name);
  IAM_ASSIGN_OR_RETURN(bool exists, has.Step());
  if (exists) return AlreadyExists("MFADevice entity at the same path and name already exists.");
  Stmt ins(db_, "INSERT INTO mfa_devices (account_id, name, path, sealed_seed, create_date, last_step) "
                "VALUES (?, ?, ?, ?, ?, 0) RETURNING id",
           account_id, d.name, d.path, Blob{d.sealed_seed}, Now());
  IAM_ASSIGN_OR_RETURN(int64_t id, ins.InsertReturningId());
  IAM_RETURN_IF_ERROR(WriteTags(TaggableKind::kMfaDevice, id, d.tags));
  return ReadMfa(id);
}

Result<MfaDevice> SqlOps::GetMfaDevice(std::string_view account_id, std::string_view serial) {
  IAM_ASSIGN_OR_RETURN(int64_t row, MfaRow(account_id, serial));
  return ReadMfa(row);
}

Status SqlOps::EnableMfaDevice(std::string_view account_id, std::string_view user,
                                  std::string_view serial, int64_t totp_step) {
  IAM_ASSIGN_OR_RETURN(int64_t u, UserRow(account_id, user));
  IAM_ASSIGN_OR_RETURN(int64_t d, MfaRow(account_id, serial));
  IAM_ASSIGN_OR_RETURN(int64_t in_use,
                       CountId("SELECT count(*) FROM mfa_devices WHERE id = ? AND user_id IS NOT NULL", d));
  if (in_use) return AlreadyExists("MFA device is already in use.");
  IAM_ASSIGN_OR_RETURN(int64_t n, CountId("SELECT count(*) FROM mfa_devices WHERE user_id = ?", u));
  if (n >= quotas_.mfa_devices_per_user) {
    return LimitExceeded(QuotaMessage("MFADevicesPerUser", quotas_.mfa_devices_per_user));
  }
  Stmt q(db_, "UPDATE mfa_devices SET user_id = ?2, enable_date = ?3, last_step = CASE WHEN last_step > ?1 "
              "THEN last_step ELSE ?1 END WHERE id = ?4", totp_step, u, Now(), d);
  return q.Run();
}

Status SqlOps::DeactivateMfaDevice(std::string_view account_id, std::string_view user,
                                      std::string_view serial) {
  IAM_ASSIGN_OR_RETURN(int64_t u, UserRow(account_id, user));
  IAM_ASSIGN_OR_RETURN(int64_t d, MfaRow(account_id, serial));
  Stmt q(db_, "UPDATE mfa_devices SET user_id = NULL, enable_date = NULL WHERE id = ? AND user_id = ? "
              "RETURNING 1", d, u);
  IAM_ASSIGN_OR_RETURN(bool row, q.Step());
  if (!row) {
    return NoSuchEntity("MFA device " + std::string(serial) + " is not enabled for user " +
                        std::string(user) + ".");
  }
  return q.Run();
}

Status SqlOps::DeleteVirtualMfaDevice(std::string_view account_id, std::string_view serial) {
  IAM_ASSIGN_OR_RETURN(int64_t d, MfaRow(account_id, serial));
  IAM_ASSIGN_OR_RETURN(int64_t in_use,
                       CountId("SELECT count(*) FROM mfa_devices WHERE id = ? AND user_id IS NOT NULL", d));
  if (in_use) return DeleteConflict("MFA device is in use.");
  IAM_RETURN_IF_ERROR(DeleteTags(TaggableKind::kMfaDevice, d));
  Stmt q(db_, "DELETE FROM mfa_devices WHERE id = ?", d);
  return q.Run();
}

Result<std::vector<MfaDevice>> SqlOps::ListMfaDevices(std::string_view account_id, std::string_view user) {
  std::vector<int64_t> ids;
  if (user.empty()) {
    IAM_RETURN_IF_ERROR(RequireAccount(account_id));
    Stmt q(db_, "SELECT id FROM mfa_devices WHERE account_id = ? ORDER BY name", account_id);
    for (;;) {
      IAM_ASSIGN_OR_RETURN(bool r, q.Step());
      if (!r) break;
      ids.push_back(q.Int(0));
    }
  } else {
    IAM_ASSIGN_OR_RETURN(int64_t u, UserRow(account_id, user));
    Stmt q(db_, "SELECT id FROM mfa_devices WHERE user_id = ? ORDER BY name", u);
    for (;;) {
      IAM_ASSIGN_OR_RETURN(bool r, q.Step());
      if (!r) break;
      ids.push_back(q.Int(0));
    }
  }
  std::vector<MfaDevice> out;
  for (int64_t id : ids) {
    IAM_ASSIGN_OR_RETURN(MfaDevice d, ReadMfa(id));
    out.push_back(std::move(d));
  }
  return out;
}

Result<bool> SqlOps::AdvanceMfaStep(std::string_view account_id, std::string_view serial,
                                       int64_t totp_step) {
  IAM_ASSIGN_OR_RETURN(int64_t d, MfaRow(account_id, serial));
  UsageRecord usage(*this);
  Stmt q(db_, "UPDATE mfa_devices SET last_step = ? WHERE id = ? AND last_step < ? RETURNING 1",
         totp_step, d, totp_step);
  IAM_ASSIGN_OR_RETURN(bool row, q.Step());
  IAM_RETURN_IF_ERROR(q.Run());
  return row;
}

// ---- OIDC providers --------------------------------------------------------------

Result<OidcProvider> SqlOps::CreateOidcProvider(std::string_view account_id, const NewOidcProvider& p) {
  IAM_RETURN_IF_ERROR(ValidateOidcUrl(p.url));
  IAM_RETURN_IF_ERROR(ValidateOidcLists(p.client_ids, p.thumbprints, quotas_));
  IAM_RETURN_IF_ERROR(ValidateTags(p.tags, quotas_));
  IAM_RETURN_IF_ERROR(RequireAccount(account_id));
  std::string host = p.url.substr(8);
  while (!host.empty() && host.back() == '/') host.pop_back();
  std::string arn = "arn:aws:iam::" + std::string(account_id) + ":oidc-provider/" + host;
  IAM_ASSIGN_OR_RETURN(int64_t exists, Count("SELECT count(*) FROM oidc_providers WHERE arn = ?", arn));
  if (exists) return AlreadyExists("Provider with url " + p.url + " already exists.");
  IAM_ASSIGN_OR_RETURN(int64_t n, Count("SELECT count(*) FROM oidc_providers WHERE account_id = ?", account_id));
  if (n >= quotas_.oidc_providers_per_account) {
    return LimitExceeded(QuotaMessage("OpenIdConnectProvidersPerAccount", quotas_.oidc_providers_per_account));
  }
  Stmt ins(db_, "INSERT INTO oidc_providers (account_id, arn, url, client_ids, thumbprints, create_date) "
                "VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
           account_id, arn, p.url, Join(p.client_ids), Join(p.thumbprints), Now());
  IAM_ASSIGN_OR_RETURN(int64_t id, ins.InsertReturningId());
  IAM_RETURN_IF_ERROR(WriteTags(TaggableKind::kOidcProvider, id, p.tags));
  return GetOidcProvider(account_id, arn);
}

Result<OidcProvider> SqlOps::GetOidcProvider(std::string_view account_id, std::string_view arn) {
  OidcProvider p;
  int64_t id = 0;
  {
    Stmt q(db_, "SELECT id, arn, url, client_ids, thumbprints, create_date FROM oidc_providers "
                "WHERE account_id = ? AND arn = ?", account_id, arn);
    IAM_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) return NoSuchEntity("OpenIDConnect Provider not found for arn " + std::string(arn));
    id = q.Int(0);
    p = {std::string(account_id), q.Text(1), q.Text(2), Split(q.Text(3)), Split(q.Text(4)), q.Int(5), {}};
  }
  IAM_ASSIGN_OR_RETURN(p.tags, ReadTags(TaggableKind::kOidcProvider, id));
  return p;
}

Status SqlOps::UpdateOidcProvider(std::string_view account_id, std::string_view arn,
                                     std::optional<std::vector<std::string>> client_ids,
                                     std::optional<std::vector<std::string>> thumbprints) {
  IAM_ASSIGN_OR_RETURN(OidcProvider p, GetOidcProvider(account_id, arn));
  if (client_ids) p.client_ids = std::move(*client_ids);
  if (thumbprints) p.thumbprints = std::move(*thumbprints);
  IAM_RETURN_IF_ERROR(ValidateOidcLists(p.client_ids, p.thumbprints, quotas_));
  Stmt q(db_, "UPDATE oidc_providers SET client_ids = ?, thumbprints = ? WHERE account_id = ? AND arn = ?",
         Join(p.client_ids), Join(p.thumbprints), account_id, arn);
  return q.Run();
}

Status SqlOps::DeleteOidcProvider(std::string_view account_id, std::string_view arn) {
  IAM_ASSIGN_OR_RETURN(int64_t id, TagTargetRow(account_id, {TaggableKind::kOidcProvider, std::string(arn)}));
  IAM_RETURN_IF_ERROR(DeleteTags(TaggableKind::kOidcProvider, id));
  Stmt q(db_, "DELETE FROM oidc_providers WHERE id = ?", id);
  return q.Run();
}

Result<std::vector<OidcProvider>> SqlOps::ListOidcProviders(std::string_view account_id) {
  IAM_RETURN_IF_ERROR(RequireAccount(account_id));
  std::vector<std::string> arns;
  {
    Stmt q(db_, "SELECT arn FROM oidc_providers WHERE account_id = ? ORDER BY arn", account_id);
    for (;;) {
      IAM_ASSIGN_OR_RETURN(bool r, q.Step());
      if (!r) break;
      arns.push_back(q.Text(0));
    }
  }
  std::vector<OidcProvider> out;
  for (const std::string& arn : arns) {
    IAM_ASSIGN_OR_RETURN(OidcProvider p, GetOidcProvider(account_id, arn));
    out.push_back(std::move(p));
  }
  return out;
}

// ---- SAML providers ----------------------------------------------------------------

Result<SamlProvider> SqlOps::CreateSamlProvider(std::string_view account_id, const NewSamlProvider& p) {
  IAM_RETURN_IF_ERROR(ValidateName(p.name, "name", kSamlNameMax, NamePattern::kSaml));
  IAM_RETURN_IF_ERROR(ValidateDocument(p.metadata_document, "sAMLMetadataDocument"));
  IAM_RETURN_IF_ERROR(ValidateTags(p.tags, quotas_));
  IAM_RETURN_IF_ERROR(RequireAccount(account_id));
  std::string arn = Arn(account_id, "saml-provider", "/", p.name);
  Stmt has(db_, "SELECT 1 FROM saml_providers WHERE account_id = ? AND name = ?", account_id, p.name);
  IAM_ASSIGN_OR_RETURN(bool exists, has.Step());
  if (exists) return AlreadyExists("SAMLProvider " + p.name + " already exists.");
  IAM_ASSIGN_OR_RETURN(int64_t n, Count("SELECT count(*) FROM saml_providers WHERE account_id = ?", account_id));
  if (n >= quotas_.saml_providers_per_account) {
    return LimitExceeded(QuotaMessage("SAMLProvidersPerAccount", quotas_.saml_providers_per_account));
  }
  Stmt ins(db_, "INSERT INTO saml_providers (account_id, name, arn, metadata, create_date, valid_until) "
                "VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
           account_id, p.name, arn, p.metadata_document, Now(), p.valid_until);
  IAM_ASSIGN_OR_RETURN(int64_t id, ins.InsertReturningId());
  IAM_RETURN_IF_ERROR(WriteTags(TaggableKind::kSamlProvider, id, p.tags));
  return GetSamlProvider(account_id, arn);
}

Result<SamlProvider> SqlOps::GetSamlProvider(std::string_view account_id, std::string_view arn) {
  SamlProvider p;
  int64_t id = 0;
  {
    Stmt q(db_, "SELECT id, arn, name, metadata, create_date, valid_until FROM saml_providers "
                "WHERE account_id = ? AND arn = ?", account_id, arn);
    IAM_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) return NoSuchEntity("SAMLProvider not found for arn " + std::string(arn));
    id = q.Int(0);
    p = {std::string(account_id), q.Text(1), q.Text(2), q.Text(3), q.Int(4), q.OptInt(5), {}};
  }
  IAM_ASSIGN_OR_RETURN(p.tags, ReadTags(TaggableKind::kSamlProvider, id));
  return p;
}

Status SqlOps::UpdateSamlProvider(std::string_view account_id, std::string_view arn,
                                     std::string_view metadata_document) {
  IAM_RETURN_IF_ERROR(ValidateDocument(metadata_document, "sAMLMetadataDocument"));
  IAM_ASSIGN_OR_RETURN(int64_t id, TagTargetRow(account_id, {TaggableKind::kSamlProvider, std::string(arn)}));
  Stmt q(db_, "UPDATE saml_providers SET metadata = ? WHERE id = ?", metadata_document, id);
  return q.Run();
}

Status SqlOps::DeleteSamlProvider(std::string_view account_id, std::string_view arn) {
  IAM_ASSIGN_OR_RETURN(int64_t id, TagTargetRow(account_id, {TaggableKind::kSamlProvider, std::string(arn)}));
  IAM_RETURN_IF_ERROR(DeleteTags(TaggableKind::kSamlProvider, id));
  Stmt q(db_, "DELETE FROM saml_providers WHERE id = ?", id);
  return q.Run();
}

Result<std::vector<SamlProvider>> SqlOps::ListSamlProviders(std::string_view account_id) {
  IAM_RETURN_IF_ERROR(RequireAccount(account_id));
  std::vector<std::string> arns;
  {
    Stmt q(db_, "SELECT arn FROM saml_providers WHERE account_id = ? ORDER BY name", account_id);
    for (;;) {
      IAM_ASSIGN_OR_RETURN(bool r, q.Step());
      if (!r) break;
      arns.push_back(q.Text(0));
    }
  }
  std::vector<SamlProvider> out;
  for (const std::string& arn : arns) {
    IAM_ASSIGN_OR_RETURN(SamlProvider p, GetSamlProvider(account_id, arn));
    out.push_back(std::move(p));
  }
  return out;
}

// ---- Account root access keys ----------------------------------------------------

Status SqlOps::AddRootAccessKey(const RootAccessKey& k) {
  IAM_RETURN_IF_ERROR(RequireAccount(k.account_id));
  if (k.sealed_secret.empty()) return InvalidInput("A root access key needs a sealed secret.");
  IAM_ASSIGN_OR_RETURN(int64_t n,
                       Count("SELECT count(*) FROM root_access_keys WHERE access_key_id = ?", k.access_key_id));
  if (n > 0) return AlreadyExists("The root access key " + k.access_key_id + " already exists.");
  return Stmt(db_, "INSERT INTO root_access_keys VALUES (?, ?, ?, ?, ?)", k.access_key_id, k.account_id, k.active,
              k.create_date, Blob{k.sealed_secret}).Run();
}

Result<RootAccessKey> SqlOps::GetRootAccessKey(std::string_view access_key_id) {
  Stmt q(db_, "SELECT account_id, active, create_date, sealed_secret FROM root_access_keys "
              "WHERE access_key_id = ?", access_key_id);
  IAM_ASSIGN_OR_RETURN(bool row, q.Step());
  if (!row) return NoSuchEntity("The root access key " + std::string(access_key_id) + " cannot be found.");
  return RootAccessKey{std::string(access_key_id), q.Text(0), q.Int(1) != 0, q.Int(2), q.Text(3)};
}

}  // namespace iam::store::sql
