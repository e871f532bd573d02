// The PostgreSQL backend: several iamd nodes on one database. Opened through
// OpenStore (open_store.h) with a postgres:// URL; this header is internal.
//
// Transactions: a write transaction runs at READ COMMITTED holding one
// transaction-scoped advisory lock taken first, so writers (on every node)
// run one at a time, as SQLite's do; each reads the latest committed data,
// so counts checked against quotas, uniqueness checks and read-modify-write
// updates cannot interleave (every write also bumps the one generation row,
// so finer locks would still meet there). UNIQUE constraints back the
// uniqueness checks (kEntityAlreadyExists). Read transactions see one
// REPEATABLE READ snapshot and take no lock. A transaction that fails with a
// serialization failure or deadlock (40001, 40P01), or whose pooled
// connection turns out dead before anything ran, is retried from the start:
// `fn` must be re-runnable, as Transact's contract already requires of a
// callback that may be rolled back.
//
// Connection loss fails the call with kServiceFailure; the broken connection
// leaves the pool and the next call connects afresh.
#pragma once

#include <memory>
#include <string>

#include "iamd/status.h"
#include "store/clock.h"
#include "store/quotas.h"
#include "store/store.h"

namespace iam::store::postgres {

struct PostgresOptions {
  std::string url{};  // a libpq URI: postgres://user@host:port/db?options
  Quotas quotas{};
  std::shared_ptr<const Clock> clock{};
  int max_connections = 8;
};

// Connects, applies migrations (see schema.h) and reads the generation.
// kServiceFailure if the server cannot be reached, kInternal if the schema
// is newer than this build.
Result<std::unique_ptr<Store>> OpenPostgresStore(const PostgresOptions& options, std::string master_key);

}  // namespace iam::store::postgres
