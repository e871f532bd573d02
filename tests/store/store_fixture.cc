#include "store_fixture.h"

#include <cstdlib>
#include <filesystem>

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

// The crash test binary links this fixture without any TEST_P.
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(StoreTest);

// The backends under test. Add PostgreSQL here when it exists, e.g.
//   Backend{"Postgres", [](const std::string&) { return StoreOptions{.url = PgTestUrl()}; }},
INSTANTIATE_TEST_SUITE_P(
    Backends, StoreTest,
    ::testing::Values(
        Backend{"SqliteMemory", [](const std::string&) { return StoreOptions{.url = "sqlite::memory:"}; }},
        Backend{"SqliteFile",
                [](const std::string& dir) { return StoreOptions{.url = "sqlite://" + dir + "/iamd.db"}; }}),
    [](const ::testing::TestParamInfo<Backend>& info) { return info.param.name; });

}  // namespace iam::store::testing
