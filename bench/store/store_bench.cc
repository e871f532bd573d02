// Store benchmarks on an AWS-sized account: 5,000 users (each with an access
// key, an inline policy, 3 attached managed policies, 2 groups, 2 tags; every
// 10th with a boundary), 100 groups (an inline and 2 attached policies each),
// 1,000 roles (a trust policy, an inline and 2 attached policies each) and
// 1,500 customer managed policies, plus 5 AWS managed ones, in an SQLite file.
//
//   build/bench/store/store_bench [--benchmark_filter=ReadPath]
//
// Measures the per-request read path (access key -> principal -> policy set),
// opening such a store, and reports its size on disk. Write throughput on
// SQLite and PostgreSQL: write_bench.cc (--benchmark_filter=Write).
#include <benchmark/benchmark.h>

#include <cstdio>
#include <filesystem>
#include <random>
#include <chrono>

#include "store/ids.h"
#include "store/open_store.h"

namespace iam::store {
namespace {

constexpr char kAcct[] = "111111111111";
constexpr int kUsers = 5000, kRoles = 1000, kPolicies = 1500, kGroups = 100;

std::string Doc(int i) {
  return R"({"Version":"2012-10-17","Statement":[{"Sid":"S)" + std::to_string(i) +
         R"(","Effect":"Allow","Action":["s3:GetObject","s3:PutObject","dynamodb:Query"],)"
         R"("Resource":["arn:aws:s3:::bucket-)" + std::to_string(i) + R"(/*","arn:aws:dynamodb:*:*:table/t)" +
         std::to_string(i) + R"("],"Condition":{"StringEquals":{"aws:PrincipalTag/team":"red"}}}]})";
}

std::string PolicyArnOf(int i) { return "arn:aws:iam::111111111111:policy/app/p" + std::to_string(i); }

void Check(const Status& s, const char* what) {
  if (!s.ok()) {
    std::fprintf(stderr, "%s: %s\n", what, s.ToString().c_str());
    std::abort();
  }
}

struct Dataset {
  std::string dir, url;
  std::vector<std::string> key_ids;
  double build_seconds = 0;
  uint64_t db_bytes = 0, wal_bytes = 0;
};

Status Load(Store& store, Dataset& d) {
  std::mt19937 rng(42);
  auto pick = [&](int n) { return static_cast<int>(rng() % n); };
  Status s = store.CreateAccount(kAcct, "bench").status();
  if (!s.ok()) return s;
  for (const char* n : {"AdministratorAccess", "ReadOnlyAccess", "IAMFullAccess", "IAMReadOnlyAccess",
                        "IAMUserChangePassword"}) {
    s = store.SeedAwsManagedPolicy({.name = n, .document = Doc(0)}).status();
    if (!s.ok()) return s;
  }
  s = store.Transact(TxnMode::kWrite, [&](StoreOps& t) -> Status {
    for (int i = 0; i < kPolicies; ++i) {
      auto r = t.CreatePolicy(kAcct, {.name = "p" + std::to_string(i), .path = "/app/", .document = Doc(i)});
      if (!r.ok()) return r.status();
    }
    for (int g = 0; g < kGroups; ++g) {
      std::string name = "g" + std::to_string(g);
      if (auto r = t.CreateGroup(kAcct, {.name = name}); !r.ok()) return r.status();
      Status x = t.PutInlinePolicy(kAcct, {PrincipalKind::kGroup, name}, "inline", Doc(g));
      for (int k = 0; x.ok() && k < 2; ++k) x = t.AttachPolicy(kAcct, {PrincipalKind::kGroup, name}, PolicyArnOf(pick(kPolicies)));
      if (!x.ok()) return x;
    }
    return Status();
  });
  if (!s.ok()) return s;
  auto ring = store.LoadKeyRing();
  if (!ring.ok()) return ring.status();
  for (int base = 0; base < kUsers; base += 500) {
    s = store.Transact(TxnMode::kWrite, [&](StoreOps& t) -> Status {
      for (int i = base; i < base + 500; ++i) {
        std::string name = "user" + std::to_string(i);
        NewUser u{.name = name, .tags = {{"team", "red"}, {"cost", std::to_string(i % 7)}}};
        if (i % 10 == 0) u.permissions_boundary_arn = PolicyArnOf(pick(kPolicies));
        if (auto r = t.CreateUser(kAcct, u); !r.ok()) return r.status();
        PrincipalRef p{PrincipalKind::kUser, name};
        Status x = t.PutInlinePolicy(kAcct, p, "inline", Doc(i));
        for (int k = 0; x.ok() && k < 3; ++k) x = t.AttachPolicy(kAcct, p, PolicyArnOf(pick(kPolicies)));
        if (x.ok()) x = t.AttachPolicy(kAcct, p, "arn:aws:iam::aws:policy/ReadOnlyAccess");
        for (int k = 0; x.ok() && k < 2; ++k) x = t.AddUserToGroup(kAcct, "g" + std::to_string(pick(kGroups)), name);
        if (!x.ok()) return x;
        std::string id = NewAccessKeyId();
        auto sealed = ring->Seal(NewSecretAccessKey(), id);
        if (!sealed.ok()) return sealed.status();
        if (auto r = t.CreateAccessKey(kAcct, name, {id, *sealed}); !r.ok()) return r.status();
        d.key_ids.push_back(id);
      }
      return Status();
    });
    if (!s.ok()) return s;
  }
  for (int base = 0; base < kRoles; base += 500) {
    s = store.Transact(TxnMode::kWrite, [&](StoreOps& t) -> Status {
      for (int i = base; i < base + 500; ++i) {
        std::string name = "role" + std::to_string(i);
        auto r = t.CreateRole(kAcct, {.name = name, .assume_role_policy_document = Doc(i)});
        if (!r.ok()) return r.status();
        PrincipalRef p{PrincipalKind::kRole, name};
        Status x = t.PutInlinePolicy(kAcct, p, "inline", Doc(i));
        for (int k = 0; x.ok() && k < 2; ++k) x = t.AttachPolicy(kAcct, p, PolicyArnOf(pick(kPolicies)));
        if (!x.ok()) return x;
      }
      return Status();
    });
    if (!s.ok()) return s;
  }
  return Status();
}

Dataset& Data() {
  static Dataset* d = [] {
    auto* d = new Dataset;
    d->dir = (std::filesystem::temp_directory_path() / "iamd-store-bench").string();
    std::filesystem::remove_all(d->dir);
    std::filesystem::create_directories(d->dir);
    d->url = "sqlite://" + d->dir + "/iamd.db";
    auto start = std::chrono::steady_clock::now();
    {
      auto store = OpenStore({.url = d->url});
      Check(store.status(), "open");
      Check(Load(**store, *d), "load");
    }
    d->build_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    d->db_bytes = std::filesystem::file_size(d->dir + "/iamd.db");
    std::error_code ec;
    d->wal_bytes = std::filesystem::exists(d->dir + "/iamd.db-wal", ec) ? std::filesystem::file_size(d->dir + "/iamd.db-wal") : 0;
    std::printf("dataset: %d users, %d roles, %d customer policies, %d groups; built in %.2f s; "
                "on disk %.2f MiB (+ WAL %.2f MiB)\n",
                kUsers, kRoles, kPolicies, kGroups, d->build_seconds, d->db_bytes / 1048576.0,
                d->wal_bytes / 1048576.0);
    return d;
  }();
  return *d;
}

Store& OpenShared() {
  static Store* store = [] {
    auto s = OpenStore({.url = Data().url});
    Check(s.status(), "open");
    return std::move(s).value().release();
  }();
  return *store;
}

// The request path: access key -> user -> every policy that applies.
void BM_ReadPath(benchmark::State& state) {
  Store& store = OpenShared();
  const auto& keys = Data().key_ids;
  std::mt19937 rng(state.thread_index());
  size_t policies = 0;
  for (auto _ : state) {
    const std::string& id = keys[rng() % keys.size()];
    auto key = store.GetAccessKey(id);
    if (!key.ok()) state.SkipWithError("key lookup failed");
    auto set = store.GetPolicySet(key->account_id, {PrincipalKind::kUser, key->user_name});
    if (!set.ok()) state.SkipWithError("policy set failed");
    policies += set->policies.size();
    benchmark::DoNotOptimize(set);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["policies/req"] = benchmark::Counter(static_cast<double>(policies) / state.iterations(), benchmark::Counter::kAvgThreads);
}
BENCHMARK(BM_ReadPath)->Threads(1)->Threads(2)->UseRealTime();

void BM_AccessKeyLookup(benchmark::State& state) {
  Store& store = OpenShared();
  const auto& keys = Data().key_ids;
  std::mt19937 rng(1);
  for (auto _ : state) benchmark::DoNotOptimize(store.GetAccessKey(keys[rng() % keys.size()]));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_AccessKeyLookup);

void BM_RolePolicySet(benchmark::State& state) {
  Store& store = OpenShared();
  std::mt19937 rng(2);
  for (auto _ : state) {
    benchmark::DoNotOptimize(
        store.GetPolicySet(kAcct, {PrincipalKind::kRole, "role" + std::to_string(rng() % kRoles)}));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RolePolicySet);

void BM_OpenStore(benchmark::State& state) {
  const std::string url = Data().url;
  for (auto _ : state) {
    auto s = OpenStore({.url = url});
    if (!s.ok()) state.SkipWithError("open failed");
    benchmark::DoNotOptimize(s);
  }
  state.counters["db_MiB"] = Data().db_bytes / 1048576.0;
  state.counters["wal_MiB"] = Data().wal_bytes / 1048576.0;
  state.counters["build_s"] = Data().build_seconds;
}
BENCHMARK(BM_OpenStore)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace iam::store

BENCHMARK_MAIN();
