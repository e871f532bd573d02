// Versioned schema of the PostgreSQL backend, applied at open.
#pragma once

#include "iamd/status.h"
#include "store/postgres/pg_db.h"

namespace iam::store::postgres {

// The schema version this build writes.
inline constexpr int kSchemaVersion = 2;

// Migrate brings the database to kSchemaVersion. It holds a session
// advisory lock while it looks and applies, and applies each migration in
// its own transaction, so nodes starting at once apply each one exactly
// once. Returns kInternal if the database is from a newer iamd.
Status Migrate(PgDb& db);

}  // namespace iam::store::postgres
