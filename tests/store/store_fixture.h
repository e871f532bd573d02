// The store conformance fixture: every TEST_P on StoreTest runs against each
// backend listed in store_fixture.cc (SQLite in memory and on disk, and
// PostgreSQL when IAMD_TEST_PG_URL is set).
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/status_matchers.h"
#include "store/clock.h"
#include "store/open_store.h"
#include "store/store.h"

namespace iam::store::testing {

using ::iam::testing::IsOk;
using ::iam::testing::StatusIs;

struct Backend {
  std::string name;
  // Options for a fresh, empty store whose files (if any) live in `dir`.
  std::function<StoreOptions(const std::string& dir)> options;
};

// The backends under test: SQLite in memory and on disk always; PostgreSQL
// when IAMD_TEST_PG_URL names a server (ctest's store_test_postgres runs the
// binary through scripts/pg-cluster.sh, which starts one and sets it).
std::vector<Backend> Backends();
// Those whose database a second Store can open (a second node): not SQLite
// in memory, which is private to its Store.
std::vector<Backend> SharedBackends();
// PostgreSQL alone; empty without IAMD_TEST_PG_URL.
std::vector<Backend> PostgresBackends();
// Names each instantiation after its backend.
std::string BackendName(const ::testing::TestParamInfo<Backend>& info);

// The PostgreSQL server under test (IAMD_TEST_PG_URL), or "".
std::string PgTestUrl();
// Empties the schema iamd_test on `url` and returns `url` with that schema
// as its search_path: a fresh database for one test.
std::string FreshPgSchema(const std::string& url);

// A fresh temporary directory, removed by RemoveTree.
std::string MakeTempDir();
void RemoveTree(const std::string& dir);

class StoreTest : public ::testing::TestWithParam<Backend> {
 protected:
  static constexpr char kA[] = "111111111111";
  static constexpr char kB[] = "222222222222";

  void SetUp() override;
  void TearDown() override;
  // Replaces the store with a fresh one using `quotas` (accounts A and B exist).
  void Fresh(const Quotas& quotas);
  // Closes and reopens the same database (for on-disk backends).
  void Reopen();

  std::string dir_;
  StoreOptions options_;
  std::shared_ptr<FakeClock> clock_;
  std::unique_ptr<Store> store_;
};

}  // namespace iam::store::testing
