#include "store/postgres/postgres_store.h"

#include <libpq-fe.h>
#include <poll.h>

#include <algorithm>
#include <chrono>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

#include "common/status_macros.h"
#include "store/postgres/pg_db.h"
#include "store/postgres/schema.h"
#include "store/sql/backend.h"
#include "store/sql/ops.h"

namespace iam::store::postgres {
namespace {

// Serializes write transactions across every node on the database.
constexpr char kWriteLock[] = "SELECT pg_advisory_xact_lock(7370416425300190002)";
// Committed writes announce the new generation on this channel.
constexpr char kChannel[] = "iamd_generation";
constexpr int kMaxAttempts = 10;

class PostgresStore final : public Store {
 public:
  PostgresStore(PostgresOptions options, std::string master_key)
      : Store(std::move(master_key)), options_(std::move(options)) {}

  Status Init() {
    IAM_ASSIGN_OR_RETURN(std::unique_ptr<PgDb> db, PgDb::Connect(options_.url));
    IAM_RETURN_IF_ERROR(Migrate(*db));
    pool_ = std::make_unique<sql::Pool<PgDb>>(options_.max_connections,
                                              [this] { return PgDb::Connect(options_.url); });
    pool_->Add(std::move(db));
    return RefreshGeneration().status();
  }

  Status Transact(TxnMode mode, const std::function<Status(StoreOps&)>& fn) override {
    Status s;
    for (int attempt = 1;; ++attempt) {
      IAM_ASSIGN_OR_RETURN(std::unique_ptr<PgDb> db, pool_->Acquire());
      bool retry = false;
      s = RunTxn(*db, mode, fn, retry);
      bool healthy = db->healthy();
      pool_->Release(std::move(db), healthy);
      if (!retry || attempt >= kMaxAttempts) return s;
      Backoff(attempt);
    }
  }

  int64_t Generation() const override { return generation_.Get(); }

  Result<int64_t> RefreshGeneration() override {
    int64_t g = 0;
    IAM_RETURN_IF_ERROR(Transact(TxnMode::kRead, [&](StoreOps& ops) -> Status {
      IAM_ASSIGN_OR_RETURN(g, ReadGeneration(static_cast<sql::SqlOps&>(ops).db()));
      return Status();
    }));
    Publish(g);
    return g;
  }

  // LISTENs on a dedicated connection; wakes on a NOTIFY (sent inside the
  // writing transaction, so delivered at its commit) and re-reads the
  // generation at least every second in case a notification is lost.
  Result<int64_t> WaitForChange(int64_t seen, std::chrono::milliseconds timeout) override {
    std::unique_lock<std::mutex> lock(listen_mu_, std::try_to_lock);
    if (!lock.owns_lock()) return Store::WaitForChange(seen, timeout);  // another watcher has it
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    Result<int64_t> g = WaitOnListener(seen, deadline);
    if (!g.ok()) listener_.reset();  // reconnect on the next call
    return g;
  }

  Status CheckIntegrity() override {
    return Transact(TxnMode::kRead, [&](StoreOps& ops) -> Status {
      return ReadGeneration(static_cast<sql::SqlOps&>(ops).db()).status();
    });
  }

 private:
  static Result<int64_t> ReadGeneration(sql::Db& db) {
    Stmt q(db, "SELECT generation FROM meta");
    IAM_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) return Internal("meta row missing");
    return q.Int(0);
  }

  Result<int64_t> WaitOnListener(int64_t seen, std::chrono::steady_clock::time_point deadline) {
    if (!listener_ || !listener_->healthy()) {
      listener_.reset();
      IAM_ASSIGN_OR_RETURN(listener_, PgDb::Connect(options_.url));
      IAM_RETURN_IF_ERROR(listener_->Exec("LISTEN iamd_generation"));
    }
    PGconn* conn = listener_->handle();
    for (;;) {
      if (PQconsumeInput(conn) == 0) return listener_->StatusFrom(nullptr, "listen");
      while (PGnotify* n = PQnotifies(conn)) PQfreemem(n);
      IAM_ASSIGN_OR_RETURN(int64_t g, ReadGeneration(*listener_));
      Publish(g);
      auto now = std::chrono::steady_clock::now();
      if (g != seen || now >= deadline) return g;
      auto wait = std::min<std::chrono::steady_clock::duration>(deadline - now, std::chrono::seconds(1));
      pollfd p{PQsocket(conn), POLLIN, 0};
      int ms = static_cast<int>(std::chrono::ceil<std::chrono::milliseconds>(wait).count());
      if (::poll(&p, 1, ms) < 0 && errno != EINTR) return ServiceFailure("poll on the LISTEN connection failed");
    }
  }

  // `retry` is set when the whole transaction may run again.
  Status RunTxn(PgDb& db, TxnMode mode, const std::function<Status(StoreOps&)>& fn, bool& retry) {
    db.ClearRetryable();
    Status s = db.Exec(mode == TxnMode::kWrite ? "BEGIN ISOLATION LEVEL READ COMMITTED"
                                               : "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    if (!s.ok()) {
      retry = !db.healthy();  // a pooled connection that died while idle: nothing ran
      return s;
    }
    if (mode == TxnMode::kWrite) s = Stmt(db, kWriteLock).Run();
    int64_t before = db.TotalChanges();
    sql::SqlOps ops(db, options_.quotas, *options_.clock);
    if (s.ok()) s = sql::RunCallback(fn, ops);
    bool changed = db.TotalChanges() - before > ops.usage_changes();
    std::optional<int64_t> generation;
    if (s.ok() && changed) {
      Stmt bump(db, "UPDATE meta SET generation = generation + 1 RETURNING generation");
      Result<bool> row = bump.Step();
      if (!row.ok()) {
        s = row.status();
      } else if (*row) {
        generation = bump.Int(0);
        s = Stmt(db, "SELECT pg_notify(?, ?)", kChannel, std::to_string(*generation)).Run();
      }
    }
    if (!s.ok()) {
      if (db.healthy()) (void)db.Exec("ROLLBACK");
      retry = db.retryable();
      return s;
    }
    s = db.Exec("COMMIT");
    if (!s.ok()) {
      retry = db.retryable();
      if (db.healthy()) (void)db.Exec("ROLLBACK");
      return s;
    }
    if (generation) Publish(*generation);
    if (ops.usage_changes() > 0) NoteUsageWrite();
    return Status();
  }

  static void Backoff(int attempt) {
    thread_local std::minstd_rand rng(std::random_device{}());
    int ms = std::uniform_int_distribution<int>(1, 5 << std::min(attempt, 5))(rng);
    std::this_thread::sleep_for(std::chrono::milliseconds(ms));
  }

  void Publish(int64_t g) { generation_.Publish(g); }

  PostgresOptions options_;
  std::unique_ptr<sql::Pool<PgDb>> pool_;
  sql::GenerationCell generation_;
  std::mutex listen_mu_;
  std::unique_ptr<PgDb> listener_;
};

}  // namespace

Result<std::unique_ptr<Store>> OpenPostgresStore(const PostgresOptions& options, std::string master_key) {
  if (PQisthreadsafe() == 0) return Internal("libpq was built without thread support");
  PostgresOptions o = options;
  if (!o.clock) o.clock = std::make_shared<SystemClock>();
  auto store = std::make_unique<PostgresStore>(std::move(o), std::move(master_key));
  IAM_RETURN_IF_ERROR(store->Init());
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace iam::store::postgres
