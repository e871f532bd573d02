// The SQLite backend: one database file (WAL, synchronous=FULL, foreign
// keys), a pool of connections so readers run in parallel, writers
// serialized in-process by a mutex and across processes by BEGIN IMMEDIATE
// with a busy timeout.
#pragma once

#include <memory>
#include <string>

#include "iamd/status.h"
#include "store/clock.h"
#include "store/quotas.h"
#include "store/store.h"

namespace iam::store::sqlite {

struct SqliteOptions {
  std::string path;  // file path or ":memory:"
  Quotas quotas;
  std::shared_ptr<const Clock> clock;
  int max_connections = 8;  // 1 for ":memory:" (each connection is its own database)
  int busy_timeout_ms = 5000;
};

// OpenSqliteStore opens or creates the database and applies migrations.
// kServiceFailure if the file cannot be opened; kInternal if its schema is
// newer than this build.
Result<std::unique_ptr<Store>> OpenSqliteStore(const SqliteOptions& options, std::string master_key);

}  // namespace iam::store::sqlite
