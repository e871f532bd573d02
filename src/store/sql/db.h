// The SQL layer the store's operations (SqlOps) are written against: one
// connection (Db) of a backend, and one execution of a statement (Stmt).
// The SQLite and PostgreSQL backends implement Db and Cursor; the SQL text
// is written in the dialect both accept, with `?` or `?N` placeholders.
// Not thread-safe: one thread uses a Db at a time (the backends' pools
// guarantee it).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "iamd/status.h"

namespace iam::store::sql {

// Bytes bound as a BLOB (bytea) rather than TEXT.
struct Blob {
  std::string_view bytes;
};

// One execution of one statement, implemented by a backend. Parameters are
// numbered from 1; columns from 0. Errors from binding are kept and returned
// by the first Step().
class Cursor {
 public:
  virtual ~Cursor() = default;
  virtual void BindText(int index, std::string_view v) = 0;
  virtual void BindInt(int index, int64_t v) = 0;
  virtual void BindNull(int index) = 0;
  virtual void BindBlob(int index, std::string_view v) = 0;
  // Step advances to the next row: true if there is one, false when done.
  virtual Result<bool> Step() = 0;
  virtual int64_t Int(int col) const = 0;
  // Text or blob bytes of a column; "" for NULL.
  virtual std::string Text(int col) const = 0;
  virtual bool IsNull(int col) const = 0;
};

class Db {
 public:
  virtual ~Db() = default;
  // Exec runs one or more statements without parameters or results.
  virtual Status Exec(const char* sql) = 0;
  // Rows inserted, updated or deleted on this connection so far.
  virtual int64_t TotalChanges() const = 0;
  // A cursor for `sql`, which must be a string literal (backends cache the
  // prepared statement keyed on it). Never null; preparation errors come
  // back from Step().
  virtual std::unique_ptr<Cursor> NewCursor(const char* sql) = 0;
};

// One execution of a statement: bind values in order, then Step() through
// rows or Run().
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
  Stmt(Db& db, const char* sql) : cursor_(db.NewCursor(sql)) {}
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  Stmt& Bind(std::string_view v) { cursor_->BindText(next_++, v); return *this; }
  Stmt& Bind(const std::string& v) { return Bind(std::string_view(v)); }
  Stmt& Bind(const char* v) { return Bind(std::string_view(v)); }
  Stmt& Bind(int64_t v) { cursor_->BindInt(next_++, v); return *this; }
  Stmt& Bind(int v) { return Bind(static_cast<int64_t>(v)); }
  Stmt& Bind(uint32_t v) { return Bind(static_cast<int64_t>(v)); }
  Stmt& Bind(bool v) { return Bind(static_cast<int64_t>(v ? 1 : 0)); }
  Stmt& Bind(std::nullptr_t) { cursor_->BindNull(next_++); return *this; }
  Stmt& Bind(Blob v) { cursor_->BindBlob(next_++, v.bytes); return *this; }
  template <typename T>
  Stmt& Bind(const std::optional<T>& v) {
    return v ? Bind(*v) : Bind(nullptr);
  }

  Result<bool> Step() { return cursor_->Step(); }
  // Run steps to the end, for statements without rows.
  Status Run();
  // For an "INSERT ... RETURNING id": runs it and returns the new row's id.
  Result<int64_t> InsertReturningId();

  int64_t Int(int col) const { return cursor_->Int(col); }
  std::string Text(int col) const { return cursor_->Text(col); }
  bool IsNull(int col) const { return cursor_->IsNull(col); }
  std::optional<int64_t> OptInt(int col) const;

 private:
  std::unique_ptr<Cursor> cursor_;
  int next_ = 1;
};

}  // namespace iam::store::sql
