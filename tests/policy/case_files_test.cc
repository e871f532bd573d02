// Runs every table of cases under tests/policy/testdata/cases/ through the
// engine (the same entry point as `iamd eval`). A case with "expect" must get
// that decision; one with "expect_error" must be refused with an error
// containing that text. Each file is one test, each mismatch one failure.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "policy/eval_case.h"

namespace iam::policy {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

std::vector<std::string> CaseFiles() {
  std::vector<std::string> files;
  for (const char* dir : {"tests/policy/testdata/cases", "tests/differential/disagreements"}) {
    fs::path root = fs::path(IAMD_SOURCE_DIR) / dir;
    if (!fs::exists(root)) continue;
    for (const auto& e : fs::directory_iterator(root)) {
      std::string ext = e.path().extension().string();
      if (ext == ".jsonl" || ext == ".json") files.push_back(e.path().string());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

class CaseFileTest : public ::testing::TestWithParam<std::string> {};

TEST_P(CaseFileTest, EveryCaseGetsItsExpectedAnswer) {
  std::ifstream in(GetParam());
  ASSERT_TRUE(in) << GetParam();
  std::string line;
  int cases = 0;
  while (std::getline(in, line)) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    json c = json::parse(line);  // the fixture itself must be valid JSON
    std::string text = EvaluateCaseLine(line);
    json answer = json::parse(text);
    // A CompiledPolicySet must answer byte for byte the same.
    TEST_EvaluateThroughCompiledSet(true);
    std::string through_set = EvaluateCaseLine(line);
    TEST_EvaluateThroughCompiledSet(false);
    EXPECT_EQ(through_set, text) << c.value("id", "?") << " through a CompiledPolicySet";
    // The fast path (eval_case_fast.cc) must answer as the reference path.
    EXPECT_EQ(TEST_ReferenceAnswer(line), text) << c.value("id", "?") << " by the reference path";
    ++cases;
    std::string id = c.value("id", "?");
    EXPECT_EQ(answer["id"], c["id"]);
    if (c.contains("expect")) {
      EXPECT_EQ(answer["decision"], c["expect"])
          << id << ": " << c.value("_why", "") << "\n  answer: " << answer.dump();
    } else if (c.contains("expect_error")) {
      std::string want = c["expect_error"].get<std::string>();
      EXPECT_TRUE(answer["decision"].is_null()) << id << " must be refused, got " << answer.dump();
      std::string error = answer.value("error", "");
      EXPECT_NE(error.find(want), std::string::npos)
          << id << ": error should contain \"" << want << "\"\n  got: " << error;
    } else {
      ADD_FAILURE() << id << " has neither expect nor expect_error";
    }
  }
  EXPECT_GT(cases, 0);
}

std::string FileName(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = fs::path(info.param).parent_path().filename().string() + "_" +
                     fs::path(info.param).stem().string();
  for (char& ch : name) {
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(Cases, CaseFileTest, ::testing::ValuesIn(CaseFiles()), FileName);

}  // namespace
}  // namespace iam::policy
