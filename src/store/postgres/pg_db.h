// sql::Db on one libpq connection: statements prepared once per connection
// (keyed on their SQL literal, with `?`/`?N` rewritten to `$N`), text
// results, and SQLSTATEs mapped to iam::Status. Internal to the PostgreSQL
// backend. Not thread-safe: one thread uses a PgDb at a time (the pool in
// postgres_store.cc guarantees it).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "iamd/status.h"
#include "store/sql/db.h"

typedef struct pg_conn PGconn;
typedef struct pg_result PGresult;

namespace iam::store::postgres {

using sql::Blob;
using sql::Stmt;

// ToDollarParams rewrites SQLite-style placeholders as PostgreSQL's: `?N`
// becomes `$N`, and a bare `?` takes one more than the largest number so far
// (SQLite's rule). Quoted text is left alone.
std::string ToDollarParams(std::string_view sql);

class PgDb final : public sql::Db {
 public:
  // Connect opens a connection to `url` (a libpq URI). kServiceFailure if
  // the server cannot be reached.
  static Result<std::unique_ptr<PgDb>> Connect(const std::string& url);
  ~PgDb() override;
  PgDb(const PgDb&) = delete;
  PgDb& operator=(const PgDb&) = delete;

  Status Exec(const char* sql) override;
  int64_t TotalChanges() const override { return changes_; }
  std::unique_ptr<sql::Cursor> NewCursor(const char* sql) override;

  // False once the connection is lost; the pool then drops it.
  bool healthy() const;
  // True if a statement failed with a serialization failure or deadlock
  // (40001, 40P01) since the last ClearRetryable(): the transaction may be
  // retried from the start.
  bool retryable() const { return retryable_; }
  void ClearRetryable() { retryable_ = false; }
  PGconn* handle() const { return conn_; }

  // Status for a failed result (or, with res null, the connection's error).
  // Notes serialization failures in retryable().
  Status StatusFrom(PGresult* res, std::string_view what);
  // Runs a prepared statement (preparing it on first use on this connection)
  // and counts the rows an INSERT/UPDATE/DELETE changed.
  Result<PGresult*> Execute(const char* sql, int n, const unsigned* types, const char* const* values,
                            const int* lengths, const int* formats);

 private:
  explicit PgDb(PGconn* conn) : conn_(conn) {}
  PGconn* conn_;
  std::unordered_map<const char*, std::string> prepared_;  // SQL literal -> statement name
  int64_t changes_ = 0;
  bool retryable_ = false;
};

}  // namespace iam::store::postgres
