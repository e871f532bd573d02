#include "store_fixture.h"

#include <libpq-fe.h>

#include <cstdlib>
#include <filesystem>
#include <vector>

namespace iam::store::testing {

std::string MakeTempDir() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "iamd-store-XXXXXX").string();
  char* dir = ::mkdtemp(tmpl.data());
  if (dir == nullptr) std::abort();
  return dir;
}

void RemoveTree(const std::string& dir) {
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
}

void StoreTest::SetUp() { Fresh(Quotas()); }

void StoreTest::TearDown() {
  store_.reset();
  if (!dir_.empty()) RemoveTree(dir_);
}

void StoreTest::Fresh(const Quotas& quotas) {
  store_.reset();
  if (!dir_.empty()) RemoveTree(dir_);
  dir_ = MakeTempDir();
  clock_ = std::make_shared<FakeClock>(1700000000);
  options_ = GetParam().options(dir_);
  options_.clock = clock_;
  options_.quotas = quotas;
  auto s = OpenStore(options_);
  ASSERT_THAT(s, IsOk());
  store_ = std::move(s).value();
  ASSERT_THAT(store_->CreateAccount(kA, ""), IsOk());
  ASSERT_THAT(store_->CreateAccount(kB, ""), IsOk());
}

void StoreTest::Reopen() {
  store_.reset();
  auto s = OpenStore(options_);
  ASSERT_THAT(s, IsOk());
  store_ = std::move(s).value();
}

std::string PgTestUrl() {
  const char* url = std::getenv("IAMD_TEST_PG_URL");
  return url ? url : "";
}

std::string FreshPgSchema(const std::string& url) {
  PGconn* conn = PQconnectdb(url.c_str());
  bool ok = PQstatus(conn) == CONNECTION_OK;
  if (ok) {
    PQsetNoticeProcessor(conn, [](void*, const char*) {}, nullptr);
    PGresult* r = PQexec(conn, "DROP SCHEMA IF EXISTS iamd_test CASCADE; CREATE SCHEMA iamd_test");
    ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    PQclear(r);
  }
  if (!ok) ADD_FAILURE() << "cannot reset the test schema on " << url << ": " << PQerrorMessage(conn);
  PQfinish(conn);
  return url + (url.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3Diamd_test";
}

// The crash test binary links this fixture without any TEST_P.
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(StoreTest);

std::vector<Backend> Backends() {
  std::vector<Backend> b = {
      Backend{"SqliteMemory", [](const std::string&) { return StoreOptions{.url = "sqlite::memory:"}; }},
      Backend{"SqliteFile",
              [](const std::string& dir) { return StoreOptions{.url = "sqlite://" + dir + "/iamd.db"}; }},
  };
  if (!PgTestUrl().empty()) {
    b.push_back(Backend{"Postgres", [](const std::string&) {
                          // A fixed master key, so that Reopen() and second stores fit.
                          return StoreOptions{.url = FreshPgSchema(PgTestUrl()),
                                              .master_key = std::string(32, 'k')};
                        }});
  }
  return b;
}

std::vector<Backend> SharedBackends() {
  std::vector<Backend> b = Backends();
  std::erase_if(b, [](const Backend& x) { return x.name == "SqliteMemory"; });
  return b;
}

std::vector<Backend> PostgresBackends() {
  std::vector<Backend> b = Backends();
  std::erase_if(b, [](const Backend& x) { return x.name != "Postgres"; });
  return b;
}

std::string BackendName(const ::testing::TestParamInfo<Backend>& info) { return info.param.name; }

INSTANTIATE_TEST_SUITE_P(Backends, StoreTest, ::testing::ValuesIn(Backends()), BackendName);

namespace {

// The PostgreSQL run (IAMD_REQUIRE_PG=1) fails, loudly, if it was started
// without a server, instead of passing with no PostgreSQL test run. The
// test exists only in that run (registered here, not by TEST), so the plain
// run neither lists nor skips it.
class PostgresConfigured : public ::testing::Test {
  void TestBody() override {
    ASSERT_FALSE(PgTestUrl().empty()) << "IAMD_REQUIRE_PG is set but IAMD_TEST_PG_URL is not: "
                                         "run through scripts/pg-cluster.sh run";
  }
};

[[maybe_unused]] const bool kPostgresConfiguredRegistered = [] {
  if (std::getenv("IAMD_REQUIRE_PG") == nullptr) return false;
  ::testing::RegisterTest("PostgresBackend", "Configured", nullptr, nullptr, __FILE__, __LINE__,
                          []() -> ::testing::Test* { return new PostgresConfigured; });
  return true;
}();

}  // namespace
}  // namespace iam::store::testing
