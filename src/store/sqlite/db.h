// A thin RAII layer over one sqlite3 connection: cached prepared statements,
// typed binding and columns, and SQLite result codes mapped to iam::Status.
// Internal to the SQLite backend. Not thread-safe: one thread uses a Db at a
// time (the pool in sqlite_store.cc guarantees it).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "iamd/status.h"

struct sqlite3;
struct sqlite3_stmt;

namespace iam::store::sqlite {

// Bytes bound as a BLOB rather than TEXT.
struct Blob {
  std::string_view bytes;
};

// StatusFromSqlite maps an SQLite result code: BUSY/LOCKED become
// kConcurrentModification, I/O and full-disk kServiceFailure, the rest kInternal.
Status StatusFromSqlite(int rc, std::string_view what, sqlite3* db);

class Db {
 public:
  // Open opens (creating if needed) `path` (":memory:" allowed) and applies
  // the connection settings: WAL for files, synchronous=FULL, foreign keys,
  // busy timeout. kServiceFailure if the file cannot be opened.
  static Result<std::unique_ptr<Db>> Open(const std::string& path, int busy_timeout_ms);
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  // Exec runs one or more statements without results.
  Status Exec(const char* sql);
  int64_t TotalChanges() const;
  sqlite3* handle() const { return db_; }

 private:
  friend class Stmt;
  explicit Db(sqlite3* db) : db_(db) {}
  struct Cached {
    sqlite3_stmt* stmt = nullptr;
    bool in_use = false;
  };
  sqlite3* db_;
  std::unordered_map<std::string_view, Cached> cache_;  // keys point at SQL literals
};

// One execution of a statement. SQL must be a string literal (the cache keys
// on its text). Bind values in order, then Step() through rows or Run().
//
//   Stmt q(db, "SELECT id FROM users WHERE account_id = ? AND name = ?", acct, name);
//   IAM_ASSIGN_OR_RETURN(bool row, q.Step());
//   if (row) id = q.Int(0);
class Stmt {
 public:
  template <typename... Args>
  Stmt(Db& db, const char* sql, const Args&... args) : Stmt(db, sql) {
    (Bind(args), ...);
  }
  Stmt(Db& db, const char* sql);
  ~Stmt();
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  Stmt& Bind(std::string_view v);
  Stmt& Bind(const std::string& v) { return Bind(std::string_view(v)); }
  Stmt& Bind(const char* v) { return Bind(std::string_view(v)); }
  Stmt& Bind(int64_t v);
  Stmt& Bind(int v) { return Bind(static_cast<int64_t>(v)); }
  Stmt& Bind(uint32_t v) { return Bind(static_cast<int64_t>(v)); }
  Stmt& Bind(bool v) { return Bind(static_cast<int64_t>(v ? 1 : 0)); }
  Stmt& Bind(std::nullptr_t);
  Stmt& Bind(Blob v);
  template <typename T>
  Stmt& Bind(const std::optional<T>& v) {
    return v ? Bind(*v) : Bind(nullptr);
  }

  // Step advances to the next row: true if there is one, false when done.
  Result<bool> Step();
  // Run steps to the end, for statements without rows.
  Status Run();
  // For an "INSERT ... RETURNING id": runs it and returns the new row's id.
  Result<int64_t> InsertReturningId();

  int64_t Int(int col) const;
  std::string Text(int col) const;
  bool IsNull(int col) const;
  std::optional<int64_t> OptInt(int col) const;

 private:
  Db& db_;
  sqlite3_stmt* stmt_ = nullptr;
  bool owned_ = false;  // prepared just for this use (cached one was busy)
  Db::Cached* cached_ = nullptr;
  int next_ = 1;
  Status error_;
};

}  // namespace iam::store::sqlite
