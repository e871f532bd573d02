// Fuzzes `iamd eval`'s case reader and the evaluator behind it: any line
// must yield exactly one JSON answer line, the one the reference path gives
// (the fast path must never answer otherwise).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "policy/eval_case.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view line(reinterpret_cast<const char*>(data), size);
  std::string answer = iam::policy::EvaluateCaseLine(line);
  if (answer.empty() || answer.front() != '{' || answer.find('\n') != std::string::npos) std::abort();
  if (answer != iam::policy::TEST_ReferenceAnswer(line)) std::abort();
  return 0;
}
