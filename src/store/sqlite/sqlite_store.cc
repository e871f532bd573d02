#include "store/sqlite/sqlite_store.h"

#include <sqlite3.h>

#include <atomic>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <vector>

#include "common/status_macros.h"
#include "store/sqlite/db.h"
#include "store/sql/backend.h"
#include "store/sql/ops.h"
#include "store/sqlite/schema.h"

namespace iam::store::sqlite {
namespace {

class SqliteStore final : public Store {
 public:
  SqliteStore(SqliteOptions options, std::string master_key)
      : Store(std::move(master_key)), options_(std::move(options)) {}

  ~SqliteStore() override = default;

  Status Init() {
    if (options_.path == ":memory:") options_.max_connections = 1;
    if (options_.max_connections < 1) options_.max_connections = 1;
    IAM_ASSIGN_OR_RETURN(std::unique_ptr<Db> db, Db::Open(options_.path, options_.busy_timeout_ms));
    IAM_RETURN_IF_ERROR(Migrate(*db));
    pool_ = std::make_unique<sql::Pool<Db>>(options_.max_connections, [this] {
      return Db::Open(options_.path, options_.busy_timeout_ms);
    });
    pool_->Add(std::move(db));
    return RefreshGeneration().status();
  }

  Status Transact(TxnMode mode, const std::function<Status(StoreOps&)>& fn) override {
    IAM_ASSIGN_OR_RETURN(std::unique_ptr<Db> db, pool_->Acquire());
    Status s;
    if (mode == TxnMode::kWrite) {
      std::lock_guard<std::mutex> lock(write_mu_);
      s = RunTxn(*db, mode, fn);
    } else {
      s = RunTxn(*db, mode, fn);
    }
    pool_->Release(std::move(db));
    return s;
  }

  int64_t Generation() const override { return generation_.Get(); }

  Result<int64_t> RefreshGeneration() override {
    int64_t g = 0;
    IAM_RETURN_IF_ERROR(Transact(TxnMode::kRead, [&](StoreOps& ops) -> Status {
      Stmt q(static_cast<sql::SqlOps&>(ops).db(), "SELECT generation FROM meta");
      IAM_ASSIGN_OR_RETURN(bool row, q.Step());
      if (!row) return Internal("meta row missing");
      g = q.Int(0);
      return Status();
    }));
    Publish(g);
    return g;
  }

  Status CheckIntegrity() override {
    return Transact(TxnMode::kRead, [&](StoreOps& ops) -> Status {
      sql::Db& db = static_cast<sql::SqlOps&>(ops).db();
      std::string findings;
      {
        Stmt q(db, "PRAGMA integrity_check");
        for (;;) {
          IAM_ASSIGN_OR_RETURN(bool row, q.Step());
          if (!row) break;
          if (q.Text(0) != "ok") findings += q.Text(0) + "\n";
        }
      }
      {
        Stmt q(db, "PRAGMA foreign_key_check");
        for (;;) {
          IAM_ASSIGN_OR_RETURN(bool row, q.Step());
          if (!row) break;
          findings += "foreign key violation in " + q.Text(0) + " row " + q.Text(1) + "\n";
        }
      }
      if (!findings.empty()) return Internal("integrity check failed:\n" + findings);
      return Status();
    });
  }

 private:
  Status RunTxn(Db& db, TxnMode mode, const std::function<Status(StoreOps&)>& fn) {
    {
      // Cached statements: sqlite3_exec would re-parse these on every call.
      Stmt begin(db, mode == TxnMode::kWrite ? "BEGIN IMMEDIATE" : "BEGIN");
      IAM_RETURN_IF_ERROR(begin.Run());
    }
    int64_t before = db.TotalChanges();
    sql::SqlOps ops(db, options_.quotas, *options_.clock);
    Status s = sql::RunCallback(fn, ops);
    bool wrote = db.TotalChanges() != before;
    bool changed = db.TotalChanges() - before > ops.usage_changes();
    if (s.ok() && mode == TxnMode::kRead && wrote) {
      s = Internal("a read transaction tried to write");
    }
    std::optional<int64_t> generation;
    if (s.ok() && changed) {
      Stmt bump(db, "UPDATE meta SET generation = generation + 1 RETURNING generation");
      Result<bool> row = bump.Step();
      if (!row.ok()) {
        s = row.status();
      } else if (*row) {
        generation = bump.Int(0);
      }
    }
    if (!s.ok()) {
      (void)db.Exec("ROLLBACK");
      return s;
    }
    Status c = Stmt(db, "COMMIT").Run();
    if (!c.ok()) {
      (void)db.Exec("ROLLBACK");
      return c;
    }
    if (generation) Publish(*generation);
    if (ops.usage_changes() > 0) NoteUsageWrite();
    return Status();
  }

  void Publish(int64_t g) { generation_.Publish(g); }

  SqliteOptions options_;
  std::mutex write_mu_;
  std::unique_ptr<sql::Pool<Db>> pool_;
  sql::GenerationCell generation_;
};

}  // namespace

Result<std::unique_ptr<Store>> OpenSqliteStore(const SqliteOptions& options, std::string master_key) {
  if (sqlite3_threadsafe() == 0) return Internal("SQLite was built without thread support");
  SqliteOptions o = options;
  if (!o.clock) o.clock = std::make_shared<SystemClock>();
  auto store = std::make_unique<SqliteStore>(std::move(o), std::move(master_key));
  IAM_RETURN_IF_ERROR(store->Init());
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace iam::store::sqlite
