#include "store/sqlite/schema.h"

#include "common/status_macros.h"

namespace iam::store::sqlite {
namespace {

// Migration N brings version N-1 to N. Never edit a released entry; append.
// Principal kinds in inline_policies/attachments: 0 user, 1 group, 2 role
// (PrincipalKind). Tag kinds follow TaggableKind. Names use NOCASE because
// AWS names are ASCII and unique case-insensitively.
constexpr const char* kMigrations[] = {
    // 1: everything IAM keeps.
    R"sql(
CREATE TABLE meta (id INTEGER PRIMARY KEY CHECK (id = 1), generation INTEGER NOT NULL);
INSERT INTO meta VALUES (1, 0);
CREATE TABLE accounts (
  account_id TEXT PRIMARY KEY,
  alias TEXT UNIQUE,
  create_date INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO accounts VALUES ('aws', NULL, 0);
CREATE TABLE password_policies (
  account_id TEXT PRIMARY KEY REFERENCES accounts,
  min_length INTEGER NOT NULL, require_symbols INTEGER NOT NULL,
  require_numbers INTEGER NOT NULL, require_upper INTEGER NOT NULL,
  require_lower INTEGER NOT NULL, allow_change INTEGER NOT NULL,
  max_age INTEGER, reuse_prevention INTEGER, hard_expiry INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE policies (
  id INTEGER PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts,
  name TEXT NOT NULL COLLATE NOCASE,
  path TEXT NOT NULL,
  unique_id TEXT NOT NULL UNIQUE,
  description TEXT NOT NULL,
  default_version INTEGER NOT NULL,
  next_version INTEGER NOT NULL,
  create_date INTEGER NOT NULL,
  update_date INTEGER NOT NULL,
  UNIQUE (account_id, name)
);
CREATE TABLE policy_versions (
  policy_id INTEGER NOT NULL REFERENCES policies ON DELETE CASCADE,
  version INTEGER NOT NULL,
  document TEXT NOT NULL,
  create_date INTEGER NOT NULL,
  PRIMARY KEY (policy_id, version)
) WITHOUT ROWID;
CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts,
  name TEXT NOT NULL COLLATE NOCASE,
  path TEXT NOT NULL,
  unique_id TEXT NOT NULL UNIQUE,
  create_date INTEGER NOT NULL,
  password_last_used INTEGER,
  boundary_id INTEGER REFERENCES policies,
  UNIQUE (account_id, name)
);
CREATE INDEX users_by_boundary ON users (boundary_id) WHERE boundary_id IS NOT NULL;
CREATE TABLE iam_groups (
  id INTEGER PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts,
  name TEXT NOT NULL COLLATE NOCASE,
  path TEXT NOT NULL,
  unique_id TEXT NOT NULL UNIQUE,
  create_date INTEGER NOT NULL,
  UNIQUE (account_id, name)
);
CREATE TABLE group_members (
  group_id INTEGER NOT NULL REFERENCES iam_groups,
  user_id INTEGER NOT NULL REFERENCES users,
  PRIMARY KEY (group_id, user_id)
) WITHOUT ROWID;
CREATE INDEX group_members_by_user ON group_members (user_id, group_id);
CREATE TABLE roles (
  id INTEGER PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts,
  name TEXT NOT NULL COLLATE NOCASE,
  path TEXT NOT NULL,
  unique_id TEXT NOT NULL UNIQUE,
  create_date INTEGER NOT NULL,
  trust_policy TEXT NOT NULL,
  description TEXT NOT NULL,
  max_session INTEGER NOT NULL,
  boundary_id INTEGER REFERENCES policies,
  last_used_date INTEGER,
  last_used_region TEXT,
  UNIQUE (account_id, name)
);
CREATE INDEX roles_by_boundary ON roles (boundary_id) WHERE boundary_id IS NOT NULL;
CREATE TABLE instance_profiles (
  id INTEGER PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts,
  name TEXT NOT NULL COLLATE NOCASE,
  path TEXT NOT NULL,
  unique_id TEXT NOT NULL UNIQUE,
  create_date INTEGER NOT NULL,
  UNIQUE (account_id, name)
);
CREATE TABLE instance_profile_roles (
  profile_id INTEGER NOT NULL REFERENCES instance_profiles,
  role_id INTEGER NOT NULL REFERENCES roles,
  PRIMARY KEY (profile_id, role_id)
) WITHOUT ROWID;
CREATE INDEX instance_profile_roles_by_role ON instance_profile_roles (role_id);
CREATE TABLE inline_policies (
  principal_kind INTEGER NOT NULL,
  principal_id INTEGER NOT NULL,
  name TEXT NOT NULL COLLATE NOCASE,
  document TEXT NOT NULL,
  PRIMARY KEY (principal_kind, principal_id, name)
) WITHOUT ROWID;
CREATE TABLE attachments (
  principal_kind INTEGER NOT NULL,
  principal_id INTEGER NOT NULL,
  policy_id INTEGER NOT NULL REFERENCES policies,
  PRIMARY KEY (principal_kind, principal_id, policy_id)
) WITHOUT ROWID;
CREATE INDEX attachments_by_policy ON attachments (policy_id);
CREATE TABLE tags (
  kind INTEGER NOT NULL,
  entity_id INTEGER NOT NULL,
  key TEXT NOT NULL COLLATE NOCASE,
  value TEXT NOT NULL,
  PRIMARY KEY (kind, entity_id, key)
) WITHOUT ROWID;
CREATE TABLE access_keys (
  access_key_id TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users,
  active INTEGER NOT NULL,
  create_date INTEGER NOT NULL,
  sealed_secret BLOB NOT NULL,
  last_used_date INTEGER,
  last_used_service TEXT,
  last_used_region TEXT
) WITHOUT ROWID;
CREATE INDEX access_keys_by_user ON access_keys (user_id);
CREATE TABLE login_profiles (
  user_id INTEGER PRIMARY KEY REFERENCES users,
  password_hash TEXT NOT NULL,
  reset_required INTEGER NOT NULL,
  create_date INTEGER NOT NULL
);
CREATE TABLE mfa_devices (
  id INTEGER PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts,
  name TEXT NOT NULL COLLATE NOCASE,
  path TEXT NOT NULL,
  sealed_seed BLOB NOT NULL,
  user_id INTEGER REFERENCES users,
  enable_date INTEGER,
  create_date INTEGER NOT NULL,
  last_step INTEGER NOT NULL,
  UNIQUE (account_id, name)
);
CREATE INDEX mfa_devices_by_user ON mfa_devices (user_id) WHERE user_id IS NOT NULL;
CREATE TABLE oidc_providers (
  id INTEGER PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts,
  arn TEXT NOT NULL UNIQUE,
  url TEXT NOT NULL,
  client_ids TEXT NOT NULL,
  thumbprints TEXT NOT NULL,
  create_date INTEGER NOT NULL
);
CREATE TABLE saml_providers (
  id INTEGER PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts,
  name TEXT NOT NULL COLLATE NOCASE,
  arn TEXT NOT NULL UNIQUE,
  metadata TEXT NOT NULL,
  create_date INTEGER NOT NULL,
  valid_until INTEGER,
  UNIQUE (account_id, name)
);
CREATE TABLE key_ring (
  key_id INTEGER PRIMARY KEY,
  wrapped BLOB NOT NULL,
  is_current INTEGER NOT NULL,
  create_date INTEGER NOT NULL
);
)sql",
    // 2: account root access keys (before, a root_keys file beside the database).
    R"sql(
CREATE TABLE root_access_keys (
  access_key_id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts,
  active INTEGER NOT NULL,
  create_date INTEGER NOT NULL,
  sealed_secret BLOB NOT NULL
) WITHOUT ROWID;
)sql",
};

}  // namespace

Status Migrate(Db& db) {
  IAM_RETURN_IF_ERROR(db.Exec("BEGIN IMMEDIATE"));
  auto fail = [&](Status s) {
    (void)db.Exec("ROLLBACK");
    return s;
  };
  Status s = db.Exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
  if (!s.ok()) return fail(s);
  int version = 0;
  {
    Stmt q(db, "SELECT max(version) FROM schema_version");
    Result<bool> row = q.Step();
    if (!row.ok()) return fail(row.status());
    if (*row && !q.IsNull(0)) version = static_cast<int>(q.Int(0));
  }
  if (version > kSchemaVersion) {
    return fail(Internal("database schema version " + std::to_string(version) +
                         " is newer than this iamd (" + std::to_string(kSchemaVersion) + ")"));
  }
  for (int v = version + 1; v <= kSchemaVersion; ++v) {
    s = db.Exec(kMigrations[v - 1]);
    if (!s.ok()) return fail(s);
    Stmt ins(db, "INSERT INTO schema_version VALUES (?)", v);
    s = ins.Run();
    if (!s.ok()) return fail(s);
  }
  s = db.Exec("COMMIT");
  if (!s.ok()) return fail(s);
  return Status();
}

}  // namespace iam::store::sqlite
