#include "store/sqlite/db.h"

#include <sqlite3.h>

#include "common/status_macros.h"

namespace iam::store::sqlite {

Status StatusFromSqlite(int rc, std::string_view what, sqlite3* db) {
  std::string msg = std::string(what) + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Status(StatusCode::kConcurrentModification, std::move(msg));
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_NOMEM:
    case SQLITE_PROTOCOL:
      return ServiceFailure(std::move(msg));
    default:
      return Internal(std::move(msg));
  }
}

Result<std::unique_ptr<Db>> Db::Open(const std::string& path, int busy_timeout_ms) {
  // SQLite's memory statistics (on by default) put every allocation of every
  // connection under one global mutex; iamd never reads them. Only possible
  // before SQLite initializes: later calls fail harmlessly (SQLITE_MISUSE).
  static const bool configured = [] {
    (void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    return true;
  }();
  (void)configured;
  sqlite3* raw = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  std::unique_ptr<Db> db(new Db(raw));  // Owns raw even on failure.
  if (rc != SQLITE_OK) {
    return ServiceFailure("cannot open database " + path + ": " +
                          (raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc)));
  }
  sqlite3_extended_result_codes(raw, 1);
  sqlite3_busy_timeout(raw, busy_timeout_ms);
  if (path != ":memory:") {
    Stmt wal(*db, "PRAGMA journal_mode=WAL");
    Result<bool> row = wal.Step();
    if (!row.ok()) return row.status();
    if (!*row || wal.Text(0) != "wal") return ServiceFailure("cannot enable WAL mode on " + path);
  }
  Status s = db->Exec("PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;");
  if (!s.ok()) return s;
  return db;
}

Db::~Db() {
  for (auto& [sql, c] : cache_) sqlite3_finalize(c.stmt);
  sqlite3_close_v2(db_);
}

Status Db::Exec(const char* sql) {
  char* err = nullptr;
  int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &err);
  if (rc == SQLITE_OK) return Status();
  Status s = StatusFromSqlite(rc, std::string("exec failed (") + (err ? err : "") + ")", nullptr);
  sqlite3_free(err);
  return s;
}

int64_t Db::TotalChanges() const { return sqlite3_total_changes64(db_); }

namespace {

class SqliteCursor final : public sql::Cursor {
 public:
  SqliteCursor(sqlite3* db, Db::Cached& c, const char* sql) : db_(db) {
    if (c.stmt != nullptr && !c.in_use) {
      stmt_ = c.stmt;
      cached_ = &c;
    } else {
      int rc = sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr);
      if (rc != SQLITE_OK) {
        error_ = StatusFromSqlite(rc, std::string("prepare failed for ") + sql, db);
        sqlite3_finalize(stmt_);
        stmt_ = nullptr;
        return;
      }
      if (c.stmt == nullptr) {
        c.stmt = stmt_;
        cached_ = &c;
      } else {
        owned_ = true;  // The cached copy is in use further up the stack.
      }
    }
    if (cached_) cached_->in_use = true;
  }

  ~SqliteCursor() override {
    if (stmt_ == nullptr) return;
    if (owned_) {
      sqlite3_finalize(stmt_);
      return;
    }
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    cached_->in_use = false;
  }

  void BindText(int i, std::string_view v) override {
    if (Ready()) Check(sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT));
  }
  void BindInt(int i, int64_t v) override {
    if (Ready()) Check(sqlite3_bind_int64(stmt_, i, v));
  }
  void BindNull(int i) override {
    if (Ready()) Check(sqlite3_bind_null(stmt_, i));
  }
  void BindBlob(int i, std::string_view v) override {
    if (Ready()) Check(sqlite3_bind_blob(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT));
  }

  Result<bool> Step() override {
    if (!error_.ok()) return error_;
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    error_ = StatusFromSqlite(rc, "step", db_);
    return error_;
  }

  int64_t Int(int col) const override { return sqlite3_column_int64(stmt_, col); }

  std::string Text(int col) const override {
    const void* p = sqlite3_column_blob(stmt_, col);
    int n = sqlite3_column_bytes(stmt_, col);
    return p ? std::string(static_cast<const char*>(p), n) : std::string();
  }

  bool IsNull(int col) const override { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }

 private:
  bool Ready() const { return stmt_ != nullptr && error_.ok(); }
  void Check(int rc) {
    if (rc != SQLITE_OK) error_ = StatusFromSqlite(rc, "bind", db_);
  }

  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
  bool owned_ = false;  // prepared just for this use (cached one was busy)
  Db::Cached* cached_ = nullptr;
  Status error_;
};

}  // namespace

std::unique_ptr<sql::Cursor> Db::NewCursor(const char* sql) {
  return std::make_unique<SqliteCursor>(db_, cache_[std::string_view(sql)], sql);
}

}  // namespace iam::store::sqlite
