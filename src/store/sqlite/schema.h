// Versioned schema of the SQLite backend, applied at open.
#pragma once

#include "iamd/status.h"
#include "store/sqlite/db.h"

namespace iam::store::sqlite {

// The schema version this build writes.
inline constexpr int kSchemaVersion = 2;

// Migrate brings the database to kSchemaVersion inside one immediate
// transaction, so concurrent openers apply each migration once. Returns
// kInternal if the database is from a newer iamd.
Status Migrate(Db& db);

}  // namespace iam::store::sqlite
