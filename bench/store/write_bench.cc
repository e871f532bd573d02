// Write throughput of the store backends: CreateUser, PutInlinePolicy and
// AttachPolicy/DetachPolicy, each its own transaction, from 1 and 4 threads,
// on a fresh store per run: an SQLite file (WAL, synchronous=FULL) and, when
// IAMD_BENCH_PG_URL (or IAMD_TEST_PG_URL) names a server, PostgreSQL (on a
// fresh schema iamd_bench there). For durable commits on both sides start
// the cluster with IAMD_PG_FSYNC=on:
//
//   d=$(mktemp -d); chmod 755 $d
//   export IAMD_BENCH_PG_URL=$(IAMD_PG_FSYNC=on scripts/pg-cluster.sh start $d/pg)
//   build/bench/store/store_bench --benchmark_filter=Write
//   scripts/pg-cluster.sh stop $d/pg
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#ifdef IAMD_WITH_POSTGRES
#include <libpq-fe.h>
#endif

#include "common/status_macros.h"
#include "store/open_store.h"

namespace iam::store {
namespace {

constexpr char kAccount[] = "333333333333";
constexpr int kPolicies = 10;

enum class Backend { kSqliteFile, kPostgres };
enum class Op { kCreateUser, kPutInlinePolicy, kAttachPolicy };

std::string PgUrl() {
  for (const char* name : {"IAMD_BENCH_PG_URL", "IAMD_TEST_PG_URL"}) {
    if (const char* v = std::getenv(name); v != nullptr && *v != '\0') return v;
  }
  return "";
}

// A fresh, empty store with one account, kPolicies managed policies and a
// user per thread.
Result<std::unique_ptr<Store>> FreshStore(Backend backend, int threads) {
  StoreOptions o;
  o.quotas.users_per_account = 1 << 30;
  o.master_key = std::string(32, 'b');
  if (backend == Backend::kSqliteFile) {
    std::string dir = (std::filesystem::temp_directory_path() / "iamd-write-bench").string();
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    o.url = "sqlite://" + dir + "/iamd.db";
  } else {
#ifdef IAMD_WITH_POSTGRES
    std::string url = PgUrl();
    if (url.empty()) return InvalidInput("set IAMD_BENCH_PG_URL (scripts/pg-cluster.sh start DIR)");
    PGconn* conn = PQconnectdb(url.c_str());
    PQsetNoticeProcessor(conn, [](void*, const char*) {}, nullptr);
    PGresult* r = PQexec(conn, "DROP SCHEMA IF EXISTS iamd_bench CASCADE; CREATE SCHEMA iamd_bench");
    bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    PQclear(r);
    PQfinish(conn);
    if (!ok) return ServiceFailure("cannot reset schema iamd_bench on " + url);
    o.url = url + (url.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3Diamd_bench";
#else
    return InvalidInput("built without PostgreSQL");
#endif
  }
  IAM_ASSIGN_OR_RETURN(std::unique_ptr<Store> store, OpenStore(o));
  IAM_RETURN_IF_ERROR(store->CreateAccount(kAccount, "").status());
  for (int i = 0; i < kPolicies; ++i) {
    IAM_RETURN_IF_ERROR(store->CreatePolicy(kAccount, {.name = "p" + std::to_string(i),
                                                       .document = R"({"Version":"2012-10-17","Statement":[)"
                                                                   R"({"Effect":"Allow","Action":"s3:*","Resource":"*"}]})"})
                            .status());
  }
  for (int t = 0; t < threads; ++t) {
    IAM_RETURN_IF_ERROR(store->CreateUser(kAccount, {.name = "w" + std::to_string(t)}).status());
  }
  return store;
}

std::string InlineDoc(int64_t i) {
  return R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject",)"
         R"("Resource":"arn:aws:s3:::bucket-)" + std::to_string(i) + R"(/*"}]})";
}

void BM_Write(benchmark::State& state, Backend backend, Op op) {
  static std::unique_ptr<Store> store;
  static std::string error;
  if (state.thread_index() == 0) {
    store.reset();
    Result<std::unique_ptr<Store>> s = FreshStore(backend, state.threads());
    error = s.ok() ? "" : s.status().ToString();
    if (s.ok()) store = std::move(s).value();
  }
  const std::string t = std::to_string(state.thread_index());
  const PrincipalRef me{PrincipalKind::kUser, "w" + t};
  int64_t i = 0;
  for (auto _ : state) {
    if (!error.empty()) {
      state.SkipWithError(error.c_str());
      break;
    }
    Status s;
    switch (op) {
      case Op::kCreateUser:
        s = store->CreateUser(kAccount, {.name = "u" + t + "-" + std::to_string(i)}).status();
        break;
      case Op::kPutInlinePolicy:
        s = store->PutInlinePolicy(kAccount, me, "inline", InlineDoc(i));
        break;
      case Op::kAttachPolicy: {  // attach, then detach, each a write
        std::string arn = std::string("arn:aws:iam::") + kAccount + ":policy/p" + std::to_string((i / 2) % kPolicies);
        s = i % 2 == 0 ? store->AttachPolicy(kAccount, me, arn) : store->DetachPolicy(kAccount, me, arn);
        break;
      }
    }
    if (!s.ok()) {
      state.SkipWithError(s.ToString().c_str());
      break;
    }
    ++i;
  }
  state.SetItemsProcessed(state.iterations());
}

BENCHMARK_CAPTURE(BM_Write, SqliteFile_CreateUser, Backend::kSqliteFile, Op::kCreateUser)
    ->Threads(1)->Threads(4)->UseRealTime();
BENCHMARK_CAPTURE(BM_Write, SqliteFile_PutInlinePolicy, Backend::kSqliteFile, Op::kPutInlinePolicy)
    ->Threads(1)->Threads(4)->UseRealTime();
BENCHMARK_CAPTURE(BM_Write, SqliteFile_AttachPolicy, Backend::kSqliteFile, Op::kAttachPolicy)
    ->Threads(1)->Threads(4)->UseRealTime();
BENCHMARK_CAPTURE(BM_Write, Postgres_CreateUser, Backend::kPostgres, Op::kCreateUser)
    ->Threads(1)->Threads(4)->UseRealTime();
BENCHMARK_CAPTURE(BM_Write, Postgres_PutInlinePolicy, Backend::kPostgres, Op::kPutInlinePolicy)
    ->Threads(1)->Threads(4)->UseRealTime();
BENCHMARK_CAPTURE(BM_Write, Postgres_AttachPolicy, Backend::kPostgres, Op::kAttachPolicy)
    ->Threads(1)->Threads(4)->UseRealTime();

}  // namespace
}  // namespace iam::store
