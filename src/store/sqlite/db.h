// sql::Db on one sqlite3 connection: cached prepared statements and SQLite
// result codes mapped to iam::Status. Internal to the SQLite backend. Not
// thread-safe: one thread uses a Db at a time (the pool in sqlite_store.cc
// guarantees it).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "iamd/status.h"
#include "store/sql/db.h"

struct sqlite3;
struct sqlite3_stmt;

namespace iam::store::sqlite {

using sql::Blob;
using sql::Stmt;

// StatusFromSqlite maps an SQLite result code: BUSY/LOCKED become
// kConcurrentModification, I/O and full-disk kServiceFailure, the rest kInternal.
Status StatusFromSqlite(int rc, std::string_view what, sqlite3* db);

class Db final : public sql::Db {
 public:
  // Open opens (creating if needed) `path` (":memory:" allowed) and applies
  // the connection settings: WAL for files, synchronous=FULL, foreign keys,
  // busy timeout. kServiceFailure if the file cannot be opened.
  static Result<std::unique_ptr<Db>> Open(const std::string& path, int busy_timeout_ms);
  ~Db() override;
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  Status Exec(const char* sql) override;
  int64_t TotalChanges() const override;
  std::unique_ptr<sql::Cursor> NewCursor(const char* sql) override;
  sqlite3* handle() const { return db_; }

  struct Cached {
    sqlite3_stmt* stmt = nullptr;
    bool in_use = false;
  };

 private:
  explicit Db(sqlite3* db) : db_(db) {}
  sqlite3* db_;
  std::unordered_map<std::string_view, Cached> cache_;  // keys point at SQL literals
};

}  // namespace iam::store::sqlite
